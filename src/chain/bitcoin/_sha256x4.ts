/**
 * SHA-256 of four messages at once: WebAssembly SIMD, one 32-bit lane per message (FIPS 180-4 §6.2).
 *
 * The hashes ingest cannot hand to node:crypto cheaply are many tiny, independent ones: merkle-tree nodes
 * (double SHA-256 of 64 bytes), the second pass of every txid and wtxid (SHA-256 of a 32-byte digest) and
 * Base58Check checksums (double SHA-256 of one short block). node:crypto costs ~1 µs per call whatever the
 * size; a plain-JS compression ~0.29 µs per 64-byte block. Here a v128 register holds
 * the same word of four messages, so one pass of the 64 rounds compresses four blocks (bench/parse.ts
 * prints the per-node figures of both in the same run).
 *
 * The module is generated at load time by the small emitter below (straight-line code: 64 rounds unrolled,
 * the round variables renamed instead of moved), so no build step or binary file is involved. Messages
 * are moved between the caller's buffers and the module's memory with `Uint8Array.set` (a memcpy); the
 * byte order swap and the 4x4 word transposition into lanes are done by shuffles inside the module.
 *
 * Exports (count = number of messages; groups of four, the unused lanes of the last group hash garbage
 * that is never read back):
 * - `sha256d64x(src, dst, count)`: dst[32i..] = SHA256(SHA256(src[64i..64i+64))), in place allowed.
 * - `sha256x32(src, dst, count)`: dst[32i..] = SHA256(src[32i..32i+32)).
 * - `sha256dBlockx(blocks, dst, count)`: dst[32i..] = SHA256(SHA256(m)) for messages m of at most 55
 *   bytes, given already padded to one 64-byte block each.
 */

// ---- A minimal WebAssembly emitter (binary format: WebAssembly Core Specification §5; SIMD opcodes of the
// final fixed-width SIMD proposal). Only what the three functions need.

const V128 = 0x7b;
const I32 = 0x7f;

/** Unsigned LEB128. */
function uleb(n: number): number[] {
  const out: number[] = [];
  do {
    let b = n & 0x7f;
    n >>>= 7;
    if (n !== 0) b |= 0x80;
    out.push(b);
  } while (n !== 0);
  return out;
}

/** Signed LEB128 of a 32-bit integer. */
function sleb(n: number): number[] {
  const out: number[] = [];
  n |= 0;
  for (;;) {
    const b = n & 0x7f;
    n >>= 7;
    if ((n === 0 && (b & 0x40) === 0) || (n === -1 && (b & 0x40) !== 0)) {
      out.push(b);
      return out;
    }
    out.push(b | 0x80);
  }
}

const SIMD = {
  load: 0x00,
  store: 0x0b,
  shuffle: 0x0d,
  and: 0x4e,
  or: 0x50,
  xor: 0x51,
  bitselect: 0x52,
  shl: 0xab,
  shrU: 0xad,
  add: 0xae,
} as const;

