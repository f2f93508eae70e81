import { describe, expect, it } from 'vitest';
import { importOfac } from '../../src/labels/index.js';
import { sharedPath } from '../helpers/sharedData.js';
import { tempDb } from './helpers.js';

const S = (...p: string[]) => sharedPath('sanctions', ...p);

describe('label import ofac (real OFAC data)', () => {
  it('SDN.CSV 2024-05-03 + SDN_COMMENTS + the plain per-currency lists: sanctioned tags linked to their SDN entries', async () => {
    const { db } = await tempDb();
    const r = await importOfac(db, [S('ofac-sdn-2024-05-03', 'sdn.csv'), S('ofac-moov-2025', 'sdn_comments.csv'), S('ofac-digital-currency-addresses')]);
    expect(r).toHaveLength(1);
    expect(r[0]?.invalid).toEqual([]);
    const files = await db.one<{ files: string }>('SELECT files FROM label_sources');
    const kinds = (JSON.parse(files?.files ?? '[]') as { kind: string; sha256: string }[]).map((f) => f.kind);
    expect(kinds).toContain('sdn.csv');
    expect(kinds).toContain('address-list');

    // The Lazarus Group entry (ent_num 27307, DPRK3): its addresses continue in SDN_COMMENTS.CSV.
    const laz = await db.all<{ address: string; ofac_ent_num: number; category: string; actor_id: string; confidence: string }>(
      'SELECT address, ofac_ent_num, category, actor_id, confidence FROM label_tags WHERE ofac_ent_num = 27307',
    );
    expect(laz.length).toBe(8);
    expect(laz[0]).toMatchObject({ category: 'sanction', actor_id: 'lazarusgroup', confidence: 'authority_data' });
    const prog = await db.all<{ ref_id: string }>("SELECT ref_id FROM label_actor_refs WHERE actor_id = 'lazarusgroup' AND ref_kind = 'sanctions-program'");
    expect(prog.map((x) => x.ref_id)).toContain('DPRK3');
    // "Linked To:" in remarks becomes a reference to the linked party's actor id.
    const linkRefs = await db.all<{ n: bigint }>("SELECT count(*) AS n FROM label_actor_refs WHERE ref_kind = 'linked-to'");
    expect(Number(linkRefs[0]?.n)).toBeGreaterThan(1000);
    const aliases = await db.all<{ alias: string }>("SELECT alias FROM label_actor_aliases WHERE actor_id = 'lazarusgroup'");
    expect(aliases.map((a) => a.alias)).toEqual(expect.arrayContaining(['HIDDEN COBRA', 'GUARDIANS OF PEACE']));

    // Every address of the plain lists is found as a sanctioned tag; those the 2024-05-03 SDN.CSV carries are linked
    // to their entry, the rest (listed after that date) are list-only tags.
    const listed = await db.all<{ currency: string; address: string; linked: boolean }>(`
      SELECT currency, address, bool_or(ofac_ent_num IS NOT NULL) AS linked FROM label_tags GROUP BY ALL`);
    const { loadOfac } = await import('../../src/labels/sources/ofac/index.js');
    const lists = await loadOfac(S('ofac-digital-currency-addresses'));
    const { normalizeAddress } = await import('../../src/labels/index.js');
    const byKey = new Map(listed.map((x) => [`${x.currency}:${x.address}`, x.linked]));
    // The lookup key of a listed address: normalised, or as listed when OFAC's currency is wrong (one Tron address under XBT).
    const keyOf = (cur: string, addr: string) => {
      const c = cur === 'XBT' ? 'BTC' : cur;
      const n = normalizeAddress(c, addr);
      return n.ok ? `${n.currency}:${n.address}` : `${c}:${addr.trim()}`;
    };
    let linked = 0;
    for (const a of lists.listedAddresses) {
      const hit = byKey.get(keyOf(a.currency, a.address));
      expect(hit, `${a.currency} ${a.address}`).toBeDefined();
      if (hit === true) linked++;
    }
    expect(lists.listedAddresses.length).toBe(654);
    expect(linked).toBeGreaterThan(590);
    // Conversely: every address an SDN entry of 2024-05-03 carries is in the plain lists (same OFAC data, later release),
    // so no list-only tag duplicates an entry tag and the list covered all of them.
    const entryKeys = new Set(listed.filter((x) => x.linked).map((x) => `${x.currency}:${x.address}`));
    const listKeys = new Set(lists.listedAddresses.map((a) => keyOf(a.currency, a.address)));
    for (const k of entryKeys) expect(listKeys.has(k), k).toBe(true);
    expect(r[0]?.skipped['list address already tagged from its SDN entry']).toBe(linked);
    // OFAC's own slip (a Tron address listed as XBT) is kept as listed and noted, not dropped.
    expect(r[0]?.notes.join('\n')).toMatch(/TUCsTq7TofTCJRRoHk6RvhMoS2mJLm5Yzq/);
    expect(byKey.has('BTC:TUCsTq7TofTCJRRoHk6RvhMoS2mJLm5Yzq')).toBe(true);
    db.close();
  }, 60_000);
});
