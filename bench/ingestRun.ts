/**
 * The ingest that bench/ingest.ts times, in a process of its own (`node --import tsx bench/ingestRun.ts
 * BLOCKS_DIR DB [WORKERS|-] [BATCH_BYTES|-]`), as `ledgerhound ingest bitcoin` runs: nothing of the bench
 * (the hashing floor's reads, the CPU sampler) shares its heap or its threads, and its peak RSS is its own.
 *
 * Prints one stdout line `LHINGEST {json}`: the ingest summary and timings, wall seconds (ingest and the
 * closing checkpoint), CPU seconds of all threads and peak RSS in MB.
 */
import { rmSync } from 'node:fs';
import { DuckDbStore, ingestBitcoin } from '../src/store/index.js';

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
