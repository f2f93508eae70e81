/**
 * bench/api: screening lookups in process, and the HTTP API under load (autocannon) — each beside a
 * baseline measured in the same run, so the cost of screening itself is visible.
 *
 *   npx tsx bench/api.ts [--scale 0.05] [--seconds 10] [--connections 32]
 *
 * 1. Builds a simulated chain (src/sim), ingests it, clusters it, labels the scripted thief and a
 *    "sanctioned" user, and builds the ScreeningIndex (times reported).
 * 2. In process: `index.screenAddress(addr)` over random known addresses, lookups/s and p50/p99 latency;
 *    baseline: the address → id Map lookup alone (the floor of any lookup).
 * 3. HTTP: `ledgerhound serve` in a child process on 127.0.0.1 (API key auth, audit log on), autocannon
 *    against GET /v1/health (trivial route, baseline) and GET /v1/screen/address/{addr} (rotating
 *    addresses), req/s and p50/p99 latency.
 * Targets (issue 7, 2-core machine): ≥ 500k in-process lookups/s; ≥ 10k HTTP screens/s with p99 < 10 ms.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import autocannon from 'autocannon';
import { createApiKey } from '../src/api/index.js';
import { loadRules, ScreeningIndex } from '../src/screen/index.js';
import { Database } from '../src/store/index.js';
import { makeSimDb } from '../test/api/fixture.js';

function arg(name: string, def: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : def;
}

const seconds = arg('seconds', 10);
const connections = arg('connections', 32);
/** Offered load (req/s) of the paced screening run. */
const rate = arg('rate', 10_000);
/** `--cpu-prof DIR`: write a V8 CPU profile of the serve child into DIR (for finding latency tails). */
const profIdx = process.argv.indexOf('--cpu-prof');
const profDir = profIdx >= 0 ? process.argv[profIdx + 1] : undefined;

function pct(sorted: Float64Array, p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] as number;
}

