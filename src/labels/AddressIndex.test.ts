import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { tempDb } from '../../test/labels/helpers.js';
import { sharedPath } from '../../test/helpers/sharedData.js';
import { AddressIndex, type IndexRow, normalizeKey } from './AddressIndex.js';
import { importTagPacks } from './sources/tagpack/importTagPacks.js';

describe('AddressIndex', () => {
  it('answers exactly what DuckDB answers for every address of real TagPacks (differential)', async () => {
    const { db } = await tempDb();
    for (const f of ['hacks.yaml', 'ronin_bridge.yaml', 'lazarus.yaml', 'tornado_cash.yaml']) {
      await importTagPacks(db, sharedPath('labels', 'graphsense-tagpacks', 'packs', f));
    }
    const idx = await AddressIndex.load(db);
    const rows = await db.allJson<{ address: string; tag_id: number; label: string; category: string; actor_id: string | null; confidence_level: number; is_abuse: boolean }>(
      'SELECT address, tag_id, label, category, actor_id, confidence_level, is_abuse FROM label_tags ORDER BY address, tag_id',
    );
    expect(idx.tagCount).toBe(rows.length);
    const byAddr = new Map<string, typeof rows>();
    for (const r of rows) byAddr.set(r.address, [...(byAddr.get(r.address) ?? []), r]);
    expect(idx.addressCount).toBe(byAddr.size);
    for (const [addr, tags] of byAddr) {
      const hits = [...idx.lookup(addr)].sort((a, b) => a.tagId - b.tagId);
      expect(hits.map((h) => [h.tagId, h.label, h.category, h.actorId, h.confidenceLevel, h.isAbuse])).toEqual(
        tags.map((t) => [Number(t.tag_id), t.label, t.category, t.actor_id, t.confidence_level, t.is_abuse]),
      );
      expect(idx.count(addr)).toBe(tags.length);
    }
    expect(idx.lookup('1NotAnAddressInAnyPack')).toEqual([]);
    const eth = await AddressIndex.load(db, { currency: 'eth' });
    expect(eth.tagCount).toBe(rows.filter((r) => r.address.startsWith('0x')).length);
    expect(eth.lookup(normalizeKey('0x098B716B8Aaf21512996dC57EB0615e2383E2f96')).every((h) => h.currency === 'ETH')).toBe(true);
    const ronin = byAddr.get('0x098b716b8aaf21512996dc57eb0615e2383e2f96') ?? [];
    expect(ronin.length).toBeGreaterThan(0);
    expect(idx.summary(normalizeKey('0x098B716B8Aaf21512996dC57EB0615e2383E2f96'))).toEqual({
      tags: ronin.length,
      maxConfidence: Math.max(...ronin.map((t) => t.confidence_level)),
      isAbuse: ronin.some((t) => t.is_abuse),
    });
    db.close();
  });

  it('lookup equals a naive grouping for arbitrary rows (property)', () => {
    const row = fc.record({
      address: fc.constantFrom('a', 'b', 'c', 'bc1q', '0xab', 'z'),
      tagId: fc.nat(1_000_000),
      currency: fc.constantFrom('BTC', 'ETH'),
      label: fc.string({ maxLength: 4 }),
      category: fc.constantFrom('exchange', 'sanction'),
      actorId: fc.option(fc.constantFrom('x', 'y'), { nil: null }),
      confidenceLevel: fc.integer({ min: 0, max: 100 }),
      isAbuse: fc.boolean(),
      sourceId: fc.nat(50),
    });
    fc.assert(
      fc.property(fc.array(row, { maxLength: 60 }), (rows: IndexRow[]) => {
        const idx = AddressIndex.fromRows(rows);
        for (const addr of ['a', 'b', 'c', 'bc1q', '0xab', 'z', 'missing']) {
          const want = rows.filter((r) => r.address === addr).map(({ address: _a, ...rest }) => rest);
          expect(idx.lookup(addr)).toEqual(want);
        }
      }),
    );
  });
});
