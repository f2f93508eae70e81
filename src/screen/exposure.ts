/**
 * Indirect exposure of every address, precomputed in two sweeps over the chain arrays (haircut policy):
 *
 * - **Received** (forward, txs in chain order): each output carries a vector `fwd[c][h]`, the share of its
 *   value that came from risk category c exactly h cluster-to-cluster hops back (h = 1: paid by a cluster
 *   labelled c). A transaction mixes its inputs in proportion to value (haircut: every output gets the
 *   same mix). An input from cluster X paying cluster Y ≠ X moves its taint one hop further; a move inside
 *   one cluster (change, consolidation) keeps the hop, so hops count between clusters, not transactions.
 *   When X itself is labelled c, its value counts as c at hop 1 (the source), whatever it received earlier.
 * - **Sent** (backward, txs in reverse order): symmetric — `bwd[c][h]` is the share of an output's value
 *   that ended, h cluster hops later, at a cluster labelled c (haircut over the spending tx's outputs).
 *
 * Per address the sweeps add up only value that crossed a cluster boundary (receipts from other clusters,
 * payments to other clusters): `recv[a]`, `recvTaint[a][c][h]` (satoshis), `sent[a]`, `sentTaint[a][c][h]`.
 * A cluster's exposure is the sum over its addresses divided by its total (see ScreeningIndex).
 * CoinJoin transactions (flags from clustering) make their outputs hop-1 `mixing` when the rules say so.
 *
 * Incremental: `extend()` takes the chain after new blocks were appended. The forward sweep runs over the
 * new transactions only (old outputs keep their vectors); the backward sweep starts from the new
 * transactions and re-visits an older transaction only when the vector of one of its outputs changed
 * (a worklist in descending tx order), updating the per-address sums by the difference. Exact as long as
 * clusters and labels of old addresses did not change; otherwise the caller recomputes from scratch.
 *
 * Cost (measured on the simulated chain, see docs/SCREENING.md "Precompute"): linear in inputs × outputs
 * per transaction; vectors are stored only for tainted outputs (sparse maps), so memory follows taint.
 */
import { IdHeap } from '../trace/index.js';

/** "No id" in the chain arrays. */
export const NONE = 0xffffffff;

/** The subset of the store's ChainArrays the sweeps read (loaded from tx id 0: local index = global id). */
export interface ExposureChain {
  txCount: number;
  addressCount: number;
  txFirstInput: Uint32Array;
  txFirstOutput: Uint32Array;
  inputSpentOutput: Uint32Array;
  inputAddress: Uint32Array;
  inputValue: Float64Array;
  outputTx: Uint32Array;
  outputValue: Float64Array;
  outputAddress: Uint32Array;
}

/** Who is risky: dense cluster index per address and the risk categories (bitmask) each cluster carries. */
export interface RiskTopology {
  /** Dense cluster index per address id (length ≥ addressCount). */
  clusterOf: Uint32Array;
  /** Bitmask of risk categories directly labelled on the cluster (bit c = category c). */
  clusterRisk: Uint32Array;
  /** 1 when the transaction is a detected CoinJoin, or null when unknown. */
  coinjoin: Uint8Array | null;
}

export interface ExposureParams {
  categories: number;
  hops: number;
  /** Category index that CoinJoin outputs count as (−1: CoinJoins are not exposure). */
  coinjoinCategory: number;
}

/** One transaction behind an exposure figure. */
export interface ExposureTx {
  txId: number;
  /** Satoshis of the address's receipt (or payment) in this tx attributed to the category, all hops. */
  taintedSat: number;
  /** Nearest hop at which the category appears in this tx's contribution. */
  hop: number;
}

const TOP_TXS = 3;

/** Per-address exposure sums and the state needed to extend them with new blocks. */
export class ExposureState {
  readonly width: number;
  /** Transactions processed so far ([0, txDone)). */
  txDone = 0;
  recv: Float64Array;
  sent: Float64Array;
  /** Address id → Float64Array(width) of tainted satoshis, index c*hops + (h-1). Only tainted addresses. */
  readonly recvTaint = new Map<number, Float64Array>();
  readonly sentTaint = new Map<number, Float64Array>();
  /** Output id → share vectors (Float32Array(width)); only outputs with taint. */
  private readonly fwd = new Map<number, Float32Array>();
  private readonly bwd = new Map<number, Float32Array>();
  /** Input id → the tainted satoshis it added to its address's sentTaint (for incremental differences). */
  private readonly sentByInput = new Map<number, Float64Array>();
  /** (address * categories + c) → largest contributing txs, received and sent. */
  readonly recvTop = new Map<number, ExposureTx[]>();
  readonly sentTop = new Map<number, ExposureTx[]>();

