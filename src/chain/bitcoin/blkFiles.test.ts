import { readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { MAIN_MAGIC, blockHashHex, realBlocks, record, tempDir, writeBlocksDir } from '../../../test/helpers/blk.js';
import { BlkReader, listBlkFiles, readXorKey, scanBlkFile, xorInPlace } from './blkFiles.js';
import { ParseError } from '../../core/index.js';

const blocks = realBlocks();
const root = tempDir();
afterAll(() => rmSync(root, { recursive: true, force: true }));

function scanAll(dir: string) {
  const files = listBlkFiles(dir);
  const key = readXorKey(dir);
  const reader = new BlkReader(files, key);
  const hashes: string[] = [];
  const scans = files.map((f) =>
    scanBlkFile(f, MAIN_MAGIC, key, (loc, header) => {
      const block = reader.read(loc);
      expect(block.subarray(0, 80).equals(header)).toBe(true);
      hashes.push(blockHashHex(block));
    }),
  );
  reader.close();
  return { hashes, scans };
}

describe('blk files (real mainnet blocks 0..438 rewritten)', () => {
  const expected = blocks.map(blockHashHex);

  it('reads every record of the real file in order', () => {
    const dir = writeBlocksDir(join(root, 'plain'), [Buffer.concat(blocks.map((b) => record(b)))]);
    const { hashes, scans } = scanAll(dir);
    expect(hashes).toEqual(expected);
    expect(scans[0]?.truncated).toBeNull();
    expect(scans[0]?.paddingFrom).toBeNull();
  });

  it('lists files by number, not by name', () => {
    const dir = writeBlocksDir(join(root, 'order'), [record(blocks[0]!), record(blocks[1]!)]);
    // blk100000.dat sorts before blk99999.dat by name but after it by number.
    writeFileSync(join(dir, 'blk100000.dat'), record(blocks[3]!));
    writeFileSync(join(dir, 'blk99999.dat'), record(blocks[2]!));
    expect(readdirSync(dir).length).toBe(4);
    expect(scanAll(dir).hashes).toEqual(expected.slice(0, 4));
  });

  it('de-obfuscates with xor.dat by absolute file position; all-zero key = none', () => {
    const key = Buffer.from('0123456789abcdef', 'hex');
    const half = Math.floor(blocks.length / 2);
    const files = [Buffer.concat(blocks.slice(0, half).map((b) => record(b))), Buffer.concat(blocks.slice(half).map((b) => record(b)))];
    const dir = writeBlocksDir(join(root, 'xor'), files, key);
    expect(readXorKey(dir)).toEqual(key);
    expect(scanAll(dir).hashes).toEqual(expected);
    const zero = writeBlocksDir(join(root, 'xor0'), files, Buffer.alloc(8));
    expect(readXorKey(zero)).toBeNull();
    expect(scanAll(zero).hashes).toEqual(expected);
  });

  it('xorInPlace agrees with a byte-wise reference at every phase and alignment', () => {
    const key = Buffer.from('a1b2c3d4e5f60718', 'hex');
    const data = Buffer.from(blocks[170]!.subarray(0, 301));
    for (let start = 0; start < 9; start++) {
      for (const filePos of [0, 3, 8, 13, 1001]) {
        const got = Buffer.from(data);
        xorInPlace(got, start, got.length, key, filePos);
        const want = Buffer.from(data);
        for (let i = start; i < want.length; i++) want[i] = (want[i] as number) ^ (key[(filePos + i - start) % 8] as number);
        expect(got.equals(want)).toBe(true);
      }
    }
  });

  it('stops at zero padding (preallocated file end)', () => {
    const body = Buffer.concat(blocks.slice(0, 10).map((b) => record(b)));
    const dir = writeBlocksDir(join(root, 'pad'), [Buffer.concat([body, Buffer.alloc(1 << 16)]), Buffer.concat([record(blocks[10]!), Buffer.alloc(5)])]);
    const { hashes, scans } = scanAll(dir);
    expect(hashes).toEqual(expected.slice(0, 11));
    expect(scans[0]?.paddingFrom).toBe(body.length);
    expect(scans[1]?.paddingFrom).toBe(record(blocks[10]!).length);
  });

  it('stops cleanly at a truncated last record and reports it', () => {
    const body = Buffer.concat(blocks.slice(0, 5).map((b) => record(b)));
    const cut = record(blocks[5]!).subarray(0, 100);
    const dir = writeBlocksDir(join(root, 'trunc'), [Buffer.concat([body, cut])]);
    const { hashes, scans } = scanAll(dir);
    expect(hashes).toEqual(expected.slice(0, 5));
    expect(scans[0]?.truncated).toEqual({ file: 'blk00000.dat', offset: body.length, needed: record(blocks[5]!).length, available: 100 });
  });

  it('rejects unknown magic with file and offset; names a known other network', () => {
    const body = Buffer.concat(blocks.slice(0, 3).map((b) => record(b)));
    const bad = Buffer.concat([body, record(blocks[3]!, Buffer.from('deadbeef', 'hex'))]);
    const dir = writeBlocksDir(join(root, 'magic'), [bad]);
    const err = (() => {
      try {
        scanAll(dir);
      } catch (e) {
        return e;
      }
      return null;
    })();
    expect(err).toBeInstanceOf(ParseError);
    expect((err as ParseError).code).toBe('LH_BLK_MAGIC');
    expect((err as ParseError).message).toContain(`blk00000.dat @ 0x${body.length.toString(16)} magic: unknown magic deadbeef`);
    const test3 = writeBlocksDir(join(root, 'magic3'), [record(blocks[0]!, Buffer.from('0b110907', 'hex'))]);
    expect(() => scanAll(test3)).toThrow(/found the test \(testnet3\) network magic 0b110907, expected f9beb4d9/);
  });

  it('rejects an impossible size field and a wrong-length xor.dat', () => {
    const r = record(blocks[0]!);
    r.writeUInt32LE(12, 4);
    const dir = writeBlocksDir(join(root, 'size'), [r]);
    expect(() => scanAll(dir)).toThrow(/blk00000\.dat @ 0x4 size: block size 12 is outside 80\.\.4000000/);
    const bad = writeBlocksDir(join(root, 'xorlen'), [record(blocks[0]!)]);
    writeFileSync(join(bad, 'xor.dat'), Buffer.alloc(7, 1));
    expect(() => readXorKey(bad)).toThrow(/xor\.dat: expected an 8-byte key, found 7 bytes/);
  });

  it('reports a missing directory or one without blk files as a usage error', () => {
    expect(() => listBlkFiles(join(root, 'nope'))).toThrow(/does not exist/);
    const empty = writeBlocksDir(join(root, 'empty'), []);
    expect(() => listBlkFiles(empty)).toThrow(/no blk\?\?\?\?\?\.dat files/);
  });
});
