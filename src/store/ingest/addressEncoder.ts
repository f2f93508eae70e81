/**
 * Address strings of packed address keys, for ingest (runs on the encoder worker): the same strings as
 * `encodeAddressKey` of src/chain (which the tests compare against on every key kind and network), made
 * without the per-address allocations of the general encoders.
 *
 * - Base58Check (P2PKH, P2SH): the checksum by a plain-JS SHA-256 of the one-block messages involved
 *   (node:crypto's per-call overhead is ~1.4 µs here, two calls per address: 2.7 µs of the 3.8 µs an
 *   address cost with them; FIPS 180-4 §6.2, like src/chain's _sha256d64.ts), base58 by long division of the 25 bytes in 16-bit
 *   limbs by 58^5 (a remainder times 2^16 stays below 2^53, so plain doubles are exact), five digits at a
 *   time.
 * - bech32 / bech32m (witness v0, v1): the checksum state after the network's HRP is computed once per
 *   network, each checksum step is one table lookup (the generator XORs for the 5 top bits); the payload
 *   is regrouped into 5-bit words in place.
 * - Other witness versions (rare) go through `encodeAddressKey`.
 *
 * Measured (1 M random keys per kind): `encodeAddressKey` 3.9-4.2 µs per key (mixed kinds); this encoder
 * P2PKH 1.9 µs (checksum 0.6 of it), P2WPKH 0.42-0.45 µs, P2TR 0.63 µs. On the simulator chain (8.8 M
 * addresses) the general encoder was ~35 CPU-seconds of a ~130 CPU-second ingest.
 */
import { encodeAddressKey, NETWORKS, type Network } from '../../chain/index.js';

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

const K = new Int32Array([
  0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5, 0xd807aa98, 0x12835b01,
  0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc,
  0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da, 0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147,
  0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
  0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070, 0x19a4c116, 0x1e376c08,
  0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3, 0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208,
  0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
]);
const H0 = new Int32Array([0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19]);
const W = new Int32Array(64);
const S = new Int32Array(8);

/** One SHA-256 block: S = H0 compressed with the 16 message words in W[0..16). */
function sha256Block(): void {
  for (let i = 16; i < 64; i++) {
    const x = W[i - 15] as number;
    const y = W[i - 2] as number;
    const s0 = ((x >>> 7) | (x << 25)) ^ ((x >>> 18) | (x << 14)) ^ (x >>> 3);
    const s1 = ((y >>> 17) | (y << 15)) ^ ((y >>> 19) | (y << 13)) ^ (y >>> 10);
    W[i] = ((W[i - 16] as number) + s0 + (W[i - 7] as number) + s1) | 0;
  }
  let a = H0[0] as number;
  let b = H0[1] as number;
  let c = H0[2] as number;
  let d = H0[3] as number;
  let e = H0[4] as number;
  let f = H0[5] as number;
  let g = H0[6] as number;
  let h = H0[7] as number;
  for (let i = 0; i < 64; i++) {
    const S1 = ((e >>> 6) | (e << 26)) ^ ((e >>> 11) | (e << 21)) ^ ((e >>> 25) | (e << 7));
    const ch = (e & f) ^ (~e & g);
    const t1 = (h + S1 + ch + (K[i] as number) + (W[i] as number)) | 0;
    const S0 = ((a >>> 2) | (a << 30)) ^ ((a >>> 13) | (a << 19)) ^ ((a >>> 22) | (a << 10));
    const maj = (a & b) ^ (a & c) ^ (b & c);
    h = g;
    g = f;
    f = e;
    e = (d + t1) | 0;
    d = c;
    c = b;
    b = a;
    a = (t1 + ((S0 + maj) | 0)) | 0;
  }
  S[0] = ((H0[0] as number) + a) | 0;
  S[1] = ((H0[1] as number) + b) | 0;
  S[2] = ((H0[2] as number) + c) | 0;
  S[3] = ((H0[3] as number) + d) | 0;
  S[4] = ((H0[4] as number) + e) | 0;
  S[5] = ((H0[5] as number) + f) | 0;
  S[6] = ((H0[6] as number) + g) | 0;
  S[7] = ((H0[7] as number) + h) | 0;
}

