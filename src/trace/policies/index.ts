import { UsageError } from '../../core/index.js';
import { fifo } from './fifo.js';
import { haircut } from './haircut.js';
import { poison } from './poison.js';
import { POLICY_NAMES, type PolicyName, type TaintPolicy } from './types.js';

export { fifo, intervalsAmount, unionIntervals } from './fifo.js';
export type { Intervals } from './fifo.js';
export { haircut } from './haircut.js';
export { poison } from './poison.js';
export { POLICY_NAMES } from './types.js';
export type { BackwardSplit, ForwardSplit, PolicyName, TaintPolicy, TxFlow } from './types.js';

/**
 * The policy called `name`.
 * @throws UsageError naming the accepted policies when `name` is not one of them.
 */
export function policyByName(name: string): TaintPolicy<unknown> {
  switch (name.trim().toLowerCase() as PolicyName) {
    case 'poison':
      return poison as TaintPolicy<unknown>;
    case 'haircut':
      return haircut as TaintPolicy<unknown>;
    case 'fifo':
      return fifo as TaintPolicy<unknown>;
    default:
      throw new UsageError(`unknown taint policy "${name}"`, { policy: name }, `use one of: ${POLICY_NAMES.join(', ')}`);
  }
}
