/**
 * Reading a Bitcoin Core `blocks/` directory: the `blk?????.dat` files, their record framing and the
 * Bitcoin Core 28+ XOR obfuscation (`xor.dat`).
 *
 * Record framing (Bitcoin Core `node/blockstorage.cpp`, `WriteBlockToDisk`): 4 bytes network magic,
 * u32 little-endian block size, then the serialized block. Files are preallocated in 16 MiB steps, so a
 * file ends with zero bytes where the next magic would be. The file being written may end in a record
 * whose size runs past the end of the file (crash or copy while the node runs).
 *
 * Unknown magic: we stop with a ParseError (code LH_BLK_MAGIC) naming file and offset instead of
 * scanning forward for the next magic as Bitcoin Core's `-reindex` does. Core rebuilds its index from
 * whatever is there; an investigator's database must not silently skip bytes, and the usual cause
 * (a `--network` that does not match the directory) deserves a clear message rather than an empty chain.
 *
 * Reading is done with positioned reads (`fs.readSync` at an offset): the header pass reads 88 bytes per
 * record and skips the body; block reads copy each block exactly once, into the caller's buffer.
 */
import { closeSync, existsSync, fstatSync, openSync, readdirSync, readFileSync, readSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { LedgerhoundError, ParseError, UsageError } from '../../core/index.js';

/** Largest serialized block a valid chain can contain (MAX_BLOCK_SERIALIZED_SIZE, BIP141). */
export const MAX_BLOCK_SERIALIZED_SIZE = 4_000_000;

/** Bytes before each block in a blk file: magic (4) + size (4). */
export const RECORD_PREAMBLE = 8;

/** One `blk?????.dat` file of a blocks directory. */
export interface BlkFile {
  /** The number in the name (`blk00012.dat` → 12): Bitcoin Core's nFile. */
  fileNo: number;
  path: string;
  name: string;
  /** Size in bytes when listed. */
  size: number;
}

/** Where a block lives: file number, offset of its first byte (after magic and size), length. */
export interface BlockLocation {
  fileNo: number;
  offset: number;
  size: number;
}

/** A truncated last record: its size field claims more bytes than the file holds. */
export interface TruncatedRecord {
  file: string;
  /** Offset of the record's magic. */
  offset: number;
  /** Bytes the record needs (preamble + claimed size). */
  needed: number;
  /** Bytes the file still has from `offset`. */
  available: number;
}

/** What one file's header scan found. */
export interface BlkFileScan {
  file: string;
  records: number;
  /** Offset where zero padding (preallocated, unwritten space) starts, or null when the file has none. */
  paddingFrom: number | null;
  truncated: TruncatedRecord | null;
}

/**
 * Lists the `blk?????.dat` files of a directory in file-number order (not name order: `blk100000.dat`
 * sorts after `blk99999.dat`).
 *
 * @throws UsageError when the directory does not exist or holds no blk file.
 */
export function listBlkFiles(dir: string): BlkFile[] {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) {
    throw new UsageError(`blocks directory ${dir} does not exist`, { dir }, 'Pass the `blocks` folder of a Bitcoin Core data directory.');
  }
  const files: BlkFile[] = [];
  for (const name of readdirSync(dir)) {
    const m = /^blk(\d+)\.dat$/.exec(name);
    if (!m) continue;
    const path = join(dir, name);
    const st = statSync(path);
    if (!st.isFile()) continue;
    files.push({ fileNo: Number(m[1]), path, name, size: st.size });
  }
  if (files.length === 0) {
    throw new UsageError(`no blk?????.dat files in ${dir}`, { dir }, 'Pass the `blocks` folder of a Bitcoin Core data directory.');
  }
  files.sort((a, b) => a.fileNo - b.fileNo);
  return files;
}

/**
 * The obfuscation key of a blocks directory: the 8 bytes of `DIR/xor.dat` (Bitcoin Core 28+), or null
 * when the file is absent or the key is all zero (no obfuscation).
 *
 * @throws ParseError (LH_BLK_XOR) when xor.dat exists but is not 8 bytes long.
 */