  constructor(
    readonly params: ExposureParams,
    addressCount: number,
  ) {
    this.width = params.categories * params.hops;
    this.recv = new Float64Array(addressCount);
    this.sent = new Float64Array(addressCount);
  }

  private grow(addressCount: number): void {
    if (addressCount <= this.recv.length) return;
    const n = Math.max(addressCount, Math.ceil(this.recv.length * 1.5));
    const r = new Float64Array(n);
    r.set(this.recv);
    this.recv = r;
    const s = new Float64Array(n);
    s.set(this.sent);
    this.sent = s;
  }

  /** Number of outputs carrying received / sent taint (memory indicator). */
  get taintedOutputs(): { fwd: number; bwd: number } {
    return { fwd: this.fwd.size, bwd: this.bwd.size };
  }

  /**
   * Processes transactions [txDone, chain.txCount): forward over the new ones, backward from them.
   * The first call computes everything.
   */
  extend(chain: ExposureChain, topo: RiskTopology): { forwardTxs: number; backwardTxs: number } {
    this.grow(chain.addressCount);
    const from = this.txDone;
    for (let t = from; t < chain.txCount; t++) this.forwardTx(chain, topo, t);
    const backwardTxs = this.backwardFrom(chain, topo, from);
    this.txDone = chain.txCount;
    return { forwardTxs: chain.txCount - from, backwardTxs };
  }

  private forwardTx(chain: ExposureChain, topo: RiskTopology, t: number): void {
    const { categories: C, hops: H } = this.params;
    const W = this.width;
    const i0 = chain.txFirstInput[t] as number;
    const i1 = chain.txFirstInput[t + 1] as number;
    const o0 = chain.txFirstOutput[t] as number;
    const o1 = chain.txFirstOutput[t + 1] as number;
    let totalIn = 0;
    for (let i = i0; i < i1; i++) {
      const v = chain.inputValue[i] as number;
      if (v > 0) totalIn += v;
    }
    const isCoinJoin = topo.coinjoin !== null && topo.coinjoin[t] === 1 && this.params.coinjoinCategory >= 0;
    // Per input, once: weight, cluster, risk and the taint it carries (Map lookups are the hot cost).
    const nIn = i1 - i0;
    const inW = new Float64Array(nIn);
    const inX = new Float64Array(nIn);
    const inRisk = new Uint32Array(nIn);
    const inPrev: (Float32Array | undefined)[] = new Array(nIn);
    let tainted = isCoinJoin;
    if (totalIn > 0) {
      for (let j = 0; j < nIn; j++) {
        const i = i0 + j;
        const v = chain.inputValue[i] as number;
        inW[j] = v > 0 ? v / totalIn : 0;
        const ia = chain.inputAddress[i] as number;
        const X = ia === NONE ? NONE - 1 : (topo.clusterOf[ia] as number);
        inX[j] = X;
        inRisk[j] = ia === NONE ? 0 : (topo.clusterRisk[X] as number);
        inPrev[j] = v > 0 ? this.fwd.get(chain.inputSpentOutput[i] as number) : undefined;
        if (inRisk[j] !== 0 || inPrev[j] !== undefined) tainted = true;
      }
    }
    const full = tainted ? new Float64Array(W) : EMPTY;
    const ext = tainted ? new Float64Array(W) : EMPTY;
    for (let o = o0; o < o1; o++) {
      const value = chain.outputValue[o] as number;
      const a = chain.outputAddress[o] as number;
      const Y = a === NONE ? NONE : (topo.clusterOf[a] as number);
      let extShare = totalIn === 0 ? 1 : 0; // coinbase: income from outside every cluster
      if (!tainted) {
        // Fast path (most transactions): no taint in, none out; only the external share is needed.
        if (totalIn > 0) for (let j = 0; j < nIn; j++) if (!(inX[j] === Y && Y !== NONE)) extShare += inW[j] as number;
        if (a !== NONE) this.recv[a] = (this.recv[a] as number) + value * extShare;
        continue;
      }
      full.fill(0);
      ext.fill(0);
      for (let j = 0; j < nIn; j++) {
        const w = inW[j] as number;
        if (w === 0) continue;
        const same = inX[j] === Y && Y !== NONE;
        if (!same) extShare += w;
        addShare(full, ext, w, same, inRisk[j] as number, inPrev[j], C, H);
      }
      if (isCoinJoin) markCoinJoin(full, ext, extShare, this.params.coinjoinCategory, H);
      if (hasAny(full)) this.fwd.set(o, Float32Array.from(full));
      if (a === NONE) continue;
      this.recv[a] = (this.recv[a] as number) + value * extShare;
      if (hasAny(ext)) {
        let acc = this.recvTaint.get(a);
        if (acc === undefined) {
          acc = new Float64Array(W);
          this.recvTaint.set(a, acc);
        }
        for (let k = 0; k < W; k++) acc[k] = (acc[k] as number) + value * (ext[k] as number);
        this.noteTop(this.recvTop, a, t, value, ext);
      }
    }
  }

