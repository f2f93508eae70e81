import { ParseError } from '../../core/index.js';
import { sha256d } from './hash.js';

/** The 80-byte block header (Bitcoin protocol: version, prev, merkle root, time, nBits, nonce). */
export interface BlockHeader {
  version: number;
  /** Hash of the previous block, internal byte order. */
  prevHash: Buffer;
  /** Merkle root of the txids, internal byte order. */
  merkleRoot: Buffer;
  /** Block time, Unix seconds. */
  time: number;
  /** Compact difficulty target. */
  bits: number;
  nonce: number;
  /** Double SHA-256 of the 80 bytes, internal byte order. */
  hash: Buffer;
}

export const HEADER_SIZE = 80;

/**
 * Reads the header at `offset`. Hash fields are views into a private copy, so the caller may reuse `buf`.
 * @throws ParseError when fewer than 80 bytes remain.
 */
export function parseHeader(buf: Uint8Array, offset = 0, loc: { file?: string; offset?: number } = {}): BlockHeader {
  if (buf.length - offset < HEADER_SIZE) {
    throw new ParseError(
      { ...(loc.file === undefined ? {} : { file: loc.file }), offset: (loc.offset ?? 0) + offset, field: 'header' },
      `needs 80 bytes, ${Math.max(0, buf.length - offset)} left`,
      'LH_PARSE_TRUNCATED',
    );
  }
  const h = Buffer.from(buf.subarray(offset, offset + HEADER_SIZE));
  return {
    version: h.readInt32LE(0),
    prevHash: h.subarray(4, 36),
    merkleRoot: h.subarray(36, 68),
    time: h.readUInt32LE(68),
    bits: h.readUInt32LE(72),
    nonce: h.readUInt32LE(76),
    hash: sha256d(h),
  };
}

/**
 * The expected work of one block with this nBits, exactly as Bitcoin Core's GetBlockProof:
 * 2^256 / (target + 1), and 0 for a negative, zero or overflowing target.
 */
export function workFromBits(bits: number): bigint {
  const size = bits >>> 24;
  const word = bits & 0x007fffff;
  if (word === 0) return 0n;
  if ((bits & 0x00800000) !== 0) return 0n; // negative
  // Overflow as in arith_uint256::SetCompact.
  if (size > 34 || (word > 0xff && size > 33) || (word > 0xffff && size > 32)) return 0n;
  const target = size <= 3 ? BigInt(word >>> (8 * (3 - size))) : BigInt(word) << BigInt(8 * (size - 3));
  if (target === 0n) return 0n;
  return (1n << 256n) / (target + 1n);
}
