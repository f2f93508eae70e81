import { describe, expect, it } from 'vitest';
import { scoreClustering } from './clustering.js';

// Truth: entity 1 owns a1..a4, entity 2 owns b1.
const truth = new Map([
  ['a1', 1],
  ['a2', 1],
  ['a3', 1],
  ['a4', 1],
  ['b1', 2],
]);

describe('scoreClustering (values derived by hand)', () => {
  it('everything in one cluster: recall 1, precision pays for the merge', () => {
    const pred = new Map<string, string>([...truth.keys()].map((a) => [a, 'X']));
    const s = scoreClustering(truth, pred);
    // B-cubed precision: (4·4/5 + 1·1/5)/5 = 17/25; recall: (4·4/4 + 1·1/1)/5 = 1.
    expect(s.bcubedPrecision).toBeCloseTo(17 / 25, 12);
    expect(s.bcubedRecall).toBe(1);
    // Pairs: 6 true pairs inside entity 1, all found; 10 predicted pairs.
    expect(s.pairwisePrecision).toBeCloseTo(0.6, 12);
    expect(s.pairwiseRecall).toBe(1);
    expect(s.bcubedF1).toBeCloseTo((2 * (17 / 25)) / (17 / 25 + 1), 12);
    expect(s.wronglyMergedEntities).toBe(2);
    expect(s.impureClusters).toBe(1);
    expect(s.clusters).toBe(1);
  });

  it('no prediction at all: every address its own cluster', () => {
    const s = scoreClustering(truth, new Map());
    expect(s.bcubedPrecision).toBe(1);
    // B-cubed recall: (4 · 1/4 + 1 · 1/1)/5 = 2/5.
    expect(s.bcubedRecall).toBeCloseTo(0.4, 12);
    expect(s.pairwisePrecision).toBe(1);
    expect(s.pairwiseRecall).toBe(0);
    expect(s.wronglyMergedEntities).toBe(0);
    expect(s.clusters).toBe(5);
  });

  it('a split and a merge together', () => {
    const t = new Map([
      ['a1', 1],
      ['a2', 1],
      ['a3', 1],
      ['b1', 2],
      ['b2', 2],
      ['c1', 3],
    ]);
    const pred = new Map([
      ['a1', 'X'],
      ['a2', 'X'],
      ['a3', 'Y'],
      ['b1', 'Y'],
      ['b2', 'Y'],
    ]);
    const s = scoreClustering(t, pred);
    // Cells X{1:2}, Y{1:1, 2:2}, c1 alone. Precision (4/2 + 1/3 + 4/3 + 1)/6 = 7/9; recall (4/3 + 1/3 + 4/2 + 1)/6 = 7/9.
    expect(s.bcubedPrecision).toBeCloseTo(7 / 9, 12);
    expect(s.bcubedRecall).toBeCloseTo(7 / 9, 12);
    // True pairs 3 + 1 = 4; predicted 1 + 3 = 4; shared 1 + 1 = 2.
    expect(s.pairwisePrecision).toBeCloseTo(0.5, 12);
    expect(s.pairwiseRecall).toBeCloseTo(0.5, 12);
    expect(s.wronglyMergedEntities).toBe(2);
    expect(s.impureClusters).toBe(1);
  });

  it('counts CoinJoin participants whose inputs landed in one cluster', () => {
    const t = new Map([
      ['a1', 1],
      ['b1', 2],
      ['z1', 3],
    ]);
    const pred = new Map([
      ['a1', 'X'],
      ['b1', 'X'],
    ]);
    const cj = [
      { inputs: [{ address: 'a1', entity: 1 }, { address: 'b1', entity: 2 }, { address: 'z1', entity: 3 }, { address: null, entity: 4 }] },
      { inputs: [{ address: 'a1', entity: 1 }, { address: 'z1', entity: 3 }] },
    ];
    const s = scoreClustering(t, pred, cj);
    // Round 1: pairs (1,2) merged, (1,3), (2,3) not; entity 4 has no address. Round 2: (1,3) not merged.
    expect(s.coinjoins).toBe(2);
    expect(s.coinjoinParticipantPairs).toBe(4);
    expect(s.coinjoinParticipantPairsMerged).toBe(1);
    expect(s.coinjoinsWithMergedParticipants).toBe(1);
  });
});