  /** Backward sweep over the worklist that starts with txs [from, txCount); returns txs visited. */
  private backwardFrom(chain: ExposureChain, topo: RiskTopology, from: number): number {
    const pending = new Uint8Array(chain.txCount);
    const heap = new IdHeap(true);
    for (let t = chain.txCount - 1; t >= from; t--) {
      pending[t] = 1;
      heap.push(t);
    }
    let visited = 0;
    for (let t = heap.pop(); t !== undefined; t = heap.pop()) {
      if (pending[t] !== 1) continue;
      pending[t] = 0;
      visited++;
      for (const o of this.backwardTx(chain, topo, t, t >= from)) {
        const creator = chain.outputTx[o] as number;
        if (creator < chain.txCount && pending[creator] !== 1) {
          pending[creator] = 1;
          heap.push(creator);
        }
      }
    }
    return visited;
  }

  /**
   * Recomputes what tx t's inputs sent; returns the spent outputs whose backward vector changed.
   * `isNew`: first visit of t (its inputs' external sent value is counted once; clusters are fixed while
   * extending, so a revisit changes only the taint part).
   */
  private backwardTx(chain: ExposureChain, topo: RiskTopology, t: number, isNew: boolean): number[] {
    const { categories: C, hops: H } = this.params;
    const W = this.width;
    const i0 = chain.txFirstInput[t] as number;
    const i1 = chain.txFirstInput[t + 1] as number;
    const o0 = chain.txFirstOutput[t] as number;
    const o1 = chain.txFirstOutput[t + 1] as number;
    const changed: number[] = [];
    if (i0 === i1) return changed;
    let totalOut = 0;
    for (let o = o0; o < o1; o++) totalOut += chain.outputValue[o] as number;
    const isCoinJoin = topo.coinjoin !== null && topo.coinjoin[t] === 1 && this.params.coinjoinCategory >= 0;
    // Per output, once: weight, cluster, risk and its downstream vector.
    const nOut = o1 - o0;
    const outW = new Float64Array(nOut);
    const outY = new Float64Array(nOut);
    const outRisk = new Uint32Array(nOut);
    const outNext: (Float32Array | undefined)[] = new Array(nOut);
    let tainted = isCoinJoin;
    for (let j = 0; j < nOut; j++) {
      const o = o0 + j;
      outW[j] = totalOut > 0 ? (chain.outputValue[o] as number) / totalOut : 0;
      const oa = chain.outputAddress[o] as number;
      const Y = oa === NONE ? NONE : (topo.clusterOf[oa] as number);
      outY[j] = Y;
      outRisk[j] = oa === NONE ? 0 : (topo.clusterRisk[Y] as number);
      outNext[j] = this.bwd.get(o);
      if (outRisk[j] !== 0 || outNext[j] !== undefined) tainted = true;
    }
    const full = tainted ? new Float64Array(W) : EMPTY;
    const ext = tainted ? new Float64Array(W) : EMPTY;
    for (let i = i0; i < i1; i++) {
      const spent = chain.inputSpentOutput[i] as number;
      const ia = chain.inputAddress[i] as number;
      const v = chain.inputValue[i] as number;
      const X = ia === NONE ? NONE - 1 : (topo.clusterOf[ia] as number);
      let extShare = 0;
      if (tainted) {
        full.fill(0);
        ext.fill(0);
      }
      for (let j = 0; j < nOut; j++) {
        const w = outW[j] as number;
        if (w === 0) continue;
        const same = X === outY[j];
        if (!same) extShare += w;
        if (!tainted) continue;
        addShare(full, ext, w, same, outRisk[j] as number, outNext[j], C, H);
      }
      if (isCoinJoin) markCoinJoin(full, ext, extShare, this.params.coinjoinCategory, H);
      if (spent !== NONE) {
        const before = this.bwd.get(spent);
        const any = tainted && hasAny(full);
        if (any ? before === undefined || !sameVec(before, full) : before !== undefined) {
          if (any) this.bwd.set(spent, Float32Array.from(full));
          else this.bwd.delete(spent);
          changed.push(spent);
        }
      }
      if (ia === NONE || !(v > 0)) continue;
      if (isNew) this.sent[ia] = (this.sent[ia] as number) + v * extShare;
      const prevTaint = this.sentByInput.get(i);
      const anyExt = tainted && hasAny(ext);
      if (prevTaint === undefined && !anyExt) continue;
      let acc = this.sentTaint.get(ia);
      if (acc === undefined) {
        acc = new Float64Array(W);
        this.sentTaint.set(ia, acc);
      }
      const contrib = new Float64Array(W);
      for (let k = 0; k < W; k++) {
        contrib[k] = anyExt ? v * (ext[k] as number) : 0;
        acc[k] = (acc[k] as number) + (contrib[k] as number) - (prevTaint === undefined ? 0 : (prevTaint[k] as number));
      }
      if (anyExt) this.sentByInput.set(i, contrib);
      else this.sentByInput.delete(i);
      this.noteTop(this.sentTop, ia, t, v, anyExt ? ext : contrib);
    }
    return changed;
  }

