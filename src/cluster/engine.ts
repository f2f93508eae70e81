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
 * Memory while running, per address: 4 B union-find + 1 B type (+ 1 bit "seen" with fresh-address, + 1 B
 * receive count with reuse-exclusion); 17 B per merge edge logged by this pass (one window, see run.ts;
 * ×2 transiently while the log grows). Per input/output/tx: the chain arrays of the window, loaded by
 * run.ts (4 B per input, + 8 B with optimal-change; 12 B per output; 8 B per tx).
 */
import { type ChainArrays, grownArray } from '../store/index.js';
import { COINJOIN_PATTERNS, CoinJoinDetector } from './coinjoin.js';
import {
  CHANGE_GUARDS,
  CHANGE_HEURISTICS,
  type ChangeGuard,
  type ChangeHeuristic,
  MULTI_INPUT,
  type TxContext,
} from './heuristics/index.js';
import { findRoot, linkRoots, type UnionFind } from './unionFind.js';

const NONE = 0xffffffff;

/**
 * Confidence recorded with each merge: the share of the heuristic's merges that joined addresses of one
 * true entity on simulator data (docs/CLUSTERING.md, "Merge precision by heuristic": seed 1, scale 0.2),
 * rounded down to 2 digits. Multi-input measured 1.0000 but is capped at 0.99: the simulator has no
 * PayJoin and no CoinJoin shape the detector misses, the real chain has both. A merge backed by several
 * change heuristics gets the highest of theirs (every such combination measured 1.0000).
 */
export const CONFIDENCE: Readonly<Record<string, number>> = {
  'multi-input': 0.99,
  'fresh-address': 0.98,
  'same-script-type': 0.97,
  'non-round-amount': 0.99,
  'optimal-change': 0.99,
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
  /**
   * Shared between passes over consecutive windows of one chain: the "seen" bitset (fresh-address;
   * (addressCount >> 3) + 1 bytes) and receive counts over the whole chain (reuse-exclusion). Computed
   * from this pass's arrays when absent.
   */
  seen?: Uint8Array;
  receiveCount?: Uint8Array;
}

/**
 * The merge edges: union operations that joined two different sets, in two compact parts (expand them
 * with `mergeRows`).
 */
