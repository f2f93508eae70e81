/**
 * What a change heuristic sees of one transaction: spans into the chain arrays plus facts the
 * clusterer computes once per transaction. All indices are local array indices (see ChainArrays).
 */
export interface TxContext {
  inStart: number;
  inEnd: number;
  outStart: number;
  outEnd: number;
  inputAddress: Uint32Array;
  inputValue: Float64Array;
  outputAddress: Uint32Array;
  outputValue: Float64Array;
  /** Address type (code into SCRIPT_TYPES, P2PK keys count as p2pkh) per address id. */
  addressType: Uint8Array;
  /** outputFresh[k - outStart] = 1 when output k is the first appearance of its address on the chain. */
  outputFresh: Uint8Array;
  /** Number of outputs ever paying to each address id, saturating at 255 (reuse detection). */
  receiveCount: Uint8Array;
  /** Type shared by every input address, or -1 when the inputs mix types or any is unknown. */
  inputType: number;
  /** Smallest input value (satoshis), NaN when any input value is unknown. */
  minInputValue: number;
}

/**
 * A change-address heuristic: names the one output it believes returns change to the spender, or
 * abstains. It never decides that two inputs belong together; the clusterer merges the change
 * output's address with the inputs' cluster and records the heuristic as the reason.
 */
export interface ChangeHeuristic {
  /** Name used on the command line and in merge provenance. */
  readonly name: string;
  /** Where it comes from. */
  readonly source: string;
  /** Local output index of the change, or -1 to abstain. */
  pick(tx: TxContext): number;
}

/**
 * A guard: vetoes a change output another heuristic picked (returns false to veto).
 */
export interface ChangeGuard {
  readonly name: string;
  readonly source: string;
  allows(tx: TxContext, out: number): boolean;
}

/** Outputs that can be change: those with an address. */
export const NONE = 0xffffffff;
