import type { BackwardSplit, ForwardSplit, TaintPolicy, TxFlow } from './types.js';

/**
 * Haircut (Möser et al., FC 2014; Anderson et al. 2018): the tainted share of a transaction is the traced
 * input value over the total input value, and every output (and the fee) carries that share of its own
 * value. Value-preserving: traced in = traced out + traced fee. Taint thins out at every merge with clean
 * coins, which is why walkers need a minimum value (`minValueSat`) to stop following crumbs.
 * Backward, an output's traced value comes from each input in proportion to that input's value.
 */
export const haircut: TaintPolicy<number> = {
  name: 'haircut',
  definition: 'haircut: each output and the fee carry the tainted fraction of the inputs, pro rata by value; value-preserving',
  conserving: true,
  full: (valueSat) => valueSat,
  amount: (t) => t,
  forward(tx: TxFlow<number>): ForwardSplit<number> {
    let inSum = 0;
    let tainted = 0;
    for (let i = 0; i < tx.inValues.length; i++) {
      inSum += tx.inValues[i]!;
      tainted += tx.inTaint[i] ?? 0;
    }
    const outTaint: (number | null)[] = new Array(tx.outValues.length).fill(null);
    if (tainted <= 0 || inSum <= 0) return { outTaint, feeSat: 0 };
    const share = Math.min(1, tainted / inSum);
    let outSum = 0;
    let given = 0;
    for (let k = 0; k < tx.outValues.length; k++) {
      const v = tx.outValues[k]!;
      outSum += v;
      if (v <= 0) continue;
      const t = v * share;
      outTaint[k] = t;
      given += t;
    }
    // The fee takes the rest, so the split is exactly conserving even with floating-point shares.
    const feeSat = outSum < inSum ? Math.max(0, Math.min(tainted, inSum) - given) : 0;
    return { outTaint, feeSat };
  },
  backward(tx: TxFlow<number>, _vout: number, taint: number): BackwardSplit<number> {
    let inSum = 0;
    for (let i = 0; i < tx.inValues.length; i++) inSum += tx.inValues[i]!;
    const inTaint: (number | null)[] = new Array(tx.inValues.length).fill(null);
    if (inSum <= 0 || taint <= 0) return { inTaint, unassignedSat: taint };
    for (let i = 0; i < tx.inValues.length; i++) {
      const v = tx.inValues[i]!;
      if (v > 0) inTaint[i] = (taint * v) / inSum;
    }
    return { inTaint, unassignedSat: 0 };
  },
  merge: (a, b, valueSat) => Math.min(valueSat, a + b),
};
