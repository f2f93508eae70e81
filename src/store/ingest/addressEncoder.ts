/**
 * Address strings of packed address keys, for ingest (runs on the encoder worker): the same strings as
 * `encodeAddressKey` of src/chain (which the tests compare against on every key kind and network), made
 * without the per-address allocations of the general encoders.
 *
 * - Base58Check (P2PKH, P2SH): with the native accelerator (src/chain's `native`), all of a call's in one
 *   native call (OpenSSL's SHA-256, the same base-58^5 product in C); without it,
 *   the checksums of all keys of a call first, four per pass of src/chain's
 *   WebAssembly SIMD SHA-256 (node:crypto's per-call overhead is ~1.4 µs here, two calls per address),
 *   then the 25 bytes to base 58 as a product with a table: each 16-bit limb times the base-58^5 digits
 *   of its weight, summed in doubles (exact below 2^53) and carried once, instead of a chain of long
 *   divisions; five base58 characters per base-58^5 digit by int32 division.
 * - bech32 / bech32m (witness v0, v1): the checksum state after the network's HRP is computed once per
 *   network, each checksum step is one table lookup (the generator XORs for the 5 top bits); the payload
 *   is regrouped into 5-bit words in place.
 * - Other witness versions (rare) go through `encodeAddressKey`.
 *
 * Measured (`npm run bench:addresses`, 1 M random keys per kind): P2PKH 0.31 µs with the native accelerator;
 * without it 0.50-0.54 µs per
 * address (long division and one checksum at a time: 1.0-1.06 µs, same machine and day), of which the
 * SIMD checksum 0.21 µs; `encodeAddressKey` 3.9-4.2 µs per key. On the simulator chain (9.2 M addresses)
 * the general encoder was ~35 CPU-seconds of a ~130 CPU-second ingest.
 */
import { encodeAddressKey, type NativeAccel, NETWORKS, type Network, native, sha256dBlockMany } from '../../chain/index.js';

/** Address keys packed end to end: key i is bytes[offsets[i], offsets[i+1]) (kind byte + payload). */
export interface PackedKeys {
  bytes: Uint8Array;
  offsets: Uint32Array;
}

const KEY_P2PKH = 1;
const KEY_P2SH = 2;
const KEY_P2WPKH = 3;
const KEY_P2WSH = 4;
const KEY_P2TR = 5;

const B58 = Array.from('123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz', (c) => c.charCodeAt(0));
const B58_5 = 58 ** 5;
/** Base-58^5 digits of a 25-byte number (58^35 > 2^200). */
const B58_DIGITS = 7;
/** WEIGHTS[j * B58_DIGITS + d] = digit d (least significant first, base 58^5) of the weight of 16-bit limb j of 13 (2^(16 (12 - j))). */
const WEIGHTS = new Float64Array(13 * B58_DIGITS);
for (let j = 0; j < 13; j++) {
  let w = 1n << BigInt(16 * (12 - j));
  for (let d = 0; d < B58_DIGITS; d++) {
    WEIGHTS[j * B58_DIGITS + d] = Number(w % BigInt(B58_5));
    w /= BigInt(B58_5);
  }
}
const BECH32 = Array.from('qpzry9x8gf2tvdw0s3jn54khce6mua7l', (c) => c.charCodeAt(0));
const GEN = [0x3b6a57b2, 0x26508e6d, 0x1ea119fa, 0x3d4233dd, 0x2a1462b3];

/** GEN_TABLE[top] = XOR of GEN[i] for each bit i set in the 5-bit `top`: one lookup per checksum step. */
const GEN_TABLE = new Int32Array(32);
for (let top = 0; top < 32; top++) {
  let g = 0;
  for (let i = 0; i < 5; i++) if ((top >>> i) & 1) g ^= GEN[i] as number;
  GEN_TABLE[top] = g;
}

function polymodStep(chk: number, v: number): number {
  return ((((chk & 0x1ffffff) << 5) ^ v ^ (GEN_TABLE[chk >>> 25] as number)) >>> 0);
}

