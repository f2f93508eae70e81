/**
 * Stop categories: GraphSense concepts at which a walk ends and records an endpoint instead of walking
 * through (a service that pools customer funds breaks the chain of custody on-chain, so following its
 * hot-wallet sweeps would attribute other customers' coins to the trace).
 */
import { UsageError } from '../core/index.js';
import { GRAPHSENSE_CONCEPTS, resolveConcept } from '../labels/index.js';

/**
 * Default stop set: exchanges (GraphSense has no separate OTC concept; OTC desks are tagged `exchange`),
 * custodial wallet services, payment processors and ATMs, each with its narrower concepts.
 */
export const DEFAULT_STOP_CATEGORIES: readonly string[] = ['exchange', 'wallet_service', 'payment_processor', 'atm'];

/** A concept id with every narrower concept under it. */
function withNarrower(id: string): string[] {
  const out = [id];
  for (let i = 0; i < out.length; i++) {
    for (const c of GRAPHSENSE_CONCEPTS) if (c.broader === out[i] && !out.includes(c.id)) out.push(c.id);
  }
  return out;
}

/**
 * Resolves `--stop-at` names (GraphSense ids or synonyms such as "mixing service", "mixer") to the set of
 * concept ids that stop a walk. `none` gives the empty set (walk through everything).
 * @throws UsageError naming the unknown category.
 */
export function resolveStopCategories(names: readonly string[] | null): { requested: string[]; ids: Set<string> } {
  const list = names ?? DEFAULT_STOP_CATEGORIES;
  if (list.length === 1 && list[0]!.trim().toLowerCase() === 'none') return { requested: [], ids: new Set() };
  const ids = new Set<string>();
  const requested: string[] = [];
  for (const raw of list) {
    const name = raw.trim();
    if (name === '') continue;
    const c = resolveConcept(name);
    if (c === undefined) {
      throw new UsageError(
        `--stop-at: unknown category "${name}"`,
        { category: name },
        'use GraphSense category ids or names, e.g. exchange, wallet_service, mixing_service ("mixing service"), gambling; or "none"',
      );
    }
    requested.push(c.id);
    for (const id of withNarrower(c.id)) ids.add(id);
  }
  return { requested, ids };
}
