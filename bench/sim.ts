/**
 * Generation throughput of the simulator (`simulateBitcoin`) against two baselines measured in the
 * same run over the bytes it wrote:
 *  (a) bitcoinjs-lib: Block.fromBuffer + getId of every transaction (decoding the same chain);
 *  (b) the hashing floor: node:crypto double SHA-256 over every block's bytes once.
 * Usage: npm run bench:sim [-- --scale 1]
 */
import { hash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { Block } from 'bitcoinjs-lib';
import { BlkReader, BlockIndex, listBlkFiles, NETWORKS, scanBlkFile } from '../src/chain/index.js';
import { simulateBitcoin } from '../src/sim/index.js';

const scaleArg = process.argv.indexOf('--scale');
const scale = scaleArg > 0 ? Number(process.argv[scaleArg + 1]) : 0.5;
const dir = mkdtempSync(join(tmpdir(), 'lh-bench-sim-'));
try {
  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  const r = simulateBitcoin({ outDir: dir, seed: 1, scale });
  const simS = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  const simCpuS = (cpu.user + cpu.system) / 1e6;
  const mb = r.bytes / 1e6;
  console.log(
    `scale ${scale}: ${r.chain.transactions} txs, ${r.chain.blocks} blocks, ${mb.toFixed(1)} MB in ${simS.toFixed(2)} s wall, ${simCpuS.toFixed(2)} s CPU ` +
      `(${(mb / simCpuS).toFixed(1)} MB and ${(r.chain.transactions / simCpuS).toFixed(0)} tx per CPU-second), rss ${(process.memoryUsage().rss / 1e6).toFixed(0)} MB, ` +
      `load average ${loadavg()[0]!.toFixed(1)} (the machine is shared: compare the ratios below, measured in the same run)`,
  );

  const files = listBlkFiles(join(dir, 'blocks'));
  const index = new BlockIndex();
  for (const f of files) scanBlkFile(f, NETWORKS.main.magic, null, (loc, h) => index.add(h, loc));
  const reader = new BlkReader(files, null);
  const blocks = [...index.select().best].map((b) => Buffer.from(reader.read(b.loc)));
  reader.close();

  const t1 = performance.now();
  let n = 0;
  for (const b of blocks) for (const tx of Block.fromBuffer(b).transactions ?? []) if (tx.getId().length === 64) n++;
  const bjsS = (performance.now() - t1) / 1000;
  const t2 = performance.now();
  for (const b of blocks) hash('sha256', hash('sha256', b, 'buffer'));
  const hashS = (performance.now() - t2) / 1000;

  const row = (name: string, s: number) => console.log(`${name.padEnd(44)} ${(mb / s).toFixed(1).padStart(8)} MB/s  ${(r.chain.transactions / s).toFixed(0).padStart(9)} tx/s`);
  row('simulateBitcoin (generate + hash + write)', simS);
  row('baseline a: bitcoinjs-lib decode + txids', bjsS);
  row('baseline b: sha256d over the block bytes', hashS);
  console.log(`ratio generate / bitcoinjs decode: ${(bjsS / simS).toFixed(2)}x (${n} txs decoded)`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
