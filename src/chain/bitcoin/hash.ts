import { hash as oneShotHash } from 'node:crypto';
import { UsageError } from '../../core/index.js';

/**
 * Double SHA-256 (Bitcoin's hash for txids, block hashes and checksums), with node:crypto's
 * one-shot hash: measured ~2x faster than createHash().update().digest() for tx-sized inputs.
 */
export function sha256d(data: Uint8Array): Buffer {
  return oneShotHash('sha256', oneShotHash('sha256', data, 'buffer'), 'buffer');
}

/** Single SHA-256. */
export function sha256(data: Uint8Array): Buffer {
  return oneShotHash('sha256', data, 'buffer');
}

/** RIPEMD-160(SHA-256(data)): the payload of P2PKH/P2WPKH addresses (node:crypto provides ripemd160). */
export function hash160(data: Uint8Array): Buffer {
  return oneShotHash('ripemd160', oneShotHash('sha256', data, 'buffer'), 'buffer');
}

/** A 32-byte hash in internal byte order → the reversed hex users see (txids, block hashes). */
export function hashToHex(hash: Uint8Array): string {
  return Buffer.from(hash).reverse().toString('hex');
}

/**
 * Display hex (txid, block hash) → 32 bytes in internal order.
 * @throws UsageError when the text is not 64 hex characters.
 */
export function hexToHash(hex: string, what = 'hash'): Buffer {
  if (!/^[0-9a-fA-F]{64}$/.test(hex)) {
    throw new UsageError(`${what} must be 64 hex characters, got ${JSON.stringify(hex.length > 80 ? `${hex.slice(0, 80)}…` : hex)} (${hex.length} characters)`, { what, value: hex.slice(0, 200) });
  }
  return Buffer.from(hex, 'hex').reverse();
}
