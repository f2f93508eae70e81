/**
 * End-to-end ingest throughput (header pass, parse + hash on workers, link, DuckDB appends, spend-link
 * pass) on a synthetic chain of real blocks, against baselines measured in the same run: the hashing
 * floor (node:crypto double SHA-256 over every transaction's bytes, one thread) and bitcoinjs-lib's
 * `Block.fromBuffer` + `getId()` on a sample of the chain (parse only; `--sample-mb`, default 300).
 *
 * The chain: the 12 real mainnet blocks of ../shared/data/btc/blocks/mainnet (2012..2024, legacy and
 * segwit), repeated in height order and re-linked: every non-coinbase input is rewritten to spend an
 * earlier synthetic output (FIFO) while unspent ones are left; those blocks have more inputs than outputs,
 * so the rest (6.0 of 13.8 M inputs at 2 GB) keep their real, unknown previous outputs and are stored
 * unresolved (the simulator chain, `--chain sim`, resolves all of its inputs), every coinbase gets a
 * unique scriptSig tail (no BIP30 duplicates), witness commitments and merkle roots are recomputed, each
 * header points at the previous block. Written in blk-file framing (128 MiB files) under the OS temp
 * directory and reused by later runs of the same size.
 *
 * `--chain sim` uses the project's simulator instead (realistic addresses; slower to generate).
 *
 * `--blocks-dir DIR` ingests an existing blocks directory instead (e.g. a simulator chain written by
 * `ledgerhound sim bitcoin`; the database goes to the OS temp directory).
 *
 * The ingest runs in a child process (bench/ingestRun.ts), as `ledgerhound ingest` does: the compiled dist/
 * (`npm run build` first; a dist/ older than src/ is refused), with bin/ledgerhound's node settings; its CPU
 * time, peak RSS and per-thread CPU (sampled from /proc by this process) are its own, not the bench's.
 *
 * Usage: npm run bench:ingest [-- --size 2GB] [--chain replay|sim | --blocks-dir DIR] [--workers N] [--batch-mb 64] [--sample-mb 300] [--repeat N] [--keep-db] [--plain-node]
 */
import { spawn } from 'node:child_process';
import { hash } from 'node:crypto';
import { Block } from 'bitcoinjs-lib';
import { closeSync, existsSync, mkdirSync, openSync, readdirSync, readFileSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  BlkReader,
  BlockIndex,
  listBlkFiles,
  merkleRoot,
  NETWORKS,
  parseBlock,
  readXorKey,
  scanBlkFile,
  nativeUnavailable,
  sha256d,
} from '../src/chain/index.js';
import type { IngestResult } from '../src/store/index.js';
import { simulateBitcoin } from '../src/sim/index.js';
import { sharedPath } from '../test/helpers/sharedData.js';

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

function parseSize(s: string): number {
  const m = /^(\d+(?:\.\d+)?)\s*(KB|MB|GB)?$/i.exec(s.trim());
  if (!m) throw new Error(`--size: expected e.g. 2GB or 300MB, got ${s}`);
  const mult = { KB: 1e3, MB: 1e6, GB: 1e9 }[(m[2] ?? 'MB').toUpperCase() as 'KB' | 'MB' | 'GB'];
  return Math.round(Number(m[1]) * mult);
}

const targetBytes = parseSize(arg('--size') ?? '2GB');
const workers = arg('--workers') === undefined ? undefined : Number(arg('--workers'));
const batchBytes = arg('--batch-mb') === undefined ? undefined : Number(arg('--batch-mb')) * 1e6;
const FILE_BYTES = 128 << 20;
const MAGIC = NETWORKS.main.magic;

/** FIFO of spendable outputs (txid internal order + vout), 36 bytes each. */
class OutputQueue {
  private buf = Buffer.alloc(36 << 16);
  private head = 0;
  private tail = 0;
  get length(): number {
    return (this.tail - this.head) / 36;
  }
  push(txids: Buffer, t: number, vout: number): void {
    if (this.tail + 36 > this.buf.length) {
      const live = this.buf.subarray(this.head, this.tail);
      const next = Buffer.alloc(Math.max(this.buf.length, live.length * 2 + 36));
      live.copy(next);
      this.buf = next;
      this.tail -= this.head;
      this.head = 0;
    }
    txids.copy(this.buf, this.tail, 32 * t, 32 * t + 32);
    this.buf.writeUInt32LE(vout, this.tail + 32);
    this.tail += 36;
  }
  popInto(dst: Buffer, at: number): void {
    this.buf.copy(dst, at, this.head, this.head + 36);
    this.head += 36;
  }
}

