import { hash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { sha256d64, sha256dShortPrefix, sha256of32 } from './_sha256d64.js';

const sha = (b: Uint8Array) => hash('sha256', b, 'buffer');

describe('fixed-size JS SHA-256 agrees with node:crypto', () => {
  it('sha256d64 = sha256(sha256(64 bytes)), also in place', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 64, maxLength: 64 }), (m) => {
        const out = Buffer.alloc(32);
        sha256d64(m, 0, out, 0);
        expect(out.equals(sha(sha(m)))).toBe(true);
        const inPlace = Buffer.from(m);
        sha256d64(inPlace, 0, inPlace, 0);
        expect(inPlace.subarray(0, 32).equals(out)).toBe(true);
      }),
      { numRuns: 500 },
    );
  });

  it('sha256of32 = sha256(32 bytes)', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 32, maxLength: 32 }), (m) => {
        const out = Buffer.alloc(32);
        sha256of32(m, 0, out, 0);
        expect(out.equals(sha(m))).toBe(true);
      }),
      { numRuns: 500 },
    );
  });

  it('sha256dShortPrefix = the first 4 bytes of sha256(sha256(m)) for every length 0..55, at any offset', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 0, maxLength: 55 }), fc.nat(7), (m, pad) => {
        const src = Buffer.concat([Buffer.alloc(pad, 0xee), m, Buffer.alloc(3, 0xdd)]);
        expect(sha256dShortPrefix(src, pad, m.length)).toBe(sha(sha(m)).readUInt32BE(0));
      }),
      { numRuns: 1000 },
    );
    expect(() => sha256dShortPrefix(Buffer.alloc(56), 0, 56)).toThrow(RangeError);
  });
});
