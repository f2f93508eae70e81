/**
 * What the walkers read: the chain as typed arrays (the subset of the store's `ChainArrays` that tracing
 * needs, loaded from tx id 0 so local index = global id), plus the optional per-transaction CoinJoin flags
 * and per-address cluster ids. Everything is an integer id; hashes and address strings appear only when a
 * result is named (see `name.ts`).
 */

/** "No id" in every Uint32Array (same value as the store's NONE). */
export const NONE = 0xffffffff;

export interface TraceChain {
  txCount: number;
  /** Length txCount+1: inputs of tx t are [txFirstInput[t], txFirstInput[t+1]). */
  txFirstInput: Uint32Array;
  /** Length txCount+1: outputs of tx t are [txFirstOutput[t], txFirstOutput[t+1]). */
  txFirstOutput: Uint32Array;
  txHeight: Int32Array;
  /** Block time, unix seconds. */
  txTime: Uint32Array;
  /** Output id spent by each input; NONE for coinbase or unresolved inputs. */
  inputSpentOutput: Uint32Array;
  outputTx: Uint32Array;
  /** Satoshis (exact below 2^53). */
  outputValue: Float64Array;
  /** Address id; NONE when the script has no address. */
  outputAddress: Uint32Array;
  /** Tx id spending the output; NONE while unspent. */
  outputSpendingTx: Uint32Array;
}

/** Per-transaction CoinJoin detection, with where it came from. */
export interface CoinJoinFlags {
  /** 1 when the transaction is a detected CoinJoin (length txCount). */
  flags: Uint8Array;
  /** `transactions.coinjoin` (clustering) or `equal-outputs` (the tracer's own fallback check). */
  source: 'transactions.coinjoin' | 'equal-outputs';
}

/**
 * The tracer's fallback CoinJoin check, used only when the store has no `transactions.coinjoin` column:
 * at least 3 inputs and at least 3 outputs of one identical value that are at least half the outputs
 * (the equal-output pattern of Wasabi/Whirlpool/JoinMarket rounds, as in Möser & Böhme 2017 and BlockSci's
 * `isCoinjoin`). Known false positives: batched payouts of identical amounts from one wallet.
 */
export function detectCoinJoins(chain: TraceChain): CoinJoinFlags {
  const flags = new Uint8Array(chain.txCount);
  const counts = new Map<number, number>();
  for (let t = 0; t < chain.txCount; t++) {
    const nIn = chain.txFirstInput[t + 1]! - chain.txFirstInput[t]!;
    const o0 = chain.txFirstOutput[t]!;
    const o1 = chain.txFirstOutput[t + 1]!;
    const nOut = o1 - o0;
    if (nIn < 3 || nOut < 3) continue;
    counts.clear();
    let best = 0;
    for (let o = o0; o < o1; o++) {
      const v = chain.outputValue[o]!;
      const c = (counts.get(v) ?? 0) + 1;
      counts.set(v, c);
      if (c > best) best = c;
    }
    if (best >= 3 && best * 2 >= nOut) flags[t] = 1;
  }
  return { flags, source: 'equal-outputs' };
}

/** A small min-heap of integer ids (tx ids in chain order). */
export class IdHeap {
  private readonly a: number[] = [];
  constructor(private readonly max: boolean) {}
  get size(): number {
    return this.a.length;
  }
  private less(x: number, y: number): boolean {
    return this.max ? x > y : x < y;
  }
  push(v: number): void {
    const a = this.a;
    a.push(v);
    let i = a.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!this.less(a[i]!, a[p]!)) break;
      [a[i], a[p]] = [a[p]!, a[i]!];
      i = p;
    }
  }
  pop(): number | undefined {
    const a = this.a;
    if (a.length === 0) return undefined;
    const top = a[0]!;
    const last = a.pop()!;
    if (a.length > 0) {
      a[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < a.length && this.less(a[l]!, a[m]!)) m = l;
        if (r < a.length && this.less(a[r]!, a[m]!)) m = r;
        if (m === i) break;
        [a[i], a[m]] = [a[m]!, a[i]!];
        i = m;
      }
    }
    return top;
  }
}
