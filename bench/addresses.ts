/**
 * Address-string encoding as ingest does it (AddressEncoder on packed keys: native Base58Check when the
 * accelerator is built, else SIMD checksums and table base58; table bech32), and without the accelerator,
 * against two baselines in the same run: src/chain's general
 * `encodeAddressKey` (one key at a time, @scure/base) and bitcoinjs-lib (`payments.p2pkh`, `payments.p2wpkh`,
 * `address.toBech32` for P2TR).
 *
 * Usage: npm run bench:addresses [-- --keys 1000000]
 */
import { randomBytes } from 'node:crypto';
import { address, payments } from 'bitcoinjs-lib';
import { encodeAddressKey, nativeUnavailable } from '../src/chain/index.js';
import { AddressEncoder } from '../src/store/ingest/addressEncoder.js';

const n = Number(process.argv[process.argv.indexOf('--keys') + 1]) || 1_000_000;

/** n random keys of one kind (kind byte + payload), packed. */
function keys(kind: number, len: number): { bytes: Uint8Array; offsets: Uint32Array } {
  const bytes = new Uint8Array((len + 1) * n);
  bytes.set(randomBytes(bytes.length));
  const offsets = new Uint32Array(n + 1);
  for (let i = 0; i <= n; i++) offsets[i] = (len + 1) * i;
  for (let i = 0; i < n; i++) bytes[(len + 1) * i] = kind;
  return { bytes, offsets };
}

function time(fn: () => void): number {
  fn(); // warm-up
  const t = performance.now();
  fn();
  return ((performance.now() - t) * 1000) / n;
}

const kinds = [
  { name: 'P2PKH (base58check)', kind: 1, len: 20, bjs: (p: Uint8Array) => payments.p2pkh({ hash: Buffer.from(p) }).address },
  { name: 'P2WPKH (bech32)', kind: 3, len: 20, bjs: (p: Uint8Array) => payments.p2wpkh({ hash: Buffer.from(p) }).address },
  { name: 'P2TR (bech32m)', kind: 5, len: 32, bjs: (p: Uint8Array) => address.toBech32(Buffer.from(p), 1, 'bc') }, // payments.p2tr needs an ECC library
];
const enc = new AddressEncoder('main');
const accel = nativeUnavailable === null ? 'with the native accelerator' : `native accelerator ${nativeUnavailable}`;
const plain = new AddressEncoder('main', null);
console.log(`bench/addresses: ${n} random keys per kind, µs per address (lower is better); ingest encoder ${accel}`);
for (const k of kinds) {
  const packed = keys(k.kind, k.len);
  const ours = time(() => enc.encodeAllBytes(packed));
  const fallback = time(() => plain.encodeAllBytes(packed));
  const sample = Math.min(n, 200_000);
  const general = time(() => {
    for (let i = 0; i < sample; i++) encodeAddressKey(Buffer.from(packed.bytes.buffer, packed.offsets[i], k.len + 1).toString('latin1'), 'main');
  }) * (n / sample);
  const bjs = time(() => {
    for (let i = 0; i < sample; i++) k.bjs(packed.bytes.subarray((packed.offsets[i] as number) + 1, packed.offsets[i + 1]));
  }) * (n / sample);
  console.log(
    `${k.name.padEnd(20)} ingest encoder ${ours.toFixed(3)}  without native ${fallback.toFixed(3)} (${(fallback / ours).toFixed(1)}x)  encodeAddressKey ${general.toFixed(3)} (${(general / ours).toFixed(1)}x)  bitcoinjs-lib ${bjs.toFixed(3)} (${(bjs / ours).toFixed(1)}x)`,
  );
}
