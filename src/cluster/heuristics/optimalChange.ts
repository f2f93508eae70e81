import { NONE, type ChangeHeuristic, type TxContext } from './types.js';

/**
 * Optimal change (Nick 2015, "Data-Driven De-Anonymization in Bitcoin", §3.3; Möser & Narayanan 2022):
 * a wallet does not add an input it does not need. If the payment were smaller than some input, that
 * input alone (without the others) would have paid it; so an output smaller than every input is likely the
 * change, not the payment. It must be the only output below the smallest input.
 */
export const optimalChange: ChangeHeuristic = {
  name: 'optimal-change',
  source: 'Nick 2015 (optimal change); Möser & Narayanan 2022',
  pick(tx: TxContext): number {
    const min = tx.minInputValue;
    if (!(min > 0)) return -1;
    let found = -1;
    for (let k = tx.outStart; k < tx.outEnd; k++) {
      if ((tx.outputValue[k] as number) >= min) continue;
      if (found !== -1 || tx.outputAddress[k] === NONE) return -1;
      found = k;
    }
    return found;
  },
};