export function readXorKey(dir: string): Buffer | null {
  const path = join(dir, 'xor.dat');
  if (!existsSync(path)) return null;
  const key = readFileSync(path);
  if (key.length !== 8) {
    throw new ParseError({ file: path, offset: 0, field: 'xor.dat' }, `expected an 8-byte key, found ${key.length} bytes`, 'LH_BLK_XOR');
  }
  return key.every((b) => b === 0) ? null : key;
}

/**
 * XORs `buf[start, end)` in place with the 8-byte key, where `buf[start]` sits at absolute file position
 * `filePos`: the byte at file offset p is XORed with key[p % 8] (Bitcoin Core `AutoFile` obfuscation).
 */
export function xorInPlace(buf: Uint8Array, start: number, end: number, key: Uint8Array, filePos: number): void {
  let k = filePos % 8;
  let i = start;
  // Byte-wise until the key phase is 0, then 8 bytes per step through two 32-bit words.
  while (i < end && k !== 0) {
    buf[i] = (buf[i] as number) ^ (key[k] as number);
    i++;
    k = (k + 1) & 7;
  }
  if ((buf.byteOffset + i) % 4 === 0 && end - i >= 8) {
    const words = Math.floor((end - i) / 8);
    const u32 = new Uint32Array(buf.buffer, buf.byteOffset + i, words * 2);
    const kv = new DataView(key.buffer, key.byteOffset, 8);
    const k0 = kv.getUint32(0, true);
    const k1 = kv.getUint32(4, true);
    // Uint32Array uses platform byte order; Node on x64/arm64 is little-endian.
    for (let w = 0; w < u32.length; w += 2) {
      u32[w] = (u32[w] as number) ^ k0;
      u32[w + 1] = (u32[w + 1] as number) ^ k1;
    }
    i += words * 8;
  }
  while (i < end) {
    buf[i] = (buf[i] as number) ^ (key[k] as number);
    i++;
    k = (k + 1) & 7;
  }
}

/** Opens a file for reading; an OS error (permissions, vanished file) becomes LH_IO naming the file. */
function openForRead(path: string): number {
  try {
    return openSync(path, 'r');
  } catch (cause) {
    const code = (cause as NodeJS.ErrnoException).code ?? 'error';
    throw new LedgerhoundError('LH_IO', `cannot read ${path}: ${code}`, { cause, details: { path, code } });
  }
}

const KNOWN_MAGICS: Record<string, string> = {
  f9beb4d9: 'main',
  '0b110907': 'test (testnet3)',
  '1c163f28': 'testnet4',
  '0a03cf40': 'signet (default)',
  fabfb5da: 'regtest',
};

/**
 * Scans one blk file's records and calls `onRecord` with each block's location and its 80-byte header
 * (de-obfuscated; the buffer is reused between calls, copy what you keep). Stops cleanly at zero padding
 * and at a truncated last record, which it reports instead of failing.
 *
 * @throws ParseError LH_BLK_MAGIC (unknown magic, with file and offset), LH_BLK_SIZE (size field below an
 *   80-byte header or above MAX_BLOCK_SERIALIZED_SIZE).
 */
