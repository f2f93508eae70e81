/**
 * The demo database the browser tests run against: exactly what `ledgerhound demo` builds
 * (src/cli/demo/buildDemo.ts: simulated Lazarus-style hack, ingested, clustered, labelled), in a temp folder.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildDemo, DEMO_ACTOR_ID, type DemoBuild } from '../../src/cli/demo/buildDemo.js';

export interface DemoDb extends DemoBuild {
  cleanup(): void;
}

export const LAZARUS = DEMO_ACTOR_ID;

/** Simulates, ingests, clusters and labels the demo economy (a few seconds). */
export async function buildDemoDb(seed = 1): Promise<DemoDb> {
  const dir = mkdtempSync(join(tmpdir(), 'lh-e2e-'));
  const demo = await buildDemo({ dir: join(dir, 'demo'), seed });
  return { ...demo, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}
