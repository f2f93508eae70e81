/**
 * The pure, CPU-heavy half of ingest: parse a run of blocks, hash their transactions (txid, wtxid),
 * check merkle roots, classify output scripts and compute address keys, packed into typed arrays that
 * can be transferred between threads without copying. Runs on worker threads (parseWorker.ts) or inline.
 */
import {
  addressKey,
  BlkReader,
  type BlkFile,
  type BlockLocation,
  classifyScript,
  hashToHex,
  type ParsedBlock,
  parseBlockTransient,
  ST_P2PK,
  ST_P2PKH,
  ST_P2SH,
  ST_P2TR,
  ST_P2WPKH,
  ST_P2WSH,
  ST_WITNESS_UNKNOWN,
  sha256d,
} from '../../chain/index.js';
import { LedgerhoundError, ParseError } from '../../core/index.js';
import { grownArray } from '../columns.js';
import { hashesToHex } from './hex.js';

/** One block of a batch: where it is in the batch buffer and in its blk file (for error messages). */
export interface BatchBlock {
  /** Offset of the block's first byte in the batch buffer. */
  at: number;
  size: number;
  file: string;
  fileOffset: number;
}

/** A parsed batch, struct-of-arrays over all its blocks (transactions, inputs, outputs concatenated). */
export interface ParsedBatch {
  blockCount: number;
  /** 32 bytes per block, internal order: the hash computed from the parsed header. */
  blockHash: Uint8Array;
  blockSize: Uint32Array;
  blockWeight: Uint32Array;
  blockTxCount: Uint32Array;
  txCount: number;
  txids: Uint8Array;
  wtxids: Uint8Array;
  /** Display hex of every txid, 64 ASCII bytes each (the transactions table's text). */
  txidHex: Uint8Array;
  /** Display hex of the wtxids of the transactions with witness data only, 64 bytes each, in order. */
  wtxidHex: Uint8Array;
  txSize: Uint32Array;
  txBaseSize: Uint32Array;
  txVersion: Int32Array;
  txLocktime: Uint32Array;
  txSegwit: Uint8Array;
  txInputs: Uint32Array;
  txOutputs: Uint32Array;
  inputCount: number;
  /** 32 bytes per input: previous txid, internal order. */
  inPrevTxid: Uint8Array;
  inPrevVout: Uint32Array;
  inSequence: Uint32Array;
  outputCount: number;
  outValue: Float64Array;
  outScriptType: Uint8Array;
  /** Address key of output k is outKeys[outKeyStart[k], outKeyStart[k+1]) (latin1); empty = no address. */
  outKeyStart: Uint32Array;
  outKeys: Uint8Array;
}

/** The buffers of a ParsedBatch, for `postMessage(..., transferList)`. */
export function transferList(b: ParsedBatch): ArrayBuffer[] {
  return [
    b.blockHash,
    b.blockSize,
    b.blockWeight,
    b.blockTxCount,
    b.txids,
    b.wtxids,
    b.txidHex,
    b.wtxidHex,
    b.txSize,
    b.txBaseSize,
    b.txVersion,
    b.txLocktime,
    b.txSegwit,
    b.txInputs,
    b.txOutputs,
    b.inPrevTxid,
    b.inPrevVout,
    b.inSequence,
    b.outValue,
    b.outScriptType,
    b.outKeyStart,
    b.outKeys,
  ].map((a) => a.buffer as ArrayBuffer);
}

/** Room for the transactions, inputs and outputs of a batch (grown by doubling while it is filled). */
interface Room {
  tx: number;
  inp: number;
  out: number;
  keys: number;
}

/** Counts per byte of the previous batch on this thread: the first guess at the next batch's room. */
let perByte = { tx: 1 / 400, inp: 1 / 150, out: 1 / 150 };