/** Checksum state after the HRP expansion (hrp high bits, 0, hrp low bits) of BIP173. */
function hrpState(hrp: string): number {
  let chk = 1;
  for (let i = 0; i < hrp.length; i++) chk = polymodStep(chk, hrp.charCodeAt(i) >>> 5);
  chk = polymodStep(chk, 0);
  for (let i = 0; i < hrp.length; i++) chk = polymodStep(chk, hrp.charCodeAt(i) & 31);
  return chk;
}

/** Encodes packed address keys to address strings (one per key, in order). */
export class AddressEncoder {
  private readonly p2pkh: number;
  private readonly p2sh: number;
  private readonly hrp: number[];
  private readonly hrpChk: number;
  private readonly body = Buffer.alloc(25);
  /** Padded SHA-256 blocks of the Base58Check bodies of one encodeAllBytes call. */
  private blocks = new Uint8Array(0);
  /** Base-58^5 digits of the Base58Check number, least significant first (each below 2^30). */
  private readonly digits = new Int32Array(B58_DIGITS);
  /** Output of encodeAllBytes: ASCII bytes, grown as needed; `pos` is the write position. */
  private buf = new Uint8Array(1 << 16);
  private pos = 0;

  /**
   * @param accel the native accelerator for Base58Check (src/chain's `native`, null when not built); the
   *   tests pass null to compare the JavaScript path with it.
   */
  constructor(
    private readonly network: Network,
    private readonly accel: NativeAccel | null = native,
  ) {
    const p = NETWORKS[network];
    this.p2pkh = p.pubKeyHash;
    this.p2sh = p.scriptHash;
    this.hrp = Array.from(`${p.bech32}1`, (c) => c.charCodeAt(0));
    this.hrpChk = hrpState(p.bech32);
  }

  /** The address strings of `keys`. */
  encodeAll(keys: PackedKeys): string[] {
    const packed = this.encodeAllBytes(keys);
    const text = Buffer.from(packed.bytes.buffer, packed.bytes.byteOffset, packed.bytes.byteLength);
    const n = packed.offsets.length - 1;
    const result = new Array<string>(n);
    for (let i = 0; i < n; i++) result[i] = text.toString('latin1', packed.offsets[i], packed.offsets[i + 1]);
    return result;
  }

  /**
   * The address strings of `keys` as ASCII bytes, packed like the keys: string i is
   * bytes[offsets[i], offsets[i+1]). No JS string is made (ingest hands the bytes to DuckDB as they are).
   */
  encodeAllBytes(keys: PackedKeys): PackedKeys {
    const n = keys.offsets.length - 1;
    const offsets = new Uint32Array(n + 1);
    this.pos = 0;
    const { which, count } = this.base58Keys(keys);
    // The Base58Check keys: with the native accelerator, their strings into 35-byte slots now (copied into
    // place below); without it, their checksums now and the base 58 digits in base58check().
    const slots = this.accel ? new Uint8Array(35 * count) : null;
    const lengths = new Uint8Array(this.accel ? count : 0);
    if (this.accel && slots && count > 0) this.accel.base58checkMany(keys.bytes, keys.offsets, which, count, this.p2pkh, this.p2sh, slots, lengths);
    const checks = this.accel ? null : this.checksums(keys, which, count);
    let j = 0;
    for (let i = 0; i < n; i++) {
      offsets[i] = this.pos;
      this.ensure(100);
      if (slots && j < count && which[j] === i) {
        const out = this.buf;
        let p = this.pos;
        const from = 35 * j;
        const to = from + (lengths[j] as number);
        for (let k = from; k < to; k++) out[p++] = slots[k] as number;
        this.pos = p;
        j++;
        continue;
      }
      this.encodeInto(keys.bytes, keys.offsets[i] as number, keys.offsets[i + 1] as number, checks ? (checks[i] as number) : 0);
    }
    offsets[n] = this.pos;
    return { bytes: this.buf.slice(0, this.pos), offsets };
  }

  /** The address string of the key `b[s, e)`. */
  encode(b: Uint8Array, s: number, e: number): string {
    const keys = { bytes: b.subarray(s, e), offsets: Uint32Array.of(0, e - s) };
    const packed = this.encodeAllBytes(keys);
    return Buffer.from(packed.bytes.buffer, packed.bytes.byteOffset, packed.bytes.byteLength).toString('latin1');
  }