/** Function body builder: locals are numbered params first, then the declared v128 locals. */
class Body {
  readonly code: number[] = [];
  private nextLocal: number;
  /** Declared locals' types in index order (after the params). */
  private readonly localTypes: number[] = [];
  constructor(params: number) {
    this.nextLocal = params;
  }
  v128(): number {
    this.localTypes.push(V128);
    return this.nextLocal++;
  }
  i32local(): number {
    this.localTypes.push(I32);
    return this.nextLocal++;
  }
  get(l: number): this {
    this.code.push(0x20, ...uleb(l));
    return this;
  }
  set(l: number): this {
    this.code.push(0x21, ...uleb(l));
    return this;
  }
  tee(l: number): this {
    this.code.push(0x22, ...uleb(l));
    return this;
  }
  i32(n: number): this {
    this.code.push(0x41, ...sleb(n));
    return this;
  }
  op(...bytes: number[]): this {
    this.code.push(...bytes);
    return this;
  }
  simd(op: number, ...imm: number[]): this {
    this.code.push(0xfd, ...uleb(op), ...imm);
    return this;
  }
  /** v128.load / v128.store with a constant offset from the address on the stack (alignment hint 1). */
  load(offset: number): this {
    return this.simd(SIMD.load, 0, ...uleb(offset));
  }
  store(offset: number): this {
    return this.simd(SIMD.store, 0, ...uleb(offset));
  }
  /** The function's code entry: local declarations, then the body. */
  encode(): number[] {
    // Runs of one type: (count, type) per run.
    const runs: number[][] = [];
    for (const t of this.localTypes) {
      const last = runs[runs.length - 1];
      if (last && last[1] === t) last[0] = (last[0] as number) + 1;
      else runs.push([1, t]);
    }
    const locals = [...uleb(runs.length), ...runs.flatMap(([n, t]) => [...uleb(n as number), t as number])];
    const body = [...locals, ...this.code, 0x0b];
    return [...uleb(body.length), ...body];
  }
}

function section(id: number, content: number[]): number[] {
  return [id, ...uleb(content.length), ...content];
}

function vec(items: number[][]): number[] {
  return [...uleb(items.length), ...items.flat()];
}

function name(s: string): number[] {
  return [...uleb(s.length), ...Array.from(s, (c) => c.charCodeAt(0))];
}

// ---- Constants in the module's memory (a data segment at address 0), each splatted over four lanes.

const K = [
  0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5, 0xd807aa98, 0x12835b01,
  0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc,
  0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da, 0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147,
  0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
  0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070, 0x19a4c116, 0x1e376c08,
  0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3, 0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208,
  0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
];
const H0 = [0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19];

/** The schedule W[0..64) of a message block W[0..16) (plain JS; only used for the constant padding blocks). */
function schedule(block: number[]): number[] {
  const w = block.slice();
  const rotr = (x: number, n: number) => (x >>> n) | (x << (32 - n));
  for (let i = 16; i < 64; i++) {
    const x = w[i - 15] as number;
    const y = w[i - 2] as number;
    const s0 = rotr(x, 7) ^ rotr(x, 18) ^ (x >>> 3);
    const s1 = rotr(y, 17) ^ rotr(y, 19) ^ (y >>> 10);
    w.push(((w[i - 16] as number) + s0 + (w[i - 7] as number) + s1) | 0);
  }
  return w;
}

/** K[t] + W[t] of the padding block that follows a 64-byte message (0x80, zeros, bit length 512). */
const PAD64_KW = schedule([0x80000000, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 512]).map((w, t) => (w + (K[t] as number)) | 0);

const C_K = 0;
const C_PAD64 = C_K + 64 * 16;
const C_H0 = C_PAD64 + 64 * 16;
const C_PAD32 = C_H0 + 8 * 16;
const C_END = C_PAD32 + 2 * 16;
/** First byte of the caller's data in the module's memory. */
const DATA = 4096;

function constantBytes(): Uint8Array {
  const words = new Int32Array(C_END / 4);
  const splat = (at: number, values: number[]) => {
    values.forEach((v, i) => {
      words.fill(v | 0, at / 4 + 4 * i, at / 4 + 4 * i + 4);
    });
  };
  splat(C_K, K);
  splat(C_PAD64, PAD64_KW);
  splat(C_H0, H0);
  // W[8] and W[15] of the block of a 32-byte message: 0x80 then the bit length 256 (W[9..14] are zero).
  splat(C_PAD32, [0x80000000, 256]);
  return new Uint8Array(words.buffer);
}

// ---- The SHA-256 code.

interface Vars {
  /** The working variables a..h (renamed every round) and the state before the block (feed-forward). */
  v: number[];
  s: number[];
  /** The message schedule, a ring of 16. */
  w: number[];
  t1: number;
  t2: number;
}

