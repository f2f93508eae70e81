import type { ChangeGuard, TxContext } from './types.js';

/**
 * Address-reuse exclusion (Meiklejohn et al. 2013 §4.3 refinement: a "change" address that later receives
 * again was probably not one-time change; Möser & Narayanan 2022: reused addresses are rarely change):
 * vetoes a change output whose address receives more than once on the stored chain.
 *
 * Incremental runs judge reuse on the chain as stored at the time of the run; a merge made earlier is not
 * undone when its change address is reused later (`ledgerhound cluster --full` recomputes).
 */
export const reuseExclusion: ChangeGuard = {
  name: 'reuse-exclusion',
  source: 'Meiklejohn et al. 2013 §4.3; Möser & Narayanan 2022',
  allows(tx: TxContext, out: number): boolean {
    const a = tx.outputAddress[out] as number;
    return tx.receiveCount[a] === 1;
  },
};