  /**
   * The Base58Check checksums (first 4 bytes of the double SHA-256 of version byte + hash) of the P2PKH and
   * P2SH keys (which[0..m), see base58Keys), big-endian, at their key index (0 for other keys): padded into
   * one block each and hashed four at a time (src/chain's SIMD SHA-256).
   */
  private checksums(keys: PackedKeys, which: Uint32Array, m: number): Uint32Array {
    const checks = new Uint32Array(keys.offsets.length - 1);
    if (m === 0) return checks;
    // Each 21-byte body padded to one SHA-256 block: the body, 0x80, zeros, the bit length 168. Every
    // message here has 21 bytes, so bytes 22..62 of a slot are never written and stay zero.
    if (this.blocks.length < 64 * m) this.blocks = new Uint8Array(Math.max(64 * m, this.blocks.length * 2));
    const blocks = this.blocks;
    const bytes = keys.bytes;
    for (let j = 0; j < m; j++) {
      const s = keys.offsets[which[j] as number] as number;
      const at = 64 * j;
      blocks[at] = bytes[s] === KEY_P2PKH ? this.p2pkh : this.p2sh;
      for (let k = 1; k < 21; k++) blocks[at + k] = bytes[s + k] as number;
      blocks[at + 21] = 0x80;
      blocks[at + 63] = 21 * 8;
    }
    const digests = new Uint8Array(32 * m);
    sha256dBlockMany(blocks, digests, 0, m);
    for (let j = 0; j < m; j++) {
      const d = 32 * j;
      checks[which[j] as number] = (((digests[d] as number) << 24) | ((digests[d + 1] as number) << 16) | ((digests[d + 2] as number) << 8) | (digests[d + 3] as number)) >>> 0;
    }
    return checks;
  }

  /** The indexes of the Base58Check (P2PKH, P2SH) keys, in order, in which[0..count). */
  private base58Keys(keys: PackedKeys): { which: Uint32Array; count: number } {
    const n = keys.offsets.length - 1;
    const which = new Uint32Array(n);
    let count = 0;
    for (let i = 0; i < n; i++) if (this.isBase58(keys, i)) which[count++] = i;
    return { which, count };
  }

  private isBase58(keys: PackedKeys, i: number): boolean {
    const s = keys.offsets[i] as number;
    const kind = keys.bytes[s] as number;
    return (kind === KEY_P2PKH || kind === KEY_P2SH) && (keys.offsets[i + 1] as number) - s === 21;
  }

  private ensure(room: number): void {
    if (this.pos + room <= this.buf.length) return;
    const next = new Uint8Array(Math.max(this.buf.length * 2, this.pos + room));
    next.set(this.buf.subarray(0, this.pos));
    this.buf = next;
  }

  /** Appends the address string of the key `b[s, e)` at `pos`. */
  private encodeInto(b: Uint8Array, s: number, e: number, check: number): void {
    const kind = b[s] as number;
    const len = e - s - 1;
    if ((kind === KEY_P2PKH || kind === KEY_P2SH) && len === 20) {
      this.base58check(kind === KEY_P2PKH ? this.p2pkh : this.p2sh, b, s + 1, check);
      return;
    }
    if ((kind === KEY_P2WPKH && len === 20) || (kind === KEY_P2WSH && len === 32)) {
      this.segwit(0, 1, b, s + 1, len);
      return;
    }
    if (kind === KEY_P2TR && len === 32) {
      this.segwit(1, 0x2bc830a3, b, s + 1, len);
      return;
    }
    const text = encodeAddressKey(Buffer.from(b.buffer, b.byteOffset + s, e - s).toString('latin1'), this.network);
    this.ensure(text.length);
    for (let k = 0; k < text.length; k++) this.buf[this.pos++] = text.charCodeAt(k);
  }

