/**
 * Display hex (byte-reversed, as txids and block hashes are shown) of 32-byte hashes, for the chain tables'
 * text columns: one at a time, or a whole batch's by the native accelerator when it is built.
 */
import { type NativeAccel, native } from '../../chain/index.js';

const scratch = Buffer.alloc(32);
/** Display hex (byte-reversed) of the 32 bytes at `src[off]`. */
export function revHex(src: Uint8Array, off: number): string {
  for (let i = 0; i < 32; i++) scratch[i] = src[off + 31 - i] as number;
  return scratch.toString('hex');
}

const HEX_DIGITS = Array.from('0123456789abcdef', (c) => c.charCodeAt(0));
/** HEX_PAIRS[b] = the two ASCII hex digits of byte b as one little-endian 16-bit word (high digit first in memory). */
const HEX_PAIRS = Uint16Array.from({ length: 256 }, (_, b) => (HEX_DIGITS[b >> 4] as number) | ((HEX_DIGITS[b & 15] as number) << 8));
const LITTLE_ENDIAN = new Uint8Array(Uint16Array.of(1).buffer)[0] === 1;

/**
 * HEX_QUADS[x] = the four ASCII hex digits of the 16-bit value x, high byte first, as one little-endian
 * 32-bit word: a 256 KiB table (L2-resident) that turns each half of a little-endian 32-bit word read from
 * a hash into 4 digits of its byte-reversed hex with one load.
 */
const HEX_QUADS = Uint32Array.from({ length: 65536 }, (_, x) => ((HEX_PAIRS[x >> 8] as number) | ((HEX_PAIRS[x & 255] as number) << 16)) >>> 0);

/**
 * Writes the display hex (byte-reversed) of the 32 bytes at `src[off]` as 64 ASCII bytes at `dst[at]`.
 * On little-endian machines, given `src32` and `dst32` (Uint32Array views of the same bytes as src and dst;
 * `off` and `at` multiples of 4), it reads eight 32-bit words and writes sixteen: a third of the operations
 * of byte-wise work. Byte loads and stores otherwise.
 */
export function revHexInto(src: Uint8Array, off: number, dst: Uint8Array, at: number, src32?: Uint32Array, dst32?: Uint32Array): void {
  if (src32 && dst32 && LITTLE_ENDIAN) {
    const s = off >>> 2;
    let d = at >>> 2;
    for (let k = 7; k >= 0; k--) {
      const w = src32[s + k] as number;
      dst32[d++] = HEX_QUADS[w >>> 16] as number;
      dst32[d++] = HEX_QUADS[w & 0xffff] as number;
    }
    return;
  }
  for (let i = 0; i < 32; i++) {
    const pair = HEX_PAIRS[src[off + 31 - i] as number] as number;
    dst[at + 2 * i] = pair & 0xff;
    dst[at + 2 * i + 1] = pair >>> 8;
  }
}

/**
 * The hex of the hashes src[32 i..], i < count, packed into dst (64 bytes each); with a mask only of those
 * whose mask byte is not 0. Returns how many were written. `accel` defaults to the native accelerator.
 */
export function hashesToHex(src: Uint8Array, count: number, mask: Uint8Array | null, dst: Uint8Array, accel: NativeAccel | null = native): number {
  if (accel) return accel.revHexMany(src, count, mask, dst);
  const aligned = src.byteOffset % 4 === 0 && dst.byteOffset % 4 === 0;
  const src32 = aligned ? new Uint32Array(src.buffer, src.byteOffset, src.byteLength >>> 2) : undefined;
  const dst32 = aligned ? new Uint32Array(dst.buffer, dst.byteOffset, dst.byteLength >>> 2) : undefined;
  let n = 0;
  for (let i = 0; i < count; i++) {
    if (mask && !mask[i]) continue;
    if (64 * (n + 1) > dst.length) throw new RangeError('hashesToHex: dst too short');
    revHexInto(src, 32 * i, dst, 64 * n++, src32, dst32);
  }
  return n;
}
