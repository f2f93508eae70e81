import { describe, expect, it } from 'vitest';
import { parseHash } from '../util/route';
import { classifyQuery, readLabels, readRisk } from './endpoints';

describe('search query shapes', () => {
  it('sends txids, cluster ids and addresses to their pages', () => {
    expect(classifyQuery(` ${'AB'.repeat(32)} `)).toEqual({ type: 'tx', id: 'ab'.repeat(32) });
    expect(classifyQuery('133')).toEqual({ type: 'cluster', id: '133' });
    // Real mainnet addresses: P2PKH, P2SH, bech32 (upper case is valid bech32 and is lower-cased).
    expect(classifyQuery('1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa')).toEqual({ type: 'address', id: '1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa' });
    expect(classifyQuery('3J98t1WpEZ73CNmQviecrnyiWrnqRhWNLy')?.type).toBe('address');
    expect(classifyQuery('BC1QAR0SRRR7XFKVY5L643LYDNW9RE59GTZZWF5MDQ')).toEqual({ type: 'address', id: 'bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq' });
    // Text goes to the actor and incident search.
    expect(classifyQuery('Lazarus Group')).toBeNull();
    expect(classifyQuery('HIDDEN COBRA')).toBeNull();
    expect(classifyQuery('ab'.repeat(31))).toBeNull();
  });
});

describe('hash routes', () => {
  it('parses pages, ids and query parameters', () => {
    expect(parseHash('#/incident/sim-1?policy=fifo&min=0.5').route).toEqual({ page: 'incident', id: 'sim-1' });
    expect(parseHash('#/incident/sim-1?policy=fifo&min=0.5').params.get('policy')).toBe('fifo');
    expect(parseHash('#/actor/lazarus%20group').route).toEqual({ page: 'actor', id: 'lazarus group' });
    expect(parseHash('').route).toEqual({ page: 'home' });
    expect(parseHash('#/search?q=HIDDEN%20COBRA').route).toEqual({ page: 'search', q: 'HIDDEN COBRA' });
    expect(parseHash('#/lab/synthetic?nodes=999999').route).toEqual({ page: 'synthetic', nodes: 20_000 });
    expect(parseHash('#/nonsense/1/2').route).toEqual({ page: 'notfound', path: '/nonsense/1/2' });
  });
});

describe('labels and risk (docs/API.md shapes)', () => {
  it('reads tags with their source, preferring the abuse concept', () => {
    const labels = readLabels(
      [
        { tagId: 1, label: 'Hanbyeol Exchange hacker', category: 'perpetrator', abuse: 'service_hack', actorId: 'lazarusgroup', confidence: 'forensic_investigation', confidenceLevel: 70, source: 'Demo labels', sourceKind: 'manual', sourceUrl: 'https://example.org/r', date: null, ofacEntNum: null },
        { tagId: 2, label: 'Sable Exchange', category: 'exchange', abuse: null, actorId: null, confidence: 'service_data', source: 'Demo labels', sourceUrl: null },
      ],
      'labels',
    );
    expect(labels).toEqual([
      { label: 'Hanbyeol Exchange hacker', category: 'service_hack', actor: { id: 'lazarusgroup', name: 'lazarusgroup' }, source: 'Demo labels', sourceUrl: 'https://example.org/r', confidence: 'forensic_investigation' },
      { label: 'Sable Exchange', category: 'exchange', actor: null, source: 'Demo labels', sourceUrl: null, confidence: 'service_data' },
    ]);
    expect(() => readLabels([{ label: 3 }], 'address.labels')).not.toThrow();
    expect(() => readLabels([{ category: 'x' }], 'address.labels')).toThrow(/address.labels\[0\].label: expected a string, got undefined/);
  });

  it('breaks a screening result into direct labels and indirect exposure', () => {
    const risk = readRisk(
      {
        address: '1x',
        seen: true,
        cluster: { id: 45, size: 3 },
        score: 87,
        level: 'severe',
        direct: [{ category: 'stolen_funds', weight: 85, score: 85, labels: [{ label: 'X hacker', source: 'Demo', onAddress: false }] }],
        indirect: {
          received: { totalSat: 150000000, categories: [{ category: 'stolen_funds', exposure: 0.225, taintedSat: 75000000, score: 61.2 }, { category: 'mixing', exposure: 0, taintedSat: 0, score: 0 }] },
          sent: { totalSat: 0, categories: [] },
        },
      },
      'risk',
    );
    expect(risk).toEqual({
      score: 87,
      level: 'severe',
      items: [
        { rule: 'direct: stolen_funds', score: 85, detail: 'X hacker from Demo (another address of the cluster)' },
        { rule: 'received from: stolen_funds', score: 61.2, detail: 'exposure 22.50%, 0.75000000 BTC' },
      ],
    });
    expect(readRisk(null, 'risk')).toBeNull();
  });
});
