import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LedgerhoundError, UsageError } from '../../core/index.js';
import { parseOfacCsv } from '../../labels/sources/ofac/index.js';
import { calibrate, comparePrepared, prepareName } from './index.js';

/** Any input either matches (score in [0,1]) or is refused with a UsageError — never another error. */
describe('fuzz: names and OFAC CSV rows', () => {
  it('random Unicode names: a score in [0,1] or a UsageError, in bounded time', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 400 }), fc.string({ unit: 'binary', maxLength: 60 }), (a, b) => {
        const t0 = performance.now();
        try {
          const s = calibrate(comparePrepared(prepareName(a), prepareName(b)).raw);
          expect(s).toBeGreaterThanOrEqual(0);
          expect(s).toBeLessThanOrEqual(1);
        } catch (err) {
          expect(err).toBeInstanceOf(UsageError);
        }
        expect(performance.now() - t0).toBeLessThan(1000);
      }),
      { numRuns: 400 },
    );
  });

  it('mutated SDN.CSV rows: records or a ParseError naming the line', () => {
    const good = '306,"BANCO NACIONAL DE CUBA",-0- ,"CUBA",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,"a.k.a. \'BNC\'."\r\n';
    fc.assert(
      fc.property(fc.nat({ max: good.length - 1 }), fc.constantFrom('"', ',', '\n', '', 'x', '\u001a'), (at, ch) => {
        const text = good + good.slice(0, at) + ch + good.slice(at + 1);
        try {
          const recs = parseOfacCsv(text, 'sdn.csv', 'sdn.csv');
          expect(recs.every((r) => r.fields.length === 12)).toBe(true);
        } catch (err) {
          expect(err).toBeInstanceOf(LedgerhoundError);
          expect((err as Error).message).toMatch(/^sdn\.csv @ 0x[0-9a-f]+ line \d+ /);
        }
      }),
      { numRuns: 300 },
    );
  });
});
