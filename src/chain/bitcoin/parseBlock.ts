import { hash as oneShotHash } from 'node:crypto';
import { LedgerhoundError, ParseError } from '../../core/index.js';
import { merkleRootMany, padInHeap, paddedBlocks, scratchHeap, sha256of32Many, sha256PaddedInHeap } from './_sha256x4.js';
import { hashToHex, sha256d } from './hash.js';
import { native } from './native.js';
import { type BlockHeader, HEADER_SIZE, parseHeader } from './header.js';

/**
 * A block decoded into struct-of-arrays form over its own bytes (zero-copy: scripts, prevouts
 * and witnesses stay in `buf` and are addressed by offset). Transactions, inputs and outputs are
 * numbered block-locally in order; tx i owns inputs [txInputStart[i], txInputStart[i+1]) and
 * outputs [txOutputStart[i], txOutputStart[i+1]). All hashes are in internal byte order.
 */
export interface ParsedBlock {
  buf: Buffer;
  header: BlockHeader;
  /** Serialized size in bytes (with witnesses). */
  size: number;
  /** BIP141 weight: base size * 3 + total size. */
  weight: number;
  txCount: number;
  txStart: Uint32Array;
  txEnd: Uint32Array;
  /** Size without witness data (marker, flag and witnesses removed). */
  txBaseSize: Uint32Array;
  txVersion: Int32Array;
  txLocktime: Uint32Array;
  txSegwit: Uint8Array;
  txids: Buffer;
  wtxids: Buffer;
  txInputStart: Uint32Array;
  txOutputStart: Uint32Array;
  inPrevTxidOffset: Uint32Array;
  inPrevVout: Uint32Array;
  inSequence: Uint32Array;
  inScriptOffset: Uint32Array;
  inScriptLength: Uint32Array;
  /** Offset of the input's witness stack (its item-count CompactSize), 0 when the tx has none. */
  inWitnessOffset: Uint32Array;
  /** Satoshis; exact, since MAX_MONEY < 2^53. */
  outValue: Float64Array;
  outScriptOffset: Uint32Array;
  outScriptLength: Uint32Array;
}

export interface ParseLoc {
  /** File name for error messages. */
  file?: string;
  /** Offset of buf[0] within that file, so errors point at absolute positions. */
  offset?: number;
}

const ZERO32 = Buffer.alloc(32);
const PLACEHOLDER_HEADER: BlockHeader = { version: 0, prevHash: ZERO32, merkleRoot: ZERO32, time: 0, bits: 0, nonce: 0, hash: ZERO32 };

/** Consensus limits used as sanity bounds (Bitcoin Core consensus/consensus.h, amount.h). */
const MAX_MONEY = 21_000_000 * 100_000_000;
/** Largest CompactSize Core accepts when deserializing (serialize.h MAX_SIZE). */
const MAX_SIZE = 0x02000000;
/** The smallest possible transaction is 60 bytes (1 input, 0-byte script, 1 output) — bounds the tx count. */
const MIN_TX_SIZE = 60;

// Growable scratch columns shared by all calls (parsing is synchronous, so one set per thread is enough).
let cap = { tx: 0, inp: 0, out: 0 };
let sTxStart = new Uint32Array(0);
let sTxEnd = new Uint32Array(0);
let sTxBase = new Uint32Array(0);
let sTxVersion = new Int32Array(0);
let sTxLock = new Uint32Array(0);
let sTxSegwit = new Uint8Array(0);
/** Segwit transactions: where the inputs start (after marker and flag) and where the witnesses start. */
let sTxBody = new Uint32Array(0);
let sTxWit = new Uint32Array(0);
let sTxIn = new Uint32Array(0);
let sTxOut = new Uint32Array(0);
let sInPrev = new Uint32Array(0);
let sInVout = new Uint32Array(0);
let sInSeq = new Uint32Array(0);
let sInScriptOff = new Uint32Array(0);
let sInScriptLen = new Uint32Array(0);
let sInWit = new Uint32Array(0);
let sOutValue = new Float64Array(0);
let sOutScriptOff = new Uint32Array(0);
let sOutScriptLen = new Uint32Array(0);
let strip = Buffer.allocUnsafe(1 << 16);

