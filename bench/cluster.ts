/**
 * Clustering benchmarks and accuracy measurements.
 *
 *   npx tsx bench/cluster.ts speed [--db PATH | --inputs 100000000 [--baseline-inputs 10000000]]
 *     With --db: over the chain of an ingested store (the issue's "multi-GB simulated chain": `sim bitcoin
 *     --scale 12` → ingest, 2.0 GB of blocks); without: over a synthetic stress chain (below).
 *     The union-find pass (src/cluster/engine.ts clusterPass, multi-input with CoinJoin detection), the
 *     pass with the default heuristics (change heuristics too; cluster ids timed apart), and the same
 *     transactions through a naive Map-based union-find
 *     (MapUnionFind: same algorithm, boxed numbers) as the baseline, each in its own child process so
 *     peak RSS is per phase. Prints inputs/s, peak RSS, time per 100 million inputs and the ratio; and two
 *     floors on the same chain: the bare union-find loop (no CoinJoin check, no merge log) and one random
 *     read of the union-find array per input (what memory latency alone allows). Phases run with
 *     GLIBC_TUNABLES=glibc.malloc.hugetlb=1, as bin/ledgerhound runs the CLI (transparent huge pages), and
 *     the pass once more without it (4 KB pages), so the effect is visible.
 *
 *   npx tsx bench/cluster.ts accuracy [--seeds 1,2,3] [--scale 0.2] [--dir /tmp/lh-cluster-acc]
 *     sim bitcoin → ingest → cluster (each configuration) → eval, through the real CLI; prints a
 *     markdown table (mean over seeds) for docs/CLUSTERING.md.
 *
 *   npx tsx bench/cluster.ts load --db FILE | --synthetic 20000000
 *     loadChainArrays (every column) on an ingested database, or on a store-schema database of N
 *     synthetic inputs built by SQL in /tmp: rows/s and MB/s.
 *
 * Synthetic chain (speed): transactions with 1 + Geometric(0.45) inputs (mean ≈ 2.2, mainnet ≈ 2.3)
 * and 2 outputs; each input spends an address drawn 70% from the last 1 M addresses (recent coins)
 * and 30% uniformly from all earlier ones; one fresh address per output. Deterministic (xorshift).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CoinJoinDetector, clusterPass, DEFAULT_HEURISTICS, findRoot, linkRoots, MapUnionFind, UnionFind } from '../src/cluster/index.js';
import { CHAIN_NONE, Database, DuckDbStore, loadAddressArrays, loadChainArrays } from '../src/store/index.js';

const ROOT = resolve(fileURLToPath(import.meta.url), '..', '..');

function arg(name: string, def: string): string {
  const i = process.argv.indexOf(name);
  return i >= 0 ? (process.argv[i + 1] ?? def) : def;
}

const peakRssMb = () => process.resourceUsage().maxRSS / 1024;
/** Memory of this process in transparent huge pages now (Linux; 0 elsewhere). */
const hugePagesMb = () => {
  try {
    const m = /AnonHugePages:\s+(\d+) kB/.exec(readFileSync('/proc/self/smaps_rollup', 'utf8'));
    return m ? Number(m[1]) / 1024 : 0;
  } catch {
    return 0;
  }
};
/** CPU seconds (user + system) of this process since `from`: robust to other processes sharing the cores. */
const cpuSince = (from: NodeJS.CpuUsage) => {
  const d = process.cpuUsage(from);
  return (d.user + d.system) / 1e6;
};

interface Synthetic {
  txCount: number;
  inputCount: number;
  addressCount: number;
  txFirstInput: Uint32Array;
  txFirstOutput: Uint32Array;
  inputAddress: Uint32Array;
  inputValue: Float64Array;
  outputAddress: Uint32Array;
  outputValue: Float64Array;
}

