import type { BackwardSplit, ForwardSplit, TaintPolicy, TxFlow } from './types.js';

/**
 * Poison (Möser et al., FC 2014): if any input of a transaction is tainted, every output is tainted in full,
 * and so is the fee. Traced amounts are an upper bound and are not conserved: merging one stolen satoshi
 * with 10 clean BTC taints all 10 BTC. Backward, every input of a transaction is a full source of each output.
 */
export const poison: TaintPolicy<number> = {
  name: 'poison',
  definition: 'poison: any tainted input taints every output and the fee in full; an upper bound, not value-preserving',
  conserving: false,
  full: (valueSat) => valueSat,
  amount: (t) => t,
  forward(tx: TxFlow<number>): ForwardSplit<number> {
    let tainted = false;
    let inSum = 0;
    for (let i = 0; i < tx.inValues.length; i++) {
      inSum += tx.inValues[i]!;
      if ((tx.inTaint[i] ?? 0) > 0) tainted = true;
    }
    let outSum = 0;
    const outTaint: (number | null)[] = new Array(tx.outValues.length);
    for (let k = 0; k < tx.outValues.length; k++) {
      const v = tx.outValues[k]!;
      outSum += v;
      outTaint[k] = tainted && v > 0 ? v : null;
    }
    return { outTaint, feeSat: tainted ? Math.max(0, inSum - outSum) : 0 };
  },
  backward(tx: TxFlow<number>, _vout: number, taint: number): BackwardSplit<number> {
    const inTaint: (number | null)[] = new Array(tx.inValues.length);
    for (let i = 0; i < tx.inValues.length; i++) {
      const v = tx.inValues[i]!;
      inTaint[i] = taint > 0 && v > 0 ? v : null;
    }
    return { inTaint, unassignedSat: 0 };
  },
  merge: (a, b, valueSat) => Math.min(valueSat, Math.max(a, b)),
};