function ensureTx(n: number): void {
  if (n <= cap.tx) return;
  const c = Math.max(n, cap.tx * 2, 1024);
  sTxStart = new Uint32Array(c);
  sTxEnd = new Uint32Array(c);
  sTxBase = new Uint32Array(c);
  sTxVersion = new Int32Array(c);
  sTxLock = new Uint32Array(c);
  sTxSegwit = new Uint8Array(c);
  sTxBody = new Uint32Array(c);
  sTxWit = new Uint32Array(c);
  sTxIn = new Uint32Array(c + 1);
  sTxOut = new Uint32Array(c + 1);
  cap = { ...cap, tx: c };
}

function growIn(need: number): void {
  const c = Math.max(need, cap.inp * 2, 4096);
  const g = <T extends Uint32Array>(a: T): T => {
    const b = new Uint32Array(c) as T;
    b.set(a.subarray(0, Math.min(a.length, c)));
    return b;
  };
  sInPrev = g(sInPrev);
  sInVout = g(sInVout);
  sInSeq = g(sInSeq);
  sInScriptOff = g(sInScriptOff);
  sInScriptLen = g(sInScriptLen);
  sInWit = g(sInWit);
  cap = { ...cap, inp: c };
}

function growOut(need: number): void {
  const c = Math.max(need, cap.out * 2, 4096);
  const v = new Float64Array(c);
  v.set(sOutValue);
  sOutValue = v;
  const a = new Uint32Array(c);
  a.set(sOutScriptOff);
  sOutScriptOff = a;
  const b = new Uint32Array(c);
  b.set(sOutScriptLen);
  sOutScriptLen = b;
  cap = { ...cap, out: c };
}

/**
 * Decodes a serialized block (the bytes of `getblock <hash> 0`): header, every transaction in
 * legacy or BIP144 segwit form, txids and wtxids (double SHA-256: all of a block's in one call to the native
 * accelerator when it is built, see native.ts; otherwise node:crypto for transactions over 503 bytes and the
 * four-lane WebAssembly SIMD SHA-256 of `_sha256x4.ts` for shorter ones and for every second pass; the tests
 * compare both paths on the real blocks), and checks the merkle root.
 *
 * @throws ParseError (code LH_PARSE_*) naming file, absolute offset and field path, e.g.
 *   `blk00000.dat @ 0x1f3a tx[17].vin[2].scriptSig: needs 2417 bytes, 1003 left`.
 * @throws LedgerhoundError LH_MERKLE_MISMATCH when the transactions do not hash to the header's merkle root.
 */
export function parseBlock(buf: Buffer, loc: ParseLoc = {}, opts: { checkMerkle?: boolean } = {}): ParsedBlock {
  return parseCore(buf, loc, opts.checkMerkle !== false, false);
}

/**
 * parseBlock (merkle and witness checks included) whose columns are views of this thread's scratch arrays
 * instead of copies: valid only until the next parse on the same thread. For a caller that copies them
 * out at once (ingest's parseBatch), it saves a copy of every column per block.
 */
export function parseBlockTransient(buf: Buffer, loc: ParseLoc = {}): ParsedBlock {
  return parseCore(buf, loc, true, false, true);
}

/**
 * Decodes one serialized transaction (legacy or BIP144), e.g. the hex of `getrawtransaction`.
 * The result has the ParsedBlock layout with txCount 1 and a placeholder header.
 * @throws ParseError naming the offset and field (`tx[0].vout[1].scriptPubKey: …`).
 */
export function parseTransaction(buf: Buffer, loc: ParseLoc = {}): ParsedBlock {
  return parseCore(buf, loc, false, true);
}

