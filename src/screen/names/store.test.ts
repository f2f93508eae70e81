import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { sharedPath } from '../../../test/helpers/sharedData.js';
import { loadOfac } from '../../labels/sources/ofac/index.js';
import { Database } from '../../store/index.js';
import { adjudicate, listCustomers, loadList, openNameIndex, rescreenCustomer, upsertCustomer } from './index.js';

const VECTORS = join(import.meta.dirname, '..', '..', '..', 'test', 'vectors', 'ofac');

describe('name screening store (DuckDB): XML lists, customers, adjudication', () => {
  it('loads SDN_ADVANCED.XML, screens Hangul, suppresses a false positive, re-raises it when the entry changes', async () => {
    const db = await Database.open(':memory:');
    try {
      const t0 = new Date('2026-01-01T00:00:00Z');
      const first = await loadList(db, await loadOfac(join(VECTORS, 'advanced')), t0);
      expect(first.info).toMatchObject({ entries: 2, publishDate: '2024-05-03' });
      const opened = await openNameIndex(db);
      expect(opened?.info.listVersion).toBe(first.info.listVersion);
      const r = opened?.index.screen({ name: '김정은', type: 'person' });
      expect(r?.hits[0]).toMatchObject({ entNum: 9999001, listedName: 'KIM, Jong Un', band: 'certain' });

      await upsertCustomer(db, { customerId: 'c-1', name: 'Kim Jong-un', type: 'person', birthYear: 1984, country: 'KP' }, t0);
      const hits = await rescreenCustomer(db, first.index, 'c-1', t0);
      expect(hits[0]).toMatchObject({ entNum: 9999001, status: 'open', adjudication: null });
      expect(hits[0]?.explanation.adjustments.join('; ')).toMatch(/birth year 1984 matches listed 1984.*country KP is listed/);

      const adj = await adjudicate(db, { customerId: 'c-1', entNum: 9999001, decision: 'false_positive', user: 'alice', note: 'namesake' }, t0);
      expect(adj.entryHash).toBe(hits[0]?.entryHash);
      const again = await rescreenCustomer(db, first.index, 'c-1', t0);
      expect(again[0]).toMatchObject({ status: 'suppressed', adjudication: { decision: 'false_positive', user: 'alice', note: 'namesake' } });
      expect((await listCustomers(db))[0]).toMatchObject({ customerId: 'c-1', openHits: 0, suppressedHits: 1 });

      // SDN.XML lists entry 9999001 with another alias (KIM, Chong-un): the entry hash changes → re-raised
      const second = await loadList(db, await loadOfac(join(VECTORS, 'xml')), new Date('2026-02-01T00:00:00Z'));
      expect(second.rescreen.previousListVersion).toBe(first.info.listVersion);
      expect(second.rescreen.reraised).toEqual([expect.objectContaining({ customerId: 'c-1', entNum: 9999001 })]);
      expect((await listCustomers(db))[0]).toMatchObject({ openHits: 1, suppressedHits: 0 });

      // a confirmed match stays reported as confirmed
      await adjudicate(db, { customerId: 'c-1', entNum: 9999001, decision: 'confirmed', user: 'bob', note: null });
      const third = await rescreenCustomer(db, second.index, 'c-1');
      expect(third[0]?.status).toBe('confirmed');

      await expect(adjudicate(db, { customerId: 'c-1', entNum: 1, decision: 'confirmed', user: 'bob', note: null })).rejects.toThrow(/SDN entry 1 not found/);
      await expect(adjudicate(db, { customerId: 'c-1', entNum: 9999001, decision: 'confirmed', user: ' ', note: null })).rejects.toThrow(/user: who decides is required/);
      await expect(upsertCustomer(db, { customerId: 'bad id!', name: 'x', type: 'person', birthYear: null, country: null })).rejects.toThrow(/customer id/);
      await expect(loadList(db, await loadOfac(sharedPath('sanctions', 'ofac-digital-currency-addresses', 'sanctioned_addresses_XBT.txt')))).rejects.toThrow(/no SDN entries/);
    } finally {
      db.close();
    }
  });
});