export interface MergeLog {
  /** All merges: `inputs.length` multi-input merges + `reason.length` change merges. */
  count: number;
  /**
   * Multi-input merges, one u32 each (the pass's hot loop writes 4 bytes per merge, not a 16-byte row):
   * the window-relative index of the input whose address was joined to its transaction's first known
   * input, ascending. Transaction and both addresses follow from the chain arrays.
   */
  inputs: Uint32Array;
  /**
   * Change merges, 4 values per edge i at [4i, 4i+4): global tx id, address a (the tx's first input
   * address), address b, the change output's global id.
   */
  edges: Uint32Array;
  /** Index into `reasons` per change edge. */
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

/** Largest nIn·nOut for which the self-change check (an output paying an input address) is done pairwise;
 * above it change heuristics are skipped for the transaction (batch payouts, rarely single-owner change). */
const SELF_CHANGE_PAIRS_MAX = 4096;

/**
 * Transactions per call of the hot loop. Small enough that V8 sees enough calls early to optimise it (the
 * pass runs once per window): 4,096 vs 16,384 measured 21.2–22.1 vs 19.0 M inputs/s on the simulator chain
 * (one pass per process, quiet machine), neutral on the synthetic stress chain.
 */
const CHUNK_TXS = 1 << 12;

/** Transactions whose inputs' union-find slots are read ahead together (measured best of 16–256). */
const PREFETCH_TXS = 64;

/** Everything one pass carries between chunks (hot fields are copied into locals per chunk). */
interface PassState {
  A: EngineArrays;
  node: Int32Array;
  uf: UnionFind;
  multiInput: boolean;
  coinjoinDetection: boolean;
  detector: CoinJoinDetector;
  trackFresh: boolean;
  seen: Uint8Array;
  known: number;
  fresh: Uint8Array;
  logCap: number;
  /** Change-merge log: interleaved [tx, a, b, output] per edge; R = reason code per edge. */
  L: Uint32Array;
  R: Uint8Array;
  nLog: number;
  /** Multi-input merge log: the joined input's window-relative index (sized for the worst case, see clusterPass). */
  MI: Uint32Array;
  miMerges: number;
  cjTx: number[];
  cjPattern: number[];
  change: ChangeHeuristic[];
  guards: ChangeGuard[];
  minVotes: number;
  addressType: Uint8Array;
  ctx: TxContext;
  codeOf: (mask: number) => number;
  mergeCounts: Map<number, number>;
  conflicts: number;
  vetoed: number;
  /** Sink of the prefetching reads (kept so they are not optimised away). */
  touched: number;
}

function logEdge(st: PassState, tx: number, a: number, b: number, output: number, reason: number): void {
  if (st.nLog === st.logCap) {
    st.logCap *= 2;
    st.L = grownArray(st.L, st.logCap * 4);
    st.R = grownArray(st.R, st.logCap);
  }
  const j = st.nLog << 2;
  st.L[j] = tx;
  st.L[j + 1] = a;
  st.L[j + 2] = b;
  st.L[j + 3] = output;
  st.R[st.nLog] = reason;
  st.nLog++;
}

/** Transactions [tFrom, tTo): first appearances, CoinJoin check, common-input ownership, change. */
function passChunk(st: PassState, tFrom: number, tTo: number): void {
  const A = st.A;
  const { txFirstInput, txFirstOutput, inputAddress, outputAddress, outputValue } = A;
  const { node, seen, known, trackFresh, multiInput, coinjoinDetection } = st;
  const changeOn = st.change.length > 0;
  const ib = A.inputBase;
  const ob = A.outputBase;
  const txBase = A.txBase;
  const MI = st.MI;
  let miMerges = st.miMerges;
  let touched = 0;
  for (let t = tFrom; t < tTo; t++) {
    // Every PREFETCH_TXS transactions, read the union-find slot of each of their inputs' addresses first:
    // independent loads the CPU overlaps, where the finds below are chains of dependent ones. The finds then
    // mostly hit the cache (the pass is bound by memory latency; see docs/CLUSTERING.md).
    if ((t - tFrom) % PREFETCH_TXS === 0) {
      const j1 = (txFirstInput[Math.min(tTo, t + PREFETCH_TXS)] as number) - ib;
      for (let j = (txFirstInput[t] as number) - ib; j < j1; j++) {
        const a = inputAddress[j] as number;
        if (a !== NONE) touched ^= node[a] as number;
      }
    }
    const i0 = (txFirstInput[t] as number) - ib;
    const i1 = (txFirstInput[t + 1] as number) - ib;
    const o0 = (txFirstOutput[t] as number) - ob;
    const o1 = (txFirstOutput[t + 1] as number) - ob;
    const nOut = o1 - o0;
    // First appearances, in chain order (also for CoinJoins and coinbases); only fresh-address reads them.
    if (trackFresh) {
      if (st.fresh.length < nOut) st.fresh = new Uint8Array(nOut * 2);
      const fresh = st.fresh;
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
    }
    // Prefilter: a CoinJoin has ≥ 2 inputs and ≥ 2 equal outputs (a 2-output one: its two outputs equal).
    if (coinjoinDetection && i1 - i0 >= 2 && nOut >= 2 && (nOut !== 2 || outputValue[o0] === outputValue[o0 + 1])) {
      const p = st.detector.classify(inputAddress, i0, i1, outputValue, o0, o1);
      if (p !== 0) {
        st.cjTx.push(txBase + t);
        st.cjPattern.push(p);
        continue;
      }
    }
    // Common-input ownership, union-find inlined: one find per input, the first known input's root kept.
    // A one-input transaction (about half of them) costs no random memory access here; an input paying
    // from the first input's address again (consolidations) costs no find.
    let first = i1 > i0 ? (inputAddress[i0] as number) : NONE;
    if (i1 - i0 >= 2) {
      let i = i0;
      while (first === NONE && ++i < i1) first = inputAddress[i] as number;
      if (multiInput && i + 1 < i1) {
        let ra = findRoot(node, first);
        for (i++; i < i1; i++) {
          const a = inputAddress[i] as number;
          if (a === NONE || a === first) continue;
          const x = findRoot(node, a);
          if (x === ra) continue;
          ra = linkRoots(node, ra, x);
          MI[miMerges++] = i;
        }
      }
    }
    if (changeOn && first !== NONE && nOut >= 2) changeStep(st, t, i0, i1, o0, o1, first);
  }
  st.miMerges = miMerges;
  st.touched ^= touched;
}

/** Change detection for one non-CoinJoin transaction with a known input and ≥ 2 outputs. */
function changeStep(st: PassState, t: number, i0: number, i1: number, o0: number, o1: number, first: number): void {
  const { inputAddress, outputAddress, inputValue } = st.A;
  const addressType = st.addressType;
  if ((i1 - i0) * (o1 - o0) > SELF_CHANGE_PAIRS_MAX) return;
  // Self-change (an output pays an input address): the change is known and adds nothing; skip.
  let type = addressType[first] as number;
  let minIn = Number.POSITIVE_INFINITY;
  for (let i = i0; i < i1; i++) {
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
    for (let k = o0; k < o1; k++) if (outputAddress[k] === a) return;
  }
  const ctx = st.ctx;
  ctx.inStart = i0;
  ctx.inEnd = i1;
  ctx.outStart = o0;
  ctx.outEnd = o1;
  ctx.inputType = type;
  ctx.minInputValue = minIn;
  ctx.outputFresh = st.fresh;
  const change = st.change;
  let chosen = -1;
  let mask = 0;
  for (let h = 0; h < change.length; h++) {
    const k = (change[h] as ChangeHeuristic).pick(ctx);
    if (k < 0) continue;
    if (chosen === -1) chosen = k;
    else if (chosen !== k) {
      st.conflicts++;
      return;
    }
    mask |= 1 << (h + 1);
  }
  if (chosen < 0) return;
  let votes = 0;
  for (let m = mask; m !== 0; m &= m - 1) votes++;
  if (votes < st.minVotes) return;
  for (const g of st.guards) {
    if (!g.allows(ctx, chosen)) {
      st.vetoed++;
      return;
    }
  }
  const b = outputAddress[chosen] as number;
  if (st.uf.union(first, b)) {
    logEdge(st, st.A.txBase + t, first, b, st.A.outputBase + chosen, st.codeOf(mask));
    st.mergeCounts.set(mask, (st.mergeCounts.get(mask) ?? 0) + 1);
  }
}

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
  const trackFresh = change.some((h) => h.name === 'fresh-address');
  const seen = input.seen ?? new Uint8Array(trackFresh ? (addressCount >>> 3) + 1 : 0);
  let receiveCount = input.receiveCount ?? new Uint8Array(0);
  if (input.receiveCount === undefined && guards.some((g) => g.name === 'reuse-exclusion')) {
    receiveCount = new Uint8Array(addressCount);
    receiveCount.fill(1, 0, Math.min(known, addressCount));
    const oa = A.outputAddress;
    for (let k = 0; k < oa.length; k++) {
      const a = oa[k] as number;
      if (a !== NONE && (receiveCount[a] as number) < 255) receiveCount[a] = (receiveCount[a] as number) + 1;
    }
  }