/** Writes the synthetic chain (or reuses it) and returns its directory. */
function generate(dir: string): { blocks: number; bytes: number } {
  const marker = join(dir, 'complete.json');
  if (existsSync(marker)) return JSON.parse(readFileSync(marker, 'utf8'));
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(join(dir, 'blocks'), { recursive: true });
  const src = sharedPath('btc', 'blocks', 'mainnet');
  const templates = readdirSync(src)
    .filter((f) => /^block_\d+\.raw$/.test(f))
    .sort((a, b) => Number(a.slice(6, -4)) - Number(b.slice(6, -4)))
    .map((f) => readFileSync(join(src, f)));
  const queue = new OutputQueue();
  let prev: Buffer = Buffer.alloc(32);
  let fileNo = 0;
  let fd = -1;
  let fileSize = 0;
  let bytes = 0;
  let k = 0;
  const t0 = performance.now();
  while (bytes < targetBytes) {
    const b = Buffer.from(templates[k % templates.length] as Buffer);
    let p = parseBlock(b, {}, { checkMerkle: false });
    // Unique coinbase: the last 4 bytes of its scriptSig carry the synthetic height.
    const csOff = p.inScriptOffset[0] as number;
    const csLen = p.inScriptLength[0] as number;
    if (csLen >= 8) b.writeUInt32LE(k, csOff + csLen - 4);
    const nIn = p.txInputStart[p.txCount] as number;
    for (let j = p.txInputStart[1] as number; j < nIn && queue.length > 0; j++) queue.popInto(b, p.inPrevTxidOffset[j] as number);
    p = parseBlock(b, {}, { checkMerkle: false });
    if (p.txSegwit.some((s) => s === 1)) {
      // BIP141 commitment: last coinbase output starting 6a24aa21a9ed = sha256d(witness root || reserved).
      const wt = Buffer.from(p.wtxids.subarray(0, 32 * p.txCount));
      wt.fill(0, 0, 32);
      const root = merkleRoot(wt, p.txCount);
      const reserved = b.subarray((p.inWitnessOffset[0] as number) + 2, (p.inWitnessOffset[0] as number) + 34);
      const commitment = sha256d(Buffer.concat([root, reserved]));
      for (let o = (p.txOutputStart[1] as number) - 1; o >= 0; o--) {
        const so = p.outScriptOffset[o] as number;
        if ((p.outScriptLength[o] as number) >= 38 && b.subarray(so, so + 6).toString('hex') === '6a24aa21a9ed') {
          commitment.copy(b, so + 6);
          break;
        }
      }
      p = parseBlock(b, {}, { checkMerkle: false });
    }
    merkleRoot(p.txids, p.txCount).copy(b, 36);
    prev.copy(b, 4);
    parseBlock(b); // checks merkle root and witness commitment
    prev = sha256d(b.subarray(0, 80));
    for (let t = 0; t < p.txCount; t++) {
      for (let o = p.txOutputStart[t] as number; o < (p.txOutputStart[t + 1] as number); o++) {
        if (b[p.outScriptOffset[o] as number] !== 0x6a) queue.push(p.txids, t, o - (p.txOutputStart[t] as number));
      }
    }
    if (fd < 0 || fileSize + b.length + 8 > FILE_BYTES) {
      if (fd >= 0) closeSync(fd);
      fd = openSync(join(dir, 'blocks', `blk${String(fileNo++).padStart(5, '0')}.dat`), 'w');
      fileSize = 0;
    }
    const pre = Buffer.alloc(8);
    MAGIC.copy(pre);
    pre.writeUInt32LE(b.length, 4);
    writeSync(fd, pre);
    writeSync(fd, b);
    fileSize += b.length + 8;
    bytes += b.length;
    k++;
    if (k % 500 === 0) process.stderr.write(`\rgenerating: ${(bytes / 1e6).toFixed(0)} / ${(targetBytes / 1e6).toFixed(0)} MB`);
  }
  if (fd >= 0) closeSync(fd);
  process.stderr.write(`\rgenerated ${k} blocks, ${(bytes / 1e6).toFixed(0)} MB in ${((performance.now() - t0) / 1000).toFixed(0)} s\n`);
  const info = { blocks: k, bytes };
  writeFileSync(marker, JSON.stringify(info));
  return info;
}

