import { addressKey, encodeAddressKey } from './address.js';
import { hashToHex } from './hash.js';
import type { Network } from './networks.js';
import type { ParsedBlock } from './parseBlock.js';
import { classifyScript, SCRIPT_TYPES, type ScriptType } from './script.js';

/** One transaction as `decode` prints it (values in satoshis; hashes as display hex). */
export interface DecodedTx {
  txid: string;
  wtxid: string;
  size: number;
  vsize: number;
  weight: number;
  version: number;
  locktime: number;
  inputs: { prevTxid: string; prevVout: number; sequence: number }[];
  outputs: { value: number; scriptType: ScriptType; address: string | null }[];
}

export interface DecodedBlock {
  hash: string;
  /** From the BIP34 height push in the coinbase (block version >= 2), else null. */
  height: number | null;
  time: number;
  version: number;
  prevHash: string;
  merkleRoot: string;
  bits: number;
  nonce: number;
  size: number;
  weight: number;
  transactions: DecodedTx[];
}

/** The BIP34 height committed in a coinbase scriptSig, or null when absent (version 1 blocks). */
export function bip34Height(b: ParsedBlock): number | null {
  if (b.header.version < 2 || b.txCount === 0) return null;
  const off = b.inScriptOffset[0]!;
  const len = b.inScriptLength[0]!;
  if (len === 0) return null;
  const op = b.buf[off]!;
  if (op >= 0x51 && op <= 0x60) return op - 0x50; // OP_1..OP_16 (small heights, regtest)
  if (op < 1 || op > 8 || op + 1 > len) return null;
  // CScriptNum: little-endian, sign bit in the top byte.
  let v = 0;
  for (let i = op - 1; i >= 0; i--) v = v * 256 + b.buf[off + 1 + i]!;
  const top = b.buf[off + op]!;
  if (top & 0x80) return null;
  return v;
}

/** Decodes transaction i of a parsed block into the JSON shape of `ledgerhound decode`. */
export function decodeTx(b: ParsedBlock, i: number, network: Network): DecodedTx {
  const size = b.txEnd[i]! - b.txStart[i]!;
  const weight = b.txBaseSize[i]! * 3 + size;
  const inputs: DecodedTx['inputs'] = [];
  for (let j = b.txInputStart[i]!; j < b.txInputStart[i + 1]!; j++) {
    const o = b.inPrevTxidOffset[j]!;
    inputs.push({ prevTxid: hashToHex(b.buf.subarray(o, o + 32)), prevVout: b.inPrevVout[j]!, sequence: b.inSequence[j]! });
  }
  const outputs: DecodedTx['outputs'] = [];
  for (let k = b.txOutputStart[i]!; k < b.txOutputStart[i + 1]!; k++) {
    const off = b.outScriptOffset[k]!;
    const len = b.outScriptLength[k]!;
    const t = classifyScript(b.buf, off, len);
    const key = addressKey(b.buf, off, len, t);
    outputs.push({ value: b.outValue[k]!, scriptType: SCRIPT_TYPES[t]!, address: key === null ? null : encodeAddressKey(key, network) });
  }
  return {
    txid: hashToHex(b.txids.subarray(32 * i, 32 * i + 32)),
    wtxid: hashToHex(b.wtxids.subarray(32 * i, 32 * i + 32)),
    size,
    vsize: Math.ceil(weight / 4),
    weight,
    version: b.txVersion[i]!,
    locktime: b.txLocktime[i]!,
    inputs,
    outputs,
  };
}

/** Decodes a whole parsed block into the JSON shape of `ledgerhound decode block`. */
export function decodeBlock(b: ParsedBlock, network: Network): DecodedBlock {
  const transactions: DecodedTx[] = [];
  for (let i = 0; i < b.txCount; i++) transactions.push(decodeTx(b, i, network));
  return {
    hash: hashToHex(b.header.hash),
    height: bip34Height(b),
    time: b.header.time,
    version: b.header.version,
    prevHash: hashToHex(b.header.prevHash),
    merkleRoot: hashToHex(b.header.merkleRoot),
    bits: b.header.bits,
    nonce: b.header.nonce,
    size: b.size,
    weight: b.weight,
    transactions,
  };
}