  const reasons: string[] = [];
  const confidence: number[] = [];
  const reasonCode = new Map<number, number>(); // vote mask (bit 0 = multi-input, bit h+1 = change[h]) -> reason index
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
  codeOf(1); // reason 0 = multi-input

  const st: PassState = {
    A,
    node: uf.node,
    uf,
    multiInput,
    coinjoinDetection: config.coinjoinDetection,
    detector,
    trackFresh,
    seen,
    known,
    fresh: new Uint8Array(64),
    logCap: 1 << 12,
    L: new Uint32Array(4 << 12),
    R: new Uint8Array(1 << 12),
    nLog: 0,
    // At most one merge per input after a transaction's first: sized for that bound up front so the hot
    // loop never checks or grows it (pages never written are never committed by the OS).
    MI: new Uint32Array(Math.max(0, A.inputAddress.length - A.txCount) + 1),
    miMerges: 0,
    cjTx: [],
    cjPattern: [],
    change,
    guards,
    minVotes,
    addressType,
    ctx: {
      inStart: 0,
      inEnd: 0,
      outStart: 0,
      outEnd: 0,
      inputAddress: A.inputAddress,
      inputValue: A.inputValue,
      outputAddress: A.outputAddress,
      outputValue: A.outputValue,
      addressType,
      outputFresh: new Uint8Array(0),
      receiveCount,
      inputType: -1,
      minInputValue: Number.NaN,
    },
    codeOf,
    mergeCounts: new Map<number, number>(),
    conflicts: 0,
    vetoed: 0,
    touched: 0,
  };
  // Chunks: the hot loop runs in a function V8 optimises as a whole after a few calls, instead of one
  // long loop that only gets on-stack-replaced code (measured ~1.5x slower here).
  for (let t = 0; t < A.txCount; t += CHUNK_TXS) passChunk(st, t, Math.min(A.txCount, t + CHUNK_TXS));
  const { mergeCounts, cjTx, cjPattern, nLog, L, R } = st;
  const miMerges = st.miMerges;
  const conflicts = st.conflicts;
  const vetoed = st.vetoed;
  const cjCounts: Record<string, number> = {};
  if (miMerges > 0) mergeCounts.set(1, miMerges);
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
      count: miMerges + nLog,
      inputs: st.MI.subarray(0, miMerges),
      edges: L.subarray(0, nLog * 4),
      reason: R.subarray(0, nLog),
      reasons,
      confidence,
    },
    stats: { transactions: A.txCount, coinjoins: cjCounts, merges, changeConflicts: conflicts, changeVetoed: vetoed },
  };
}