function declare(f: Body): Vars {
  const v = Array.from({ length: 8 }, () => f.v128());
  const s = Array.from({ length: 8 }, () => f.v128());
  const w = Array.from({ length: 16 }, () => f.v128());
  return { v, s, w, t1: f.v128(), t2: f.v128() };
}

/** Pushes rotr(x, n) (x a local). */
function rotr(f: Body, x: number, n: number): void {
  f.get(x).i32(n).simd(SIMD.shrU).get(x).i32(32 - n).simd(SIMD.shl).simd(SIMD.or);
}

/** Pushes rotr(x, a) ^ rotr(x, b) ^ rotr(x, c) (c < 0: shift right by -c instead). */
function sigma(f: Body, x: number, a: number, b: number, c: number): void {
  rotr(f, x, a);
  rotr(f, x, b);
  f.simd(SIMD.xor);
  if (c > 0) rotr(f, x, c);
  else f.get(x).i32(-c).simd(SIMD.shrU);
  f.simd(SIMD.xor);
}

/** Pushes a constant vector from the data segment. */
function constant(f: Body, at: number): void {
  f.i32(0).load(at);
}

/**
 * Compresses one block into the state held in v (working variables start as the state): 64 rounds, then
 * v[i] += s[i] (the caller has copied v into s). `kw(t)` pushes K[t] + W[t]; `expand` (if given) computes
 * W[t] for t >= 16 into the ring before round t.
 */
function compress(f: Body, x: Vars, kw: (t: number) => void, expand: boolean): void {
  const names = x.v.slice(); // names[0] holds a, names[7] holds h, for the current round
  for (let t = 0; t < 64; t++) {
    if (expand && t >= 16) {
      const w = x.w;
      // W[t] = σ1(W[t-2]) + W[t-7] + σ0(W[t-15]) + W[t-16]
      sigma(f, w[(t - 2) & 15] as number, 17, 19, -10);
      f.get(w[(t - 7) & 15] as number).simd(SIMD.add);
      sigma(f, w[(t - 15) & 15] as number, 7, 18, -3);
      f.simd(SIMD.add);
      f.get(w[t & 15] as number).simd(SIMD.add).set(w[t & 15] as number);
    }
    const [a, b, c, d, e, ff, g, h] = names as [number, number, number, number, number, number, number, number];
    // t1 = h + Σ1(e) + Ch(e, f, g) + K[t] + W[t]
    f.get(h);
    sigma(f, e, 6, 11, 25);
    f.simd(SIMD.add);
    f.get(ff).get(g).get(e).simd(SIMD.bitselect).simd(SIMD.add);
    kw(t);
    f.simd(SIMD.add).set(x.t1);
    // t2 = Σ0(a) + Maj(a, b, c); Maj = bitselect(c, b, a ^ b)
    sigma(f, a, 2, 13, 22);
    f.get(c).get(b).get(a).get(b).simd(SIMD.xor).simd(SIMD.bitselect).simd(SIMD.add).set(x.t2);
    // d += t1 (d becomes the new e); h = t1 + t2 (h becomes the new a)
    f.get(d).get(x.t1).simd(SIMD.add).set(d);
    f.get(x.t1).get(x.t2).simd(SIMD.add).set(h);
    names.unshift(names.pop() as number);
  }
  // After 64 rounds the names are back in place (64 is a multiple of 8).
  for (let i = 0; i < 8; i++) f.get(x.v[i] as number).get(x.s[i] as number).simd(SIMD.add).set(x.v[i] as number);
}

/** Saves the working variables as the state before a block. */
function save(f: Body, x: Vars): void {
  for (let i = 0; i < 8; i++) f.get(x.v[i] as number).set(x.s[i] as number);
}

/** v = s = H0. */
function init(f: Body, x: Vars): void {
  for (let i = 0; i < 8; i++) {
    constant(f, C_H0 + 16 * i);
    f.tee(x.v[i] as number).set(x.s[i] as number);
  }
}

