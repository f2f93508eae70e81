import { describe, expect, it } from 'vitest';
import { scoreTracing } from './tracing.js';

const truth = {
  cashOuts: [
    { address: 'X1', valueSat: 100 },
    { address: 'X1', valueSat: 50 },
    { address: 'X2', valueSat: 200 },
  ],
  attacker: 9,
  innocentPayments: [{ address: 'I1' }, { address: 'I2' }],
};
const owners = new Map([
  ['T1', 9],
  ['I1', 5],
  ['I2', 6],
  ['U', 7],
]);

describe('scoreTracing (values derived by hand)', () => {
  it('partial recall, over-flagging and innocent value', () => {
    const s = scoreTracing(truth, owners, [
      { address: 'X1', amountSat: 100 },
      { address: 'X2', amountSat: 300 },
      { address: 'T1', amountSat: 40 },
      { address: 'I1', amountSat: 10 },
      { address: 'U', amountSat: 50 },
    ]);
    // True 150 at X1 + 200 at X2 = 350; matched min(100,150) + min(300,200) = 300; flagged 500.
    expect(s.trueCashOutSat).toBe(350);
    expect(s.matchedSat).toBe(300);
    expect(s.flaggedSat).toBe(500);
    expect(s.recall).toBeCloseTo(6 / 7, 12);
    expect(s.precision).toBeCloseTo(0.6, 12);
    expect(s.endpoints).toBe(2);
    expect(s.endpointsFound).toBe(2);
    expect(s.attackerFlaggedSat).toBe(40);
    expect(s.innocentFlaggedSat).toBe(60);
    expect(s.innocentRecipients).toBe(2);
    expect(s.innocentRecipientsFlagged).toBe(1);
  });

  it('a perfect trace and an empty one', () => {
    const perfect = scoreTracing(truth, owners, [
      { address: 'X1', amountSat: 150 },
      { address: 'X2', amountSat: 200 },
    ]);
    expect([perfect.recall, perfect.precision, perfect.innocentFlaggedSat]).toEqual([1, 1, 0]);
    const empty = scoreTracing(truth, owners, []);
    expect([empty.recall, empty.precision, empty.endpointsFound]).toEqual([0, 1, 0]);
  });

  it('rejects a negative amount, naming the endpoint', () => {
    expect(() => scoreTracing(truth, owners, [{ address: 'X1', amountSat: -1 }])).toThrow(/endpoint \[0\] X1: amountSat/);
  });
});
