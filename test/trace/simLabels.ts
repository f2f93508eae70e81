/**
 * Test support: a GraphSense TagPack that labels the simulator's exchanges and OTC desk from its truth
 * (what an investigator's attribution data would hold), imported through the real `label import tagpack`.
 * GraphSense has no OTC concept; the OTC desk is tagged `exchange`, as TagPacks tag OTC brokers.
 */
import { writeFileSync } from 'node:fs';
import type { Truth } from '../../src/sim/truth.js';

/** Writes the TagPack to `path`; returns how many addresses it tags. */
export function writeSimTagPack(truth: Truth, path: string): number {
  const names = new Map(truth.entities.map((e) => [e.id, e.name]));
  const lines = [
    'title: Simulator exchanges and OTC desks (from truth.json)',
    'creator: ledgerhound tests',
    'currency: BTC',
    'category: exchange',
    'confidence: service_data',
    'tags:',
  ];
  let n = 0;
  for (const a of truth.addresses) {
    if (a.type !== 'exchange' && a.type !== 'otc') continue;
    lines.push(`  - address: ${a.address}`, `    label: ${JSON.stringify(names.get(a.entity) ?? `entity ${a.entity}`)}`);
    n++;
  }
  writeFileSync(path, `${lines.join('\n')}\n`);
  return n;
}