/** kw for a schedule held in the ring w. */
function kwRing(f: Body, x: Vars): (t: number) => void {
  return (t) => {
    constant(f, C_K + 16 * t);
    f.get(x.w[t & 15] as number).simd(SIMD.add);
  };
}

/**
 * Shuffle lanes for one step of a 4x4 transposition of 32-bit words: take words `wa` of the first operand
 * and `wb` of the second, interleaved (a, b, a, b), each word's bytes reversed when `swap` (big-endian).
 */
function interleave(wa: [number, number], wb: [number, number], swap: boolean): number[] {
  const word = (base: number, w: number) => (swap ? [3, 2, 1, 0] : [0, 1, 2, 3]).map((k) => base + 4 * w + k);
  return [...word(0, wa[0]), ...word(16, wb[0]), ...word(0, wa[1]), ...word(16, wb[1])];
}
/** Second step: words 0,1 of the first operand then words 0,1 (or 2,3) of the second. */
function halves(hi: boolean): number[] {
  const base = hi ? 8 : 0;
  return [...Array.from({ length: 8 }, (_, k) => base + k), ...Array.from({ length: 8 }, (_, k) => 16 + base + k)];
}

/**
 * Transposes four vectors (in locals r[0..3], vector j = four words of message j) into four vectors of
 * lanes (out[q] lane j = word q of message j), swapping each word's byte order. Uses t1, t2 and two
 * extra scratch locals.
 */
function transpose(f: Body, r: number[], out: number[], tmp: [number, number, number, number]): void {
  const [r0, r1, r2, r3] = r as [number, number, number, number];
  const [u0, u1, u2, u3] = tmp;
  f.get(r0).get(r1).simd(SIMD.shuffle, ...interleave([0, 1], [0, 1], true)).set(u0); // a0 b0 a1 b1
  f.get(r2).get(r3).simd(SIMD.shuffle, ...interleave([0, 1], [0, 1], true)).set(u1); // c0 d0 c1 d1
  f.get(r0).get(r1).simd(SIMD.shuffle, ...interleave([2, 3], [2, 3], true)).set(u2); // a2 b2 a3 b3
  f.get(r2).get(r3).simd(SIMD.shuffle, ...interleave([2, 3], [2, 3], true)).set(u3); // c2 d2 c3 d3
  f.get(u0).get(u1).simd(SIMD.shuffle, ...halves(false)).set(out[0] as number); // a0 b0 c0 d0
  f.get(u0).get(u1).simd(SIMD.shuffle, ...halves(true)).set(out[1] as number);
  f.get(u2).get(u3).simd(SIMD.shuffle, ...halves(false)).set(out[2] as number);
  f.get(u2).get(u3).simd(SIMD.shuffle, ...halves(true)).set(out[3] as number);
}

/**
 * Loads `words` (8 or 16) big-endian words of four messages, `stride` bytes apart starting at the address
 * in local `src`, into the lanes of w[0..words).
 */
function loadMessages(f: Body, x: Vars, src: number, stride: number, words: number, scratch: number[]): void {
  for (let q = 0; q < words / 4; q++) {
    const r = scratch.slice(0, 4);
    for (let j = 0; j < 4; j++) f.get(src).load(stride * j + 16 * q).set(r[j] as number);
    transpose(f, r, x.w.slice(4 * q, 4 * q + 4), scratch.slice(4, 8) as [number, number, number, number]);
  }
}

/** Stores the state v (lane j = message j) as four 32-byte big-endian digests at the address in local dst. */
function storeDigests(f: Body, x: Vars, dst: number, scratch: number[]): void {
  for (let q = 0; q < 2; q++) {
    const out = scratch.slice(0, 4);
    transpose(f, x.v.slice(4 * q, 4 * q + 4), out, scratch.slice(4, 8) as [number, number, number, number]);
    for (let j = 0; j < 4; j++) f.get(dst).get(out[j] as number).store(32 * j + 16 * q);
  }
}

