import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from './helpers/cli.js';

const root = mkdtempSync(join(tmpdir(), 'lh-demo-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('ledgerhound demo', () => {
  it('builds the demo database whose incident traces to the cash-out exchanges, and rebuilds in place', () => {
    const dir = join(root, 'demo');
    const r = runCli(['--json', 'demo', '--no-serve', '--dir', dir]);
    expect(r.code, r.stderr).toBe(0);
    const facts = JSON.parse(r.stdout);
    expect(facts.incident.stolenBtc).toBeGreaterThan(0);
    expect(facts.cashOutEntities.length).toBeGreaterThanOrEqual(2);
    for (const step of ['simulate', 'ingest', 'cluster', 'label']) expect(facts.timings[step]).toBeGreaterThanOrEqual(0);

    const t = runCli(['--db', facts.db, '--json', 'trace', '--incident', facts.incident.id]);
    expect(t.code, t.stderr).toBe(0);
    const trace = JSON.parse(t.stdout);
    const names = trace.endpoints.map((e: { label: string | null; entity?: string }) => JSON.stringify(e));
    for (const ex of facts.cashOutEntities) expect(names.some((n: string) => n.includes(ex)), ex).toBe(true);

    // A second run replaces the earlier demo folder.
    expect(runCli(['demo', '--no-serve', '--dir', dir]).code).toBe(0);
  });

  it('refuses to overwrite a folder it did not make, and a non-loopback host', () => {
    const other = join(root, 'precious');
    mkdirSync(other);
    writeFileSync(join(other, 'notes.txt'), 'keep me');
    const r = runCli(['demo', '--no-serve', '--dir', other]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/LH_DEMO_DIR.*was not made by `ledgerhound demo`/);
    const h = runCli(['demo', '--host', '0.0.0.0', '--dir', join(root, 'x')]);
    expect(h.code).toBe(2);
    expect(h.stderr).toMatch(/only on loopback/);
  });
});
