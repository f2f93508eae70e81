/**
 * `TraceSession.findTxids` on a real ingested store (`sim bitcoin --preset demo` → `ingest bitcoin`): the
 * first lookup scans the txid column, later ones go through the in-memory prefix index; every path gives
 * the same answer as `max(tx_id)` per txid over the column, and unknown txids stay unresolved.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Database } from '../../src/store/index.js';
import { parseFromArg, TraceSession } from '../../src/trace/index.js';
import { runCli } from '../helpers/cli.js';

const dir = mkdtempSync(join(tmpdir(), 'lh-trace-txid-'));
const dbPath = join(dir, 'lh.duckdb');
let db: Database;

beforeAll(() => {
  const sim = runCli(['sim', 'bitcoin', '--out', join(dir, 'out'), '--preset', 'demo', '--seed', '22']);
  expect(sim.code, sim.stderr).toBe(0);
  const ing = runCli(['--db', dbPath, 'ingest', 'bitcoin', '--blocks-dir', join(dir, 'out', 'blocks')]);
  expect(ing.code, ing.stderr).toBe(0);
}, 120_000);

afterAll(() => {
  db?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('txid lookup of a trace session', () => {
  it('scan first, then the prefix index: both equal max(tx_id) per txid; unknown txids stay out', async () => {
    db = await Database.open(dbPath, { readOnly: true });
    const all = await db.all<{ txid: string; t: bigint }>('SELECT txid, max(tx_id) t FROM transactions GROUP BY txid');
    expect(all.length).toBeGreaterThan(1000);
    const expected = new Map(all.map((r) => [r.txid, Number(r.t)]));
    const sample = all.filter((_, i) => i % 7 === 0).map((r) => r.txid);
    const unknown = 'ab'.repeat(32);
    const session = await TraceSession.open(db);
    for (let round = 0; round < 3; round++) {
      const found = await session.findTxids([...sample, unknown, sample[0]!]);
      expect(found.has(unknown)).toBe(false);
      expect(found.size).toBe(sample.length);
      for (const x of sample) expect(found.get(x), x).toBe(expected.get(x));
    }
    // The whole column through the index (after the first call above, the session uses it).
    const every = await session.findTxids([...expected.keys()]);
    expect(every).toEqual(expected);
    // A trace resolves its start through the same path and names it back by the same txid.
    const tx = sample[1]!;
    const res = await session.trace({ from: [parseFromArg(tx)], limits: { maxHops: 2 } });
    expect(res.starts.every((s) => s.txid === tx)).toBe(true);
    await expect(session.trace({ from: [parseFromArg(unknown)] })).rejects.toThrow(`transaction ${unknown} not found`);
  }, 60_000);

  it('names cached by earlier traces give the same results as a fresh session', async () => {
    const session = await TraceSession.open(db);
    // A transaction whose outputs were spent and spent again: a trace with a few hops of graph to name.
    const row = await db.one<{ txid: string }>(
      `SELECT t.txid FROM transactions t JOIN outputs o USING (tx_id) JOIN outputs o2 ON o2.tx_id = o.spending_tx_id
        WHERE o2.spending_tx_id IS NOT NULL AND o.value > 100000 ORDER BY t.tx_id LIMIT 1 OFFSET 200`,
    );
    const req = (policy: string) => ({ from: [parseFromArg(row!.txid)], policy, limits: { maxHops: 6 } });
    const strip = (r: Awaited<ReturnType<TraceSession['trace']>>) => ({ ...r, stats: { ...r.stats, walkMs: 0 } });
    const first = strip(await session.trace(req('haircut')));
    expect(first.graph.edges.length).toBeGreaterThan(3);
    expect(strip(await session.trace(req('haircut')))).toEqual(first);
    const fifoCached = strip(await session.trace(req('fifo')));
    const fresh = await TraceSession.open(db);
    expect(strip(await fresh.trace(req('fifo')))).toEqual(fifoCached);
    expect(strip(await fresh.trace(req('haircut')))).toEqual(first);
    session.forgetNames();
    expect(strip(await session.trace(req('haircut')))).toEqual(first);
  }, 60_000);
});