/** SHA-256 of the 32-byte message in the lanes of v (a digest), as a new state in v. */
function hashOf32(f: Body, x: Vars): void {
  for (let i = 0; i < 8; i++) f.get(x.v[i] as number).set(x.w[i] as number);
  constant(f, C_PAD32);
  f.set(x.w[8] as number);
  for (let i = 9; i < 15; i++) f.i32(0).simd(0x11).set(x.w[i] as number); // i32x4.splat 0
  constant(f, C_PAD32 + 16);
  f.set(x.w[15] as number);
  init(f, x);
  compress(f, x, kwRing(f, x), true);
}

/** A function (src, dst, count) looping over groups of four messages. */
function groupLoop(body: (f: Body, x: Vars, scratch: number[]) => void, srcStep: number, dstStep: number): number[] {
  const SRC = 0;
  const DST = 1;
  const COUNT = 2;
  const f = new Body(3);
  const x = declare(f);
  const scratch = Array.from({ length: 8 }, () => f.v128());
  f.op(0x03, 0x40); // loop
  body(f, x, scratch);
  f.get(SRC).i32(srcStep).op(0x6a).set(SRC); // i32.add
  f.get(DST).i32(dstStep).op(0x6a).set(DST);
  f.get(COUNT).i32(4).op(0x6b).set(COUNT); // i32.sub
  f.get(COUNT).i32(0).op(0x4a).op(0x0d, 0); // i32.gt_s; br_if 0
  f.op(0x0b); // end loop
  return f.encode();
}

/**
 * sha256Paddedx(src, dst, count, nblocks): single SHA-256 of `count` messages of `nblocks` padded blocks
 * each, back to back from src (message i at src + 64 nblocks i); 32-byte digests to dst.
 */
function paddedMessages(): number[] {
  const SRC = 0;
  const DST = 1;
  const COUNT = 2;
  const NBLOCKS = 3;
  const f = new Body(4);
  const x = declare(f);
  const scratch = Array.from({ length: 8 }, () => f.v128());
  const stride = f.i32local();
  const ptr = f.i32local();
  const left = f.i32local();
  const lanes = Array.from({ length: 4 }, () => f.i32local());
  const add = 0x6a;
  f.get(NBLOCKS).i32(6).op(0x74).set(stride); // i32.shl: nblocks * 64
  f.op(0x03, 0x40); // loop: groups of four messages
  init(f, x);
  f.get(SRC).set(ptr);
  f.get(NBLOCKS).set(left);
  f.op(0x03, 0x40); // loop: blocks
  f.get(ptr).set(lanes[0] as number);
  for (let j = 1; j < 4; j++) f.get(lanes[j - 1] as number).get(stride).op(add).set(lanes[j] as number);
  for (let q = 0; q < 4; q++) {
    const r = scratch.slice(0, 4);
    for (let j = 0; j < 4; j++) f.get(lanes[j] as number).load(16 * q).set(r[j] as number);
    transpose(f, r, x.w.slice(4 * q, 4 * q + 4), scratch.slice(4, 8) as [number, number, number, number]);
  }
  save(f, x);
  compress(f, x, kwRing(f, x), true);
  f.get(ptr).i32(64).op(add).set(ptr);
  f.get(left).i32(1).op(0x6b).tee(left).i32(0).op(0x4a).op(0x0d, 0); // left -= 1; br_if left > 0
  f.op(0x0b); // end blocks
  storeDigests(f, x, DST, scratch);
  f.get(SRC).get(stride).i32(2).op(0x74).op(add).set(SRC); // src += 4 * stride
  f.get(DST).i32(128).op(add).set(DST);
  f.get(COUNT).i32(4).op(0x6b).set(COUNT);
  f.get(COUNT).i32(0).op(0x4a).op(0x0d, 0);
  f.op(0x0b); // end groups
  return f.encode();
}

