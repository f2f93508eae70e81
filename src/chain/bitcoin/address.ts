import { base58, bech32, bech32m } from '@scure/base';
import { UsageError } from '../../core/index.js';
import { hash160, sha256d } from './hash.js';
import { NETWORK_NAMES, NETWORKS, type Network } from './networks.js';
import {
  ST_P2PK,
  ST_P2PKH,
  ST_P2SH,
  ST_P2TR,
  ST_P2WPKH,
  ST_P2WSH,
  ST_WITNESS_UNKNOWN,
  type ScriptType,
} from './script.js';

/**
 * Address keys: a compact, network-independent dedup key for "the address this output pays",
 * a latin1 string of one kind byte followed by the payload. P2PK outputs get the key of the
 * P2PKH address of their public key (one key = one address, as in BlockSci), so an investigator
 * sees early coinbase coins under the address wallets and explorers show for them.
 */
const KEY_P2PKH = 1;
const KEY_P2SH = 2;
const KEY_P2WPKH = 3;
const KEY_P2WSH = 4;
const KEY_P2TR = 5;
/** Other witness versions: kind byte, version byte, program. */
const KEY_WITNESS = 6;

const KIND_TYPES: Record<number, ScriptType> = {
  [KEY_P2PKH]: 'p2pkh',
  [KEY_P2SH]: 'p2sh',
  [KEY_P2WPKH]: 'p2wpkh',
  [KEY_P2WSH]: 'p2wsh',
  [KEY_P2TR]: 'p2tr',
  [KEY_WITNESS]: 'witness_unknown',
};

function latin1(s: Uint8Array, from: number, to: number): string {
  return Buffer.from(s.buffer, s.byteOffset + from, to - from).toString('latin1');
}

/**
 * The address key of output script s[off, off+len) whose type code is `typeCode` (from
 * classifyScript), or null when the script has no address (multisig, OP_RETURN, non-standard).
 */
export function addressKey(s: Uint8Array, off: number, len: number, typeCode: number): string | null {
  switch (typeCode) {
    case ST_P2PKH:
      return String.fromCharCode(KEY_P2PKH) + latin1(s, off + 3, off + 23);
    case ST_P2SH:
      return String.fromCharCode(KEY_P2SH) + latin1(s, off + 2, off + 22);
    case ST_P2WPKH:
      return String.fromCharCode(KEY_P2WPKH) + latin1(s, off + 2, off + 22);
    case ST_P2WSH:
      return String.fromCharCode(KEY_P2WSH) + latin1(s, off + 2, off + 34);
    case ST_P2TR:
      return String.fromCharCode(KEY_P2TR) + latin1(s, off + 2, off + 34);
    case ST_WITNESS_UNKNOWN:
      return String.fromCharCode(KEY_WITNESS, s[off]! - 0x50) + latin1(s, off + 2, off + len);
    case ST_P2PK: {
      const h = hash160(s.subarray(off + 1, off + len - 1));
      return String.fromCharCode(KEY_P2PKH) + h.toString('latin1');
    }
    default:
      return null;
  }
}

/** The script type of the address an address key stands for (p2pkh for keys made from P2PK). */
export function addressKind(key: string): ScriptType {
  const t = KIND_TYPES[key.charCodeAt(0)];
  if (t === undefined) throw new RangeError(`addressKind: not an address key (kind ${key.charCodeAt(0)})`);
  return t;
}

/** The address string of an address key on a network. */
export function encodeAddressKey(key: string, network: Network): string {
  const kind = key.charCodeAt(0);
  if (kind === KEY_WITNESS) {
    return encodeAddress('witness_unknown', Buffer.from(key.slice(2), 'latin1'), network, key.charCodeAt(1));
  }
  const type = KIND_TYPES[kind];
  if (type === undefined) throw new RangeError(`encodeAddressKey: not an address key (kind ${kind})`);
  return encodeAddress(type as EncodableType, Buffer.from(key.slice(1), 'latin1'), network);
}

export type EncodableType = 'p2pkh' | 'p2sh' | 'p2wpkh' | 'p2wsh' | 'p2tr' | 'witness_unknown';

function base58checkEncode(version: number, payload: Uint8Array): string {
  const body = Buffer.allocUnsafe(1 + payload.length + 4);
  body[0] = version;
  body.set(payload, 1);
  sha256d(body.subarray(0, 1 + payload.length)).copy(body, 1 + payload.length, 0, 4);
  return base58.encode(body);
}

/**
 * Encodes an address: Base58Check for P2PKH/P2SH, bech32 for witness v0 (BIP173), bech32m for v1+ (BIP350).
 * @throws RangeError for a payload of the wrong length.
 */
export function encodeAddress(type: EncodableType, payload: Uint8Array, network: Network, witnessVersion?: number): string {
  const p = NETWORKS[network];
  const need = (n: number) => {
    if (payload.length !== n) throw new RangeError(`encodeAddress(${type}): payload must be ${n} bytes, got ${payload.length}`);
  };
  switch (type) {
    case 'p2pkh':
      need(20);
      return base58checkEncode(p.pubKeyHash, payload);
    case 'p2sh':
      need(20);
      return base58checkEncode(p.scriptHash, payload);
    case 'p2wpkh':
      need(20);
      return bech32.encode(p.bech32, [0, ...bech32.toWords(payload)]);
    case 'p2wsh':
      need(32);
      return bech32.encode(p.bech32, [0, ...bech32.toWords(payload)]);
    case 'p2tr':
      need(32);
      return bech32m.encode(p.bech32, [1, ...bech32m.toWords(payload)]);
    case 'witness_unknown': {
      const v = witnessVersion ?? -1;
      if (!Number.isInteger(v) || v < 1 || v > 16) throw new RangeError(`encodeAddress: witness version must be 1..16, got ${v}`);
      if (payload.length < 2 || payload.length > 40) throw new RangeError(`encodeAddress: witness program must be 2..40 bytes, got ${payload.length}`);
      return bech32m.encode(p.bech32, [v, ...bech32m.toWords(payload)]);
    }
  }
}

