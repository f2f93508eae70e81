/**
 * The clustering pass: one walk over the transactions in chain order, in memory, over typed arrays.
 *
 * Per transaction: (1) CoinJoin detection (coinjoin.ts) — a detected CoinJoin is recorded and never
 * merged; (2) common-input ownership: every known input address is united with the first one;
 * (3) change: the enabled change heuristics each name one output or abstain; if those that name one
 * agree, at least `minVotes` of them do, and no guard vetoes it, the change address is united with the
 * inputs. Every union that joins two different sets is logged with its transaction, the addresses, the
 * heuristic(s) and a confidence: these edges form a spanning forest of each cluster (the merge graph
 * that `explain` walks), at most one edge per address.
 *
 * Memory while running, per address: 5 B union-find + 1 B type + 1 bit "seen" (+1 B receive count with
 * reuse-exclusion) + ≤ 17 B per logged merge edge (at most one per address). Per input/output: the chain
 * arrays loaded by the caller (see clusterChain in run.ts: 12 B per input, 13 B per output, 8 B per tx).
 */
import type { ChainArrays } from '../store/index.js';
import { COINJOIN_PATTERNS, CoinJoinDetector } from './coinjoin.js';
import {
  CHANGE_GUARDS,
  CHANGE_HEURISTICS,
  type ChangeGuard,
  type ChangeHeuristic,
  MULTI_INPUT,
  type TxContext,
} from './heuristics/index.js';
import type { UnionFind } from './unionFind.js';

const NONE = 0xffffffff;

/**
 * Confidence recorded with each merge: the heuristic's pairwise precision measured on simulator data
 * (docs/CLUSTERING.md, "Accuracy"), rounded down. A merge backed by several change heuristics gets the
 * highest of theirs.
 */
export const CONFIDENCE: Readonly<Record<string, number>> = {
  'multi-input': 0.99,
  'fresh-address': 0.9,
  'same-script-type': 0.8,
  'non-round-amount': 0.8,
  'optimal-change': 0.9,
};

export interface ClusterConfig {
  /** Enabled heuristic names (see heuristics/index.ts). */
  heuristics: readonly string[];
  /** Change heuristics that must name the same output (default 1). */
  minVotes: number;
  /** Detect CoinJoins and skip them (default true; false only to measure what detection prevents). */
  coinjoinDetection: boolean;
}

/** The arrays the engine reads (a subset of ChainArrays). */
export type EngineArrays = Pick<
  ChainArrays,
  | 'txCount'
  | 'txBase'
  | 'inputBase'
  | 'outputBase'
  | 'addressCount'
  | 'txFirstInput'
  | 'txFirstOutput'
  | 'inputAddress'
  | 'inputValue'
  | 'outputAddress'
  | 'outputValue'
>;

export interface EngineInput {
  arrays: EngineArrays;
  /** Address type per address id (length ≥ addressCount). */
  addressType: Uint8Array;
  /** Union-find over all address ids (resumed state for an incremental run). */
  uf: UnionFind;
  /** Addresses with id below this appeared before the first loaded transaction (0 for a full run). */
  knownAddressCount: number;
}

/** The merge edges: union operations that joined two different sets. */
export interface MergeLog {
  count: number;
  tx: Uint32Array;
  a: Uint32Array;
  b: Uint32Array;
  /** Change output's global id (NONE for multi-input merges). */
  output: Uint32Array;
  /** Index into `reasons`. */
  reason: Uint8Array;
  /** Reason strings: a heuristic name or several joined by '+'. */
  reasons: string[];
  confidence: number[];
}

export interface EngineStats {
  transactions: number;
  coinjoins: Record<string, number>;
  /** Successful unions per reason. */
  merges: Record<string, number>;
  /** Transactions where enabled change heuristics named different outputs. */
  changeConflicts: number;
  /** Change picks vetoed by a guard. */
  changeVetoed: number;
}

export interface EngineResult {
  coinjoinCount: number;
  /** Global tx ids of detected CoinJoins. */
  coinjoinTx: Uint32Array;
  /** Pattern code per detected CoinJoin (COINJOIN_PATTERNS index + 1). */
  coinjoinPattern: Uint8Array;
  merges: MergeLog;
  stats: EngineStats;
}

class Growable {
  count = 0;
  tx = new Uint32Array(1024);
  a = new Uint32Array(1024);
  b = new Uint32Array(1024);
  output = new Uint32Array(1024);
  reason = new Uint8Array(1024);

