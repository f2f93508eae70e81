/**
 * A taint policy says how the traced ("tainted") part of a transaction's inputs is shared among its
 * outputs and its fee. Policies are pure functions over value arrays: the walkers call them once per
 * transaction, with integer satoshi values, and never look at hashes.
 *
 * The three policies of the literature (Möser, Böhme & Breuker, "Towards risk scoring of Bitcoin
 * transactions", FC 2014; Anderson, Shumailov, Ahmed & Rietmann, "Bitcoin Redemption Arc: Rethinking the
 * Tainting of Bitcoin Transactions", 2018, also published as "Sharing the loss"):
 * - poison: one tainted input taints every output in full (upper bound, not value-preserving);
 * - haircut: every output carries the same tainted fraction as the inputs taken together (value-preserving);
 * - FIFO (Clayton's case, 1816): the inputs' satoshis are laid end to end in input order, the outputs take
 *   them in output order, and whatever is left at the end is the fee (value-preserving, deterministic).
 */

/** Names accepted by `--policy`. */
export const POLICY_NAMES = ['poison', 'haircut', 'fifo'] as const;
export type PolicyName = (typeof POLICY_NAMES)[number];

/** One transaction as a policy sees it: input values with their taint, output values. */
export interface TxFlow<T> {
  /** Value of each input in vin order (sats); 0 for a coinbase or unresolved input. */
  inValues: ArrayLike<number>;
  /** Taint carried by each input (null when the input is not traced). */
  inTaint: ReadonlyArray<T | null>;
  /** Value of each output in vout order (sats). */
  outValues: ArrayLike<number>;
}

/** What a policy returns for one transaction in the forward direction. */
export interface ForwardSplit<T> {
  /** Taint of each output (null: none of the traced value reaches it). */
  outTaint: (T | null)[];
  /** Traced value spent as fee (sats). */
  feeSat: number;
}

/** What a policy returns for one output traced backward: the taint it puts on each input. */
export interface BackwardSplit<T> {
  inTaint: (T | null)[];
  /** Part of the traced value that the policy assigns to no input (fee share of a backward haircut never occurs: always 0 except rounding). */
  unassignedSat: number;
}

/**
 * A taint policy. `T` is its per-output taint state (a satoshi amount for poison and haircut, a list of
 * satoshi intervals for FIFO).
 */
export interface TaintPolicy<T> {
  readonly name: PolicyName;
  /** One-line definition printed with every result. */
  readonly definition: string;
  /** Whether traced value is conserved (traced in = traced out + fees). */
  readonly conserving: boolean;
  /** The taint of an output traced in full (a starting output). */
  full(valueSat: number): T;
  /** Traced satoshis that a taint stands for. */
  amount(t: T): number;
  /** Forward: shares the inputs' taint among the outputs and the fee. */
  forward(tx: TxFlow<T>): ForwardSplit<T>;
  /** Backward: the taint that output `vout` (carrying `taint`) puts on each input of its transaction. */
  backward(tx: TxFlow<T>, vout: number, taint: T): BackwardSplit<T>;
  /** Combines two taints of the same output (two starting points, or two branches of a backward walk). */
  merge(a: T, b: T, valueSat: number): T;
}
