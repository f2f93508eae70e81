import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { encodeAddressKey, loadNativeForComparison, NETWORK_NAMES, type Network } from '../../chain/index.js';
import { AddressEncoder } from './addressEncoder.js';

/** Packs keys (kind byte + payload) the way the linker hands them to the encoder. */
function pack(keys: Uint8Array[]): { bytes: Uint8Array; offsets: Uint32Array } {
  const offsets = new Uint32Array(keys.length + 1);
  let n = 0;
  keys.forEach((k, i) => {
    offsets[i] = n;
    n += k.length;
  });
  offsets[keys.length] = n;
  const bytes = new Uint8Array(n);
  keys.forEach((k, i) => {
    bytes.set(k, offsets[i] as number);
  });
  return { bytes, offsets };
}

const key = (kind: number, payload: Uint8Array) => Uint8Array.from([kind, ...payload]);

const accelerated = loadNativeForComparison();

describe.each([
  ['native Base58Check', accelerated],
  ['JavaScript and WebAssembly', null],
])('AddressEncoder (%s)', (_name, accel) => {
  it('encodes known addresses (genesis coinbase key, BIP173 and BIP350 vectors)', () => {
    const enc = new AddressEncoder('main', accel);
    const h160 = Buffer.from('62e907b15cbf27d5425399ebf6f0fb50ebb88f18', 'hex');
    const wpkh = Buffer.from('751e76e8199196d454941c45d1b3a323f1433bd6', 'hex');
    const tr = Buffer.from('79be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798', 'hex');
    const all = enc.encodeAll(pack([key(1, h160), key(3, wpkh), key(5, tr)]));
    expect(all).toEqual([
      '1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa',
      'bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4',
      'bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vqzk5jj0',
    ]);
  });

  it('gives the same strings as encodeAddressKey for every key kind and network, leading zero bytes included', () => {
    const payload = (n: number) =>
      fc.tuple(fc.nat(n), fc.uint8Array({ minLength: n, maxLength: n })).map(([zeros, b]) => {
        b.fill(0, 0, zeros); // leading zero bytes: base58 '1's
        return b;
      });
    const anyKey = fc.oneof(
      payload(20).map((p) => key(1, p)),
      payload(20).map((p) => key(2, p)),
      payload(20).map((p) => key(3, p)),
      payload(32).map((p) => key(4, p)),
      payload(32).map((p) => key(5, p)),
      fc.tuple(fc.integer({ min: 1, max: 16 }), fc.uint8Array({ minLength: 2, maxLength: 40 })).map(([v, p]) => Uint8Array.from([6, v, ...p])),
    );
    fc.assert(
      fc.property(fc.constantFrom(...(NETWORK_NAMES as readonly Network[])), fc.array(anyKey, { maxLength: 60 }), (network, keys) => {
        const got = new AddressEncoder(network, accel).encodeAll(pack(keys));
        const want = keys.map((k) => encodeAddressKey(Buffer.from(k).toString('latin1'), network));
        expect(got).toEqual(want);
      }),
      { numRuns: 300 },
    );
  });
});

describe('the native accelerator', () => {
  it('is built (npm install builds native/; without it ingest falls back to WebAssembly, about 6 CPU-s slower per 2 GB)', () => {
    expect(accelerated, 'native/build/Release/ledgerhound.node is missing: run `npm run build:native`').not.toBeNull();
  });
});
