import { describe, expect, it } from 'vitest';
import { CoinJoinDetector, coinJoinPatternName } from './coinjoin.js';

const COIN = 100_000_000;

function classify(ins: number[], outs: number[]): string | null {
  const d = new CoinJoinDetector();
  return coinJoinPatternName(d.classify(Uint32Array.from(ins), 0, ins.length, Float64Array.from(outs), 0, outs.length));
}

const range = (n: number, from = 0) => Array.from({ length: n }, (_, i) => from + i);

describe('CoinJoinDetector', () => {
  it('Whirlpool: 5 inputs from 5 addresses, 5 outputs at a pool denomination', () => {
    expect(classify([1, 2, 3, 4, 5], [1_000_000, 1_000_000, 1_000_000, 1_000_000, 1_000_000])).toBe('whirlpool');
    expect(classify([1, 2, 3, 4, 5], Array(5).fill(50_000_000))).toBe('whirlpool');
    // Same shape at a non-pool value is the generic equal-output shape, not Whirlpool.
    expect(classify([1, 2, 3, 4, 5], Array(5).fill(1_234_567))).toBe('joinmarket');
  });

  it('Wasabi 1.x: ≥ 10 equal outputs near 0.1 BTC, fee and change outputs', () => {
    const outs = [...Array(12).fill(0.0987 * COIN), 0.003 * COIN, ...range(8).map((i) => 1_000_000 + i * 7919)];
    expect(classify(range(15, 100), outs)).toBe('wasabi1');
    // 0.3 BTC is not Wasabi 1's base denomination: with 20 outputs for 12 equal ones it is still the generic shape.
    const far = [...Array(12).fill(0.3 * COIN), ...range(8).map((i) => 1_000_000 + i)];
    expect(classify(range(15, 100), far)).toBe('joinmarket');
  });

  it('WabiSabi: ≥ 50 inputs and ≥ 50 outputs with repeated denominations', () => {
    const outs = range(60).map((i) => (i % 3 === 0 ? 5_000_000 : 1_000_000 + i * 13));
    expect(classify(range(55, 1000), outs)).toBe('wasabi2');
  });

  it('JoinMarket: k equal outputs, ≤ k+1 others, several input owners', () => {
    expect(classify([7, 8, 9, 9], [2_718_281, 2_718_281, 2_718_281, 50_000, 60_000, 70_000])).toBe('joinmarket');
    // Unknown inputs (unresolved) count as distinct owners.
    expect(classify([0xffffffff, 0xffffffff], [3_000_000, 3_000_000, 1_000])).toBe('joinmarket');
  });

  it('is not fooled by ordinary transactions', () => {
    expect(classify([1, 2], [5_000_000, 1_234_567])).toBeNull(); // payment + change
    expect(classify([1, 1, 1], [3_000_000, 3_000_000, 3_000_000])).toBeNull(); // one owner paying equal amounts
    expect(classify([1, 2, 3], [546, 546, 546, 1_000_000])).toBeNull(); // equal dust is not a denomination
    expect(classify([1], [3_000_000, 3_000_000])).toBeNull(); // one input: one owner
    expect(classify([1, 2], [3_000_000, 3_000_000, 1, 2, 3, 4])).toBeNull(); // 2 equal among 6: a batch payout
  });

  it('counts distinct inputs and values correctly for large transactions (sorted path)', () => {
    // 40 inputs from only one address: one owner, not a CoinJoin, even with 20 equal outputs.
    expect(classify(Array(40).fill(5), Array(20).fill(2_000_000))).toBeNull();
    expect(classify(range(40), [...Array(20).fill(2_000_000), ...range(18).map((i) => 10_000 + i)])).toBe('joinmarket');
  });
});
