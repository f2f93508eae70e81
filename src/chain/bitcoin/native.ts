/**
 * The optional native accelerator (native/ledgerhound.c, built by `npm install` when a C compiler and
 * Node's headers are at hand): the SHA-256 work of block parsing and Base58Check address encoding in
 * batches, through the OpenSSL that Node links (SHA-NI on CPUs that have it). Where it is missing (no
 * compiler, another platform) or disabled with `LEDGERHOUND_NATIVE=0`, the same work runs in
 * WebAssembly SIMD and JavaScript (_sha256x4.ts), giving the same bytes; the tests run both and compare.
 *
 * Measured (bench/parse.ts prints both in the same run): merkle tree of 1 M leaves 148 ns per leaf
 * native, 301 ns WebAssembly.
 */
import { createRequire } from 'node:module';

export interface NativeAccel {
  /**
   * txid (legacy serialization; for segwit transactions version | buf[body, wit) | locktime, BIP141) and
   * wtxid (buf[start, end)) of transactions 0..count-1 into txids and wtxids (32 bytes each, internal
   * byte order). segwit[t] = 1 marks a transaction with witness data.
   */
  txHashes(
    buf: Uint8Array,
    count: number,
    start: Uint32Array,
    end: Uint32Array,
    segwit: Uint8Array,
    body: Uint32Array,
    wit: Uint32Array,
    txids: Uint8Array,
    wtxids: Uint8Array,
  ): void;
  /** Bitcoin's merkle root of `count` 32-byte hashes (odd last node paired with itself) into out[0..32). */
  merkleRoot(hashes: Uint8Array, count: number, out: Uint8Array): void;
  /**
   * For j < count: key which[j] of the packed keys (kind byte 1 P2PKH or 2 P2SH, then 20 bytes) as a
   * Base58Check address with the given version bytes, at out[35 j..], its length in lengths[j].
   */
  base58checkMany(
    bytes: Uint8Array,
    offsets: Uint32Array,
    which: Uint32Array,
    count: number,
    p2pkhVersion: number,
    p2shVersion: number,
    out: Uint8Array,
    lengths: Uint8Array,
  ): void;
  /**
   * Display hex (byte-reversed) of the 32-byte hashes src[32 i..], i < count, 64 ASCII bytes each, packed
   * into dst; with a mask only those whose mask byte is not 0. Returns how many were written.
   */
  revHexMany(src: Uint8Array, count: number, mask: Uint8Array | null, dst: Uint8Array): number;
}

/** What this code calls: an addon built from older sources may lack some (then it is not used). */
const FUNCTIONS = ['txHashes', 'merkleRoot', 'base58checkMany', 'revHexMany'] as const;

/**
 * The built addon, or why it cannot be used: not built (or not loadable here), or built from older sources
 * that lack a function this code calls.
 */
function requireAddon(): { accel: NativeAccel | null; why: string | null } {
  try {
    // src/chain/bitcoin and dist/chain/bitcoin are both three levels below the package root.
    const accel = createRequire(import.meta.url)('../../../native/build/Release/ledgerhound.node') as Partial<NativeAccel>;
    const missing = FUNCTIONS.filter((f) => typeof accel[f] !== 'function');
    if (missing.length > 0) return { accel: null, why: `built from older sources (no ${missing.join(', ')}); run \`npm run build:native\`` };
    return { accel: accel as NativeAccel, why: null };
  } catch (err) {
    return { accel: null, why: `not built (${(err as Error).message.split('\n')[0]}); run \`npm run build:native\`` };
  }
}

function load(): { accel: NativeAccel | null; why: string | null } {
  if (process.env.LEDGERHOUND_NATIVE === '0') return { accel: null, why: 'disabled by LEDGERHOUND_NATIVE=0' };
  return requireAddon();
}

const { accel: loaded, why } = load();

/** Why the accelerator is not in use (null when it is). */
export const nativeUnavailable: string | null = why;

/** The accelerator, or null (then callers use the WebAssembly and JavaScript paths). A live binding: see setNativeEnabled. */
export let native: NativeAccel | null = loaded;

/**
 * For benchmarks that print both paths in one run: `false` makes every caller take the WebAssembly and
 * JavaScript path from now on, `true` the accelerator again (when it is built). Not for production use.
 */
export function setNativeEnabled(on: boolean): void {
  native = on ? loaded : null;
}

/**
 * The accelerator, for tests and benchmarks that compare it with the fallback, also when LEDGERHOUND_NATIVE=0
 * turned it off for the rest of the code; null when it cannot be used.
 */
export function loadNativeForComparison(): NativeAccel | null {
  return requireAddon().accel;
}