function buildModule(): Uint8Array {
  const SRC = 0;
  const DST = 1;
  const d64 = groupLoop(
    (f, x, scratch) => {
      loadMessages(f, x, SRC, 64, 16, scratch);
      init(f, x);
      compress(f, x, kwRing(f, x), true);
      save(f, x);
      compress(f, x, (t) => constant(f, C_PAD64 + 16 * t), false);
      hashOf32(f, x);
      storeDigests(f, x, DST, scratch);
    },
    256,
    128,
  );
  const s32 = groupLoop(
    (f, x, scratch) => {
      loadMessages(f, x, SRC, 32, 8, scratch);
      for (let i = 0; i < 8; i++) f.get(x.w[i] as number).set(x.v[i] as number);
      hashOf32(f, x);
      storeDigests(f, x, DST, scratch);
    },
    128,
    128,
  );
  const dblock = groupLoop(
    (f, x, scratch) => {
      loadMessages(f, x, SRC, 64, 16, scratch);
      init(f, x);
      compress(f, x, kwRing(f, x), true);
      hashOf32(f, x);
      storeDigests(f, x, DST, scratch);
    },
    256,
    128,
  );
  const bytes = [
    ...[0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00],
    ...section(1, vec([[0x60, 3, I32, I32, I32, 0], [0x60, 4, I32, I32, I32, I32, 0]])), // (i32 x3) -> (), (i32 x4) -> ()
    ...section(3, vec([[0], [0], [0], [1]])),
    ...section(5, vec([[0x00, 1]])), // memory 0: at least one page, grown by the caller
    ...section(
      7,
      vec([
        [...name('memory'), 0x02, 0],
        [...name('sha256d64x'), 0x00, 0],
        [...name('sha256x32'), 0x00, 1],
        [...name('sha256dBlockx'), 0x00, 2],
        [...name('sha256Paddedx'), 0x00, 3],
      ]),
    ),
    ...section(10, vec([d64, s32, dblock, paddedMessages()])),
    ...section(11, vec([[0x00, 0x41, 0, 0x0b, ...uleb(C_END), ...constantBytes()]])),
  ];
  return Uint8Array.from(bytes);
}

/** The parts of the WebAssembly JS API used here (the project's TypeScript lib has no DOM types). */
interface WasmMemory {
  readonly buffer: ArrayBuffer;
  grow(pages: number): number;
}
interface WasmApi {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object) => { exports: unknown };
}
const wasm = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;

interface Exports {
  memory: WasmMemory;
  sha256d64x(src: number, dst: number, count: number): void;
  sha256x32(src: number, dst: number, count: number): void;
  sha256dBlockx(src: number, dst: number, count: number): void;
  sha256Paddedx(src: number, dst: number, count: number, nblocks: number): void;
}

let exports: Exports | null = null;
let heap = new Uint8Array(0);

/** The module's exports and a view of its memory with room for `bytes` bytes of data at DATA. */
function module(bytes: number): Exports {
  if (!exports) {
    const instance = new wasm.Instance(new wasm.Module(buildModule()));
    exports = instance.exports as unknown as Exports;
  }
  // Room for the data, rounded up to whole groups of four 64-byte messages (the garbage lanes read there).
  const need = DATA + bytes + 256;
  const mem = exports.memory;
  if (mem.buffer.byteLength < need) mem.grow(Math.ceil((need - mem.buffer.byteLength) / 65536));
  if (heap.buffer !== mem.buffer) heap = new Uint8Array(mem.buffer);
  return exports;
}

/** dst[dstOff + 32i ..] = SHA256(SHA256(src[srcOff + 64i .. +64))) for i < count. dst may alias src. */
export function sha256d64Many(src: Uint8Array, srcOff: number, dst: Uint8Array, dstOff: number, count: number): void {
  if (count <= 0) return;
  const m = module(64 * count);
  heap.set(src.subarray(srcOff, srcOff + 64 * count), DATA);
  m.sha256d64x(DATA, DATA, count);
  dst.set(heap.subarray(DATA, DATA + 32 * count), dstOff);
}