/**
 * A chain from the project's simulator (src/sim): a realistic economy, nearly every output to a new
 * address, all inputs resolved. Scale from the simulator's ~160 MB per unit (docs/SIMULATOR.md).
 */
function generateSim(dir: string): { blocks: number; bytes: number } {
  const marker = join(dir, 'complete.json');
  if (existsSync(marker)) return JSON.parse(readFileSync(marker, 'utf8'));
  rmSync(dir, { recursive: true, force: true });
  const t0 = performance.now();
  const r = simulateBitcoin({ outDir: dir, seed: 7, scale: targetBytes / 160e6, truthFormat: 'jsonl' });
  process.stderr.write(`simulated ${(r.bytes / 1e6).toFixed(0)} MB in ${((performance.now() - t0) / 1000).toFixed(0)} s\n`);
  const info = { blocks: r.chain.blocks, bytes: r.bytes };
  writeFileSync(marker, JSON.stringify(info));
  return info;
}

/** The hashing floor: sha256d over each transaction's serialized bytes, one thread, timed alone. */
function hashingFloor(blocksDir: string): { seconds: number; txs: number; bytes: number } {
  const files = listBlkFiles(blocksDir);
  const key = readXorKey(blocksDir);
  const reader = new BlkReader(files, key);
  const index = new BlockIndex();
  for (const f of files) scanBlkFile(f, MAGIC, key, (loc, header) => index.add(header, loc));
  let seconds = 0;
  let txs = 0;
  let bytes = 0;
  for (const b of index.select().best) {
    const buf = reader.read(b.loc);
    const p = parseBlock(buf, {}, { checkMerkle: false });
    const t0 = performance.now();
    for (let t = 0; t < p.txCount; t++) {
      hash('sha256', hash('sha256', buf.subarray(p.txStart[t], p.txEnd[t]), 'buffer'), 'buffer');
    }
    seconds += (performance.now() - t0) / 1000;
    txs += p.txCount;
    bytes += buf.length;
  }
  reader.close();
  return { seconds, txs, bytes };
}

/**
 * Parse-only baselines on a sample of the chain (the first `sampleBytes` of best-chain blocks, read into
 * memory first): bitcoinjs-lib `Block.fromBuffer` + `getId()` of every transaction, and this project's
 * parseBlock (parse, txid, wtxid, merkle root and witness commitment checks) on the same bytes, one thread.
 */
function parseBaselines(blocksDir: string, sampleBytes: number): { bytes: number; bjsSeconds: number; oursSeconds: number } {
  const files = listBlkFiles(blocksDir);
  const key = readXorKey(blocksDir);
  const reader = new BlkReader(files, key);
  const index = new BlockIndex();
  for (const f of files) scanBlkFile(f, MAGIC, key, (loc, header) => index.add(header, loc));
  const sample: Buffer[] = [];
  let bytes = 0;
  for (const b of index.select().best) {
    if (bytes >= sampleBytes) break;
    sample.push(Buffer.from(reader.read(b.loc)));
    bytes += b.loc.size;
  }
  reader.close();
  let t0 = performance.now();
  for (const b of sample) {
    const block = Block.fromBuffer(b);
    for (const tx of block.transactions ?? []) tx.getId();
  }
  const bjsSeconds = (performance.now() - t0) / 1000;
  t0 = performance.now();
  for (const b of sample) parseBlock(b);
  const oursSeconds = (performance.now() - t0) / 1000;
  return { bytes, bjsSeconds, oursSeconds };
}

/**
 * What bin/ledgerhound sets when it starts the CLI, so the bench measures the ingest users run: glibc asks
 * for transparent huge pages on large allocations (the linker's unspent-output map and address table are
 * read at random: measured -1.4 s of 26 on the simulator chain) and a 64 MB young generation. A
 * GLIBC_TUNABLES or --max-semi-space-size of your own wins, as with the CLI; `--plain-node` runs without
 * either.
 */
