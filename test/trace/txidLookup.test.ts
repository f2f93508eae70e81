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
import { ChainNames, parseFromArg, TraceSession } from '../../src/trace/index.js';
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

describe('in-memory names of a trace session (ChainNames)', () => {
  it('hold exactly the txid and address columns, across address groups', async () => {
    db ??= await Database.open(dbPath, { readOnly: true });
    const txs = await db.all<{ i: bigint; txid: string }>('SELECT tx_id i, txid FROM transactions ORDER BY tx_id');
    const addrs = await db.all<{ i: bigint; address: string }>('SELECT address_id i, address FROM addresses ORDER BY address_id');
    expect(addrs.length).toBeGreaterThan(300);
    // Groups of 97 ids: many boundaries, and a last group that is not full.
    const names = await ChainNames.load(db, txs.length, addrs.length, 97);
    for (const r of txs) expect(names.txid(Number(r.i))).toBe(r.txid);
    for (const r of addrs) expect(names.address(Number(r.i))).toBe(r.address);
    expect(names.txid(txs.length)).toBeUndefined();
    expect(names.address(addrs.length)).toBeUndefined();
    expect(names.address(-1)).toBeUndefined();
    expect(names.bytes).toBeGreaterThan(txs.length * 32);
    // Counts the tables do not hold (a store that changed under the load) are refused, not half-loaded.
    await expect(ChainNames.load(db, txs.length + 3, addrs.length)).rejects.toThrow(/read \d+ transactions, expected/);
    await expect(ChainNames.load(db, txs.length, addrs.length + 3)).rejects.toThrow(/not dense|missing/);
  }, 60_000);

  it('name a trace exactly as queries do; sessions of one database share one load', async () => {
    db ??= await Database.open(dbPath, { readOnly: true });
    const row = await db.one<{ txid: string }>(
      `SELECT t.txid FROM transactions t JOIN outputs o USING (tx_id) JOIN outputs o2 ON o2.tx_id = o.spending_tx_id
        WHERE o2.spending_tx_id IS NOT NULL AND o.value > 100000 ORDER BY t.tx_id LIMIT 1 OFFSET 300`,
    );
    const req = { from: [parseFromArg(row!.txid)], policy: 'haircut', limits: { maxHops: 8 } };
    const strip = (r: Awaited<ReturnType<TraceSession['trace']>>) => ({ ...r, stats: { ...r.stats, walkMs: 0 } });
    const byQuery = await TraceSession.open(db, { names: 'query' });
    expect(await byQuery.namesReady()).toBeNull();
    const expected = strip(await byQuery.trace(req));
    expect(expected.graph.edges.length).toBeGreaterThan(3);
    const a = await TraceSession.open(db);
    const b = await TraceSession.open(db, { stopAt: ['exchange', 'mixing service'] });
    const names = await a.namesReady();
    expect(names).not.toBeNull();
    expect(await b.namesReady()).toBe(names);
    // Sessions with other stop sets share the chain arrays (one copy per store, tip and clustering run).
    expect(b.ctx.chain).toBe(a.ctx.chain);
    expect(b.ctx.coinjoin).toBe(a.ctx.coinjoin);
    expect(b.stopAt).not.toEqual(a.stopAt);
    expect(a.namesError).toBeNull();
    expect(strip(await a.trace(req))).toEqual(expected);
    // Shared per counts and tip: the same key gives the same load, another tip (a reorg) a new one.
    const n = names as ChainNames;
    const tip = 'ab'.repeat(32);
    const x = ChainNames.shared(db, n.txCount, n.addressCount, tip);
    expect(ChainNames.shared(db, n.txCount, n.addressCount, tip)).toBe(x);
    expect(ChainNames.shared(db, n.txCount, n.addressCount, 'cd'.repeat(32))).not.toBe(x);
    await x;
  }, 60_000);
});