  /** Appends the Base58Check string of version + the 20 bytes at b[at], whose checksum is `check`. */
  private base58check(version: number, b: Uint8Array, at: number, check: number): void {
    const body = this.body;
    body[0] = version;
    for (let k = 0; k < 20; k++) body[1 + k] = b[at + k] as number;
    body[21] = check >>> 24;
    body[22] = (check >>> 16) & 0xff;
    body[23] = (check >>> 8) & 0xff;
    body[24] = check & 0xff;
    let zeros = 0;
    while (zeros < 25 && body[zeros] === 0) zeros++;
    // The 25 bytes as 13 big-endian 16-bit limbs (the first holds one byte), each multiplied into the
    // base-58^5 digits of its weight (WEIGHTS): independent multiply-adds instead of a chain of long
    // divisions; every partial sum stays below 2^50, exact in doubles. Then one carry pass.
    let a0 = 0;
    let a1 = 0;
    let a2 = 0;
    let a3 = 0;
    let a4 = 0;
    let a5 = 0;
    let a6 = 0;
    for (let j = 0; j < 13; j++) {
      const limb = j === 0 ? (body[0] as number) : ((body[2 * j - 1] as number) << 8) | (body[2 * j] as number);
      const w = 7 * j;
      a0 += limb * (WEIGHTS[w] as number);
      a1 += limb * (WEIGHTS[w + 1] as number);
      a2 += limb * (WEIGHTS[w + 2] as number);
      a3 += limb * (WEIGHTS[w + 3] as number);
      a4 += limb * (WEIGHTS[w + 4] as number);
      a5 += limb * (WEIGHTS[w + 5] as number);
      a6 += limb * (WEIGHTS[w + 6] as number);
    }
    const digits = this.digits;
    let c = Math.floor(a0 / B58_5);
    digits[0] = a0 - c * B58_5;
    a1 += c;
    c = Math.floor(a1 / B58_5);
    digits[1] = a1 - c * B58_5;
    a2 += c;
    c = Math.floor(a2 / B58_5);
    digits[2] = a2 - c * B58_5;
    a3 += c;
    c = Math.floor(a3 / B58_5);
    digits[3] = a3 - c * B58_5;
    a4 += c;
    c = Math.floor(a4 / B58_5);
    digits[4] = a4 - c * B58_5;
    a5 += c;
    c = Math.floor(a5 / B58_5);
    digits[5] = a5 - c * B58_5;
    digits[6] = a6 + c; // below 58^5: the number is below 58^35
    const out = this.buf;
    let p = this.pos;
    for (let z = 0; z < zeros; z++) out[p++] = 49; // '1'
    let top = B58_DIGITS - 1;
    while (top >= 0 && digits[top] === 0) top--;
    if (top >= 0) {
      // The top digit without its leading zeros, then five base58 digits per digit.
      let v = digits[top] as number;
      let n = 0;
      for (let t = v; t > 0; t = (t / 58) | 0) n++;
      for (let k = n - 1; k >= 0; k--) {
        const q = (v / 58) | 0;
        out[p + k] = B58[v - q * 58] as number;
        v = q;
      }
      p += n;
      for (let d = top - 1; d >= 0; d--) {
        v = digits[d] as number;
        for (let k = 4; k >= 0; k--) {
          const q = (v / 58) | 0;
          out[p + k] = B58[v - q * 58] as number;
          v = q;
        }
        p += 5;
      }
    }
    this.pos = p;
  }

  private segwit(version: number, constant: number, b: Uint8Array, at: number, len: number): void {
    const out = this.buf;
    let p = this.pos;
    for (const c of this.hrp) out[p++] = c;
    let chk = polymodStep(this.hrpChk, version);
    out[p++] = BECH32[version] as number;
    let acc = 0;
    let bits = 0;
    for (let k = 0; k < len; k++) {
      acc = ((acc << 8) | (b[at + k] as number)) & 0xfff;
      bits += 8;
      while (bits >= 5) {
        bits -= 5;
        const w = (acc >>> bits) & 31;
        chk = polymodStep(chk, w);
        out[p++] = BECH32[w] as number;
      }
    }
    if (bits > 0) {
      const w = (acc << (5 - bits)) & 31;
      chk = polymodStep(chk, w);
      out[p++] = BECH32[w] as number;
    }
    for (let k = 0; k < 6; k++) chk = polymodStep(chk, 0);
    chk = (chk ^ constant) >>> 0;
    for (let k = 0; k < 6; k++) out[p++] = BECH32[(chk >>> (5 * (5 - k))) & 31] as number;
    this.pos = p;
  }
}