/** The first 4 bytes (big-endian) of SHA256(SHA256(body[0, 21))): the Base58Check checksum. */
function checksum21(body: Uint8Array): number {
  for (let i = 0; i < 5; i++) {
    W[i] = ((body[4 * i] as number) << 24) | ((body[4 * i + 1] as number) << 16) | ((body[4 * i + 2] as number) << 8) | (body[4 * i + 3] as number);
  }
  W[5] = ((body[20] as number) << 24) | 0x800000; // last byte, then the 0x80 padding byte
  for (let i = 6; i < 15; i++) W[i] = 0;
  W[15] = 21 * 8;
  sha256Block();
  for (let i = 0; i < 8; i++) W[i] = S[i] as number;
  W[8] = 0x80000000 | 0;
  for (let i = 9; i < 15; i++) W[i] = 0;
  W[15] = 256;
  sha256Block();
  return (S[0] as number) >>> 0;
}

/** Encodes packed address keys to address strings (one per key, in order). */
export class AddressEncoder {
  private readonly p2pkh: number;
  private readonly p2sh: number;
  private readonly hrp: number[];
  private readonly hrpChk: number;
  private readonly body = Buffer.alloc(25);
  private readonly limbs = new Float64Array(13);
  /** Output of encodeAllBytes: ASCII bytes, grown as needed; `pos` is the write position. */
  private buf = new Uint8Array(1 << 16);
  private pos = 0;
  private readonly five = new Int32Array(5);
  private readonly digits = new Float64Array(8);

  constructor(private readonly network: Network) {
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
    for (let i = 0; i < n; i++) {
      offsets[i] = this.pos;
      this.ensure(100);
      this.encodeInto(keys.bytes, keys.offsets[i] as number, keys.offsets[i + 1] as number);
    }
    offsets[n] = this.pos;
    return { bytes: this.buf.slice(0, this.pos), offsets };
  }

  /** The address string of the key `b[s, e)`. */
  encode(b: Uint8Array, s: number, e: number): string {
    this.pos = 0;
    this.ensure(100);
    this.encodeInto(b, s, e);
    return Buffer.from(this.buf.buffer, this.buf.byteOffset, this.pos).toString('latin1');
  }

  private ensure(room: number): void {
    if (this.pos + room <= this.buf.length) return;
    const next = new Uint8Array(Math.max(this.buf.length * 2, this.pos + room));
    next.set(this.buf.subarray(0, this.pos));
    this.buf = next;
  }

  /** Appends the address string of the key `b[s, e)` at `pos`. */
  private encodeInto(b: Uint8Array, s: number, e: number): void {
    const kind = b[s] as number;
    const len = e - s - 1;
    if ((kind === KEY_P2PKH || kind === KEY_P2SH) && len === 20) {
      this.base58check(kind === KEY_P2PKH ? this.p2pkh : this.p2sh, b, s + 1);
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

  private base58check(version: number, b: Uint8Array, at: number): void {
    const body = this.body;
    body[0] = version;
    for (let k = 0; k < 20; k++) body[1 + k] = b[at + k] as number;
    const check = checksum21(body);
    body[21] = check >>> 24;
    body[22] = (check >>> 16) & 0xff;
    body[23] = (check >>> 8) & 0xff;
    body[24] = check & 0xff;
    let zeros = 0;
    while (zeros < 25 && body[zeros] === 0) zeros++;
    // 25 bytes as 13 big-endian 16-bit limbs (the first holds one byte).
    const limbs = this.limbs;
    limbs[0] = body[0] as number;
    for (let j = 1; j < 13; j++) limbs[j] = ((body[2 * j - 1] as number) << 8) | (body[2 * j] as number);
    const out = this.buf;
    let p = this.pos;
    let start = 0;
    while (start < 13 && limbs[start] === 0) start++;
    // Digits in base 58^5, least significant first.
    const digits = this.digits;
    let nd = 0;
    while (start < 13) {
      let rem = 0;
      for (let j = start; j < 13; j++) {
        const cur = rem * 65536 + (limbs[j] as number);
        const q = Math.floor(cur / B58_5);
        rem = cur - q * B58_5;
        limbs[j] = q;
      }
      digits[nd++] = rem;
      while (start < 13 && limbs[start] === 0) start++;
    }
    for (let z = 0; z < zeros; z++) out[p++] = 49; // '1'
    // Each digit as five base58 digits, most significant first; leading zeros of the number dropped.
    const five = this.five;
    let leading = true;
    for (let d = nd - 1; d >= 0; d--) {
      let v = digits[d] as number;
      for (let k = 4; k >= 0; k--) {
        const q = (v / 58) | 0;
        five[k] = v - q * 58;
        v = q;
      }
      for (let k = 0; k < 5; k++) {
        if (leading && five[k] === 0) continue;
        leading = false;
        out[p++] = B58[five[k] as number] as number;
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