export function synthesize(targetInputs: number): Synthetic {
  let s = 0x9e3779b9;
  const rnd = () => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return (s >>> 0) / 4294967296;
  };
  const maxTx = Math.ceil(targetInputs / 1.5) + 1;
  const txFirstInput = new Uint32Array(maxTx + 1);
  const txFirstOutput = new Uint32Array(maxTx + 1);
  const inputAddress = new Uint32Array(targetInputs);
  const inputValue = new Float64Array(targetInputs).fill(1e6);
  const outputAddress = new Uint32Array(maxTx * 2 + 2);
  const outputValue = new Float64Array(maxTx * 2 + 2);
  let inputs = 0;
  let t = 0;
  let nextAddr = 0;
  // Seed 1000 coinbase-like addresses so the first inputs have something to spend.
  nextAddr = 1000;
  while (inputs < targetInputs && t < maxTx) {
    txFirstInput[t] = inputs;
    txFirstOutput[t] = 2 * t;
    let k = 1;
    while (rnd() < 0.55 && k < 50) k++;
    k = Math.min(k, targetInputs - inputs);
    for (let j = 0; j < k; j++) {
      const recent = rnd() < 0.7;
      const span = recent ? Math.min(nextAddr, 1_000_000) : nextAddr;
      inputAddress[inputs++] = recent ? nextAddr - 1 - Math.floor(rnd() * span) : Math.floor(rnd() * span);
    }
    outputAddress[2 * t] = nextAddr++;
    outputAddress[2 * t + 1] = nextAddr++;
    outputValue[2 * t] = 1_000_000 + Math.floor(rnd() * 1e8);
    outputValue[2 * t + 1] = 1_000_000 + Math.floor(rnd() * 1e8);
    t++;
  }
  txFirstInput[t] = inputs;
  txFirstOutput[t] = 2 * t;
  return {
    txCount: t,
    inputCount: inputs,
    addressCount: nextAddr,
    txFirstInput: txFirstInput.subarray(0, t + 1),
    txFirstOutput: txFirstOutput.subarray(0, t + 1),
    inputAddress: inputAddress.subarray(0, inputs),
    inputValue: inputValue.subarray(0, inputs),
    outputAddress: outputAddress.subarray(0, 2 * t),
    outputValue: outputValue.subarray(0, 2 * t),
  };
}

/** One phase in this process: prints one JSON line. */
/**
 * The floors the pass is measured against (same arrays): `union` is the bare multi-input union-find loop
 * (path halving, union by rank; no CoinJoin check, no merge log), `touch` reads the union-find slot of
 * every input's address once (one random memory access per input, no work): what memory alone allows.
 */
function floorPass(kind: 'union' | 'touch', c: Synthetic & { skipTx: Uint8Array }, node: Int32Array): number {
  const { txFirstInput: tfi, inputAddress: ia } = c;
  let acc = 0;
  const CH = 1 << 14;
  for (let t0 = 0; t0 < c.txCount; t0 += CH) acc += floorChunk(kind, tfi, ia, c.skipTx, node, t0, Math.min(c.txCount, t0 + CH));
  return acc;
}

/** Inputs without an address (coinbase, unresolved: NONE) and skipped transactions (CoinJoins) take no part. */
function floorChunk(kind: 'union' | 'touch', tfi: Uint32Array, ia: Uint32Array, skip: Uint8Array, node: Int32Array, t0: number, t1: number): number {
  let acc = 0;
  if (kind === 'touch') {
    for (let i = tfi[t0] as number; i < (tfi[t1] as number); i++) {
      const a = ia[i] as number;
      if (a !== CHAIN_NONE) acc ^= node[a] as number;
    }
    return acc;
  }
  for (let t = t0; t < t1; t++) {
    const i0 = tfi[t] as number;
    const i1 = tfi[t + 1] as number;
    if (i1 - i0 < 2 || skip[t] === 1) continue;
    let f = i0;
    while (f < i1 && ia[f] === CHAIN_NONE) f++; // the first input with an address, as the pass does
    if (f >= i1 - 1) continue;
    let ra = findRoot(node, ia[f] as number);
    for (let i = f + 1; i < i1; i++) {
      const a = ia[i] as number;
      if (a === CHAIN_NONE) continue;
      const x = findRoot(node, a);
      if (x === ra) continue;
      ra = linkRoots(node, ra, x);
      acc++;
    }
  }
  return acc;
}

