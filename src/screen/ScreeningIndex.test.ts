import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeSimDb, type SimDb } from '../../test/api/fixture.js';
import { Database } from '../store/index.js';
import { loadRules } from './rules.js';
import { ScreeningIndex } from './ScreeningIndex.js';

let sim: SimDb;
let db: Database;
let index: ScreeningIndex;

beforeAll(async () => {
  sim = await makeSimDb();
  db = await Database.open(sim.dbPath, { readOnly: true });
  index = await ScreeningIndex.build(db, loadRules());
}, 180_000);

afterAll(() => {
  db?.close();
  sim?.cleanup();
});

describe('ScreeningIndex on a simulated chain with a scripted theft', () => {
  it('the labelled thief address is direct stolen_funds exposure, linked to its tag', () => {
    const r = index.screenAddress(sim.thiefAddress);
    expect(r.seen).toBe(true);
    const d = r.direct.find((x) => x.category === 'stolen_funds');
    expect(d?.labels[0]?.address).toBe(sim.thiefAddress);
    expect(d?.labels[0]?.onAddress).toBe(true);
    expect(r.score).toBeGreaterThanOrEqual(85);
    expect(r.level).toBe('severe');
    expect(r.ruleSet.version).toBe(index.rules.info.version);
  });

  it('the sanctioned address scores 100 (severe)', () => {
    const r = index.screenAddress(sim.sanctionedAddress);
    expect(r.direct.map((d) => d.category)).toContain('sanctions');
    expect(r.score).toBe(100);
  });

  it('the thief onward addresses carry stolen_funds exposure at hops 1, 2 and 3, with txs named', () => {
    const incident = sim.truth.incidents[0]!;
    const hopsSeen = new Set<number>();
    for (const o of incident.thiefOutputs) {
      if (o.address === null || o.address === sim.thiefAddress) continue;
      const cat = index.screenAddress(o.address).indirect.received.categories.find((c) => c.category === 'stolen_funds');
      if (!cat) continue;
      expect(cat.byHop.reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(1 + 1e-6);
      expect(cat.byHop.length).toBe(index.rules.hops);
      cat.byHop.forEach((s, h) => {
        if (s > 0) hopsSeen.add(h + 1);
      });
      expect(cat.txs.length).toBeGreaterThan(0);
      expect(cat.txs[0]!.txid).toMatch(/^[0-9a-f]{64}$/);
      expect(cat.score > 0).toBe(cat.exposure >= index.rules.indirect.minShare);
    }
    expect([...hopsSeen].sort()).toEqual([1, 2, 3]);
  });

  it('most uninvolved users score low', () => {
    const incident = sim.truth.incidents[0]!;
    const involved = new Set([...incident.thiefOutputs, ...incident.cashOuts].map((o) => o.address));
    const users = sim.truth.addresses.filter((a) => a.type === 'user' && !involved.has(a.address) && a.address !== sim.sanctionedAddress).slice(0, 300);
    const low = users.filter((u) => index.screenAddress(u.address).level === 'low').length;
    expect(low / users.length).toBeGreaterThan(0.7);
  });

  it('rejects an address of another network or with a bad checksum (LH_BAD_ADDRESS)', () => {
    expect(() => index.screenAddress('tb1qw508d6qejxtdg4y5r3zarvary0c5xw7kxpjzsx')).toThrow(expect.objectContaining({ code: 'LH_BAD_ADDRESS' }));
    expect(() => index.screenAddress('1BoatSLRHtKNngkdXEeobR76b53LETtpyX')).toThrow(expect.objectContaining({ code: 'LH_BAD_ADDRESS' }));
    expect(() => index.screenAddress('')).toThrow(expect.objectContaining({ code: 'LH_BAD_ADDRESS' }));
  });

  it('an unseen but valid address is low with seen=false', () => {
    const r = index.screenAddress('1BoatSLRHtKNngkdXEeobR76b53LETtpyT');
    expect(r.seen).toBe(false);
    expect(r.score).toBe(0);
  });
});
