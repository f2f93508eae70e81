/**
 * Cross-stage: what `sim bitcoin` writes, read back through `ingest bitcoin` into a real DuckDB
 * file, must agree with truth.json on every total, on stale blocks, on who received what, and on
 * the incident's outputs; `eval` must score the database against the same truth.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadTruth, type Truth } from '../../src/sim/index.js';
import { Database } from '../../src/store/index.js';
import { runCli } from '../helpers/cli.js';

const dir = mkdtempSync(join(tmpdir(), 'lh-sim-ingest-'));
const dbPath = join(dir, 'lh.duckdb');
let truth: Truth;
let ingest: Record<string, unknown>;
let db: Database;

beforeAll(async () => {
  const sim = runCli(['--json', 'sim', 'bitcoin', '--out', join(dir, 'out'), '--preset', 'demo', '--seed', '11', '--xor']);
  expect(sim.code, sim.stderr).toBe(0);
  const r = runCli(['--db', dbPath, '--json', 'ingest', 'bitcoin', '--blocks-dir', join(dir, 'out', 'blocks')]);
  expect(r.code, r.stderr).toBe(0);
  ingest = JSON.parse(r.stdout);
  truth = loadTruth(join(dir, 'out', 'truth.json'));
  db = await Database.open(dbPath, { readOnly: true });
}, 120_000);

afterAll(() => {
  db?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('sim → ingest → truth', () => {
  it('ingest reports exactly the truth totals (best chain only)', () => {
    const c = truth.chain;
    expect(ingest).toMatchObject({
      bestHeight: c.bestHeight,
      tipHash: c.tipHash,
      blocks: c.blocks,
      transactions: c.transactions,
      inputs: c.inputs,
      outputs: c.outputs,
      addresses: c.addresses,
      staleBlocks: c.staleBlocks.length,
      unresolvedInputs: 0,
    });
  });

  it('the tables agree: value, stale hashes, and no stale transaction in the best chain', async () => {
    const v = await db.one<{ s: bigint }>('SELECT sum(value) AS s FROM outputs');
    expect(Number(v!.s)).toBe(truth.chain.outputValueSat);
    const stale = await db.all<{ hash: string }>('SELECT hash FROM blocks WHERE stale ORDER BY hash');
    expect(stale.map((s) => s.hash)).toEqual(truth.chain.staleBlocks.map((s) => s.hash).sort());
    const staleTxids = truth.chain.staleBlocks.flatMap((s) => s.txids);
    const hit = await db.one<{ n: bigint }>(`SELECT count(*) AS n FROM transactions WHERE txid IN (${staleTxids.map((t) => `'${t}'`).join(',')})`);
    expect(Number(hit!.n)).toBe(0);
  });

  it('every truth address is in the addresses table, and every table address is in the truth', async () => {
    const rows = await db.all<{ address: string }>('SELECT address FROM addresses');
    const dbSet = new Set(rows.map((r) => r.address));
    const truthSet = new Set(truth.addresses.map((a) => a.address));
    expect(dbSet.size).toBe(truthSet.size);
    for (const a of truthSet) expect(dbSet.has(a), a).toBe(true);
  });

  it("the incident's thief outputs and cash-outs are outputs with the recorded address and value", async () => {
    const inc = truth.incidents[0]!;
    const wanted = [...inc.thiefOutputs, ...inc.cashOuts];
    const rows = await db.all<{ txid: string; vout: number; value: bigint; address: string | null }>(
      `SELECT t.txid, o.vout, o.value, a.address FROM outputs o JOIN transactions t USING (tx_id) LEFT JOIN addresses a USING (address_id)
       WHERE t.txid IN (${[...new Set(wanted.map((w) => `'${w.txid}'`))].join(',')})`,
    );
    const byKey = new Map(rows.map((r) => [`${r.txid}:${r.vout}`, r]));
    for (const w of wanted) {
      const r = byKey.get(`${w.txid}:${w.vout}`);
      expect(r, `${w.txid}:${w.vout}`).toBeDefined();
      expect(Number(r!.value)).toBe(w.valueSat);
      expect(r!.address).toBe(w.address);
    }
  });

  it('eval scores the ingested database against the truth (no clusters yet: singletons)', () => {
    const r = runCli(['--db', dbPath, '--json', 'eval', '--truth', join(dir, 'out', 'truth.json')]);
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.truthAddressesInDb).toBe(truth.addresses.length);
    expect(out.clustering.bcubedPrecision).toBe(1);
    expect(out.clustering.addresses).toBe(truth.addresses.length);
    expect(out.clustering.coinjoins).toBe(truth.coinjoins.length);
  });

  it('eval refuses a truth file that describes another chain', () => {
    const other = runCli(['--json', 'sim', 'bitcoin', '--out', join(dir, 'other'), '--preset', 'demo', '--seed', '12']);
    expect(other.code, other.stderr).toBe(0);
    const r = runCli(['--db', dbPath, 'eval', '--truth', join(dir, 'other', 'truth.json')]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/LH_EVAL_MISMATCH.*best tip [0-9a-f]{64} is not the truth's tip/);
  });
});