function parseCore(buf: Buffer, loc: ParseLoc, checkMerkle: boolean, singleTx: boolean, transient = false): ParsedBlock {
  const base = loc.offset ?? 0;
  const end = buf.length;
  // Field path state, turned into text only when an error is thrown.
  let tx = -1;
  let part = '';
  let idx = -1;
  let leaf = '';
  const fieldPath = (): string => {
    if (tx < 0) return leaf || 'block';
    let f = `tx[${tx}]`;
    if (part) f += idx >= 0 ? `.${part}[${idx}]` : `.${part}`;
    if (leaf) f += `.${leaf}`;
    return f;
  };
  const fail = (at: number, problem: string, code = 'LH_PARSE'): never => {
    throw new ParseError({ ...(loc.file === undefined ? {} : { file: loc.file }), offset: base + at, field: fieldPath() }, problem, code);
  };
  const need = (at: number, n: number): void => {
    if (at + n > end) fail(at, `needs ${n} bytes, ${Math.max(0, end - at)} left`, 'LH_PARSE_TRUNCATED');
  };
  // CompactSize (Bitcoin protocol); non-canonical encodings are rejected as Core's ReadCompactSize does.
  let p = 0;
  const readCompact = (): number => {
    need(p, 1);
    const b = buf[p]!;
    if (b < 0xfd) {
      p += 1;
      return b;
    }
    if (b === 0xfd) {
      need(p, 3);
      const v = buf[p + 1]! | (buf[p + 2]! << 8);
      if (v < 0xfd) fail(p, `non-canonical CompactSize 0xfd encodes ${v}`);
      p += 3;
      return v;
    }
    if (b === 0xfe) {
      need(p, 5);
      const v = buf.readUInt32LE(p + 1);
      if (v < 0x10000) fail(p, `non-canonical CompactSize 0xfe encodes ${v}`);
      if (v > MAX_SIZE) fail(p, `CompactSize ${v} exceeds the maximum ${MAX_SIZE}`);
      p += 5;
      return v;
    }
    fail(p, 'CompactSize 0xff (64-bit) exceeds the maximum size');
    return 0;
  };

  let header: BlockHeader;
  let txCount: number;
  if (singleTx) {
    header = PLACEHOLDER_HEADER;
    txCount = 1;
    if (end === 0) fail(0, 'empty input', 'LH_PARSE_TRUNCATED');
  } else {
    leaf = 'header';
    header = parseHeader(buf, 0, loc);
    p = HEADER_SIZE;
    leaf = 'txCount';
    txCount = readCompact();
    if (txCount === 0) fail(HEADER_SIZE, 'a block has at least one transaction (the coinbase)');
    if (txCount > Math.floor((end - p) / MIN_TX_SIZE)) {
      fail(HEADER_SIZE, `claims ${txCount} transactions but only ${end - p} bytes follow (at least ${MIN_TX_SIZE} each)`);
    }
  }
  leaf = '';
  ensureTx(txCount);
  const txids = Buffer.allocUnsafe(32 * txCount);
  const wtxids = Buffer.allocUnsafe(32 * txCount);
  let nIn = 0;
  let nOut = 0;
  let anySegwit = false;
  let weight = p * 4;

  for (tx = 0; tx < txCount; tx++) {
    const start = p;
    part = '';
    idx = -1;
    leaf = 'version';
    need(p, 4);
    sTxVersion[tx] = buf.readInt32LE(p);
    p += 4;
    // BIP144: marker 0x00 then flag 0x01 introduce the witness serialization.
    let segwit = false;
    if (buf[p] === 0x00 && p + 1 < end) {
      leaf = 'flag';
      if (buf[p + 1] !== 0x01) fail(p + 1, `segwit flag must be 0x01, got 0x${buf[p + 1]!.toString(16)} (BIP144)`);
      segwit = true;
      p += 2;
    }
    const afterMarker = p;
    leaf = 'vinCount';
    const nInputs = readCompact();
    if (nInputs === 0) fail(p - 1, 'transaction has no inputs');
    if (nIn + nInputs > cap.inp) growIn(nIn + nInputs);
    sTxIn[tx] = nIn;
    part = 'vin';
    for (idx = 0; idx < nInputs; idx++) {
      leaf = 'prevout';
      need(p, 36);
      sInPrev[nIn] = p;
      sInVout[nIn] = buf.readUInt32LE(p + 32);
      p += 36;
      leaf = 'scriptSig';
      const sl = readCompact();
      need(p, sl);
      sInScriptOff[nIn] = p;
      sInScriptLen[nIn] = sl;
      p += sl;
      leaf = 'sequence';
      need(p, 4);
      sInSeq[nIn] = buf.readUInt32LE(p);
      sInWit[nIn] = 0;
      p += 4;
      nIn++;
    }
    idx = -1;
    part = '';
    leaf = 'voutCount';
    const nOutputs = readCompact();
    if (nOut + nOutputs > cap.out) growOut(nOut + nOutputs);
    sTxOut[tx] = nOut;
    part = 'vout';
    for (idx = 0; idx < nOutputs; idx++) {
      leaf = 'value';
      need(p, 8);
      const lo = buf.readUInt32LE(p);
      const hi = buf.readUInt32LE(p + 4);
      const value = hi * 0x1_0000_0000 + lo;
      if (hi >= 0x200000 || value > MAX_MONEY) fail(p, `value exceeds 21,000,000 BTC (MAX_MONEY)`);
      sOutValue[nOut] = value;
      p += 8;
      leaf = 'scriptPubKey';
      const sl = readCompact();
      need(p, sl);
      sOutScriptOff[nOut] = p;
      sOutScriptLen[nOut] = sl;
      p += sl;
      nOut++;
    }
    idx = -1;
    part = '';
    const witnessStart = p;
    if (segwit) {
      part = 'witness';
      let anyItem = false;
      for (idx = 0; idx < nInputs; idx++) {
        sInWit[sTxIn[tx]! + idx] = p;
        leaf = 'itemCount';
        const items = readCompact();
        if (items > 0) anyItem = true;
        for (let k = 0; k < items; k++) {
          leaf = `item[${k}]`;
          const il = readCompact();
          need(p, il);
          p += il;
        }
      }
      idx = -1;
      part = '';
      leaf = '';
      // BIP144: a witness serialization whose witnesses are all empty is invalid (superfluous flag).
      if (!anyItem) fail(afterMarker - 2, 'segwit marker present but every witness is empty (BIP144)');
    }
    leaf = 'locktime';
    need(p, 4);
    sTxLock[tx] = buf.readUInt32LE(p);
    p += 4;
    leaf = '';
    sTxStart[tx] = start;
    sTxEnd[tx] = p;
    sTxSegwit[tx] = segwit ? 1 : 0;
    if (segwit) anySegwit = true;
    if (segwit) {
      const strippedLen = 8 + witnessStart - afterMarker;
      sTxBody[tx] = afterMarker;
      sTxWit[tx] = witnessStart;
      sTxBase[tx] = strippedLen;
      weight += strippedLen * 3 + (p - start);
    } else {
      sTxBase[tx] = p - start;
      weight += (p - start) * 4;
    }
  }
  tx = -1;
  sTxIn[txCount] = nIn;
  sTxOut[txCount] = nOut;
  if (p !== end) {
    leaf = 'end';
    fail(p, `${end - p} unexpected bytes after the last transaction`);
  }
  if (native) {
    native.txHashes(buf, txCount, sTxStart, sTxEnd, sTxSegwit, sTxBody, sTxWit, txids, wtxids);
  } else {
    firstPass(buf, txCount, txids, wtxids);
    // txids and wtxids hold first-pass digests: the second pass for all of them (a block without witness
    // data has wtxids equal to txids).
    sha256of32Many(txids, 0, txids, 0, txCount);
    if (anySegwit) sha256of32Many(wtxids, 0, wtxids, 0, txCount);
    else txids.copy(wtxids);
  }

  if (checkMerkle) {
    const root = merkleRoot(txids, txCount);
    if (!root.equals(header.merkleRoot)) {
      throw new LedgerhoundError(
        'LH_MERKLE_MISMATCH',
        `${loc.file ?? '<input>'} @ 0x${base.toString(16)} block ${hashToHex(header.hash)}: merkle root of its ${txCount} transactions is ${hashToHex(root)}, header says ${hashToHex(header.merkleRoot)} (corrupted block)`,
        { details: { file: loc.file, offset: base, blockHash: hashToHex(header.hash), computed: hashToHex(root), header: hashToHex(header.merkleRoot) } },
      );
    }
  }

  if (checkMerkle && anySegwit) checkWitnessCommitment(buf, loc, base, header, txCount, wtxids);

  // Copies of the scratch columns, or (transient) views of them.
  const col = <T extends Uint32Array | Int32Array | Uint8Array | Float64Array>(a: T, n: number): T => (transient ? a.subarray(0, n) : a.slice(0, n)) as T;
  return {
    buf,
    header,
    size: end,
    weight,
    txCount,
    txStart: col(sTxStart, txCount),
    txEnd: col(sTxEnd, txCount),
    txBaseSize: col(sTxBase, txCount),
    txVersion: col(sTxVersion, txCount),
    txLocktime: col(sTxLock, txCount),
    txSegwit: col(sTxSegwit, txCount),
    txids,
    wtxids,
    txInputStart: col(sTxIn, txCount + 1),
    txOutputStart: col(sTxOut, txCount + 1),
    inPrevTxidOffset: col(sInPrev, nIn),
    inPrevVout: col(sInVout, nIn),
    inSequence: col(sInSeq, nIn),
    inScriptOffset: col(sInScriptOff, nIn),
    inScriptLength: col(sInScriptLen, nIn),
    inWitnessOffset: col(sInWit, nIn),
    outValue: col(sOutValue, nOut),
    outScriptOffset: col(sOutScriptOff, nOut),
    outScriptLength: col(sOutScriptLen, nOut),
  };
}