/** A merge log expanded to one row per merge (multi-input merges first, in chain order, then change merges). */
export interface MergeRows {
  count: number;
  /** Global tx id. */
  tx: Uint32Array;
  /** The transaction's first known input address. */
  a: Uint32Array;
  /** The address joined to it: another input's, or the change output's. */
  b: Uint32Array;
  /** Global id of the change output; NONE (0xffffffff) for multi-input merges. */
  output: Uint32Array;
  /** Index into the log's `reasons` (0 = multi-input). */
  reason: Uint8Array;
}

/**
 * Expands a pass's merge log over the same chain arrays (one sequential walk of the transactions).
 * @example
 * const rows = mergeRows(arrays, clusterPass(input, config).merges);
 */
export function mergeRows(A: EngineArrays, log: MergeLog): MergeRows {
  const n = log.count;
  const rows: MergeRows = {
    count: n,
    tx: new Uint32Array(n),
    a: new Uint32Array(n),
    b: new Uint32Array(n),
    output: new Uint32Array(n),
    reason: new Uint8Array(n),
  };
  const { txFirstInput, inputAddress } = A;
  const mi = log.inputs;
  const ib = A.inputBase;
  let t = 0;
  let first = NONE;
  for (let k = 0; k < mi.length; k++) {
    const i = mi[k] as number;
    if ((txFirstInput[t + 1] as number) - ib <= i) {
      do t++;
      while ((txFirstInput[t + 1] as number) - ib <= i);
      first = NONE;
    }
    if (first === NONE) {
      for (let j = (txFirstInput[t] as number) - ib; j < i; j++) {
        const x = inputAddress[j] as number;
        if (x !== NONE) {
          first = x;
          break;
        }
      }
    }
    rows.tx[k] = A.txBase + t;
    rows.a[k] = first;
    rows.b[k] = inputAddress[i] as number;
    rows.output[k] = NONE;
  }
  const e = log.edges;
  for (let k = 0, r = mi.length; k < log.reason.length; k++, r++) {
    rows.tx[r] = e[4 * k] as number;
    rows.a[r] = e[4 * k + 1] as number;
    rows.b[r] = e[4 * k + 2] as number;
    rows.output[r] = e[4 * k + 3] as number;
    rows.reason[r] = log.reason[k] as number;
  }
  return rows;
}