type PhaseKind = 'typed' | 'default' | 'map' | 'union' | 'touch';

/** The chain of a phase: synthetic (`--inputs N`) or an ingested store's (`--db PATH`, e.g. the simulator's). */
async function phaseChain(db: string | null, inputs: number): Promise<Synthetic & { addressType: Uint8Array; skipTx: Uint8Array }> {
  if (db === null) {
    const c = synthesize(inputs);
    return { ...c, addressType: new Uint8Array(c.addressCount), skipTx: new Uint8Array(c.txCount) };
  }
  const handle = await Database.open(db, { readOnly: true });
  try {
    const a = await loadChainArrays(handle, {
      columns: ['txFirstInput', 'txFirstOutput', 'inputAddress', 'inputValue', 'outputAddress', 'outputValue'],
    });
    const addr = await loadAddressArrays(handle);
    // The CoinJoins `ledgerhound cluster` recorded: the baselines and floors skip them as the pass does.
    const skipTx = new Uint8Array(a.txCount);
    const col = await handle.one<{ n: bigint }>(
      "SELECT count(*) n FROM information_schema.columns WHERE table_name = 'transactions' AND column_name = 'coinjoin'",
    );
    if (Number(col?.n ?? 0) > 0) {
      for (const r of await handle.all<{ t: bigint }>('SELECT tx_id t FROM transactions WHERE coinjoin IS NOT NULL')) skipTx[Number(r.t)] = 1;
    } else {
      // Not clustered yet: detect them here, as the pass will.
      const detector = new CoinJoinDetector();
      for (let t = 0; t < a.txCount; t++) {
        const [i0, i1, o0, o1] = [a.txFirstInput[t], a.txFirstInput[t + 1], a.txFirstOutput[t], a.txFirstOutput[t + 1]] as number[];
        if (detector.classify(a.inputAddress, i0 as number, i1 as number, a.outputValue, o0 as number, o1 as number) !== 0) skipTx[t] = 1;
      }
    }
    return { ...a, addressType: addr.addressType, skipTx };
  } finally {
    handle.close();
  }
}

async function phase(kind: PhaseKind, inputs: number, db: string | null): Promise<void> {
  const g0 = performance.now();
  const c = await phaseChain(db, inputs);
  const genS = (performance.now() - g0) / 1000;
  const rssAfterArrays = peakRssMb();
  // Let the load's background threads (DuckDB, V8's concurrent GC) go idle: the CPU time below is the
  // whole process's, and should be the pass's alone.
  if (db !== null) await new Promise((r) => setTimeout(r, 2000));
  let seconds: number;
  let cpuSeconds: number;
  let sets: number;
  let labelsCpuSeconds = 0;
  if (kind === 'union' || kind === 'touch') {
    const node = new Int32Array(c.addressCount).fill(-1);
    const t0 = performance.now();
    const cpu0 = process.cpuUsage();
    const merges = floorPass(kind, c, node);
    seconds = (performance.now() - t0) / 1000;
    cpuSeconds = cpuSince(cpu0);
    sets = kind === 'union' ? c.addressCount - merges : 0;
  } else if (kind === 'typed' || kind === 'default') {
    // Allocated before the clock starts, as the floors' array is (the run allocates it once for all windows).
    const uf = new UnionFind(c.addressCount);
    const t0 = performance.now();
    const cpu0 = process.cpuUsage();
    const r = clusterPass(
      { arrays: { ...c, txBase: 0, inputBase: 0, outputBase: 0 }, addressType: c.addressType, uf, knownAddressCount: 0 },
      { heuristics: kind === 'typed' ? ['multi-input'] : [...DEFAULT_HEURISTICS], minVotes: 1, coinjoinDetection: true },
    );
    seconds = (performance.now() - t0) / 1000;
    cpuSeconds = cpuSince(cpu0);
    sets = c.addressCount - r.merges.count;
    // The cluster ids the run writes (canonical labels), timed apart from the pass.
    const cpu1 = process.cpuUsage();
    uf.labels();
    labelsCpuSeconds = cpuSince(cpu1);
  } else {
    const t0 = performance.now();
    const cpu0 = process.cpuUsage();
    const uf = new MapUnionFind();
    let merges = 0;
    const { txFirstInput, inputAddress } = c;
    for (let t = 0; t < c.txCount; t++) {
      const i0 = txFirstInput[t] as number;
      const i1 = txFirstInput[t + 1] as number;
      if (c.skipTx[t] === 1) continue;
      let f = i0;
      while (f < i1 && inputAddress[f] === CHAIN_NONE) f++;
      if (f >= i1) continue;
      const first = inputAddress[f] as number;
      uf.find(first);
      for (let i = f + 1; i < i1; i++) {
        const a = inputAddress[i] as number;
        if (a !== CHAIN_NONE && uf.union(first, a)) merges++;
      }
    }
    seconds = (performance.now() - t0) / 1000;
    cpuSeconds = cpuSince(cpu0);
    sets = c.addressCount - merges;
  }
  process.stdout.write(
    `${JSON.stringify({ kind, inputs: c.inputCount, txs: c.txCount, addresses: c.addressCount, seconds, cpuSeconds, labelsCpuSeconds, sets, genS, rssArraysMb: rssAfterArrays, peakRssMb: peakRssMb(), hugeMb: hugePagesMb() })}\n`,
  );
}