/** Messages of up to this many padded blocks (503 bytes) are hashed four at a time in WebAssembly. */
const SHORT_BLOCKS = 8;
const bucketCount = new Int32Array(SHORT_BLOCKS + 1);
const bucketAt = new Int32Array(SHORT_BLOCKS + 1);
const bucketFill = new Int32Array(SHORT_BLOCKS + 1);
const firstDigest = new Int32Array(SHORT_BLOCKS + 1);
/** Per digest slot (buckets rounded up to groups of four): tx index * 4 + where its digest goes (1 txid, 2 wtxid, 3 both). */
let queued = new Int32Array(0);

/**
 * The first SHA-256 pass of every transaction's txid (legacy serialization; for segwit transactions
 * version | inputs..outputs | locktime, BIP141) and wtxid (the whole serialization) into `txids` and
 * `wtxids`. node:crypto costs ~0.96 µs per call plus 0.036 µs per 64-byte block (SHA-NI); the module's
 * four-lane SIMD compression ~0.14 µs per block per message. So messages of up to SHORT_BLOCKS padded
 * blocks (most transactions) are copied, padded, into the module's memory grouped by block count and
 * hashed four at a time; longer ones go to node:crypto one call each.
 */
function firstPass(buf: Buffer, txCount: number, txids: Buffer, wtxids: Buffer): void {
  bucketCount.fill(0);
  const count = (len: number) => {
    const b = paddedBlocks(len);
    if (b <= SHORT_BLOCKS) bucketCount[b] = (bucketCount[b] as number) + 1;
  };
  for (let t = 0; t < txCount; t++) {
    count((sTxEnd[t] as number) - (sTxStart[t] as number));
    if (sTxSegwit[t]) count(sTxBase[t] as number);
  }
  // Bucket regions (rounded up to whole groups of four), then one digest region. Message order inside each
  // bucket follows the transactions, so the digest of bucket b's k-th message is slot firstDigest[b] + k.
  let bytes = 0;
  let digests = 0;
  for (let b = 1; b <= SHORT_BLOCKS; b++) {
    const slots = ((bucketCount[b] as number) + 3) & ~3;
    bucketAt[b] = bytes;
    firstDigest[b] = digests;
    bytes += slots * 64 * b;
    digests += slots;
  }
  const { heap, base } = scratchHeap(bytes + 32 * digests);
  const digestAt = base + bytes;
  if (queued.length < digests) queued = new Int32Array(Math.max(digests, 2 * queued.length));
  bucketFill.fill(0);
  for (let t = 0; t < txCount; t++) {
    const start = sTxStart[t] as number;
    const full = (sTxEnd[t] as number) - start;
    const segwit = sTxSegwit[t] === 1;
    // The whole serialization: the wtxid's (and, without witness data, also the txid's) message.
    const fb = paddedBlocks(full);
    if (fb <= SHORT_BLOCKS) {
      const k = bucketFill[fb] as number;
      bucketFill[fb] = k + 1;
      const at = base + (bucketAt[fb] as number) + 64 * fb * k;
      heap.set(new Uint8Array(buf.buffer, buf.byteOffset + start, full), at);
      padInHeap(heap, at, full);
      queued[(firstDigest[fb] as number) + k] = 4 * t + (segwit ? 2 : 3);
    } else {
      const digest = oneShotHash('sha256', new Uint8Array(buf.buffer, buf.byteOffset + start, full), 'buffer');
      wtxids.set(digest, 32 * t);
      if (!segwit) txids.set(digest, 32 * t);
    }
    if (!segwit) continue;
    // The legacy serialization of a segwit transaction: version, inputs..outputs, locktime.
    const len = sTxBase[t] as number;
    const body = sTxBody[t] as number;
    const bodyLen = (sTxWit[t] as number) - body;
    const end = sTxEnd[t] as number;
    const sb = paddedBlocks(len);
    let at: number;
    let dst: Uint8Array;
    if (sb <= SHORT_BLOCKS) {
      const k = bucketFill[sb] as number;
      bucketFill[sb] = k + 1;
      at = base + (bucketAt[sb] as number) + 64 * sb * k;
      dst = heap;
      queued[(firstDigest[sb] as number) + k] = 4 * t + 1;
    } else {
      if (strip.length < len) strip = Buffer.allocUnsafe(Math.max(len, strip.length * 2));
      at = 0;
      dst = strip;
    }
    for (let k = 0; k < 4; k++) {
      dst[at + k] = buf[start + k] as number;
      dst[at + 4 + bodyLen + k] = buf[end - 4 + k] as number;
    }
    dst.set(new Uint8Array(buf.buffer, buf.byteOffset + body, bodyLen), at + 4);
    if (sb <= SHORT_BLOCKS) padInHeap(heap, at, len);
    else txids.set(oneShotHash('sha256', new Uint8Array(strip.buffer, strip.byteOffset, len), 'buffer'), 32 * t);
  }
  for (let b = 1; b <= SHORT_BLOCKS; b++) {
    sha256PaddedInHeap(base + (bucketAt[b] as number), digestAt + 32 * (firstDigest[b] as number), bucketCount[b] as number, b);
  }
  // The module call may have replaced the memory's buffer: take the view again.
  const h = scratchHeap(0).heap;
  for (let b = 1; b <= SHORT_BLOCKS; b++) {
    const n = bucketCount[b] as number;
    for (let k = 0; k < n; k++) {
      const q = queued[(firstDigest[b] as number) + k] as number;
      const t = q >>> 2;
      const from = digestAt + 32 * ((firstDigest[b] as number) + k);
      if (q & 1) for (let i = 0; i < 32; i++) txids[32 * t + i] = h[from + i] as number;
      if (q & 2) for (let i = 0; i < 32; i++) wtxids[32 * t + i] = h[from + i] as number;
    }
  }
}