  push(tx: number, a: number, b: number, output: number, reason: number): void {
    if (this.count === this.tx.length) {
      const n = this.count * 2;
      const g = <T extends Uint32Array | Uint8Array>(x: T, make: (n: number) => T): T => {
        const y = make(n);
        y.set(x);
        return y;
      };
      this.tx = g(this.tx, (k) => new Uint32Array(k));
      this.a = g(this.a, (k) => new Uint32Array(k));
      this.b = g(this.b, (k) => new Uint32Array(k));
      this.output = g(this.output, (k) => new Uint32Array(k));
      this.reason = g(this.reason, (k) => new Uint8Array(k));
    }
    const i = this.count++;
    this.tx[i] = tx;
    this.a[i] = a;
    this.b[i] = b;
    this.output[i] = output;
    this.reason[i] = reason;
  }
}

/** Largest nIn·nOut for which the self-change check (an output paying an input address) is done pairwise;
 * above it change heuristics are skipped for the transaction (batch payouts, rarely single-owner change). */
const SELF_CHANGE_PAIRS_MAX = 4096;

/**
 * Runs the clustering pass over `input.arrays`, mutating `input.uf`.
 * @example
 * const uf = new UnionFind(arrays.addressCount);
 * const r = clusterPass({ arrays, addressType, uf, knownAddressCount: 0 }, { heuristics: ['multi-input'], minVotes: 1, coinjoinDetection: true });
 */
