import type { BackwardSplit, ForwardSplit, TaintPolicy, TxFlow } from './types.js';

/**
 * Tainted satoshi ranges of one output, as a flat sorted list `[start0, end0, start1, end1, …]` of
 * half-open intervals relative to the output's first satoshi (0 ≤ start < end ≤ value).
 */
export type Intervals = number[];

/**
 * FIFO (Anderson, Shumailov, Ahmed & Rietmann, "Bitcoin Redemption Arc", 2018, after Clayton's case, 1816):
 * a transaction's input satoshis are laid end to end in input (vin) order; the outputs take them in output
 * (vout) order; what is left at the end is the fee (outputs are paid first, the fee last, as in TaintChain's
 * reference implementation). Each satoshi keeps its taint, so the policy is exact and value-preserving, and
 * a small stolen input that comes first in a big transaction taints only the first output(s).
 * Backward, an output's range maps onto the same range of the input line.
 */
export const fifo: TaintPolicy<Intervals> = {
  name: 'fifo',
  definition: 'FIFO: input satoshis laid end to end in input order are paid to outputs in output order, the fee last; value-preserving',
  conserving: true,
  full: (valueSat) => (valueSat > 0 ? [0, valueSat] : []),
  amount: intervalsAmount,
  forward(tx: TxFlow<Intervals>): ForwardSplit<Intervals> {
    // Tainted segments on the input line, in order (input offsets only grow).
    const line: number[] = [];
    let offset = 0;
    for (let i = 0; i < tx.inValues.length; i++) {
      const t = tx.inTaint[i];
      if (t) for (let j = 0; j < t.length; j += 2) pushInterval(line, offset + t[j]!, offset + t[j + 1]!);
      offset += tx.inValues[i]!;
    }
    const inSum = offset;
    const outTaint: (Intervals | null)[] = new Array(tx.outValues.length).fill(null);
    let pos = 0;
    let seg = 0;
    for (let k = 0; k < tx.outValues.length; k++) {
      const v = tx.outValues[k]!;
      const end = pos + v;
      const mine: Intervals = [];
      while (seg < line.length && line[seg + 1]! <= pos) seg += 2;
      for (let s = seg; s < line.length && line[s]! < end; s += 2) {
        const a = Math.max(pos, line[s]!);
        const b = Math.min(end, line[s + 1]!);
        if (b > a) pushInterval(mine, a - pos, b - pos);
      }
      if (mine.length > 0) outTaint[k] = mine;
      pos = end;
    }
    let feeSat = 0;
    if (pos < inSum) {
      for (let s = 0; s < line.length; s += 2) {
        const a = Math.max(pos, line[s]!);
        const b = Math.min(inSum, line[s + 1]!);
        if (b > a) feeSat += b - a;
      }
    }
    return { outTaint, feeSat };
  },
  backward(tx: TxFlow<Intervals>, vout: number, taint: Intervals): BackwardSplit<Intervals> {
    let pos = 0;
    for (let k = 0; k < vout; k++) pos += tx.outValues[k]!;
    const inTaint: (Intervals | null)[] = new Array(tx.inValues.length).fill(null);
    let assigned = 0;
    let start = 0;
    for (let i = 0; i < tx.inValues.length; i++) {
      const v = tx.inValues[i]!;
      const end = start + v;
      const mine: Intervals = [];
      for (let s = 0; s < taint.length; s += 2) {
        const a = Math.max(start, pos + taint[s]!);
        const b = Math.min(end, pos + taint[s + 1]!);
        if (b > a) pushInterval(mine, a - start, b - start);
      }
      if (mine.length > 0) {
        inTaint[i] = mine;
        assigned += intervalsAmount(mine);
      }
      start = end;
    }
    return { inTaint, unassignedSat: Math.max(0, intervalsAmount(taint) - assigned) };
  },
  merge: (a, b) => unionIntervals(a, b),
};

/** Sum of the interval lengths. */
export function intervalsAmount(t: Intervals): number {
  let s = 0;
  for (let j = 0; j < t.length; j += 2) s += t[j + 1]! - t[j]!;
  return s;
}

/** Appends [a, b) to a sorted list, joining it to the last interval when they touch. */
function pushInterval(list: number[], a: number, b: number): void {
  const n = list.length;
  if (n > 0 && list[n - 1]! >= a) {
    if (b > list[n - 1]!) list[n - 1] = b;
    return;
  }
  list.push(a, b);
}

/** Union of two sorted interval lists. */
export function unionIntervals(a: Intervals, b: Intervals): Intervals {
  const out: number[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    if (j >= b.length || (i < a.length && a[i]! <= b[j]!)) {
      pushInterval(out, a[i]!, a[i + 1]!);
      i += 2;
    } else {
      pushInterval(out, b[j]!, b[j + 1]!);
      j += 2;
    }
  }
  return out;
}
