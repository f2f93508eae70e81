/**
 * Parse + hash throughput of the block parser on the real mainnet blocks in ../shared/data,
 * against two baselines measured in the same run:
 *  (a) bitcoinjs-lib: Block.fromBuffer + txid (getId) of every transaction, parse only;
 *  (b) the hashing floor: node:crypto double SHA-256 over the same transaction bytes
 *      (the txid hashing no parser can avoid).
 * Our parser is measured with the native accelerator (native/, when built) and without it (WebAssembly SIMD
 * and node:crypto), in the same run.
 * Usage: npm run bench:parse [-- --seconds 3]
 */
import { hash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Block } from 'bitcoinjs-lib';
import { nativeUnavailable, parseBlock, setNativeEnabled } from '../src/chain/index.js';
import { sharedPath } from '../test/helpers/sharedData.js';

const seconds = Number(process.argv[process.argv.indexOf('--seconds') + 1]) || 3;
const dir = sharedPath('btc', 'blocks', 'mainnet');
const blocks = readdirSync(dir)
  .filter((f) => f.endsWith('.raw'))
  .map((f) => readFileSync(join(dir, f)));
const totalBytes = blocks.reduce((a, b) => a + b.length, 0);
const txRanges = blocks.map((b) => {
  const p = parseBlock(b);
  return { buf: b, start: p.txStart, end: p.txEnd, segwit: p.txSegwit, count: p.txCount };
});
const totalTx = txRanges.reduce((a, r) => a + r.count, 0);

function measure(name: string, fn: () => void): { name: string; mbps: number; txps: number } {
  fn(); // warm-up
  let rounds = 0;
  const t0 = performance.now();
  while (performance.now() - t0 < seconds * 1000) {
    fn();
    rounds++;
  }
  const s = (performance.now() - t0) / 1000;
  const r = { name, mbps: (rounds * totalBytes) / 1e6 / s, txps: (rounds * totalTx) / s };
  console.log(`${name.padEnd(44)} ${r.mbps.toFixed(1).padStart(8)} MB/s ${(r.txps / 1e3).toFixed(0).padStart(8)} ktx/s`);
  return r;
}

console.log(`bench/parse: ${blocks.length} real mainnet blocks (2012–2024), ${(totalBytes / 1e6).toFixed(2)} MB, ${totalTx} txs, ${seconds}s per case, node ${process.version}`);
let sink = 0;
const ours = measure('ledgerhound parseBlock (parse+txid+wtxid+merkle)', () => {
  for (const b of blocks) sink += parseBlock(b).txCount;
});
const oursNoMerkle = measure('ledgerhound parseBlock (no merkle check)', () => {
  for (const b of blocks) sink += parseBlock(b, {}, { checkMerkle: false }).txCount;
});
setNativeEnabled(false);
const fallback = measure('parseBlock with merkle, no native accel.', () => {
  for (const b of blocks) sink += parseBlock(b).txCount;
});
setNativeEnabled(true);
const bjs = measure('bitcoinjs-lib Block.fromBuffer + getId()', () => {
  for (const b of blocks) {
    const blk = Block.fromBuffer(b);
    for (const tx of blk.transactions ?? []) sink += tx.getId().length;
  }
});
const floor = measure('hash floor: sha256d of every tx (node:crypto)', () => {
  for (const r of txRanges) {
    for (let i = 0; i < r.count; i++) sink += hash('sha256', hash('sha256', r.buf.subarray(r.start[i]!, r.end[i]!), 'buffer'), 'buffer')[0]!;
  }
});
console.log(`ratio vs bitcoinjs-lib, parse + txid + wtxid: ${(oursNoMerkle.mbps / bjs.mbps).toFixed(1)}x faster (target >= 5x)`);
console.log(`ratio vs bitcoinjs-lib, also verifying merkle root + witness commitment: ${(ours.mbps / bjs.mbps).toFixed(1)}x faster`);
console.log(`ratio vs hashing floor: ${(ours.mbps / floor.mbps).toFixed(2)} (1.0 = as fast as hashing alone; the floor hashes each tx once, we also hash wtxids and the merkle tree)`);
console.log(`native accelerator: ${nativeUnavailable ?? `${(ours.mbps / fallback.mbps).toFixed(2)}x the throughput without it`}`);
console.log(`merkle check costs ${((1 - ours.mbps / oursNoMerkle.mbps) * 100).toFixed(0)}% of throughput`);
if (sink === 42) console.log('');
