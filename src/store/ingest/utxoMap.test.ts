import { randomBytes } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { UtxoMap } from './utxoMap.js';

const words = (b: Buffer) => new Uint32Array(b.buffer, b.byteOffset, 8);

describe('UtxoMap', () => {
  it('agrees with a Map under random inserts, spends and BIP30 overwrites (forcing growth and wrap-around)', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.nat(40), fc.nat(3), fc.boolean()), { maxLength: 3000 }), fc.integer(), (ops, seed) => {
        const txids = Array.from({ length: 41 }, (_, i) => {
          const b = Buffer.alloc(32);
          b.writeUInt32LE((seed ^ Math.imul(i, 2654435761)) >>> 0, 0); // few distinct home slots: long probe runs
          b.writeUInt32LE(i, 4);
          return b;
        });
        const m = new UtxoMap(16);
        const ref = new Map<string, number>();
        let id = 0;
        for (const [t, vout, spend] of ops) {
          const key = `${t}:${vout}`;
          const w = words(txids[t]!);
          if (spend) {
            const slot = m.find(w, 0, vout);
            expect(slot >= 0).toBe(ref.has(key));
            if (slot >= 0) {
              expect(m.outputId(slot)).toBe(ref.get(key));
              expect(m.value(slot)).toBe(ref.get(key)! * 10);
              m.removeAt(slot);
              ref.delete(key);
            }
          } else {
            expect(m.insert(w, 0, vout, id, id * 10, -1)).toBe(ref.has(key));
            ref.set(key, id++);
          }
          expect(m.size).toBe(ref.size);
        }
        for (const [key, v] of ref) {
          const [t, vout] = key.split(':').map(Number) as [number, number];
          expect(m.outputId(m.find(words(txids[t]!), 0, vout))).toBe(v);
        }
      }),
      { numRuns: 60 },
    );
  });

  it('holds many random txids and finds each', () => {
    const m = new UtxoMap();
    const all = Array.from({ length: 50_000 }, () => randomBytes(32));
    all.forEach((b, i) => {
      m.insert(words(b), 0, i % 5, i, i, i % 7 === 0 ? -1 : i);
    });
    expect(m.size).toBe(all.length);
    all.forEach((b, i) => {
      const s = m.find(words(b), 0, i % 5);
      expect(m.outputId(s)).toBe(i);
      expect(m.addressId(s)).toBe(i % 7 === 0 ? -1 : i);
    });
    expect(m.find(words(all[0]!), 0, 9)).toBe(-1);
  });
});
