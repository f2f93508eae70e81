import { describe, expect, it } from 'vitest';
import { type ColumnSpec, TableBatch } from '../columns.js';
import { appendBatch, columnsDdl } from './columnAppend.js';
import { Database } from './Database.js';
import { DuckDbStore } from './DuckDbStore.js';

const SPECS = [
  { name: 'a', kind: 'i64' as const },
  { name: 'b', kind: 'i64' as const, nullable: true },
  { name: 't', kind: 'ts' as const },
  { name: 'c', kind: 'i32' as const },
  { name: 'd', kind: 'u32' as const },
  { name: 'e', kind: 'u8' as const, nullable: true },
  { name: 'f', kind: 'bool' as const },
  { name: 's', kind: 'str' as const, nullable: true },
  { name: 'g', kind: 'i32' as const, nullable: true },
  { name: 'h', kind: 'str' as const, nullable: true },
];


/** An in-memory database with table x of `specs`, `batch` appended through appendBatch. */
async function appendToNewTable(specs: readonly ColumnSpec[], batch: TableBatch): Promise<Database> {
  const db = await Database.open(':memory:');
  await db.run(`CREATE TABLE x (${columnsDdl(specs)})`);
  const app = await db.appender('x');
  appendBatch(app, batch);
  app.flushSync();
  app.closeSync();
  return db;
}

describe('data-chunk appends', () => {
  it('round-trips every column kind, NULLs and values near the edges, across chunk boundaries', async () => {
    const n = 5000; // three chunks of 2048, the last partial
    const t = new TableBatch(SPECS, n);
    for (let i = 0; i < n; i++) {
      t.f64('a')[i] = i === 1 ? 2 ** 53 - 1 : i === 2 ? -(2 ** 40) - 7 : i * 4294967311;
      if (i % 3 === 0) t.nulls('b')[i] = 1;
      else t.f64('b')[i] = i;
      t.f64('t')[i] = 1231006505 + i;
      t.i32('c')[i] = i % 2 ? -i : i;
      t.u32('d')[i] = 0xffffffff - i;
      if (i % 7 === 0) t.nulls('e')[i] = 1;
      else t.u8('e')[i] = i & 0xff;
      t.u8('f')[i] = i % 5 === 0 ? 1 : 0;
      if (i % 11 === 0) t.nulls('s')[i] = 1;
      else t.str('s')[i] = `s${i}`;
      // NULLs only in the first chunk: later chunks must not keep its validity mask.
      if (i < 100 && i % 2 === 0) t.nulls('g')[i] = 1;
      else t.i32('g')[i] = i;
      // A string column left unset (null) in the third chunk only: NULL, without a NULL flag.
      if (i < 4096) t.str('h')[i] = i % 2 ? 'x'.repeat(i % 40) : `long string number ${i}`;
    }
    t.rows = n;
    const db = await appendToNewTable(SPECS, t);
    const rows = await db.all<Record<string, unknown>>('SELECT a, b, epoch(t)::BIGINT t, c, d, e, f, s, g, h FROM x');
    expect(rows.length).toBe(n);
    rows.forEach((r, i) => {
      expect(r.a).toBe(BigInt(i === 1 ? 2 ** 53 - 1 : i === 2 ? -(2 ** 40) - 7 : i * 4294967311));
      expect(r.b).toBe(i % 3 === 0 ? null : BigInt(i));
      expect(r.t).toBe(BigInt(1231006505 + i));
      expect(r.c).toBe(i % 2 ? -i : i);
      expect(r.d).toBe(0xffffffff - i);
      expect(r.e).toBe(i % 7 === 0 ? null : i & 0xff);
      expect(r.f).toBe(i % 5 === 0);
      expect(r.s).toBe(i % 11 === 0 ? null : `s${i}`);
      expect(r.g).toBe(i < 100 && i % 2 === 0 ? null : i);
      expect(r.h).toBe(i < 4096 ? (i % 2 ? 'x'.repeat(i % 40) : `long string number ${i}`) : null);
    });
    db.close();
  });
});

describe('packed string columns', () => {
  it('writes strings given as packed bytes (setPacked), NULL flags included, across chunk boundaries', async () => {
    const specs = [{ name: 's', kind: 'str' as const, nullable: true }];
    const n = 4500;
    const t = new TableBatch(specs, n);
    const values = Array.from({ length: n }, (_, i) => (i % 3 ? `1Addr${i}${'z'.repeat(i % 30)}` : 'bc1qshort'));
    const bytes = Buffer.from(values.join(''), 'latin1');
    const offsets = new Uint32Array(n + 1);
    values.forEach((v, i) => {
      offsets[i + 1] = (offsets[i] as number) + v.length;
    });
    for (let i = 0; i < n; i += 7) t.nulls('s')[i] = 1;
    t.setPacked('s', { bytes, offsets });
    t.rows = n;
    const db = await appendToNewTable(specs, t);
    const rows = await db.all<{ s: string | null }>('SELECT s FROM x');
    expect(rows.map((r) => r.s)).toEqual(values.map((v, i) => (i % 7 === 0 ? null : v)));
    db.close();
  });

  it('writes chunks whose strings are all short (inline in DuckDB) or empty, and 64-character hashes', async () => {
    const specs = [{ name: 's', kind: 'str' as const }];
    const cases = [['ab', 'c'], ['', ''], ['x'.repeat(12)], ['y'.repeat(13)], Array.from({ length: 2049 }, (_, i) => i.toString(16).padStart(64, 'f'))];
    for (const values of cases) {
      const t = new TableBatch(specs, values.length);
      const bytes = Buffer.from(values.join(''), 'latin1');
      const offsets = new Uint32Array(values.length + 1);
      values.forEach((v, i) => {
        offsets[i + 1] = (offsets[i] as number) + v.length;
      });
      t.setPacked('s', { bytes, offsets });
      t.rows = values.length;
      const db = await appendToNewTable(specs, t);
      const rows = await db.all<{ s: string }>('SELECT s FROM x');
      expect(rows.map((r) => r.s)).toEqual(values);
      db.close();
    }
  });
});

describe('columns added by later stages', () => {
  it('appends NULL to trailing columns the batch does not know (e.g. addresses.cluster)', async () => {
    const specs = [{ name: 'a', kind: 'i64' as const }];
    const t = new TableBatch(specs, 3000);
    for (let i = 0; i < 3000; i++) t.f64('a')[i] = i;
    t.rows = 3000;
    const db = await Database.open(':memory:');
    await db.run(`CREATE TABLE x (${columnsDdl(specs)})`);
    await db.run('ALTER TABLE x ADD COLUMN cluster BIGINT');
    await db.run('ALTER TABLE x ADD COLUMN coinjoin VARCHAR');
    const app = await db.appender('x');
    appendBatch(app, t);
    app.flushSync();
    app.closeSync();
    const r = await db.all<{ n: bigint; c: bigint; j: bigint }>('SELECT count(*) n, count(cluster) c, count(coinjoin) j FROM x');
    expect(r[0]).toEqual({ n: 3000n, c: 0n, j: 0n });
    db.close();
  });
});

describe('DuckDbStore', () => {
  it('refuses to mix networks in one database', async () => {
    const store = await DuckDbStore.open(':memory:');
    await store.init('main');
    await expect(store.init('regtest')).rejects.toThrow(/holds the main chain, not regtest/);
    store.close();
  });
});
