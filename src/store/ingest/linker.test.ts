import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { revHex, revHexInto } from './linker.js';

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