const plainNode = process.argv.includes('--plain-node');
const cliEnv: NodeJS.ProcessEnv = { ...process.env };
if (!plainNode) cliEnv.GLIBC_TUNABLES = process.env.GLIBC_TUNABLES ?? 'glibc.malloc.hugetlb=1';
const cliNodeArgs = plainNode || (process.env.NODE_OPTIONS ?? '').includes('max-semi-space-size') ? [] : ['--max-semi-space-size=64'];

/**
 * Runs the ingest in its own process (bench/ingestRun.ts), as `ledgerhound ingest` runs, and samples the CPU
 * seconds of each of its threads from /proc (Linux; none elsewhere) every 250 ms, because worker threads
 * are gone from /proc once ended: the last value seen per thread id. The main thread comes first; its figure
 * includes the child's start-up (loading tsx and the modules, about half a second), which the whole-run CPU
 * time measured inside the child does not.
 */
async function runIngest(
  blocksDir: string,
  dbPath: string,
): Promise<{ result: IngestResult; seconds: number; closeMs: number; cpuSeconds: number; peakRssMb: number; threads: number[] }> {
  const child = spawn(
    process.execPath,
    [...cliNodeArgs, '--import', 'tsx', fileURLToPath(new URL('./ingestRun.ts', import.meta.url)), blocksDir, dbPath, String(workers ?? '-'), String(batchBytes ?? '-')],
    { stdio: ['ignore', 'pipe', 'inherit'], env: cliEnv },
  );
  const pid = child.pid as number;
  const seen = new Map<number, number>();
  const sample = () => {
    try {
      for (const name of readdirSync(`/proc/${pid}/task`)) {
        const stat = readFileSync(`/proc/${pid}/task/${name}/stat`, 'utf8');
        const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
        seen.set(Number(name), (Number(f[11]) + Number(f[12])) / 100); // utime + stime, USER_HZ 100
      }
    } catch {}
  };
  const sampler = setInterval(sample, 250);
  let out = '';
  child.stdout.setEncoding('utf8').on('data', (d: string) => {
    out += d;
  });
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  clearInterval(sampler);
  const line = out.split('\n').find((l) => l.startsWith('LHINGEST '));
  if (code !== 0 || line === undefined) throw new Error(`bench/ingestRun.ts exited with ${code}${line === undefined ? ' without a result' : ''}`);
  const main = seen.get(pid);
  const threads = main === undefined ? [] : [main, ...[...seen].filter(([tid]) => tid !== pid).map(([, s]) => s)];
  return { ...JSON.parse(line.slice('LHINGEST '.length)), threads };
}

const givenDir = arg('--blocks-dir');
const chainKind = givenDir === undefined ? (arg('--chain') ?? 'replay') : 'given';
if (chainKind !== 'replay' && chainKind !== 'sim' && chainKind !== 'given') throw new Error(`--chain: replay or sim, got ${chainKind}`);
const work = join(tmpdir(), 'ledgerhound-bench', givenDir === undefined ? `${chainKind === 'sim' ? 'sim' : 'chain'}-${targetBytes}` : 'given');
if (givenDir !== undefined) mkdirSync(work, { recursive: true });
const blocksDir = givenDir ?? join(work, 'blocks');
const info = givenDir !== undefined ? { blocks: 0, bytes: 0 } : chainKind === 'sim' ? generateSim(work) : generate(work);