export interface DecodedAddress {
  type: ScriptType;
  payload: Buffer;
  /** Witness version for segwit addresses, null for Base58Check ones. */
  witnessVersion: number | null;
  /**
   * The network the address belongs to. Testnet, testnet4 and signet share prefixes: without a
   * `network` argument such addresses report 'test'.
   */
  network: Network;
}

function badAddress(address: string, problem: string): UsageError {
  const shown = address.length > 100 ? `${address.slice(0, 100)}…` : address;
  return new UsageError(`invalid Bitcoin address ${JSON.stringify(shown)}: ${problem}`, { address: shown, problem });
}

/**
 * Validates and decodes a Bitcoin address (Base58Check, bech32 v0, bech32m v1+), optionally for a given network.
 * @throws UsageError naming the problem (bad checksum, wrong network, wrong program length, mixed case, ...).
 * @example decodeAddress('bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4').type // 'p2wpkh'
 */
export function decodeAddress(address: string, network?: Network): DecodedAddress {
  if (typeof address !== 'string' || address.length === 0) throw badAddress(String(address), 'empty');
  if (address.length > 120) throw badAddress(address, `too long (${address.length} characters)`);
  const lower = address.toLowerCase();
  const sep = lower.lastIndexOf('1');
  const candidates = network ? [network] : NETWORK_NAMES;
  const hrpOf = sep > 0 ? lower.slice(0, sep) : '';
  const segwitNets = candidates.filter((n) => NETWORKS[n].bech32 === hrpOf);
  if (segwitNets[0] !== undefined) return decodeSegwit(address, segwitNets[0]);
  let raw: Uint8Array;
  try {
    raw = base58.decode(address);
  } catch {
    if (network && /^(bc|tb|bcrt)1/i.test(address)) throw badAddress(address, `not an address of network ${network}`);
    throw badAddress(address, 'neither valid Base58 nor bech32');
  }
  if (raw.length !== 25) throw badAddress(address, `Base58Check payload must be 25 bytes, got ${raw.length}`);
  const check = sha256d(raw.subarray(0, 21)).subarray(0, 4);
  if (!Buffer.from(raw.subarray(21)).equals(check)) throw badAddress(address, 'bad Base58Check checksum');
  const version = raw[0]!;
  for (const n of candidates) {
    const p = NETWORKS[n];
    if (version === p.pubKeyHash || version === p.scriptHash) {
      return {
        type: version === p.pubKeyHash ? 'p2pkh' : 'p2sh',
        payload: Buffer.from(raw.subarray(1, 21)),
        witnessVersion: null,
        network: n,
      };
    }
  }
  throw badAddress(address, network ? `version byte 0x${version.toString(16)} is not used on network ${network}` : `unknown version byte 0x${version.toString(16)}`);
}

function decodeSegwit(address: string, network: Network): DecodedAddress {
  if (address !== address.toLowerCase() && address !== address.toUpperCase()) throw badAddress(address, 'mixed case');
  let words: number[];
  let variant: 'bech32' | 'bech32m';
  const lower = address.toLowerCase() as `${string}1${string}`;
  try {
    words = Array.from(bech32.decode(lower).words);
    variant = 'bech32';
  } catch {
    try {
      words = Array.from(bech32m.decode(lower).words);
      variant = 'bech32m';
    } catch (err) {
      throw badAddress(address, `bad bech32/bech32m encoding (${err instanceof Error ? err.message : String(err)})`);
    }
  }
  if (words.length === 0) throw badAddress(address, 'empty data part');
  const version = words[0]!;
  if (version > 16) throw badAddress(address, `witness version ${version} > 16`);
  let program: Uint8Array;
  try {
    program = bech32.fromWords(words.slice(1));
  } catch (err) {
    throw badAddress(address, `bad witness program padding (${err instanceof Error ? err.message : String(err)})`);
  }
  if (program.length < 2 || program.length > 40) throw badAddress(address, `witness program must be 2..40 bytes, got ${program.length}`);
  if (version === 0 && variant !== 'bech32') throw badAddress(address, 'witness v0 must use bech32, not bech32m (BIP350)');
  if (version !== 0 && variant !== 'bech32m') throw badAddress(address, `witness v${version} must use bech32m, not bech32 (BIP350)`);
  let type: ScriptType;
  if (version === 0) {
    if (program.length === 20) type = 'p2wpkh';
    else if (program.length === 32) type = 'p2wsh';
    else throw badAddress(address, `witness v0 program must be 20 or 32 bytes, got ${program.length}`);
  } else type = version === 1 && program.length === 32 ? 'p2tr' : 'witness_unknown';
  return { type, payload: Buffer.from(program), witnessVersion: version, network };
}

/** The output script that pays to `address`. @throws UsageError for an invalid address. */
export function scriptForAddress(address: string, network?: Network): Buffer {
  const d = decodeAddress(address, network);
  switch (d.type) {
    case 'p2pkh':
      return Buffer.concat([Buffer.from([0x76, 0xa9, 20]), d.payload, Buffer.from([0x88, 0xac])]);
    case 'p2sh':
      return Buffer.concat([Buffer.from([0xa9, 20]), d.payload, Buffer.from([0x87])]);
    default: {
      const v = d.witnessVersion ?? 0;
      return Buffer.concat([Buffer.from([v === 0 ? 0 : 0x50 + v, d.payload.length]), d.payload]);
    }
  }
}

export { hash160 };
