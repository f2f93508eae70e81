/**
 * Builds Bitcoin Core style blocks directories for tests by rewriting the real mainnet blocks of
 * ../shared/data/btc/blocks/mainnet/blk_mainnet_h0-438.dat: reorder, obfuscate, pad, truncate, fork.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sharedPath } from './sharedData.js';

export const MAIN_MAGIC = Buffer.from('f9beb4d9', 'hex');
export const MAINNET_H0_438 = () => sharedPath('btc', 'blocks', 'mainnet', 'blk_mainnet_h0-438.dat');
export const TIP_438 = '0000000025c6b644f8add734be7e666fa4afa43ca0204d623a0c0b1fd2104c7a';

/** The raw blocks of the real file, in file order (independent minimal reader: magic, u32 size, bytes). */
export function realBlocks(): Buffer[] {
  const data = readFileSync(MAINNET_H0_438());
  const out: Buffer[] = [];
  let pos = 0;
  while (pos + 8 <= data.length) {
    if (!data.subarray(pos, pos + 4).equals(MAIN_MAGIC)) throw new Error(`bad magic at ${pos}`);
    const size = data.readUInt32LE(pos + 4);
    out.push(Buffer.from(data.subarray(pos + 8, pos + 8 + size)));
    pos += 8 + size;
  }
  return out;
}

export function dsha(b: Uint8Array): Buffer {
  return createHash('sha256').update(createHash('sha256').update(b).digest()).digest();
}

/** Display hex of a block's hash. */
export function blockHashHex(block: Uint8Array): string {
  return Buffer.from(dsha(block.subarray(0, 80))).reverse().toString('hex');
}

/** One record in blk framing. */
export function record(block: Uint8Array, magic: Uint8Array = MAIN_MAGIC): Buffer {
  const pre = Buffer.alloc(8);
  Buffer.from(magic).copy(pre, 0);
  pre.writeUInt32LE(block.length, 4);
  return Buffer.concat([pre, block]);
}

export function xorBytes(data: Buffer, key: Buffer): Buffer {
  const out = Buffer.from(data);
  for (let p = 0; p < out.length; p++) out[p] = (out[p] as number) ^ (key[p % 8] as number);
  return out;
}

/** A fresh temporary directory (under the OS temp dir, never the repo). */
export function tempDir(prefix = 'lh-blk-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

/** Writes blk files (each an array of raw file contents) plus an optional xor.dat into DIR/blocks. */
export function writeBlocksDir(root: string, files: Buffer[], xorKey?: Buffer): string {
  const dir = join(root, 'blocks');
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  files.forEach((content, i) => {
    const name = `blk${String(i).padStart(5, '0')}.dat`;
    writeFileSync(join(dir, name), xorKey ? xorBytes(content, xorKey) : content);
  });
  if (xorKey) writeFileSync(join(dir, 'xor.dat'), xorKey);
  return dir;
}

/**
 * Makes a competing block on top of `parent` from `template`, a real coinbase-only block: points the header
 * at the parent, changes the last byte of the coinbase scriptSig by `tag` (so its txid is new) and sets the
 * merkle root to the new coinbase txid (a one-transaction block's merkle root is its txid). Proof of work is
 * not checked by the index; the block's work counts from its nBits.
 */
export function forkBlock(template: Buffer, parentHashInternal: Buffer, tag: number): Buffer {
  const b = Buffer.from(template);
  if (b[80] !== 1) throw new Error('forkBlock needs a coinbase-only block');
  parentHashInternal.copy(b, 4);
  const scriptLenAt = 80 + 1 + 4 + 1 + 32 + 4;
  const scriptLen = b[scriptLenAt] as number;
  if (scriptLen >= 0xfd || scriptLen === 0) throw new Error('unexpected coinbase scriptSig length');
  const last = scriptLenAt + scriptLen;
  b[last] = ((b[last] as number) + tag) & 0xff;
  dsha(b.subarray(81)).copy(b, 36);
  return b;
}
