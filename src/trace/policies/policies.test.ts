import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fifo, haircut, intervalsAmount, poison, policyByName } from './index.js';

describe('taint policies on one transaction', () => {
  // 2 inputs: 3 BTC stolen, then 7 BTC clean; outputs 4, 5.9; fee 0.1.
  const inValues = [3e8, 7e8];
  const outValues = [4e8, 5.9e8];

  it('poison taints every output and the fee in full', () => {
    const s = poison.forward({ inValues, inTaint: [3e8, null], outValues });
    expect(s.outTaint).toEqual([4e8, 5.9e8]);
    expect(s.feeSat).toBe(0.1e8);
  });

  it('haircut gives every output 30% of its value, and the fee 30% of the fee', () => {
    const s = haircut.forward({ inValues, inTaint: [3e8, null], outValues });
    expect(s.outTaint[0]).toBeCloseTo(1.2e8, 0);
    expect(s.outTaint[1]).toBeCloseTo(1.77e8, 0);
    expect(s.feeSat).toBeCloseTo(0.03e8, 0);
  });

  it('FIFO gives the first 3 BTC to the first output only (Clayton’s case)', () => {
    const s = fifo.forward({ inValues, inTaint: [[0, 3e8], null], outValues });
    expect(s.outTaint).toEqual([[0, 3e8], null]);
    expect(s.feeSat).toBe(0);
  });

  it('FIFO pays the fee last: a tainted last input ends partly in the fee', () => {
    const s = fifo.forward({ inValues, inTaint: [null, [0, 7e8]], outValues });
    // input line: clean [0,3e8), tainted [3e8,10e8); output 0 = [0,4e8) gets [3e8,4e8); output 1 = [4e8,9.9e8) all tainted.
    expect(s.outTaint).toEqual([[3e8, 4e8], [0, 5.9e8]]);
    expect(s.feeSat).toBe(0.1e8);
  });

  it('FIFO backward maps an output range onto the inputs', () => {
    const s = fifo.backward({ inValues, inTaint: [null, null], outValues }, 0, [0, 4e8]);
    expect(s.inTaint).toEqual([[0, 3e8], [0, 1e8]]);
    expect(s.unassignedSat).toBe(0);
  });

  it('haircut backward splits an output pro rata by input value', () => {
    const s = haircut.backward({ inValues, inTaint: [null, null], outValues }, 1, 5.9e8);
    expect(s.inTaint[0]).toBeCloseTo(1.77e8, 0);
    expect(s.inTaint[1]).toBeCloseTo(4.13e8, 0);
  });

  it('an unknown policy name is a usage error naming the choices', () => {
    expect(() => policyByName('lifo')).toThrow(/unknown taint policy "lifo"[\s\S]*poison, haircut, fifo/);
  });
});

/** A random transaction: input values, which inputs are tainted (and how much), output values under the input total. */
const txArb = fc
  .array(fc.tuple(fc.integer({ min: 1, max: 1e9 }), fc.double({ min: 0, max: 1, noNaN: true })), { minLength: 1, maxLength: 8 })
  .chain((ins) => {
    const total = ins.reduce((s, [v]) => s + v, 0);
    return fc
      .tuple(fc.array(fc.double({ min: 0.01, max: 1, noNaN: true }), { minLength: 1, maxLength: 8 }), fc.double({ min: 0, max: 0.2, noNaN: true }))
      .map(([weights, feeShare]) => {
        const spend = Math.floor(total * (1 - feeShare));
        const wsum = weights.reduce((s, w) => s + w, 0);
        const outValues = weights.map((w) => Math.floor((spend * w) / wsum));
        return { ins, outValues };
      });
  });

describe('policy properties', () => {
  it('haircut conserves value: traced in = traced out + traced fee', () => {
    fc.assert(
      fc.property(txArb, ({ ins, outValues }) => {
        const inValues = ins.map(([v]) => v);
        const inTaint = ins.map(([v, f]) => (f > 0.5 ? v * f : null));
        const tracedIn = inTaint.reduce<number>((s, t) => s + (t ?? 0), 0);
        const s = haircut.forward({ inValues, inTaint, outValues });
        const out = s.outTaint.reduce<number>((a, t) => a + (t ?? 0), 0);
        expect(out + s.feeSat).toBeCloseTo(tracedIn, 3);
      }),
    );
  });

  it('FIFO conserves value exactly', () => {
    fc.assert(
      fc.property(txArb, ({ ins, outValues }) => {
        const inValues = ins.map(([v]) => v);
        const inTaint = ins.map(([v, f]) => (f > 0.5 ? [0, Math.max(1, Math.floor(v * f))] : null));
        const tracedIn = inTaint.reduce<number>((s, t) => s + (t ? intervalsAmount(t) : 0), 0);
        const s = fifo.forward({ inValues, inTaint, outValues });
        const out = s.outTaint.reduce<number>((a, t) => a + (t ? intervalsAmount(t) : 0), 0);
        expect(out + s.feeSat).toBe(tracedIn);
      }),
    );
  });

  it('poison ≥ haircut and poison ≥ FIFO on every output', () => {
    fc.assert(
      fc.property(txArb, ({ ins, outValues }) => {
        const inValues = ins.map(([v]) => v);
        const amounts = ins.map(([v, f]) => (f > 0.5 ? Math.max(1, Math.floor(v * f)) : null));
        const p = poison.forward({ inValues, inTaint: amounts, outValues });
        const h = haircut.forward({ inValues, inTaint: amounts, outValues });
        const f = fifo.forward({ inValues, inTaint: amounts.map((a) => (a === null ? null : [0, a])), outValues });
        for (let k = 0; k < outValues.length; k++) {
          expect(p.outTaint[k] ?? 0).toBeGreaterThanOrEqual((h.outTaint[k] ?? 0) - 1e-6);
          const fk = f.outTaint[k];
          expect(p.outTaint[k] ?? 0).toBeGreaterThanOrEqual(fk ? intervalsAmount(fk) : 0);
        }
      }),
    );
  });
});
