import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Database } from '../store/index.js';
import { TxidIndex, txidPrefix } from './txidIndex.js';

// The two BIP30 duplicate txids of mainnet: coinbases of blocks 91722 and 91880, and of 91812 and 91842.
const DUP_A = 'e3bf3d07d4b0375638d5f1db5255fe07ba2c4cb067cd81b84ee974b6585fb468';
const DUP_B = 'd5d27987d2a3dfc724e359870c6644b40e497bdc0589a033220fe15429d88599';
// Two different txids sharing their 32-bit prefix (the index must confirm on the full txid).
const SAME_PREFIX_1 = `deadbeef${'1'.repeat(56)}`;
const SAME_PREFIX_2 = `deadbeef${'2'.repeat(56)}`;

describe('TxidIndex (a real DuckDB file)', () => {
  let dir: string;
  let db: Database;
  const txids: string[] = [];
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'lh-txidindex-'));
    db = await Database.open(join(dir, 'db.duckdb'));
    await db.run('CREATE TABLE transactions (tx_id BIGINT, txid VARCHAR)');
    // 5,000 txs with pseudo-random txids, then the duplicates and the colliding prefixes among them.
    let x = 0x12345678;
    for (let t = 0; t < 5000; t++) {
      let h = '';
      for (let k = 0; k < 8; k++) {
        x = (Math.imul(x, 1103515245) + 12345) >>> 0;
        h += x.toString(16).padStart(8, '0');
      }
      txids.push(h);
    }
    txids[10] = DUP_A;
    txids[20] = DUP_B;
    txids[30] = DUP_B;
    txids[4000] = DUP_A;
    txids[100] = SAME_PREFIX_1;
    txids[200] = SAME_PREFIX_2;
    const app = await db.appender('transactions');
    for (let t = 0; t < txids.length; t++) {
      app.appendBigInt(BigInt(t));
      app.appendVarchar(txids[t]!);
      app.endRow();
    }
    app.closeSync();
  });
  afterAll(() => {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('resolves every txid to its tx id, the later of two BIP30 duplicates, as max(tx_id) over the column', async () => {
    const index = await TxidIndex.build(db, txids.length);
    expect(index.size).toBe(5000);
    const found = await index.resolve(db, txids);
    const expected = new Map<string, number>();
    for (let t = 0; t < txids.length; t++) expected.set(txids[t]!, t);
    expect(found).toEqual(expected);
    expect(found.get(DUP_A)).toBe(4000);
    expect(found.get(DUP_B)).toBe(30);
    // The same answer as the scan the session used before the index.
    const rows = await db.all<{ txid: string; t: bigint }>('SELECT txid, max(tx_id) t FROM transactions GROUP BY txid');
    expect(new Map(rows.map((r) => [r.txid, Number(r.t)]))).toEqual(found);
  });

  it('confirms prefix matches on the full txid and leaves unknown txids out', async () => {
    const index = await TxidIndex.build(db, txids.length);
    expect(txidPrefix(SAME_PREFIX_1)).toBe(0xdeadbeef);
    expect(index.candidates(SAME_PREFIX_1).sort((a, b) => a - b)).toEqual([100, 200]);
    const unknown = `deadbeef${'3'.repeat(56)}`;
    const found = await index.resolve(db, [SAME_PREFIX_2, unknown, 'f'.repeat(64)]);
    expect([...found]).toEqual([[SAME_PREFIX_2, 200]]);
  });

  it('indexes only the transactions the session loaded (a store that grew since is left to the caller)', async () => {
    const index = await TxidIndex.build(db, 3000);
    const found = await index.resolve(db, [DUP_A, txids[2999]!, txids[3000]!]);
    expect(found.get(DUP_A)).toBe(10);
    expect(found.get(txids[2999]!)).toBe(2999);
    expect(found.has(txids[3000]!)).toBe(false);
  });
});