/** What bin/ledgerhound sets for the CLI: glibc asks for transparent huge pages on large allocations. */
const HUGE_PAGES = 'glibc.malloc.hugetlb=1';

/** Runs one phase in a child process; `hugePages: false` runs it with 4 KB pages (the tunable unset). */
function child(args: string[], hugePages = true): Record<string, number> {
  const env = { ...process.env };
  if (hugePages) env.GLIBC_TUNABLES = process.env.GLIBC_TUNABLES ?? HUGE_PAGES;
  else delete env.GLIBC_TUNABLES;
  const r = spawnSync(process.execPath, ['--max-old-space-size=16000', '--import', 'tsx', fileURLToPath(import.meta.url), ...args], {
    cwd: ROOT,
    encoding: 'utf8',
    maxBuffer: 64 << 20,
    env,
  });
  if (r.status !== 0) throw new Error(`bench phase ${args.join(' ')} failed: ${r.stderr}`);
  return JSON.parse(r.stdout.trim().split('\n').pop() as string);
}

function speed(): void {
  const db = arg('--db', '') || null;
  const inputs = Number(arg('--inputs', '100000000'));
  const baseInputs = Number(arg('--baseline-inputs', '10000000'));
  const src = (n: number) => (db === null ? ['--inputs', String(n)] : ['--db', db]);
  console.log(
    db === null
      ? `union-find pass, synthetic chain: ${inputs.toLocaleString()} inputs (typed), ${baseInputs.toLocaleString()} (Map baseline)`
      : `union-find pass over the chain of ${db} (loaded into typed arrays; load time not counted)`,
  );
  const typed = child(['--phase', 'typed', ...src(inputs)]);
  const small = child(['--phase', 'typed', ...src(inputs)], false);
  const dflt = child(['--phase', 'default', ...src(inputs)]);
  const typedSmall = db !== null || baseInputs === inputs ? typed : child(['--phase', 'typed', ...src(baseInputs)]);
  const map = child(['--phase', 'map', ...src(baseInputs)]);
  const union = child(['--phase', 'union', ...src(inputs)]);
  const touch = child(['--phase', 'touch', ...src(inputs)]);
  // Rates from CPU time (user + system of the phase's process): the cores are shared with other work,
  // so wall time measures the neighbours as much as the code. Wall time is printed beside it.
  const rate = (p: Record<string, number>) => (p.inputs as number) / (p.cpuSeconds as number);
  const row = (name: string, p: Record<string, number>) =>
    console.log(
      `${name.padEnd(40)} ${(p.inputs as number).toLocaleString().padStart(13)} inputs  cpu ${(p.cpuSeconds as number).toFixed(2).padStart(7)} s (wall ${(p.seconds as number).toFixed(2)} s)  ${(rate(p) / 1e6).toFixed(1).padStart(6)} M inputs/s  ${(1e8 / rate(p)).toFixed(1).padStart(6)} s per 100M  peak RSS ${(p.peakRssMb as number).toFixed(0)} MB (arrays ${(p.rssArraysMb as number).toFixed(0)} MB, ${(p.hugeMb as number).toFixed(0)} MB in huge pages)  sets ${(p.sets as number).toLocaleString()}${p.labelsCpuSeconds ? `; then cluster ids ${(p.labelsCpuSeconds as number).toFixed(2)} s` : ''}`,
    );
  console.log(`load average before: ${loadavg().map((x) => x.toFixed(1)).join(' ')} on ${cpus().length} cores; ${(typed.addresses as number).toLocaleString()} addresses, ${(typed.txs as number).toLocaleString()} txs`);
  row('multi-input pass (clusterPass)', typed);
  row('  the same with 4 KB pages', small);
  if (typedSmall !== typed) row('multi-input pass (clusterPass)', typedSmall);
  row(`default heuristics pass (${DEFAULT_HEURISTICS.length})`, dflt);
  row('Map-based union-find (baseline)', map);
  row('floor: bare union-find loop', union);
  row('floor: one random read per input', touch);
  if (union.sets !== typed.sets) throw new Error(`the pass and the bare loop disagree: ${typed.sets} vs ${union.sets} sets`);
  console.log(
    `the pass runs at ${((100 * rate(typed)) / rate(union)).toFixed(0)}% of the bare union-find loop and ${((100 * rate(typed)) / rate(touch)).toFixed(0)}% of one random read per input`,
  );
  console.log(`ratio typed/Map at ${(typedSmall.inputs as number).toLocaleString()} inputs: ${(rate(typedSmall) / rate(map)).toFixed(1)}x`);
  if (typedSmall.sets !== map.sets) throw new Error(`typed and Map union-find disagree: ${typedSmall.sets} vs ${map.sets} sets`);
  console.log(`target >= 20 M inputs/s (multi-input union-find pass): ${rate(typed) >= 20e6 ? 'met' : 'NOT met'} (${(rate(typed) / 1e6).toFixed(1)} M inputs/s of CPU time)`);
  console.log(`load average after: ${loadavg().map((x) => x.toFixed(1)).join(' ')}`);
}

