/**
 * The ingest that bench/ingest.ts times, in a process of its own (`node --import tsx bench/ingestRun.ts
 * BLOCKS_DIR DB [WORKERS|-] [BATCH_BYTES|-]`), as `ledgerhound ingest bitcoin` runs: the compiled code in
 * dist/ (what bin/ledgerhound runs; its worker threads then load plain JavaScript, not TypeScript through
 * tsx's loader), and nothing of the bench (the hashing floor's reads, the CPU sampler) shares its heap or
 * its threads, and its peak RSS is its own. dist/ older than src/ is refused: run `npm run build`.
 *
 * Prints one stdout line `LHINGEST {json}`: the ingest summary and timings, wall seconds (ingest and the
 * closing checkpoint), CPU seconds of all threads and peak RSS in MB.
 */
import { existsSync, readdirSync, rmSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const entry = join(root, 'dist', 'store', 'index.js');
const newest = (dir: string): number =>
  readdirSync(dir, { withFileTypes: true }).reduce((t, e) => {
    const p = join(dir, e.name);
    return Math.max(t, e.isDirectory() ? newest(p) : e.name.endsWith('.test.ts') ? 0 : statSync(p).mtimeMs);
  }, 0);
if (!existsSync(entry) || newest(join(root, 'src')) > statSync(entry).mtimeMs) {
  process.stderr.write('bench/ingestRun: dist/ is missing or older than src/: run `npm run build` first\n');
  process.exit(2);
}
const { DuckDbStore, ingestBitcoin } = (await import(pathToFileURL(entry).href)) as typeof import('../src/store/index.js');

const [blocksDir, dbPath, workersArg, batchArg] = process.argv.slice(2);
if (blocksDir === undefined || dbPath === undefined) {
  process.stderr.write('usage: ingestRun.ts BLOCKS_DIR DB [WORKERS|-] [BATCH_BYTES|-]\n');
  process.exit(2);
}
const workers = workersArg === undefined || workersArg === '-' ? undefined : Number(workersArg);
const batchBytes = batchArg === undefined || batchArg === '-' ? undefined : Number(batchArg);

rmSync(dbPath, { force: true });
rmSync(`${dbPath}.wal`, { force: true });
const store = await DuckDbStore.open(dbPath);
const cpu0 = process.cpuUsage();
const t0 = performance.now();
const r = await ingestBitcoin({
  blocksDir,
  network: 'main',
  store,
  ...(workers === undefined ? {} : { workers }),
  ...(batchBytes === undefined ? {} : { batchBytes }),
});
const tClose = performance.now();
store.close(); // included: closing checkpoints what is still in the WAL
const closeMs = performance.now() - tClose;
const seconds = (performance.now() - t0) / 1000;
const cpu = process.cpuUsage(cpu0);
process.stdout.write(
  `LHINGEST ${JSON.stringify({
    result: r,
    seconds,
    closeMs,
    cpuSeconds: (cpu.user + cpu.system) / 1e6,
    peakRssMb: process.resourceUsage().maxRSS / 1024,
  })}\n`,
);
