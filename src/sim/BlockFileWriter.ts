/**
 * Writes blocks the way Bitcoin Core lays them out in `blocks/`: files `blk00000.dat`, `blk00001.dat`, …
 * of at most 128 MiB (MAX_BLOCKFILE_SIZE), each record = 4 magic bytes + u32 LE size + block, and,
 * with a key, every byte at file offset p XORed with key[p % 8] and the key in `blocks/xor.dat`
 * (Bitcoin Core 28+). Blocks can be delayed a few slots before they are written, as blocks arrive
 * out of height order during headers-first sync.
 */
import { closeSync, mkdirSync, openSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { xorObfuscate } from '../chain/index.js';

/** Bitcoin Core's MAX_BLOCKFILE_SIZE (src/node/blockstorage.h): 128 MiB. */
export const MAX_BLOCKFILE_SIZE = 0x8000000;

interface Pending {
  due: number;
  seq: number;
  block: Buffer;
}

export class BlockFileWriter {
  private fd = -1;
  private fileIndex = -1;
  private fileSize = 0;
  private seq = 0;
  private readonly pending: Pending[] = [];
  /** Bytes written to block files so far (framing included). */
  bytesWritten = 0;
  /** Files written, in order. */
  readonly files: string[] = [];

  constructor(
    private readonly dir: string,
    private readonly magic: Buffer,
    private readonly xorKey: Buffer | null,
    private readonly maxFileSize = MAX_BLOCKFILE_SIZE,
  ) {
    mkdirSync(dir, { recursive: true });
    if (xorKey !== null) writeFileSync(join(dir, 'xor.dat'), xorKey);
  }

  /**
   * Queues a block to be written after `delay` more blocks have been queued (0 = in order).
   * Blocks whose delays have run out are written in the order they were queued.
   */
  add(block: Buffer, delay: number): void {
    const seq = this.seq++;
    this.pending.push({ due: seq + delay, seq, block });
    this.flushDue(seq);
  }

  private flushDue(now: number): void {
    if (this.pending.every((p) => p.due > now)) return;
    const ready = this.pending.filter((p) => p.due <= now).sort((a, b) => a.seq - b.seq);
    for (const p of ready) {
      this.write(p.block);
      this.pending.splice(this.pending.indexOf(p), 1);
    }
  }

  private write(block: Buffer): void {
    const size = 8 + block.length;
    if (this.fd < 0 || this.fileSize + size > this.maxFileSize) this.nextFile();
    const rec = Buffer.allocUnsafe(size);
    this.magic.copy(rec, 0, 0, 4);
    rec.writeUInt32LE(block.length, 4);
    block.copy(rec, 8);
    if (this.xorKey !== null) xorObfuscate(rec, this.xorKey, this.fileSize);
    let off = 0;
    while (off < rec.length) off += writeSync(this.fd, rec, off, rec.length - off);
    this.fileSize += size;
    this.bytesWritten += size;
  }

  private nextFile(): void {
    if (this.fd >= 0) closeSync(this.fd);
    this.fileIndex++;
    const name = `blk${String(this.fileIndex).padStart(5, '0')}.dat`;
    this.fd = openSync(join(this.dir, name), 'w');
    this.fileSize = 0;
    this.files.push(name);
  }

  /** Writes every queued block (in queue order) and closes the current file. */
  close(): void {
    this.flushDue(Number.POSITIVE_INFINITY);
    if (this.fd >= 0) closeSync(this.fd);
    this.fd = -1;
  }
}