interface Config {
  name: string;
  args: string[];
}

const CONFIGS: Config[] = [
  { name: 'multi-input, no CoinJoin detection', args: ['--heuristics', 'multi-input', '--no-coinjoin-detection'] },
  { name: 'multi-input', args: ['--heuristics', 'multi-input'] },
  { name: '+ fresh-address', args: ['--heuristics', 'multi-input,fresh-address'] },
  { name: '+ same-script-type', args: ['--heuristics', 'multi-input,same-script-type'] },
  { name: '+ non-round-amount', args: ['--heuristics', 'multi-input,non-round-amount'] },
  { name: '+ optimal-change', args: ['--heuristics', 'multi-input,optimal-change'] },
  { name: '+ reuse-exclusion (with fresh-address)', args: ['--heuristics', 'multi-input,fresh-address,reuse-exclusion'] },
  {
    name: 'all change heuristics, 1 vote',
    args: ['--heuristics', 'multi-input,fresh-address,same-script-type,non-round-amount,optimal-change,reuse-exclusion'],
  },
  {
    name: 'all change heuristics, 2 votes',
    args: ['--heuristics', 'multi-input,fresh-address,same-script-type,non-round-amount,optimal-change,reuse-exclusion', '--min-votes', '2'],
  },
  {
    name: 'all change heuristics, 3 votes',
    args: ['--heuristics', 'multi-input,fresh-address,same-script-type,non-round-amount,optimal-change,reuse-exclusion', '--min-votes', '3'],
  },
  {
    name: 'non-round-amount + optimal-change + reuse-exclusion',
    args: ['--heuristics', 'multi-input,non-round-amount,optimal-change,reuse-exclusion'],
  },
  {
    name: 'non-round + optimal + fresh + reuse-exclusion',
    args: ['--heuristics', 'multi-input,fresh-address,non-round-amount,optimal-change,reuse-exclusion'],
  },
  { name: 'default', args: [] },
];