/** dst[dstOff + 32i ..] = SHA256(src[srcOff + 32i .. +32)) for i < count. dst may alias src. */
export function sha256of32Many(src: Uint8Array, srcOff: number, dst: Uint8Array, dstOff: number, count: number): void {
  if (count <= 0) return;
  const m = module(32 * count);
  heap.set(src.subarray(srcOff, srcOff + 32 * count), DATA);
  m.sha256x32(DATA, DATA, count);
  dst.set(heap.subarray(DATA, DATA + 32 * count), dstOff);
}

/**
 * Merkle root over `count` 32-byte hashes packed in `hashes` (Bitcoin's tree: an odd last node is paired
 * with itself), every level hashed four nodes at a time in the module's memory.
 */
export function merkleRootMany(hashes: Uint8Array, count: number): Buffer {
  if (count <= 0) throw new RangeError('merkleRoot: no hashes');
  module(32 * (count + 1));
  heap.set(hashes.subarray(0, 32 * count), DATA);
  let n = count;
  while (n > 1) {
    if (n & 1) {
      heap.copyWithin(DATA + 32 * n, DATA + 32 * (n - 1), DATA + 32 * n);
      n++;
    }
    (exports as Exports).sha256d64x(DATA, DATA, n >> 1);
    n >>= 1;
  }
  return Buffer.from(heap.subarray(DATA, DATA + 32));
}

/**
 * dst[dstOff + 32i ..] = SHA256(SHA256(message i)) for `count` messages of at most 55 bytes, each given
 * padded to one 64-byte block in `blocks` (the message, 0x80, zeros, the bit length as 64-bit big-endian).
 */
export function sha256dBlockMany(blocks: Uint8Array, dst: Uint8Array, dstOff: number, count: number): void {
  if (count <= 0) return;
  const m = module(64 * count);
  heap.set(blocks.subarray(0, 64 * count), DATA);
  m.sha256dBlockx(DATA, DATA, count);
  dst.set(heap.subarray(DATA, DATA + 32 * count), dstOff);
}

/** 64-byte blocks of a message of `len` bytes once padded (the message, 0x80, zeros, 8-byte bit length). */
export function paddedBlocks(len: number): number {
  return (len + 72) >>> 6;
}

/**
 * The module's memory with room for `bytes` bytes from `base` on, for callers that lay messages out in
 * place for `sha256PaddedInHeap`. The view is valid until the next call of another function of this module.
 */
export function scratchHeap(bytes: number): { heap: Uint8Array; base: number } {
  module(bytes);
  return { heap, base: DATA };
}

/**
 * Pads the message of `len` bytes already at heap[at..] to `paddedBlocks(len)` blocks: 0x80, zeros, the
 * bit length (big-endian; messages here are far below 2^29 bytes).
 */
export function padInHeap(h: Uint8Array, at: number, len: number): void {
  const end = at + 64 * paddedBlocks(len);
  h[at + len] = 0x80;
  h.fill(0, at + len + 1, end - 4);
  const bits = len * 8;
  h[end - 4] = bits >>> 24;
  h[end - 3] = (bits >>> 16) & 0xff;
  h[end - 2] = (bits >>> 8) & 0xff;
  h[end - 1] = bits & 0xff;
}

/**
 * SHA-256 (single) of `count` messages of `nblocks` padded blocks each, back to back at heap offset `src`
 * (see scratchHeap, padInHeap); the 32-byte digests go to heap offset `dst`. Four messages per pass; the
 * region must have room for the last group of four (unused lanes hash whatever is there).
 */
export function sha256PaddedInHeap(src: number, dst: number, count: number, nblocks: number): void {
  if (count <= 0) return;
  module(0).sha256Paddedx(src, dst, count, nblocks);
}
