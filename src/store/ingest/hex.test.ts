import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { loadNativeForComparison } from '../../chain/index.js';
import { hashesToHex, revHex, revHexInto } from './hex.js';

describe('revHexInto', () => {
  it('writes the byte-reversed hex of a hash, word-wise and byte-wise alike', () => {
    const src = new Uint8Array(32 * 50);
    src.set(randomBytes(src.length));
    src.fill(0xff, 0, 32);
    src.fill(0, 32, 64);
    const src32 = new Uint32Array(src.buffer);
    const words = new Uint8Array(64 * 50);
    const words32 = new Uint32Array(words.buffer);
    const bytes = new Uint8Array(64 * 50 + 3);
    for (let t = 0; t < 50; t++) {
      const expected = Buffer.from(src.subarray(32 * t, 32 * t + 32)).reverse().toString('hex');
      revHexInto(src, 32 * t, words, 64 * t, src32, words32);
      revHexInto(src, 32 * t, bytes, 64 * t + 3); // no views, odd offset: the byte-wise path
      expect(Buffer.from(words.subarray(64 * t, 64 * t + 64)).toString('latin1')).toBe(expected);
      expect(Buffer.from(bytes.subarray(64 * t + 3, 64 * t + 67)).toString('latin1')).toBe(expected);
      expect(revHex(src, 32 * t)).toBe(expected);
    }
  });
});

describe('hashesToHex', () => {
  const accel = loadNativeForComparison();
  it.each([
    ['native', accel],
    ['JavaScript', null],
  ])('writes the hex of every hash, or of the masked ones only, packed (%s)', (_name, a) => {
    const n = 37;
    const src = new Uint8Array(randomBytes(32 * n));
    const mask = Uint8Array.from({ length: n }, (_, i) => (i % 3 === 0 ? 1 : 0));
    const want = (i: number) => Buffer.from(src.subarray(32 * i, 32 * i + 32)).reverse().toString('hex');
    const all = new Uint8Array(64 * n);
    expect(hashesToHex(src, n, null, all, a)).toBe(n);
    for (let i = 0; i < n; i++) expect(Buffer.from(all.subarray(64 * i, 64 * i + 64)).toString('latin1')).toBe(want(i));
    const some = new Uint8Array(64 * 13);
    expect(hashesToHex(src, n, mask, some, a)).toBe(13);
    for (let k = 0; k < 13; k++) expect(Buffer.from(some.subarray(64 * k, 64 * k + 64)).toString('latin1')).toBe(want(3 * k));
    expect(() => hashesToHex(src, n, null, new Uint8Array(64 * n - 1), a)).toThrow(RangeError);
  });
});
