import { describe, expect, it } from 'vitest';
import { LabelInputError, importTagPacks, removeSource } from '../../src/labels/index.js';
import { sharedPath } from '../helpers/sharedData.js';
import { craft, tempDb, tempDir } from './helpers.js';

const packs = (...p: string[]) => sharedPath('labels', 'graphsense-tagpacks', ...p);
const count = async (db: Awaited<ReturnType<typeof tempDb>>['db'], sql: string) => Number((await db.one<{ n: bigint }>(sql))?.n ?? -1n);

describe('label import tagpack (real DuckDB file)', () => {
  it('imports, re-imports in place (same source id, no duplicates) and removes a source', async () => {
    const { db } = await tempDb();
    const first = await importTagPacks(db, packs('packs', 'lazarus.yaml'));
    expect(first[0]).toMatchObject({ tags: 21, replaced: false, kind: 'tagpack' });
    expect(first[0]?.sha256).toMatch(/^[0-9a-f]{64}$/);
    const again = await importTagPacks(db, packs('packs', 'lazarus.yaml'));
    expect(again[0]).toMatchObject({ tags: 21, replaced: true, sourceId: first[0]?.sourceId });
    expect(await count(db, 'SELECT count(*) n FROM label_tags')).toBe(21);
    expect(await count(db, 'SELECT count(*) n FROM label_sources')).toBe(1);
    const removed = await removeSource(db, first[0]?.path ?? '');
    expect(removed).toEqual([expect.objectContaining({ tags: 21, kind: 'tagpack' })]);
    expect(await count(db, 'SELECT count(*) n FROM label_tags')).toBe(0);
    db.close();
  });

  it('an invalid record anywhere in the import writes nothing; --skip-invalid takes the valid ones and says why', async () => {
    const { db } = await tempDb();
    const dir = tempDir();
    craft(dir, 'a.yaml', 'title: good\nconfidence: web_crawl\ncurrency: BTC\nlabel: ok\ntags:\n- address: 1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa\n');
    craft(dir, 'b.yaml', 'title: bad\nconfidence: web_crawl\ncurrency: BTC\nlabel: ok\ntags:\n- address: 1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN2\n- address: notanaddress\n');
    await expect(importTagPacks(db, dir)).rejects.toThrow(LabelInputError);
    await expect(importTagPacks(db, dir)).rejects.toThrow(/b\.yaml:7 tags\[1\]\.address: invalid Bitcoin address "notanaddress"/);
    expect(await count(db, 'SELECT count(*) n FROM label_tags')).toBe(0);
    expect(await count(db, 'SELECT count(*) n FROM label_sources')).toBe(0);
    const r = await importTagPacks(db, dir, { skipInvalid: true });
    expect(r.map((x) => [x.tags, x.skipped])).toEqual([
      [1, {}],
      [1, { 'invalid record': 1 }],
    ]);
    expect(await count(db, 'SELECT count(*) n FROM label_tags')).toBe(2);
    db.close();
  });

  it('ALL real TagPacks and the ActorPack import (with --skip-invalid for the 14 invalid addresses), counts reported', async () => {
    const { db } = await tempDb();
    const r = await importTagPacks(db, sharedPath('labels', 'graphsense-tagpacks'), { skipInvalid: true });
    expect(r.length).toBe(87);
    const tags = r.reduce((a, x) => a + x.tags, 0);
    const invalid = r.reduce((a, x) => a + x.invalid.length, 0);
    const dupes = r.reduce((a, x) => a + (x.skipped['duplicate of an earlier tag in the same file'] ?? 0), 0);
    expect(tags + invalid + dupes).toBe(524170);
    expect(invalid).toBe(14);
    expect(dupes).toBe(6);
    for (const x of r) for (const p of x.invalid) expect(p.problem).toMatch(/invalid [A-Za-z]+ address/);
    const actors = r.find((x) => x.kind === 'actorpack');
    expect(actors?.actors).toBeGreaterThan(3000);
    expect(await count(db, 'SELECT count(*) n FROM label_tags')).toBe(tags);
    const laz = await db.one<{ name: string; categories: string }>("SELECT name, categories FROM label_actors WHERE actor_id = 'lazarusgroup'");
    expect(laz?.name).toBe('Lazarus Group');
    expect(JSON.parse(laz?.categories ?? '[]')).toContain('sanction');
    db.close();
  }, 600_000);
});