/**
 * Parses every block of a batch, in one pass: each block's columns are copied into the batch's columns
 * right after it is parsed, while its bytes are still in cache (a second pass over a 64 MiB batch read the
 * previous txids and output scripts from memory again: parsing the simulator chain on one thread took
 * 13.1 instead of 11.5 CPU-s). The columns are views of buffers sized from the previous batch's counts
 * (+25%, doubled when short), so a batch transfers up to that much unused room.
 *
 * @throws ParseError / LedgerhoundError (LH_MERKLE_MISMATCH) from the parser, with the block hash added
 *   to the message when the parser did not name it.
 */
export function parseBatch(buf: Buffer, blocks: readonly BatchBlock[]): ParsedBatch {
  const nb = blocks.length;
  const size = buf.length;
  const room: Room = {
    tx: Math.ceil(size * perByte.tx * 1.25) + 64,
    inp: Math.ceil(size * perByte.inp * 1.25) + 64,
    out: Math.ceil(size * perByte.out * 1.25) + 64,
    keys: 0,
  };
  room.keys = room.out * 24;
  const blockHash = new Uint8Array(32 * nb);
  const blockSize = new Uint32Array(nb);
  const blockWeight = new Uint32Array(nb);
  const blockTxCount = new Uint32Array(nb);
  let txids = new Uint8Array(32 * room.tx);
  let wtxids = new Uint8Array(32 * room.tx);
  let txSize = new Uint32Array(room.tx);
  let txBaseSize = new Uint32Array(room.tx);
  let txVersion = new Int32Array(room.tx);
  let txLocktime = new Uint32Array(room.tx);
  let txSegwit = new Uint8Array(room.tx);
  let txInputs = new Uint32Array(room.tx);
  let txOutputs = new Uint32Array(room.tx);
  let inPrevTxid = new Uint8Array(32 * room.inp);
  let prevWords = new Uint32Array(inPrevTxid.buffer);
  let inPrevVout = new Uint32Array(room.inp);
  let inSequence = new Uint32Array(room.inp);
  let outValue = new Float64Array(room.out);
  let outScriptType = new Uint8Array(room.out);
  let outKeyStart = new Uint32Array(room.out + 1);
  let keys = Buffer.allocUnsafe(room.keys);
  let keyPos = 0;
  let t = 0;
  let i = 0;
  let o = 0;
  for (let bi = 0; bi < nb; bi++) {
    const b = blocks[bi] as BatchBlock;
    const bytes = buf.subarray(b.at, b.at + b.size);
    let p: ParsedBlock;
    try {
      p = parseBlockTransient(bytes, { file: b.file, offset: b.fileOffset });
    } catch (err) {
      throw withBlockHash(err, bytes);
    }
    const nTx = p.txCount;
    const nIn = p.txInputStart[nTx] as number;
    const nOut = p.txOutputStart[nTx] as number;
    if (t + nTx > room.tx) {
      const n = Math.max(2 * room.tx, t + nTx);
      txids = grownArray(txids, 32 * n, 32 * t);
      wtxids = grownArray(wtxids, 32 * n, 32 * t);
      txSize = grownArray(txSize, n, t);
      txBaseSize = grownArray(txBaseSize, n, t);
      txVersion = grownArray(txVersion, n, t);
      txLocktime = grownArray(txLocktime, n, t);
      txSegwit = grownArray(txSegwit, n, t);
      txInputs = grownArray(txInputs, n, t);
      txOutputs = grownArray(txOutputs, n, t);
      room.tx = n;
    }
    if (i + nIn > room.inp) {
      const n = Math.max(2 * room.inp, i + nIn);
      inPrevTxid = grownArray(inPrevTxid, 32 * n, 32 * i);
      prevWords = new Uint32Array(inPrevTxid.buffer);
      inPrevVout = grownArray(inPrevVout, n, i);
      inSequence = grownArray(inSequence, n, i);
      room.inp = n;
    }
    if (o + nOut > room.out) {
      const n = Math.max(2 * room.out, o + nOut);
      outValue = grownArray(outValue, n, o);
      outScriptType = grownArray(outScriptType, n, o);
      outKeyStart = grownArray(outKeyStart, n + 1, o);
      room.out = n;
    }
    if (keyPos + 42 * nOut > room.keys) {
      room.keys = Math.max(2 * room.keys, keyPos + 42 * nOut);
      const k = Buffer.allocUnsafe(room.keys);
      keys.copy(k, 0, 0, keyPos);
      keys = k;
    }
    blockHash.set(p.header.hash, 32 * bi);
    blockSize[bi] = p.size;
    blockWeight[bi] = p.weight;
    blockTxCount[bi] = nTx;
    txids.set(p.txids.subarray(0, 32 * nTx), 32 * t);
    wtxids.set(p.wtxids.subarray(0, 32 * nTx), 32 * t);
    for (let x = 0; x < nTx; x++, t++) {
      txSize[t] = (p.txEnd[x] as number) - (p.txStart[x] as number);
      txBaseSize[t] = p.txBaseSize[x] as number;
      txVersion[t] = p.txVersion[x] as number;
      txLocktime[t] = p.txLocktime[x] as number;
      txSegwit[t] = p.txSegwit[x] as number;
      txInputs[t] = (p.txInputStart[x + 1] as number) - (p.txInputStart[x] as number);
      txOutputs[t] = (p.txOutputStart[x + 1] as number) - (p.txOutputStart[x] as number);
    }
    const src = p.buf;
    // Previous txids as eight 32-bit words each (little-endian reads of unaligned block bytes; the
    // destination words are aligned): no subarray object per input.
    const view = new DataView(src.buffer, src.byteOffset, src.byteLength);
    for (let j = 0; j < nIn; j++, i++) {
      const at = p.inPrevTxidOffset[j] as number;
      const d = 8 * i;
      for (let k = 0; k < 8; k++) prevWords[d + k] = view.getUint32(at + 4 * k, true);
      inPrevVout[i] = p.inPrevVout[j] as number;
      inSequence[i] = p.inSequence[j] as number;
    }
    for (let k = 0; k < nOut; k++, o++) {
      outValue[o] = p.outValue[k] as number;
      const so = p.outScriptOffset[k] as number;
      const sl = p.outScriptLength[k] as number;
      const type = classifyScript(src, so, sl);
      outScriptType[o] = type;
      outKeyStart[o] = keyPos;
      keyPos = writeAddressKey(keys, keyPos, src, so, sl, type);
    }
  }
  outKeyStart[o] = keyPos;
  if (size > 0) perByte = { tx: t / size, inp: i / size, out: o / size };
  // The hashes' text here, on the parse worker, rather than on the linking thread that all batches wait on.
  let segwitTxs = 0;
  for (let x = 0; x < t; x++) segwitTxs += txSegwit[x] as number;
  const txidHex = new Uint8Array(64 * t);
  hashesToHex(txids, t, null, txidHex);
  const wtxidHex = new Uint8Array(64 * segwitTxs);
  hashesToHex(wtxids, t, txSegwit, wtxidHex);
  // Exact-length views; each column keeps a buffer of its own (they are transferred between threads).
  return {
    blockCount: nb,
    blockHash,
    blockSize,
    blockWeight,
    blockTxCount,
    txCount: t,
    txids: txids.subarray(0, 32 * t),
    wtxids: wtxids.subarray(0, 32 * t),
    txidHex,
    wtxidHex,
    txSize: txSize.subarray(0, t),
    txBaseSize: txBaseSize.subarray(0, t),
    txVersion: txVersion.subarray(0, t),
    txLocktime: txLocktime.subarray(0, t),
    txSegwit: txSegwit.subarray(0, t),
    txInputs: txInputs.subarray(0, t),
    txOutputs: txOutputs.subarray(0, t),
    inputCount: i,
    inPrevTxid: inPrevTxid.subarray(0, 32 * i),
    inPrevVout: inPrevVout.subarray(0, i),
    inSequence: inSequence.subarray(0, i),
    outputCount: o,
    outValue: outValue.subarray(0, o),
    outScriptType: outScriptType.subarray(0, o),
    outKeyStart: outKeyStart.subarray(0, o + 1),
    outKeys: Uint8Array.prototype.slice.call(keys, 0, keyPos),
  };
}

