import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { decodeAddress, encodeAddress, scriptForAddress } from './address.js';
import { hash160 } from './hash.js';

const vectors = JSON.parse(readFileSync(new URL('../../../test/vectors/bip350/segwit_addresses.json', import.meta.url), 'utf8')) as {
  valid: [string, string][];
  invalid: [string, string][];
};

describe('BIP350 valid segwit addresses', () => {
  for (const [addr, script] of vectors.valid) {
    it(`decodes ${addr}`, () => {
      const net = addr.toLowerCase().startsWith('tb') ? 'test' : 'main';
      expect(scriptForAddress(addr, net).toString('hex')).toBe(script);
      const d = decodeAddress(addr);
      const type = d.type === 'witness_unknown' ? 'witness_unknown' : d.type;
      // Re-encoding gives the lowercase form (BIP173: encoders output lowercase).
      const again = encodeAddress(type as 'p2wpkh', d.payload, net, d.witnessVersion ?? undefined);
      expect(again).toBe(addr.toLowerCase());
    });
  }
});

describe('BIP350 invalid segwit addresses', () => {
  for (const [addr, reason] of vectors.invalid) {
    it(`rejects ${addr} (${reason})`, () => {
      for (const net of ['main', 'test'] as const) {
        expect(() => decodeAddress(addr, net)).toThrow(/invalid Bitcoin address/);
      }
    });
  }
});

describe('Base58Check', () => {
  it('decodes the genesis coinbase address (P2PKH of the genesis P2PK key)', () => {
    const pub = Buffer.from(
      '04678afdb0fe5548271967f1a67130b7105cd6a828e03909a67962e0ea1f61deb649f6bc3f4cef38c4f35504e51ec112de5c384df7ba0b8d578a4c702b6bf11d5f',
      'hex',
    );
    expect(encodeAddress('p2pkh', hash160(pub), 'main')).toBe('1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa');
    const d = decodeAddress('1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa');
    expect(d).toMatchObject({ type: 'p2pkh', network: 'main', witnessVersion: null });
  });

  it('names the problem: checksum, wrong network, garbage', () => {
    expect(() => decodeAddress('1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNb')).toThrow(/bad Base58Check checksum/);
    expect(() => decodeAddress('1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa', 'test')).toThrow(/not used on network test/);
    expect(() => decodeAddress('bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4', 'test')).toThrow(/not an address of network test/);
    expect(() => decodeAddress('not an address!')).toThrow(/neither valid Base58 nor bech32/);
    expect(() => decodeAddress('')).toThrow(/empty/);
  });

  it('encodes P2SH on main and test', () => {
    const payload = Buffer.alloc(20, 0);
    expect(encodeAddress('p2sh', payload, 'main')).toMatch(/^3/);
    expect(encodeAddress('p2sh', payload, 'test')).toMatch(/^2/);
  });
});
