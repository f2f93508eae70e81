import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Database } from './Database.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('Database', () => {
  it('rolls back a failed transaction so nothing is half-written', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lh-db-'));
    dirs.push(dir);
    const db = await Database.open(join(dir, 'x.duckdb'));
    await db.run('create table t (x integer)');
    await expect(
      db.transaction(async () => {
        await db.run('insert into t values (1)');
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    expect(await db.all('select * from t')).toEqual([]);
    db.close();
  });

  it('says clearly when a read-only database does not exist', async () => {
    await expect(Database.open('/nonexistent/dir/x.duckdb', { readOnly: true })).rejects.toMatchObject({ code: 'LH_DB_MISSING' });
  });
});