/** Address-key kind bytes of src/chain's `addressKey` (parseBatch.test.ts checks both agree on real blocks). */
const KEY_P2PKH = 1;
const KEY_P2SH = 2;
const KEY_P2WPKH = 3;
const KEY_P2WSH = 4;
const KEY_P2TR = 5;
const KEY_WITNESS = 6;

function copyKey(keys: Buffer, at: number, kind: number, src: Uint8Array, from: number, to: number): number {
  keys[at++] = kind;
  for (let k = from; k < to; k++) keys[at++] = src[k] as number;
  return at;
}

/**
 * Writes the address key of output script src[so, so+sl) of type `type` at keys[at] and returns the end:
 * the bytes of `addressKey(src, so, sl, type)` (latin1), without a string per output. P2PK keys (a hash160
 * of the public key) still go through addressKey.
 */
export function writeAddressKey(keys: Buffer, at: number, src: Uint8Array, so: number, sl: number, type: number): number {
  switch (type) {
    case ST_P2PKH:
      return copyKey(keys, at, KEY_P2PKH, src, so + 3, so + 23);
    case ST_P2SH:
      return copyKey(keys, at, KEY_P2SH, src, so + 2, so + 22);
    case ST_P2WPKH:
      return copyKey(keys, at, KEY_P2WPKH, src, so + 2, so + 22);
    case ST_P2WSH:
      return copyKey(keys, at, KEY_P2WSH, src, so + 2, so + 34);
    case ST_P2TR:
      return copyKey(keys, at, KEY_P2TR, src, so + 2, so + 34);
    case ST_WITNESS_UNKNOWN:
      keys[at++] = KEY_WITNESS;
      keys[at++] = (src[so] as number) - 0x50;
      for (let k = so + 2; k < so + sl; k++) keys[at++] = src[k] as number;
      return at;
    case ST_P2PK: {
      const key = addressKey(src, so, sl, type);
      return key === null ? at : at + keys.write(key, at, 'latin1');
    }
    default:
      return at;
  }
}