/**
 * BIP141: a block with witness data commits to the witness merkle root (coinbase wtxid taken as
 * zero) in its coinbase's last output starting 6a24aa21a9ed, hashed with the coinbase's 32-byte
 * witness reserved value. A mismatch means the witnesses were altered (a corrupted block).
 */
function checkWitnessCommitment(buf: Buffer, loc: ParseLoc, base: number, header: BlockHeader, txCount: number, wtxids: Buffer): void {
  let commitment: Buffer | null = null;
  for (let k = sTxOut[0]!; k < sTxOut[1]!; k++) {
    const off = sOutScriptOff[k]!;
    const len = sOutScriptLen[k]!;
    if (len >= 38 && buf[off] === 0x6a && buf[off + 1] === 0x24 && buf.readUInt32BE(off + 2) === 0xaa21a9ed) {
      commitment = buf.subarray(off + 6, off + 38);
    }
  }
  const where = `${loc.file ?? '<input>'} @ 0x${base.toString(16)} block ${hashToHex(header.hash)}`;
  const mismatch = (problem: string) =>
    new LedgerhoundError('LH_WITNESS_COMMITMENT_MISMATCH', `${where}: ${problem} (corrupted block)`, {
      details: { file: loc.file, offset: base, blockHash: hashToHex(header.hash), problem },
    });
  if (commitment === null) throw mismatch('has witness data but no witness commitment in its coinbase (BIP141)');
  const w0 = sInWit[0]!;
  // Coinbase witness: exactly one 32-byte item, the reserved value.
  if (w0 === 0 || buf[w0] !== 1 || buf[w0 + 1] !== 32) throw mismatch('coinbase witness reserved value is not one 32-byte item (BIP141)');
  const ids = Buffer.from(wtxids.subarray(0, 32 * txCount));
  ids.fill(0, 0, 32);
  const root = merkleRoot(ids, txCount);
  const expected = sha256d(Buffer.concat([root, buf.subarray(w0 + 2, w0 + 34)]));
  if (!expected.equals(commitment)) {
    throw mismatch(`witness commitment ${commitment.toString('hex')} does not match the witnesses (computed ${expected.toString('hex')})`);
  }
}

/**
 * Merkle root over `count` 32-byte hashes packed in `hashes` (Bitcoin's tree: an odd last node
 * is paired with itself): by the native accelerator when it is built, else each level four nodes at a time
 * (WebAssembly SIMD).
 */
export function merkleRoot(hashes: Uint8Array, count: number): Buffer {
  if (native && count > 0) {
    const root = Buffer.allocUnsafe(32);
    native.merkleRoot(hashes, count, root);
    return root;
  }
  return merkleRootMany(hashes, count);
}
