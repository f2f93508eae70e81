import { NONE, type ChangeHeuristic, type TxContext } from './types.js';

/**
 * Fresh-address change (Meiklejohn et al. 2013, "A Fistful of Bitcoins", heuristic 2): the change goes to
 * an address that appears on the chain for the first time, and it is the only output that does. As in
 * the paper, a transaction with a self-change output (an input address among the outputs) is skipped by
 * the clusterer before any change heuristic runs.
 */
export const freshAddress: ChangeHeuristic = {
  name: 'fresh-address',
  source: 'Meiklejohn et al. 2013, heuristic 2 (one-time change address)',
  pick(tx: TxContext): number {
    let found = -1;
    for (let k = tx.outStart; k < tx.outEnd; k++) {
      if (tx.outputAddress[k] === NONE || tx.outputFresh[k - tx.outStart] !== 1) continue;
      if (found !== -1) return -1;
      found = k;
    }
    return found;
  },
};