async function main(): Promise<void> {
  const t0 = performance.now();
  const sim = await makeSimDb({ seed: 7 });
  const dir = mkdtempSync(join(tmpdir(), 'lh-bench-api-'));
  console.log(`chain: ${sim.truth.chain.transactions} txs, ${sim.truth.chain.addresses} addresses (sim demo preset, clustered: ${sim.clustered}), built in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  try {
    // ---- in process ----
    const db = await Database.open(sim.dbPath, { readOnly: true });
    const index = await ScreeningIndex.build(db, loadRules());
    db.close();
    console.log(`index: load ${index.timings.loadMs.toFixed(0)} ms, sweeps ${index.timings.sweepMs.toFixed(0)} ms (${index.timings.forwardTxs} txs forward, ${index.timings.backwardTxs} backward)`);
    const addrs = sim.truth.addresses.map((a) => a.address);
    const N = 1_000_000;
    const order = new Uint32Array(N);
    let seed = 12345;
    for (let i = 0; i < N; i++) {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      order[i] = seed % addrs.length;
    }
    // Baseline: the Map lookup alone.
    let sink = 0;
    let t = performance.now();
    for (let i = 0; i < N; i++) sink += index.addressId(addrs[order[i] as number] as string) ?? 0;
    const baseMs = performance.now() - t;
    // Warm-up, then the full screening lookups.
    for (let i = 0; i < 50_000; i++) sink += index.screenAddress(addrs[order[i] as number] as string).score;
    t = performance.now();
    for (let i = 0; i < N; i++) sink += index.screenAddress(addrs[order[i] as number] as string).score;
    const screenMs = performance.now() - t;
    const lat = new Float64Array(200_000);
    for (let i = 0; i < lat.length; i++) {
      const s = performance.now();
      sink += index.screenAddress(addrs[order[i] as number] as string).score;
      lat[i] = performance.now() - s;
    }
    lat.sort();
    const perSec = (N / screenMs) * 1000;
    console.log('\nin-process screening (1,000,000 lookups of random known addresses)');
    console.log(`  baseline Map lookup      ${((N / baseMs) * 1000).toFixed(0).padStart(12)} lookups/s`);
    console.log(`  screenAddress            ${perSec.toFixed(0).padStart(12)} lookups/s  (${(baseMs / screenMs).toFixed(3)}× the baseline rate)`);
    console.log(`  latency p50 ${(pct(lat, 0.5) * 1000).toFixed(2)} µs, p99 ${(pct(lat, 0.99) * 1000).toFixed(2)} µs, max ${(pct(lat, 1) * 1000).toFixed(0)} µs   [target ≥ 500,000/s: ${perSec >= 500_000 ? 'met' : 'NOT met'}] (sink ${sink % 7})`);

    // ---- HTTP ----
    const keysPath = join(dir, 'keys.json');
    const key = createApiKey(keysPath, 'bench', { ratePerSec: 1e7, burst: 1e7 }).key;
    const child = spawn(
      process.execPath,
      [...(profDir ? ['--cpu-prof', '--cpu-prof-dir', resolve(profDir)] : []), '--import', 'tsx', resolve('src/cli/main.ts'), '--db', sim.dbPath, 'serve', '--port', '0', '--host', '127.0.0.1', '--keys', keysPath],
      { stdio: ['ignore', 'ignore', 'pipe'] },
    );
    const base = await new Promise<string>((ok, fail) => {
      let err = '';
      child.stderr.on('data', (d: Buffer) => {
        err += d.toString();
        const m = /API on (http:\/\/127\.0\.0\.1:\d+)/.exec(err);
        if (m) ok(m[1] as string);
      });
      child.once('exit', (code) => fail(new Error(`serve exited ${code}: ${err}`)));
    });
    // Wait for the index (screening answers 503 until it is built).
    for (;;) {
      const h = (await (await fetch(`${base}/v1/health`)).json()) as { screeningReady: boolean };
      if (h.screeningReady) break;
      await new Promise((r) => setTimeout(r, 200));
    }
    const headers = { 'x-api-key': key };
    const run = (title: string, opts: Partial<autocannon.Options>) =>
      new Promise<autocannon.Result>((ok, fail) => {
        autocannon({ url: base, connections, duration: seconds, headers, ...opts, title }, (e, r) => (e ? fail(e) : ok(r)));
      });
    let k = 0;
    const sample = addrs.slice(0, 5000);
    await run('warm-up', { duration: 2, requests: [{ method: 'GET', path: `/v1/screen/address/${sample[0]}` }] });
    const health = await run('health', { requests: [{ method: 'GET', path: '/v1/health' }] });
    const screenReq: autocannon.Request[] = [
      {
        method: 'GET',
        setupRequest: (req) => {
          k = (k + 1) % sample.length;
          return { ...req, path: `/v1/screen/address/${sample[k]}` };
        },
      },
    ];
    const screen = await run('screen', {
      requests: [
        {
          method: 'GET',
          setupRequest: (req) => {
            k = (k + 1) % sample.length;
            return { ...req, path: `/v1/screen/address/${sample[k]}` };
          },
        },
      ],
    });
    // The same route at the target's offered load (not saturated): latency without the queueing of a
    // closed loop running flat out, i.e. what a client sending `rate` screens/s sees.
    const paced = await run('screen-paced', { overallRate: rate, requests: screenReq });
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));
    const line = (name: string, r: autocannon.Result) =>
      `  ${name.padEnd(28)} ${r.requests.average.toFixed(0).padStart(8)} req/s   p50 ${String(r.latency.p50).padStart(3)} ms   p99 ${String(r.latency.p99).padStart(3)} ms   non-2xx ${r.non2xx}   errors ${r.errors}`;
    console.log(`\nmachine load average (1 min) before HTTP: ${loadavg()[0]?.toFixed(1)} on ${(await import('node:os')).availableParallelism()} cores`);
    console.log(`\nHTTP on loopback (serve in a child process, ${connections} connections, ${seconds} s each, API key + audit log on)`);
    console.log(line('GET /v1/health (baseline)', health));
    console.log(line('GET /v1/screen/address/{a}', screen));
    console.log(line(`  same, paced at ${rate}/s`, paced));
    const ok = screen.requests.average >= 10_000 && screen.latency.p99 < 10;
    console.log(`  screening costs ${(health.requests.average / Math.max(1, screen.requests.average)).toFixed(2)}× the health route   [target ≥ 10,000 req/s with p99 < 10 ms: ${ok ? 'met' : 'NOT met'}]`);
  } finally {
    sim.cleanup();
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
