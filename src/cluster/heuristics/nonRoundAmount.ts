import { NONE, type ChangeHeuristic, type TxContext } from './types.js';

/** A payment amount is "round" when it is a multiple of 10^4 satoshis (at most 4 decimals in BTC). */
export const ROUND_SAT = 10_000;

/**
 * Non-round change (Androulaki et al. 2013, "Evaluating User Privacy in Bitcoin"; Möser & Narayanan 2022
 * "round values"): people pay round amounts and the change is what is left, so when exactly one output is
 * not round and all others are, the non-round one is the change.
 */
export const nonRoundAmount: ChangeHeuristic = {
  name: 'non-round-amount',
  source: 'Androulaki et al. 2013; Möser & Narayanan 2022 (round values)',
  pick(tx: TxContext): number {
    let found = -1;
    for (let k = tx.outStart; k < tx.outEnd; k++) {
      if ((tx.outputValue[k] as number) % ROUND_SAT === 0) continue;
      if (found !== -1 || tx.outputAddress[k] === NONE) return -1;
      found = k;
    }
    return found;
  },
};
