import { keccak_256 } from '@noble/hashes/sha3';
import { decodeAddress } from '../chain/index.js';

/**
 * Currencies whose addresses are Ethereum-style accounts (20 bytes, `0x` + 40 hex digits) and nothing else.
 * Token tickers (USDT, USDC) are not here: they exist on several chains, so their addresses are treated as
 * EVM accounts only when they look like one.
 */
export const EVM_CURRENCIES: ReadonlySet<string> = new Set(['ETH', 'ETC', 'BSC', 'BNB', 'BEP20', 'ARB', 'MATIC', 'POL', 'OP', 'BASE', 'FTM']);

/** Result of normalising one address: the lookup key, or why the address is not valid for its currency. */
export type NormalizedAddress = { ok: true; address: string; currency: string } | { ok: false; problem: string };

const EVM_SHAPE = /^0x[0-9a-fA-F]{40}$/;

/**
 * Validates an address for its currency and returns the form used as the lookup key:
 * - BTC: any Bitcoin network (Base58Check or bech32/bech32m, via the chain module's `decodeAddress`);
 *   bech32 addresses are lower-cased (BIP173: the canonical form), Base58 kept as written.
 * - ETH and other EVM chains (and any `0x` + 40 hex address): EIP-55 — all-lower or all-upper hex is accepted,
 *   mixed case must carry a correct checksum; the key is lower-case.
 * - Everything else: kept as written, trimmed (no validator of ours for those chains).
 * The currency code is upper-cased and trimmed.
 *
 * @example normalizeAddress('eth', '0x52908400098527886E0F7030069857D2E4169EE7') // { ok: true, address: '0x5290…9ee7', currency: 'ETH' }
 */
export function normalizeAddress(currency: string, address: string): NormalizedAddress {
  const cur = currency.trim().toUpperCase();
  const a = address.trim();
  if (cur === '') return { ok: false, problem: 'missing currency' };
  if (a === '') return { ok: false, problem: 'empty address' };
  if (cur === 'BTC') {
    try {
      const d = decodeAddress(a);
      return { ok: true, address: d.witnessVersion === null ? a : a.toLowerCase(), currency: cur };
    } catch (err) {
      return { ok: false, problem: err instanceof Error ? err.message : String(err) };
    }
  }
  if (EVM_CURRENCIES.has(cur) || EVM_SHAPE.test(a)) {
    const problem = evmProblem(a);
    return problem === null ? { ok: true, address: a.toLowerCase(), currency: cur } : { ok: false, problem };
  }
  if (/\s/.test(a)) return { ok: false, problem: `invalid ${cur} address ${JSON.stringify(a)}: contains whitespace` };
  return { ok: true, address: a, currency: cur };
}

/** Why an Ethereum address is invalid (EIP-55), or null when it is valid. */
export function evmProblem(address: string): string | null {
  if (!EVM_SHAPE.test(address)) return `invalid Ethereum address ${JSON.stringify(address)}: expected 0x followed by 40 hex digits`;
  const hex = address.slice(2);
  if (hex === hex.toLowerCase() || hex === hex.toUpperCase()) return null;
  const expected = toChecksumAddress(address);
  if (expected !== address) {
    return `invalid Ethereum address ${JSON.stringify(address)}: EIP-55 checksum mismatch (checksummed form is ${expected})`;
  }
  return null;
}

/**
 * The EIP-55 mixed-case checksum form of a 20-byte hex address (the character i is upper-cased when nibble i of
 * keccak256(lower-case hex) is ≥ 8). Throws RangeError when the input is not `0x` + 40 hex digits.
 */
export function toChecksumAddress(address: string): string {
  if (!EVM_SHAPE.test(address)) throw new RangeError(`toChecksumAddress: expected 0x + 40 hex digits, got ${JSON.stringify(address)}`);
  const lower = address.slice(2).toLowerCase();
  const hash = keccak_256(new TextEncoder().encode(lower));
  let out = '0x';
  for (let i = 0; i < 40; i++) {
    const nibble = ((hash[i >> 1] ?? 0) >> (i % 2 === 0 ? 4 : 0)) & 0xf;
    const ch = lower[i] ?? '';
    out += nibble >= 8 ? ch.toUpperCase() : ch;
  }
  return out;
}

/** How an address is shown: EIP-55 checksummed for EVM keys, as stored otherwise. */
export function displayAddress(address: string): string {
  return EVM_SHAPE.test(address) ? toChecksumAddress(address) : address;
}