function cli(args: string[]): string {
  const r = spawnSync(process.execPath, ['--import', 'tsx', join(ROOT, 'src', 'cli', 'main.ts'), ...args], {
    cwd: ROOT,
    encoding: 'utf8',
    maxBuffer: 256 << 20,
  });
  if (r.status !== 0) throw new Error(`ledgerhound ${args.join(' ')} failed (${r.status}): ${r.stderr}`);
  return r.stdout;
}

function accuracy(): void {
  const seeds = arg('--seeds', '1,2,3').split(',').map(Number);
  const scale = arg('--scale', '0.2');
  const dir = arg('--dir', '/tmp/lh-cluster-acc');
  const only = arg('--configs', '');
  const configs = only === '' ? CONFIGS : CONFIGS.filter((c) => only.split('|').includes(c.name));
  mkdirSync(dir, { recursive: true });
  const metrics = ['bcubedPrecision', 'bcubedRecall', 'pairwisePrecision', 'pairwiseRecall', 'wronglyMergedEntities', 'coinjoinParticipantPairsMerged'] as const;
  const sums = new Map<string, number[]>();
  const perSeed: string[] = [];
  for (const seed of seeds) {
    const out = join(dir, `s${seed}-${scale}`);
    const db = `${out}.duckdb`;
    if (!existsSync(db)) {
      cli(['sim', 'bitcoin', '--out', out, '--seed', String(seed), '--scale', scale, '--force']);
      cli(['--db', db, 'ingest', 'bitcoin', '--blocks-dir', join(out, 'blocks')]);
    }
    for (const c of configs) {
      const run = JSON.parse(cli(['--db', db, '--json', 'cluster', '--full', ...c.args]));
      const ev = JSON.parse(cli(['--db', db, '--json', 'eval', '--truth', join(out, 'truth.json')])).clustering;
      const vals = metrics.map((m) => Number(ev[m]));
      const acc = sums.get(c.name) ?? metrics.map(() => 0);
      vals.forEach((v, i) => {
        acc[i] = (acc[i] as number) + v;
      });
      sums.set(c.name, acc);
      perSeed.push(
        `seed ${seed} ${c.name}: ${vals.map((v) => (Number.isInteger(v) ? String(v) : v.toFixed(4))).join(' ')} (cj detected ${JSON.stringify(run.stats?.coinjoins)}, truth ${ev.coinjoins}; entities ${ev.entities}, addresses ${ev.addresses})`,
      );
      process.stderr.write(`${perSeed[perSeed.length - 1]}\n`);
    }
  }
  console.log(`\nMean over seeds ${seeds.join(', ')} at scale ${scale}:\n`);
  console.log('| configuration | B³ precision | B³ recall | pairwise precision | pairwise recall | entities wrongly merged | CoinJoin participant pairs merged |');
  console.log('|---|---|---|---|---|---|---|');
  for (const c of configs) {
    const v = (sums.get(c.name) as number[]).map((x) => x / seeds.length);
    const pct = (x: number) => `${(100 * x).toFixed(2)}%`;
    console.log(`| ${c.name} | ${pct(v[0] as number)} | ${pct(v[1] as number)} | ${pct(v[2] as number)} | ${pct(v[3] as number)} | ${(v[4] as number).toFixed(1)} | ${(v[5] as number).toFixed(1)} |`);
  }
  console.log('\nPer seed (B³ P, B³ R, pairwise P, pairwise R, wrongly merged entities, CoinJoin pairs merged):');
  for (const l of perSeed) console.log(`  ${l}`);
}