export function clusterPass(input: EngineInput, config: ClusterConfig): EngineResult {
  const { arrays: A, addressType, uf } = input;
  const known = input.knownAddressCount;
  const enabled = new Set(config.heuristics);
  const multiInput = enabled.has(MULTI_INPUT);
  const change: ChangeHeuristic[] = CHANGE_HEURISTICS.filter((h) => enabled.has(h.name));
  const guards: ChangeGuard[] = CHANGE_GUARDS.filter((g) => enabled.has(g.name));
  const minVotes = Math.max(1, config.minVotes);
  const detector = new CoinJoinDetector();

  const addressCount = A.addressCount;
  const seen = new Uint8Array((addressCount >>> 3) + 1);
  let receiveCount = new Uint8Array(0);
  if (guards.some((g) => g.name === 'reuse-exclusion')) {
    receiveCount = new Uint8Array(addressCount);
    receiveCount.fill(1, 0, Math.min(known, addressCount));
    const oa = A.outputAddress;
    for (let k = 0; k < oa.length; k++) {
      const a = oa[k] as number;
      if (a !== NONE && (receiveCount[a] as number) < 255) receiveCount[a] = (receiveCount[a] as number) + 1;
    }
  }

  const log = new Growable();
  const reasons: string[] = [];
  const confidence: number[] = [];
  const reasonCode = new Map<number, number>(); // change-vote mask (bit 0 = multi-input) -> reason index
  const codeOf = (mask: number): number => {
    let c = reasonCode.get(mask);
    if (c === undefined) {
      const names = [MULTI_INPUT, ...change.map((h) => h.name)].filter((_, i) => (mask >>> i) & 1);
      c = reasons.length;
      reasons.push(names.join('+'));
      confidence.push(Math.max(...names.map((n) => CONFIDENCE[n] ?? 0.5)));
      reasonCode.set(mask, c);
    }
    return c;
  };
  const mergeCounts = new Map<number, number>();
  const cjTx: number[] = [];
  const cjPattern: number[] = [];
  const cjCounts: Record<string, number> = {};
  let conflicts = 0;
  let vetoed = 0;

  let fresh = new Uint8Array(64);
  const ctx: TxContext = {
    inStart: 0,
    inEnd: 0,
    outStart: 0,
    outEnd: 0,
    inputAddress: A.inputAddress,
    inputValue: A.inputValue,
    outputAddress: A.outputAddress,
    outputValue: A.outputValue,
    addressType,
    outputFresh: fresh,
    receiveCount,
    inputType: -1,
    minInputValue: Number.NaN,
  };

  const { txFirstInput, txFirstOutput, inputAddress, outputAddress, inputValue } = A;
  const ib = A.inputBase;
  const ob = A.outputBase;
  for (let t = 0; t < A.txCount; t++) {
    const i0 = (txFirstInput[t] as number) - ib;
    const i1 = (txFirstInput[t + 1] as number) - ib;
    const o0 = (txFirstOutput[t] as number) - ob;
    const o1 = (txFirstOutput[t + 1] as number) - ob;
    const nOut = o1 - o0;
    // First appearances, in chain order (also for CoinJoins and coinbases).
    if (fresh.length < nOut) {
      fresh = new Uint8Array(nOut * 2);
      ctx.outputFresh = fresh;
    }
    for (let k = o0; k < o1; k++) {
      const a = outputAddress[k] as number;
      let f = 0;
      if (a !== NONE && a >= known) {
        const bit = 1 << (a & 7);
        const w = seen[a >>> 3] as number;
        if ((w & bit) === 0) {
          f = 1;
          seen[a >>> 3] = w | bit;
        }
      }
      fresh[k - o0] = f;
    }

    if (config.coinjoinDetection && i1 - i0 >= 2) {
      const p = detector.classify(inputAddress, i0, i1, A.outputValue, o0, o1);
      if (p !== 0) {
        cjTx.push(A.txBase + t);
        cjPattern.push(p);
        continue;
      }
    }

    let first = NONE;
    for (let i = i0; i < i1; i++) {
      const a = inputAddress[i] as number;
      if (a === NONE) continue;
      if (first === NONE) first = a;
      else if (multiInput && uf.union(first, a)) {
        log.push(A.txBase + t, first, a, NONE, codeOf(1));
        mergeCounts.set(1, (mergeCounts.get(1) ?? 0) + 1);
      }
    }
    if (change.length === 0 || first === NONE || nOut < 2) continue;
    const nIn = i1 - i0;
    if (nIn * nOut > SELF_CHANGE_PAIRS_MAX) continue;
    // Self-change (an output pays an input address): the change is known and adds nothing; skip.
    let self = false;
    let type = addressType[first] as number;
    let minIn = Number.POSITIVE_INFINITY;
    for (let i = i0; i < i1 && !self; i++) {
      const a = inputAddress[i] as number;
      if (a === NONE) {
        type = -1;
        minIn = Number.NaN;
        continue;
      }
      if (addressType[a] !== type) type = -1;
      const v = inputValue[i] as number;
      if (v < minIn) minIn = v;
      else if (Number.isNaN(v)) minIn = Number.NaN;
      for (let k = o0; k < o1; k++) {
        if (outputAddress[k] === a) {
          self = true;
          break;
        }
      }
    }
    if (self) continue;
    ctx.inStart = i0;
    ctx.inEnd = i1;
    ctx.outStart = o0;
    ctx.outEnd = o1;
    ctx.inputType = type;
    ctx.minInputValue = minIn;
    let chosen = -1;
    let mask = 0;
    for (let h = 0; h < change.length; h++) {
      const k = (change[h] as ChangeHeuristic).pick(ctx);
      if (k < 0) continue;
      if (chosen === -1) chosen = k;
      else if (chosen !== k) {
        chosen = -2;
        break;
      }
      mask |= 1 << (h + 1);
    }
    if (chosen === -2) {
      conflicts++;
      continue;
    }
    if (chosen < 0) continue;
    let votes = 0;
    for (let m = mask; m !== 0; m &= m - 1) votes++;
    if (votes < minVotes) continue;
    let ok = true;
    for (const g of guards) {
      if (!g.allows(ctx, chosen)) {
        ok = false;
        break;
      }
    }
    if (!ok) {
      vetoed++;
      continue;
    }
    const b = outputAddress[chosen] as number;
    if (uf.union(first, b)) {
      log.push(A.txBase + t, first, b, ob + chosen, codeOf(mask));
      mergeCounts.set(mask, (mergeCounts.get(mask) ?? 0) + 1);
    }
  }

  const merges: Record<string, number> = {};
  for (const [mask, n] of mergeCounts) merges[reasons[codeOf(mask)] as string] = n;
  for (const p of cjPattern) {
    const name = COINJOIN_PATTERNS[p - 1] as string;
    cjCounts[name] = (cjCounts[name] ?? 0) + 1;
  }
  return {
    coinjoinCount: cjTx.length,
    coinjoinTx: Uint32Array.from(cjTx),
    coinjoinPattern: Uint8Array.from(cjPattern),
    merges: {
      count: log.count,
      tx: log.tx.subarray(0, log.count),
      a: log.a.subarray(0, log.count),
      b: log.b.subarray(0, log.count),
      output: log.output.subarray(0, log.count),
      reason: log.reason.subarray(0, log.count),
      reasons,
      confidence,
    },
    stats: { transactions: A.txCount, coinjoins: cjCounts, merges, changeConflicts: conflicts, changeVetoed: vetoed },
  };
}
