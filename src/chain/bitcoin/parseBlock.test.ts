import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LedgerhoundError, ParseError } from '../../core/index.js';
import { sharedPath } from '../../../test/helpers/sharedData.js';
import { hashToHex } from './hash.js';
import { parseBlock, parseBlockTransient, parseTransaction } from './parseBlock.js';

const block170 = (() => {
  // Height 170 holds the first person-to-person transaction (Satoshi → Hal Finney); take it from the real blk file.
  const dat = readFileSync(sharedPath('btc', 'blocks', 'mainnet', 'blk_mainnet_h0-438.dat'));
  let p = 0;
  for (let h = 0; h <= 170; h++) {
    const size = dat.readUInt32LE(p + 4);
    if (h === 170) return Buffer.from(dat.subarray(p + 8, p + 8 + size));
    p += 8 + size;
  }
  throw new Error('unreachable');
})();
const segwitBlock = readFileSync(sharedPath('btc', 'blocks', 'mainnet', 'block_866342.raw'));

describe('parseBlock', () => {
  it('decodes block 170 and its famous transaction', () => {
    const b = parseBlock(block170, { file: 'blk_mainnet_h0-438.dat' });
    expect(b.txCount).toBe(2);
    expect(hashToHex(b.txids.subarray(32, 64))).toBe('f4184fc596403b9d638783cf57adfe4c75c605f6356fbc91338530e9831e9e16');
    expect(b.outValue[1]).toBe(10 * 1e8); // 10 BTC to Hal Finney
    expect(b.txInputStart[2]! - b.txInputStart[1]!).toBe(1);
  });

  it('names file, absolute offset and field for a truncated block', () => {
    const cut = segwitBlock.subarray(0, segwitBlock.length - 100);
    let err: unknown;
    try {
      parseBlock(cut, { file: 'blk00042.dat', offset: 0x1000 });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ParseError);
    const pe = err as ParseError;
    expect(pe.code).toBe('LH_PARSE_TRUNCATED');
    expect(pe.file).toBe('blk00042.dat');
    expect(pe.offset).toBeGreaterThan(0x1000);
    expect(pe.message).toMatch(/^blk00042\.dat @ 0x[0-9a-f]+ tx\[\d+\]\.(vin|vout|witness)\[\d+\]\.\w+/);
    expect(pe.message).toMatch(/needs \d+ bytes, \d+ left/);
  });

  it('parseBlockTransient gives what parseBlock gives, as views that the next parse overwrites', () => {
    const copy = parseBlock(segwitBlock);
    const views = parseBlockTransient(segwitBlock);
    expect(views).toEqual(copy);
    expect(views.txStart.buffer).not.toBe(copy.txStart.buffer);
    const first = views.inPrevTxidOffset[0];
    const next = parseBlock(block170);
    expect(next.inPrevTxidOffset[0]).not.toBe(first);
    expect(views.inPrevTxidOffset[0]).toBe(next.inPrevTxidOffset[0]);
  });

  it('reports a witness-commitment mismatch when a witness byte is flipped (BIP141)', () => {
    const b = parseBlock(segwitBlock);
    const i = b.txSegwit.indexOf(1, 1);
    const bad = Buffer.from(segwitBlock);
    const w = b.inWitnessOffset[b.txInputStart[i]!]!;
    bad[w + 3]! ^= 0xff; // inside the first witness item: txids unchanged, wtxid changed
    expect(() => parseBlock(bad, { file: 'blk00002.dat' })).toThrow(/witness commitment .* does not match the witnesses/);
  });

  it('reports a merkle mismatch with the block hash when a byte of a transaction is flipped', () => {
    const b = parseBlock(segwitBlock);
    const bad = Buffer.from(segwitBlock);
    bad[b.outScriptOffset[5]! - 3]! ^= 0x01; // a value byte of output 5
    expect(() => parseBlock(bad, { file: 'blk00001.dat', offset: 8 })).toThrow(LedgerhoundError);
    try {
      parseBlock(bad, { file: 'blk00001.dat', offset: 8 });
    } catch (e) {
      expect((e as LedgerhoundError).code).toBe('LH_MERKLE_MISMATCH');
      expect((e as Error).message).toContain('000000000000000000014ce9ba7c6760053c3c82ce6ab43d60afb101d3c8f1f1');
      expect((e as Error).message).toContain('blk00001.dat @ 0x8');
    }
  });

  it('rejects trailing bytes, zero transactions and non-canonical CompactSize', () => {
    expect(() => parseBlock(Buffer.concat([block170, Buffer.from([0])]))).toThrow(/1 unexpected bytes after the last transaction/);
    const noTx = Buffer.concat([block170.subarray(0, 80), Buffer.from([0])]);
    expect(() => parseBlock(noTx)).toThrow(/at least one transaction/);
    const nonCanonical = Buffer.concat([block170.subarray(0, 80), Buffer.from([0xfd, 0x02, 0x00]), block170.subarray(81)]);
    expect(() => parseBlock(nonCanonical)).toThrow(/non-canonical CompactSize 0xfd encodes 2/);
  });

  it('rejects an absurd transaction count before allocating', () => {
    const huge = Buffer.concat([block170.subarray(0, 80), Buffer.from([0xfe, 0xff, 0xff, 0xff, 0x01]), Buffer.alloc(100)]);
    expect(() => parseBlock(huge)).toThrow(/claims \d+ transactions but only 100 bytes follow|exceeds the maximum/);
  });

  it('survives random and mutated bytes: always a LedgerhoundError, never a crash or hang', () => {
    const seeds = [block170, segwitBlock.subarray(0, 20000)];
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: seeds.length - 1 }),
        fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 8 }),
        fc.option(fc.nat(), { nil: undefined }),
        (which, flips, cutAt) => {
          const src = seeds[which]!;
          const m = Buffer.from(cutAt === undefined ? src : src.subarray(0, cutAt % src.length));
          for (const [pos, val] of flips) if (m.length > 0) m[pos % m.length] = val;
          try {
            parseBlock(m);
          } catch (e) {
            if (!(e instanceof LedgerhoundError)) throw e;
          }
        },
      ),
      { numRuns: 3000, seed: 42 },
    );
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 2000 }), (bytes) => {
        try {
          parseBlock(Buffer.from(bytes));
        } catch (e) {
          if (!(e instanceof LedgerhoundError)) throw e;
        }
        try {
          parseTransaction(Buffer.from(bytes));
        } catch (e) {
          if (!(e instanceof LedgerhoundError)) throw e;
        }
      }),
      { numRuns: 3000, seed: 7 },
    );
  });
});

describe('parseTransaction', () => {
  it('decodes a standalone segwit transaction with txid != wtxid', () => {
    const b = parseBlock(segwitBlock);
    const i = b.txSegwit.indexOf(1, 1);
    expect(i).toBeGreaterThan(0);
    const raw = Buffer.from(segwitBlock.subarray(b.txStart[i]!, b.txEnd[i]!));
    const t = parseTransaction(raw);
    expect(t.txids.equals(b.txids.subarray(32 * i, 32 * i + 32))).toBe(true);
    expect(t.wtxids.equals(b.wtxids.subarray(32 * i, 32 * i + 32))).toBe(true);
    expect(t.txids.equals(t.wtxids)).toBe(false);
  });

  it('rejects a bad segwit flag and all-empty witnesses (BIP144)', () => {
    const b = parseBlock(segwitBlock);
    const i = b.txSegwit.indexOf(1, 1);
    const raw = Buffer.from(segwitBlock.subarray(b.txStart[i]!, b.txEnd[i]!));
    const badFlag = Buffer.from(raw);
    badFlag[5] = 0x02;
    expect(() => parseTransaction(badFlag)).toThrow(/segwit flag must be 0x01, got 0x2/);
  });
});
