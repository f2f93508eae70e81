import { hash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  merkleRootMany,
  padInHeap,
  paddedBlocks,
  scratchHeap,
  sha256d64Many,
  sha256dBlockMany,
  sha256of32Many,
  sha256PaddedInHeap,
} from './_sha256x4.js';

/** Message m (at most 55 bytes) padded to one SHA-256 block at block[at..]: m, 0x80, zeros, bit length. */
function padBlock(m: Uint8Array, block: Buffer, at: number): void {
  block.fill(0, at, at + 64);
  block.set(m, at);
  block[at + m.length] = 0x80;
  block.writeUInt16BE(m.length * 8, at + 62);
}

const sha = (b: Uint8Array) => hash('sha256', b, 'buffer');

/** Bitcoin's merkle tree the obvious way, with node:crypto (odd last node paired with itself). */
function referenceRoot(hashes: Buffer[]): Buffer {
  let level = hashes;
  while (level.length > 1) {
    const next: Buffer[] = [];
    for (let i = 0; i < level.length; i += 2) next.push(sha(sha(Buffer.concat([level[i] as Buffer, (level[i + 1] ?? level[i]) as Buffer]))));
    level = next;
  }
  return level[0] as Buffer;
}

describe('four-lane SIMD SHA-256 agrees with node:crypto', () => {
  // Counts that fill 1..3 lanes of the last group of four, and several groups.
  const counts = fc.integer({ min: 1, max: 41 });

  it('sha256d64Many = sha256(sha256(64 bytes)) for each message, at offsets and in place', () => {
    fc.assert(
      fc.property(counts, fc.nat(9), fc.integer(), (n, pad, seed) => {
        const src = Buffer.alloc(pad + 64 * n);
        for (let i = 0; i < src.length; i++) src[i] = (seed * 31 + i * 131 + (i >> 5) * 7) & 0xff;
        const out = Buffer.alloc(3 + 32 * n, 0xaa);
        sha256d64Many(src, pad, out, 3, n);
        for (let i = 0; i < n; i++) expect(out.subarray(3 + 32 * i, 3 + 32 * i + 32)).toEqual(sha(sha(src.subarray(pad + 64 * i, pad + 64 * i + 64))));
        expect(out.subarray(0, 3)).toEqual(Buffer.alloc(3, 0xaa)); // nothing written before dstOff
        sha256d64Many(src, pad, src, pad, n);
        expect(src.subarray(pad, pad + 32 * n)).toEqual(out.subarray(3));
      }),
      { numRuns: 200 },
    );
  });

  it('sha256of32Many = sha256(32 bytes) for each message, and in place', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 32, maxLength: 32 * 41 }), (m) => {
        const n = m.length >> 5;
        const src = Buffer.from(m.subarray(0, 32 * n));
        const out = Buffer.alloc(32 * n);
        sha256of32Many(src, 0, out, 0, n);
        for (let i = 0; i < n; i++) expect(out.subarray(32 * i, 32 * i + 32)).toEqual(sha(src.subarray(32 * i, 32 * i + 32)));
        sha256of32Many(src, 0, src, 0, n);
        expect(src).toEqual(out);
      }),
      { numRuns: 200 },
    );
  });

  it('sha256dBlockMany over padded blocks = sha256(sha256(m)) for every length 0..55', () => {
    fc.assert(
      fc.property(fc.array(fc.uint8Array({ minLength: 0, maxLength: 55 }), { minLength: 1, maxLength: 23 }), (msgs) => {
        const blocks = Buffer.alloc(64 * msgs.length, 0xee);
        msgs.forEach((m, i) => {
          padBlock(m, blocks, 64 * i);
        });
        const out = Buffer.alloc(32 * msgs.length);
        sha256dBlockMany(blocks, out, 0, msgs.length);
        msgs.forEach((m, i) => {
          expect(out.subarray(32 * i, 32 * i + 32)).toEqual(sha(sha(m)));
        });
      }),
      { numRuns: 200 },
    );
  });

  it('sha256PaddedInHeap = sha256(m) for messages of 1..8 padded blocks, padded in place by padInHeap', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 8 * 64 - 9 }), fc.integer({ min: 1, max: 13 }), fc.integer(), (len, n, seed) => {
        const nb = paddedBlocks(len);
        expect(nb).toBe(Math.ceil((len + 9) / 64));
        const msgs = Array.from({ length: n }, (_, i) => Buffer.from(Array.from({ length: len }, (_, k) => (seed + 31 * i + 7 * k) & 0xff)));
        const slots = 4 * Math.ceil(n / 4);
        const { heap, base } = scratchHeap(slots * 64 * nb + 32 * slots);
        heap.fill(0xcc, base, base + slots * 64 * nb); // stale bytes: padding must overwrite them
        msgs.forEach((m, i) => {
          heap.set(m, base + 64 * nb * i);
          padInHeap(heap, base + 64 * nb * i, len);
        });
        const dst = base + slots * 64 * nb;
        sha256PaddedInHeap(base, dst, n, nb);
        const { heap: h } = scratchHeap(0);
        msgs.forEach((m, i) => {
          expect(Buffer.from(h.subarray(dst + 32 * i, dst + 32 * i + 32))).toEqual(sha(m));
        });
      }),
      { numRuns: 150 },
    );
  });

  it('merkleRootMany is Bitcoin merkle root for 1..300 leaves (odd levels included) and leaves its input alone', () => {
    for (let n = 1; n <= 300; n += n < 20 ? 1 : 37) {
      const leaves = Array.from({ length: n }, (_, i) => sha(Buffer.from(`leaf ${n} ${i}`)));
      const packed = Buffer.concat(leaves);
      const copy = Buffer.from(packed);
      expect(merkleRootMany(packed, n)).toEqual(referenceRoot(leaves));
      expect(packed).toEqual(copy);
    }
    expect(() => merkleRootMany(Buffer.alloc(0), 0)).toThrow(RangeError);
  });

  it('grows its memory for a large input (40,000 leaves, more than a 64 KiB page)', () => {
    const leaves = Array.from({ length: 40_000 }, (_, i) => sha(Buffer.from(String(i))));
    expect(merkleRootMany(Buffer.concat(leaves), leaves.length)).toEqual(referenceRoot(leaves));
  });
});
