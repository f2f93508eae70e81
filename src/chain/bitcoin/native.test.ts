import { readdirSync, readFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { sharedPath } from '../../../test/helpers/sharedData.js';
import { merkleRootMany } from './_sha256x4.js';
import { sha256d } from './hash.js';
import { loadNativeForComparison } from './native.js';
import type * as ParseModule from './parseBlock.js';
import { parseBlock } from './parseBlock.js';

const accel = loadNativeForComparison();
const dir = sharedPath('btc', 'blocks', 'mainnet');
const blocks = readdirSync(dir)
  .filter((f) => f.endsWith('.raw'))
  .map((f) => ({ name: f, bytes: readFileSync(`${dir}/${f}`) }));

/** parseBlock of a fresh module instance loaded with LEDGERHOUND_NATIVE=0: the WebAssembly and JavaScript path. */
let fallback: typeof ParseModule;
beforeAll(async () => {
  vi.stubEnv('LEDGERHOUND_NATIVE', '0');
  vi.resetModules();
  fallback = await import('./parseBlock.js');
  const n = await import('./native.js');
  expect(n.native).toBeNull();
  expect(n.nativeUnavailable).toMatch(/LEDGERHOUND_NATIVE=0/);
});
afterAll(() => {
  vi.unstubAllEnvs();
});

describe.skipIf(accel === null)('native accelerator', () => {
  it('parses every real block (2012-2024, legacy and segwit) to the same txids, wtxids and merkle checks as the fallback', () => {
    expect(blocks.length).toBeGreaterThanOrEqual(12);
    for (const b of blocks) {
      const a = parseBlock(b.bytes, { file: b.name });
      const w = fallback.parseBlock(b.bytes, { file: b.name });
      expect(a.txids.equals(w.txids), b.name).toBe(true);
      expect(a.wtxids.equals(w.wtxids), b.name).toBe(true);
      expect(a.txCount).toBe(w.txCount);
    }
  });

  it('rejects a corrupted transaction with the same merkle error as the fallback', () => {
    const b = Buffer.from((blocks.find((x) => x.name === 'block_866342.raw') ?? blocks[0])!.bytes);
    b.writeUInt8(b.readUInt8(b.length - 2) ^ 1, b.length - 2); // inside the last transaction's locktime: parses, but hashes differently
    expect(() => parseBlock(b)).toThrow(/merkle root/);
    expect(() => fallback.parseBlock(b)).toThrow(/merkle root/);
  });

  it('merkleRoot equals the WebAssembly one for 1..70 leaves and random sizes', () => {
    const a = accel!;
    for (let n = 1; n <= 70; n++) {
      const h = randomBytes(32 * n);
      const out = new Uint8Array(32);
      a.merkleRoot(h, n, out);
      expect(Buffer.from(out).equals(merkleRootMany(h, n)), `${n} leaves`).toBe(true);
    }
  });

  it('txHashes gives sha256d of legacy transactions and of the stripped form of segwit ones', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.uint8Array({ minLength: 10, maxLength: 700 }), fc.boolean()), { minLength: 1, maxLength: 20 }), (txs) => {
        const buf = Buffer.concat(txs.map(([b]) => b));
        const n = txs.length;
        const start = new Uint32Array(n);
        const end = new Uint32Array(n);
        const segwit = new Uint8Array(n);
        const body = new Uint32Array(n);
        const wit = new Uint32Array(n);
        let p = 0;
        txs.forEach(([b, sw], t) => {
          start[t] = p;
          end[t] = p + b.length;
          segwit[t] = sw ? 1 : 0;
          // A "body" between version and locktime: bytes 6 .. length-4-(a third of the rest).
          body[t] = p + 6;
          wit[t] = p + 6 + Math.floor((b.length - 10) / 2);
          p += b.length;
        });
        const txids = new Uint8Array(32 * n);
        const wtxids = new Uint8Array(32 * n);
        accel!.txHashes(buf, n, start, end, segwit, body, wit, txids, wtxids);
        txs.forEach(([b], t) => {
          const s = start[t]!;
          const e = end[t]!;
          expect(Buffer.from(wtxids.subarray(32 * t, 32 * t + 32)).equals(sha256d(b))).toBe(true);
          const legacy = segwit[t] ? Buffer.concat([buf.subarray(s, s + 4), buf.subarray(body[t]!, wit[t]!), buf.subarray(e - 4, e)]) : b;
          expect(Buffer.from(txids.subarray(32 * t, 32 * t + 32)).equals(sha256d(legacy))).toBe(true);
        });
      }),
      { numRuns: 60 },
    );
  });

  it('refuses offsets outside their buffers with a RangeError instead of reading out of bounds', () => {
    const a = accel!;
    const buf = new Uint8Array(100);
    const u = (...v: number[]) => Uint32Array.from(v);
    const out = () => new Uint8Array(32);
    expect(() => a.txHashes(buf, 1, u(0), u(101), new Uint8Array(1), u(0), u(0), out(), out())).toThrow(RangeError);
    expect(() => a.txHashes(buf, 1, u(50), u(40), new Uint8Array(1), u(0), u(0), out(), out())).toThrow(RangeError);
    expect(() => a.txHashes(buf, 1, u(0), u(50), Uint8Array.of(1), u(2), u(60), out(), out())).toThrow(RangeError);
    expect(() => a.txHashes(buf, 2, u(0), u(50), new Uint8Array(1), u(0), u(0), out(), out())).toThrow(RangeError);
    expect(() => a.merkleRoot(new Uint8Array(64), 3, out())).toThrow(RangeError);
    expect(() => a.merkleRoot(new Uint8Array(64), 0, out())).toThrow(RangeError);
    const keys = Uint8Array.of(1, ...new Uint8Array(20));
    const slots = new Uint8Array(35);
    expect(() => a.base58checkMany(keys, u(0, 21), u(1), 1, 0, 5, slots, new Uint8Array(1))).toThrow(RangeError);
    expect(() => a.base58checkMany(keys, u(0, 22), u(0), 1, 0, 5, slots, new Uint8Array(1))).toThrow(RangeError);
    expect(() => a.base58checkMany(keys, u(0, 21), u(0), 1, 0, 5, new Uint8Array(34), new Uint8Array(1))).toThrow(RangeError);
    expect(() => a.merkleRoot('x' as unknown as Uint8Array, 1, out())).toThrow(TypeError);
  });
});
