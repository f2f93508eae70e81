import { randomBytes } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AddressTable } from './addressTable.js';

describe('AddressTable', () => {
  it('agrees with a Map on random keys of mixed lengths, with repeats and shared prefixes', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.nat(300), fc.constantFrom(21, 22, 33, 42)), { maxLength: 2000 }), (ops) => {
        const pool = Array.from({ length: 301 }, (_, i) => {
          const k = randomBytes(42);
          if (i % 2) k.fill(7, 0, 10); // identical hashed bytes: equal hashes, long probe runs
          return k;
        });
        const t = new AddressTable();
        const ref = new Map<string, number>();
        for (const [i, len] of ops) {
          const key = (pool[i] as Buffer).subarray(0, len);
          const hex = key.toString('hex');
          const buf = Buffer.concat([randomBytes(3), key]); // at an odd offset
          const got = t.get(buf, 3, 3 + len);
          expect(got).toBe(ref.get(hex) ?? -1);
          if (got < 0) {
            // New keys go in through add() or getOrAdd() (the ingest path), alternately.
            const id = i % 3 === 0 ? t.add(buf, 3, 3 + len) : t.getOrAdd(buf, 3, 3 + len);
            expect(id).toBe(ref.size);
            ref.set(hex, id);
          } else {
            expect(t.getOrAdd(buf, 3, 3 + len)).toBe(got);
          }
        }
        expect(t.size).toBe(ref.size);
        for (const [hex, id] of ref) expect(Buffer.from(t.key(id), 'latin1').toString('hex')).toBe(hex);
      }),
      { numRuns: 40 },
    );
  });

  it('keeps finding keys stored across many arena chunks', () => {
    const t = new AddressTable();
    const n = 400_000; // seven chunks of 65,536 records
    const buf = Buffer.alloc(33 * n);
    for (let i = 0; i < n; i++) {
      buf[33 * i] = 4;
      buf.writeUInt32LE(Math.imul(i + 1, 2654435761) >>> 0, 33 * i + 1);
      buf.writeUInt32LE(i, 33 * i + 29);
    }
    let wrong = 0;
    for (let i = 0; i < n; i++) if (t.getOrAdd(buf, 33 * i, 33 * i + 33) !== i) wrong++;
    for (let i = 0; i < n; i++) if (t.getOrAdd(buf, 33 * i, 33 * i + 33) !== i) wrong++;
    expect(wrong).toBe(0);
    expect(t.size).toBe(n);
    for (let i = 0; i < n; i += 997) {
      expect(t.get(buf, 33 * i, 33 * i + 33)).toBe(i);
      expect(Buffer.from(t.key(i), 'latin1').equals(buf.subarray(33 * i, 33 * i + 33))).toBe(true);
    }
    expect(t.get(Buffer.alloc(33, 4), 0, 33)).toBe(-1);
  });

  it('finds every key after reserve() grew its slots mid-way, and reserve() never shrinks them', () => {
    const t = new AddressTable();
    const key = (i: number) => {
      const b = Buffer.alloc(21);
      b[0] = 1;
      b.writeUInt32LE(Math.imul(i + 7, 2654435761) >>> 0, 1);
      b.writeUInt32LE(i, 17);
      return b;
    };
    for (let i = 0; i < 5000; i++) expect(t.getOrAdd(key(i), 0, 21)).toBe(i);
    t.reserve(300_000);
    t.reserve(10); // smaller: no-op
    for (let i = 5000; i < 60_000; i++) expect(t.getOrAdd(key(i), 0, 21)).toBe(i);
    for (let i = 0; i < 60_000; i += 7) expect(t.get(key(i), 0, 21)).toBe(i);
    expect(t.get(key(60_000), 0, 21)).toBe(-1);
  });
});