/**
 * A store-schema database with `inputs` synthetic inputs (2 per tx, 2 outputs per tx, addresses reused
 * 4 times), filled by SQL from range(): for measuring the loader at sizes the simulator does not reach.
 */
async function syntheticDb(path: string, inputs: number): Promise<void> {
  if (existsSync(path)) return;
  const store = await DuckDbStore.open(path);
  await store.init('main');
  const db = store.db;
  const txs = Math.floor(inputs / 2);
  await db.run(`INSERT INTO transactions SELECT i, printf('%064x', i), printf('%064x', i), i // 2000, i % 2000,
      to_timestamp(1500000000 + i // 2000 * 600), 2, 0, 250, 250, 1000, false, i = 0, 2, 2, 2 * i, 2 * i,
      NULL, 100000, NULL, 0 FROM range(${txs}) t(i)`);
  await db.run(`INSERT INTO outputs SELECT o, o // 2, o % 2, o // 4000, 50000 + (o * 7919) % 100000, 4, o // 4,
      CASE WHEN o + 2 < ${2 * txs} THEN o + 2 END, CASE WHEN o + 2 < ${2 * txs} THEN (o + 2) // 2 END FROM range(${2 * txs}) t(o)`);
  await db.run(`INSERT INTO inputs SELECT j, j // 2, j % 2, j // 4000, CASE WHEN j >= 2 THEN j - 2 END, NULL, 0, 0,
      CASE WHEN j >= 2 THEN 50000 END, CASE WHEN j >= 2 THEN (j - 2) // 4 END, j < 2, false FROM range(${2 * txs}) t(j)`);
  await db.run(`INSERT INTO addresses SELECT a, printf('a%d', a), 4, 0, 0 FROM range(${Math.ceil(txs / 2)}) t(a)`);
  store.close();
}

async function load(): Promise<void> {
  let path = arg('--db', '');
  const synthetic = Number(arg('--synthetic', '0'));
  if (synthetic > 0) {
    path = join(arg('--dir', '/tmp'), `lh-chainarrays-${synthetic}.duckdb`);
    const t0 = performance.now();
    await syntheticDb(path, synthetic);
    console.log(`synthetic store ${path} (${synthetic.toLocaleString()} inputs) ready in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  }
  if (path === '') throw new Error('load: pass --db FILE (an ingested database) or --synthetic N (inputs)');
  console.log(`load average: ${loadavg().map((x) => x.toFixed(1)).join(' ')} on ${cpus().length} cores`);
  const db = await Database.open(path, { readOnly: true });
  try {
    const t0 = performance.now();
    const a = await loadChainArrays(db);
    const s = (performance.now() - t0) / 1000;
    const rows = a.txCount + a.inputCount + a.outputCount;
    const bytes = a.txCount * 16 + a.inputCount * 24 + a.outputCount * 25;
    console.log(
      `loadChainArrays: ${a.txCount.toLocaleString()} txs, ${a.inputCount.toLocaleString()} inputs, ${a.outputCount.toLocaleString()} outputs in ${s.toFixed(2)} s: ${(rows / s / 1e6).toFixed(2)} M rows/s, ${(bytes / s / 1e6).toFixed(0)} MB/s of arrays; peak RSS ${peakRssMb().toFixed(0)} MB`,
    );
  } finally {
    db.close();
  }
}

const isMain = process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url);
const mode = isMain ? (process.argv[2] ?? 'speed') : 'none';
const phaseArg = process.argv.indexOf('--phase');
if (!isMain) {
  // imported (profiling): nothing to run
} else if (phaseArg >= 0) await phase(process.argv[phaseArg + 1] as PhaseKind, Number(arg('--inputs', '1000000')), arg('--db', '') || null);
else if (mode === 'speed') speed();
else if (mode === 'accuracy') accuracy();
else if (mode === 'load') await load();
else throw new Error(`unknown mode ${mode}: speed | accuracy | load`);
