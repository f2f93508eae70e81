/**
 * Output script classification, following the templates of Bitcoin Core's Solver()
 * (script/solver.cpp): P2PK, P2PKH, P2SH, P2WPKH, P2WSH, P2TR (BIP341), other witness
 * versions (BIP350), bare multisig, OP_RETURN data carriers; everything else is non-standard.
 */
export const SCRIPT_TYPES = [
  'nonstandard',
  'p2pk',
  'p2pkh',
  'p2sh',
  'p2wpkh',
  'p2wsh',
  'p2tr',
  'multisig',
  'nulldata',
  'witness_unknown',
] as const;

export type ScriptType = (typeof SCRIPT_TYPES)[number];

export const ST_NONSTANDARD = 0;
export const ST_P2PK = 1;
export const ST_P2PKH = 2;
export const ST_P2SH = 3;
export const ST_P2WPKH = 4;
export const ST_P2WSH = 5;
export const ST_P2TR = 6;
export const ST_MULTISIG = 7;
export const ST_NULLDATA = 8;
export const ST_WITNESS_UNKNOWN = 9;

const OP_0 = 0x00;
const OP_PUSHDATA1 = 0x4c;
const OP_PUSHDATA2 = 0x4d;
const OP_PUSHDATA4 = 0x4e;
const OP_1 = 0x51;
const OP_16 = 0x60;
const OP_RETURN = 0x6a;
const OP_DUP = 0x76;
const OP_EQUAL = 0x87;
const OP_EQUALVERIFY = 0x88;
const OP_HASH160 = 0xa9;
const OP_CHECKSIG = 0xac;
const OP_CHECKMULTISIG = 0xae;

/** CPubKey::ValidSize: 33 bytes starting 02/03, or 65 bytes starting 04/06/07. */
function isPubKeyAt(s: Uint8Array, off: number, len: number): boolean {
  const b = s[off];
  if (len === 33) return b === 0x02 || b === 0x03;
  if (len === 65) return b === 0x04 || b === 0x06 || b === 0x07;
  return false;
}

/** The code (index into SCRIPT_TYPES) of the output script s[off, off+len). */
export function classifyScript(s: Uint8Array, off: number, len: number): number {
  const b0 = s[off];
  switch (len) {
    case 25:
      if (b0 === OP_DUP && s[off + 1] === OP_HASH160 && s[off + 2] === 20 && s[off + 23] === OP_EQUALVERIFY && s[off + 24] === OP_CHECKSIG) {
        return ST_P2PKH;
      }
      break;
    case 23:
      if (b0 === OP_HASH160 && s[off + 1] === 20 && s[off + 22] === OP_EQUAL) return ST_P2SH;
      break;
    case 35:
      if (b0 === 33 && s[off + 34] === OP_CHECKSIG && isPubKeyAt(s, off + 1, 33)) return ST_P2PK;
      break;
    case 67:
      if (b0 === 65 && s[off + 66] === OP_CHECKSIG && isPubKeyAt(s, off + 1, 65)) return ST_P2PK;
      break;
  }
  if (len === 0) return ST_NONSTANDARD;
  // Witness programs (BIP141): a version opcode then one direct push of 2..40 bytes filling the script.
  if (len >= 4 && len <= 42 && (b0 === OP_0 || (b0 !== undefined && b0 >= OP_1 && b0 <= OP_16)) && s[off + 1] === len - 2) {
    if (b0 === OP_0) {
      if (len === 22) return ST_P2WPKH;
      if (len === 34) return ST_P2WSH;
      return ST_NONSTANDARD; // v0 programs of other lengths are invalid (BIP141)
    }
    if (b0 === OP_1 && len === 34) return ST_P2TR;
    return ST_WITNESS_UNKNOWN;
  }
  if (b0 === OP_RETURN) return isPushOnly(s, off + 1, off + len) ? ST_NULLDATA : ST_NONSTANDARD;
  if (b0 !== undefined && b0 >= OP_1 && b0 <= OP_16 && s[off + len - 1] === OP_CHECKMULTISIG) {
    return isMultisig(s, off, len) ? ST_MULTISIG : ST_NONSTANDARD;
  }
  return ST_NONSTANDARD;
}

/** Every opcode in [from, to) is a push (CScript::IsPushOnly: opcodes up to OP_16). */
function isPushOnly(s: Uint8Array, from: number, to: number): boolean {
  let p = from;
  while (p < to) {
    const op = s[p++]!;
    if (op > OP_16) return false;
    let n = 0;
    if (op < OP_PUSHDATA1) n = op;
    else if (op === OP_PUSHDATA1) {
      if (p + 1 > to) return false;
      n = s[p]!;
      p += 1;
    } else if (op === OP_PUSHDATA2) {
      if (p + 2 > to) return false;
      n = s[p]! | (s[p + 1]! << 8);
      p += 2;
    } else if (op === OP_PUSHDATA4) {
      if (p + 4 > to) return false;
      n = (s[p]! | (s[p + 1]! << 8) | (s[p + 2]! << 16) | (s[p + 3]! << 24)) >>> 0;
      p += 4;
    }
    if (p + n > to) return false;
    p += n;
  }
  return true;
}

/** OP_m <pubkey>{n} OP_n OP_CHECKMULTISIG with 1 <= m <= n <= 16 and valid pubkey sizes. */
function isMultisig(s: Uint8Array, off: number, len: number): boolean {
  const m = s[off]! - (OP_1 - 1);
  const n = s[off + len - 2]! - (OP_1 - 1);
  if (n < 1 || n > 16 || m > n) return false;
  let p = off + 1;
  const end = off + len - 2;
  let keys = 0;
  while (p < end) {
    const push = s[p]!;
    if (push !== 33 && push !== 65) return false;
    if (p + 1 + push > end || !isPubKeyAt(s, p + 1, push)) return false;
    p += 1 + push;
    keys++;
  }
  return p === end && keys === n;
}

/** The public keys of a bare multisig script (for display). */
export function multisigKeys(s: Uint8Array, off: number, len: number): Buffer[] {
  const out: Buffer[] = [];
  let p = off + 1;
  const end = off + len - 2;
  while (p < end) {
    const push = s[p]!;
    out.push(Buffer.from(s.subarray(p + 1, p + 1 + push)));
    p += 1 + push;
  }
  return out;
}