const floor = hashingFloor(blocksDir);
if (givenDir !== undefined) info.bytes = floor.bytes;
const dbPath = join(work, 'bench.duckdb');
// --repeat N: N ingests from scratch, one after the other; the figures below are the median run's (by wall
// time), because this machine's speed drifts by 5-10% from run to run.
const repeat = Math.max(1, Math.floor(Number(arg('--repeat') ?? 1)) || 1);
const runs: Awaited<ReturnType<typeof runIngest>>[] = [];
for (let k = 0; k < repeat; k++) {
  const one = await runIngest(blocksDir, dbPath);
  runs.push(one);
  if (repeat > 1) {
    console.log(`run ${k + 1}/${repeat}: ${one.seconds.toFixed(2)} s = ${(info.bytes / 1e6 / one.seconds).toFixed(1)} MB/s, ${one.cpuSeconds.toFixed(1)} CPU-s, peak RSS ${one.peakRssMb.toFixed(0)} MB`);
  }
}
const run = [...runs].sort((a, b) => a.seconds - b.seconds)[(runs.length - 1) >> 1] as (typeof runs)[number];
const { result: r, seconds, closeMs, cpuSeconds, peakRssMb } = run;
const threads = run.threads;
// After the ingest (and its CPU and RSS readings), so the sample held in memory does not count in them.
const baselines = parseBaselines(blocksDir, Number(arg('--sample-mb') ?? 300) * 1e6);

const mb = info.bytes / 1e6;
const fmt = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
console.log(`bench/ingest: ${mb.toFixed(0)} MB ${givenDir ?? chainKind} chain, ${r.blocks} blocks, ${r.transactions} txs, ${r.inputs} inputs (${r.unresolvedInputs} unresolved), ${r.outputs} outputs, ${r.addresses} addresses`);
console.log(`hashing floor (node:crypto sha256d over every tx, 1 thread): ${floor.seconds.toFixed(2)} s = ${(mb / floor.seconds).toFixed(0)} MB/s, ${(floor.txs / floor.seconds / 1e3).toFixed(0)} ktx/s`);
console.log(`ingest end to end (${workers ?? 'default'} workers, ${plainNode ? 'plain node' : "the CLI's huge pages and young generation"}, ${nativeUnavailable === null ? 'native accelerator' : `native accelerator ${nativeUnavailable}`}${repeat > 1 ? `, median of ${repeat} runs` : ''}): ${seconds.toFixed(2)} s = ${(mb / seconds).toFixed(1)} MB/s, ${(r.transactions / seconds / 1e3).toFixed(1)} ktx/s`);
console.log(`ratio ingest / hashing floor: ${(seconds / floor.seconds).toFixed(1)}x the time`);
const bjsMbps = baselines.bytes / 1e6 / baselines.bjsSeconds;
const oursMbps = baselines.bytes / 1e6 / baselines.oursSeconds;
console.log(
  `parse only, first ${(baselines.bytes / 1e6).toFixed(0)} MB of the chain, 1 thread: bitcoinjs-lib Block.fromBuffer + getId() ${bjsMbps.toFixed(1)} MB/s; ledgerhound parseBlock (txid, wtxid, merkle and witness checks) ${oursMbps.toFixed(1)} MB/s = ${(oursMbps / bjsMbps).toFixed(1)}x (target >= 5x); whole ingest ${(mb / seconds / bjsMbps).toFixed(1)}x bitcoinjs-lib's parse alone`,
);
console.log(
  `CPU time of the ingest, all threads (parse workers, DuckDB): ${cpuSeconds.toFixed(1)} s = ${(mb / cpuSeconds).toFixed(1)} MB per CPU-second; load average now ${loadavg()[0]?.toFixed(1)} on ${availableParallelism()} cores`,
);
console.log(`peak RSS: ${peakRssMb.toFixed(0)} MB`);
const tm = r.timings;
console.log(
  `time split (main thread, wall): header index ${fmt(tm.indexMs)}, reconcile ${fmt(tm.reconcileMs)}, waiting on parse workers ${fmt(tm.parseWaitMs)}, link ${fmt(tm.linkMs)}, store appends + waiting on commits ${fmt(tm.storeMs)}, final link pass + stale rows ${fmt(tm.finalizeMs)}, close (checkpoint) ${fmt(closeMs)}`,
);
if (threads.length > 0) {
  const [main, ...rest] = threads;
  const top = rest.sort((a, b) => b - a).filter((t) => t >= 0.5);
  console.log(
    `CPU of the ingest by thread: main ${main?.toFixed(1)} s; others over 0.5 s (parse and encoder workers, DuckDB, libuv): ${top.map((t) => t.toFixed(1)).join(', ')} s`,
  );
}
if (!process.argv.includes('--keep-db')) {
  rmSync(dbPath, { force: true });
  rmSync(`${dbPath}.wal`, { force: true });
}
