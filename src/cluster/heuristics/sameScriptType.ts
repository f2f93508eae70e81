import { NONE, type ChangeHeuristic, type TxContext } from './types.js';

/**
 * Same-script-type change (Möser & Narayanan 2022, "Resurrecting Address Clustering in Bitcoin", §4:
 * "address type"; also Ermilov et al. 2017): wallets send change to the address type they spend from, so
 * when every input has one type and exactly one output has that type while the others differ, that output
 * is the change.
 */
export const sameScriptType: ChangeHeuristic = {
  name: 'same-script-type',
  source: 'Möser & Narayanan 2022 (address type); Ermilov et al. 2017',
  pick(tx: TxContext): number {
    if (tx.inputType < 0) return -1;
    let found = -1;
    for (let k = tx.outStart; k < tx.outEnd; k++) {
      const a = tx.outputAddress[k] as number;
      if (a === NONE) continue;
      if (tx.addressType[a] !== tx.inputType) continue;
      if (found !== -1) return -1;
      found = k;
    }
    return found;
  },
};