let readBuffer = Buffer.alloc(0);

/**
 * Reads the blocks at `locs` (from `files`, de-obfuscated with `key`) into one buffer and parses them:
 * the parse workers read their own batches, so the ingest thread does not spend time in file reads.
 *
 * @throws ParseError LH_BLK_READ when a file is shorter than a location says; parse errors as parseBatch.
 */
export function readAndParseBatch(files: readonly BlkFile[], key: Uint8Array | null, locs: readonly BlockLocation[]): ParsedBatch {
  let size = 0;
  for (const l of locs) size += l.size;
  // One read buffer per thread, reused across batches (the parsed batch keeps no reference to it): a fresh
  // 64 MiB buffer per batch cost its page faults and zeroing in the kernel every time.
  if (readBuffer.length < size) readBuffer = Buffer.allocUnsafeSlow(Math.max(size, Math.min(2 * readBuffer.length, 256 << 20)));
  const buf = readBuffer.subarray(0, size);
  const reader = new BlkReader(files, key);
  try {
    const blocks: BatchBlock[] = [];
    let at = 0;
    for (const l of locs) {
      reader.read(l, buf, at);
      blocks.push({ at, size: l.size, file: reader.fileName(l.fileNo), fileOffset: l.offset });
      at += l.size;
    }
    return parseBatch(buf, blocks);
  } finally {
    reader.close();
  }
}

function withBlockHash(err: unknown, bytes: Buffer): unknown {
  if (!(err instanceof LedgerhoundError) || bytes.length < 80) return err;
  const hash = hashToHex(sha256d(bytes.subarray(0, 80)));
  if (err.message.includes(hash)) return err;
  if (err instanceof ParseError) {
    return new ParseError({ file: err.file ?? '<input>', offset: err.offset, field: err.field }, `${err.problem} (in block ${hash})`, err.code, err);
  }
  return new LedgerhoundError(err.code, `${err.shortMessage} (in block ${hash})`, { details: { ...err.details, blockHash: hash }, cause: err });
}