  /** Keeps the TOP_TXS largest contributing txs per (address, category). */
  private noteTop(tops: Map<number, ExposureTx[]>, a: number, t: number, value: number, ext: Float64Array): void {
    const { categories: C, hops: H } = this.params;
    for (let c = 0; c < C; c++) {
      let sum = 0;
      let hop = 0;
      for (let h = 0; h < H; h++) {
        const s = ext[c * H + h] as number;
        if (s > 0) {
          sum += s;
          if (hop === 0) hop = h + 1;
        }
      }
      const key = a * C + c;
      const list = tops.get(key);
      const tainted = value * sum;
      if (tainted <= 0) {
        if (list) {
          const j = list.findIndex((x) => x.txId === t);
          if (j >= 0) list.splice(j, 1);
        }
        continue;
      }
      const entry: ExposureTx = { txId: t, taintedSat: Math.round(tainted), hop };
      if (list === undefined) {
        tops.set(key, [entry]);
        continue;
      }
      const j = list.findIndex((x) => x.txId === t);
      if (j >= 0) list.splice(j, 1);
      list.push(entry);
      list.sort((x, y) => y.taintedSat - x.taintedSat || x.txId - y.txId);
      if (list.length > TOP_TXS) list.length = TOP_TXS;
    }
  }
}

/** Shared zero-length vector for untainted transactions (never written). */
const EMPTY = new Float64Array(0);

function hasAny(v: Float64Array): boolean {
  for (let k = 0; k < v.length; k++) if ((v[k] as number) > 0) return true;
  return false;
}

/**
 * Adds one input's (forward) or output's (backward) share `w` of a transaction to its exposure vectors
 * (`full`: all value, `ext`: value that crossed a cluster boundary; index c * H + h = category c, h hops).
 * A risky cluster itself is category c at hop 1 unless it pays itself; otherwise the neighbour's vector
 * moves one hop further when it crosses into another cluster, and stays at its hop inside one.
 */
function addShare(full: Float64Array, ext: Float64Array, w: number, same: boolean, risk: number, vec: Float32Array | undefined, C: number, H: number): void {
  for (let c = 0; c < C; c++) {
    if ((risk >>> c) & 1) {
      if (!same) {
        full[c * H] = (full[c * H] as number) + w;
        ext[c * H] = (ext[c * H] as number) + w;
      }
      continue;
    }
    if (vec === undefined) continue;
    for (let h = 0; h < H; h++) {
      const sh = vec[c * H + h] as number;
      if (sh === 0) continue;
      if (same) full[c * H + h] = (full[c * H + h] as number) + w * sh;
      else if (h + 1 < H) {
        full[c * H + h + 1] = (full[c * H + h + 1] as number) + w * sh;
        ext[c * H + h + 1] = (ext[c * H + h + 1] as number) + w * sh;
      }
    }
  }
}

/** A CoinJoin's outputs are mixing value at hop 1 (the share of it from other clusters in `ext`). */
function markCoinJoin(full: Float64Array, ext: Float64Array, extShare: number, m: number, H: number): void {
  for (let h = 0; h < H; h++) full[m * H + h] = h === 0 ? 1 : 0;
  for (let h = 0; h < H; h++) ext[m * H + h] = h === 0 ? extShare : 0;
}

function sameVec(a: Float32Array, b: Float64Array): boolean {
  for (let k = 0; k < a.length; k++) if (a[k] !== Math.fround(b[k] as number)) return false;
  return true;
}

