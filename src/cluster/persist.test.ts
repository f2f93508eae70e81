import { afterEach, describe, expect, it } from 'vitest';
import { Database } from '../store/index.js';
import { ensureClusterSchema, reasonCodes } from './persist.js';

let db: Database | null = null;
afterEach(() => {
  db?.close();
  db = null;
});

async function chainTables(): Promise<Database> {
  const d = await Database.open(':memory:');
  await d.run('CREATE TABLE addresses (address_id BIGINT, address VARCHAR)');
  await d.run('CREATE TABLE transactions (tx_id BIGINT, txid VARCHAR)');
  return d;
}

describe('clustering tables', () => {
  it('a cluster_merges table from an earlier version moves into edges + reasons, read back the same through the view', async () => {
    db = await chainTables();
    await db.run(`CREATE TABLE cluster_merges (tx_id BIGINT NOT NULL, address_a BIGINT NOT NULL, address_b BIGINT NOT NULL,
                    output_id BIGINT, heuristic VARCHAR NOT NULL, confidence DOUBLE NOT NULL)`);
    const rows = [
      [5, 1, 2, null, 'multi-input', 0.99],
      [6, 1, 3, 17, 'non-round-amount', 0.9],
      [7, 4, 5, 21, 'non-round-amount+optimal-change', 0.93],
      [8, 1, 6, null, 'multi-input', 0.99],
    ];
    for (const r of rows) await db.run('INSERT INTO cluster_merges VALUES (?, ?, ?, ?, ?, ?)', r);
    const read = async () =>
      (await db!.all('SELECT tx_id, address_a, address_b, output_id, heuristic, confidence FROM cluster_merges ORDER BY tx_id')).map((r) =>
        Object.values(r).map((v) => (typeof v === 'bigint' ? Number(v) : v)),
      );
    const before = await read();
    await ensureClusterSchema(db);
    const kind = await db.one<{ t: string }>("SELECT table_type t FROM information_schema.tables WHERE table_name = 'cluster_merges'");
    expect(kind?.t).toBe('VIEW');
    expect(await read()).toEqual(before);
    expect(Number((await db.one<{ n: bigint }>('SELECT count(*) n FROM cluster_reasons'))?.n)).toBe(3);
    // Idempotent: a second call changes nothing.
    await ensureClusterSchema(db);
    expect(await read()).toEqual(before);
    // Known names keep their codes, new ones get the next codes.
    const codes = await reasonCodes(db, ['optimal-change', 'multi-input', 'fresh-address'], [0.8, 0.99, 0.7]);
    const known = await db.one<{ r: number }>("SELECT reason r FROM cluster_reasons WHERE heuristic = 'multi-input'");
    expect(codes[1]).toBe(Number(known?.r));
    expect(new Set(codes).size).toBe(3);
    expect(Number((await db.one<{ n: bigint }>('SELECT count(*) n FROM cluster_reasons'))?.n)).toBe(5);
  });

  it('a fresh store gets the edge and reason tables and the view', async () => {
    db = await chainTables();
    await ensureClusterSchema(db);
    const t = await db.all<{ table_name: string; table_type: string }>(
      "SELECT table_name, table_type FROM information_schema.tables WHERE table_name LIKE 'cluster%' ORDER BY table_name",
    );
    expect(t.map((r) => `${r.table_name}:${r.table_type}`)).toEqual([
      'cluster_merge_edges:BASE TABLE',
      'cluster_merges:VIEW',
      'cluster_reasons:BASE TABLE',
      'cluster_state:BASE TABLE',
    ]);
  });
});