export function scanBlkFile(
  file: BlkFile,
  magic: Uint8Array,
  key: Uint8Array | null,
  onRecord: (loc: BlockLocation, header: Buffer) => void,
): BlkFileScan {
  const fd = openForRead(file.path);
  const scan: BlkFileScan = { file: file.name, records: 0, paddingFrom: null, truncated: null };
  try {
    const fileSize = fstatSync(fd).size;
    const head = Buffer.alloc(RECORD_PREAMBLE + 80);
    let pos = 0;
    while (pos < fileSize) {
      const want = Math.min(head.length, fileSize - pos);
      const got = readSync(fd, head, 0, want, pos);
      if (key) xorInPlace(head, 0, got, key, pos);
      if (got < RECORD_PREAMBLE) {
        if (head.subarray(0, got).every((b) => b === 0)) scan.paddingFrom = pos;
        else scan.truncated = { file: file.name, offset: pos, needed: RECORD_PREAMBLE, available: got };
        break;
      }
      if (head[0] === 0 && head[1] === 0 && head[2] === 0 && head[3] === 0) {
        scan.paddingFrom = pos;
        break;
      }
      if (head[0] !== magic[0] || head[1] !== magic[1] || head[2] !== magic[2] || head[3] !== magic[3]) {
        const found = head.subarray(0, 4).toString('hex');
        const net = KNOWN_MAGICS[found];
        const expected = Buffer.from(magic).toString('hex');
        throw new ParseError(
          { file: file.name, offset: pos, field: 'magic' },
          net
            ? `found the ${net} network magic ${found}, expected ${expected}`
            : `unknown magic ${found}, expected ${expected} (not a block record: corrupted file or wrong xor.dat)`,
          'LH_BLK_MAGIC',
        );
      }
      const size = head.readUInt32LE(4);
      if (size < 80 || size > MAX_BLOCK_SERIALIZED_SIZE) {
        throw new ParseError(
          { file: file.name, offset: pos + 4, field: 'size' },
          `block size ${size} is outside 80..${MAX_BLOCK_SERIALIZED_SIZE}`,
          'LH_BLK_SIZE',
        );
      }
      if (pos + RECORD_PREAMBLE + size > fileSize) {
        scan.truncated = { file: file.name, offset: pos, needed: RECORD_PREAMBLE + size, available: fileSize - pos };
        break;
      }
      onRecord({ fileNo: file.fileNo, offset: pos + RECORD_PREAMBLE, size }, head.subarray(RECORD_PREAMBLE));
      scan.records++;
      pos += RECORD_PREAMBLE + size;
    }
  } finally {
    closeSync(fd);
  }
  return scan;
}

/**
 * Random-access block reads from a blocks directory, with de-obfuscation. Keeps one descriptor per file
 * open until close().
 */
export class BlkReader {
  private readonly fds = new Map<number, number>();
  private readonly byNo: Map<number, BlkFile>;

  constructor(
    files: readonly BlkFile[],
    private readonly key: Uint8Array | null,
  ) {
    this.byNo = new Map(files.map((f) => [f.fileNo, f]));
  }

  /** File name for messages. */
  fileName(fileNo: number): string {
    return this.byNo.get(fileNo)?.name ?? `blk${String(fileNo).padStart(5, '0')}.dat`;
  }

  /**
   * Copies the block at `loc` into `target` at `targetOffset` (allocating a buffer when no target is given)
   * and returns the block's bytes.
   *
   * @throws ParseError LH_BLK_READ when the file is shorter than the location says (changed since the scan).
   */
  read(loc: BlockLocation, target?: Buffer, targetOffset = 0): Buffer {
    const out = target ?? Buffer.allocUnsafe(loc.size);
    const fd = this.fd(loc.fileNo);
    let done = 0;
    while (done < loc.size) {
      const n = readSync(fd, out, targetOffset + done, loc.size - done, loc.offset + done);
      if (n === 0) {
        throw new ParseError(
          { file: this.fileName(loc.fileNo), offset: loc.offset + done, field: 'block' },
          `file ends ${loc.size - done} bytes before the block does (was it changed since the scan?)`,
          'LH_BLK_READ',
        );
      }
      done += n;
    }
    if (this.key) xorInPlace(out, targetOffset, targetOffset + loc.size, this.key, loc.offset);
    return out.subarray(targetOffset, targetOffset + loc.size);
  }

  private fd(fileNo: number): number {
    let fd = this.fds.get(fileNo);
    if (fd === undefined) {
      const f = this.byNo.get(fileNo);
      if (!f) throw new UsageError(`no blk file number ${fileNo}`, { fileNo });
      fd = openForRead(f.path);
      this.fds.set(fileNo, fd);
    }
    return fd;
  }

  close(): void {
    for (const fd of this.fds.values()) closeSync(fd);
    this.fds.clear();
  }
}
