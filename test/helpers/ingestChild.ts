/**
 * Child process for the crash test: ingests DIR into DB with tiny batches, committed every third batch (so a
 * kill finds both committed and appended-but-uncommitted batches), and prints `committed H` after every
 * batch is stored, so the parent can kill -9 it at a chosen point. Args: DB DIR BATCH_BYTES WORKERS
 * [KILL_AT_HEIGHT]: with the last, the child kills itself (SIGKILL) as soon as a batch up to that height
 * is stored, a point the parent could not hit reliably from outside.
 */
import { DuckDbStore, ingestBitcoin } from '../../src/store/index.js';

const [db, dir, batchBytes, workers, killAt] = process.argv.slice(2);
const store = await DuckDbStore.open(db as string);
await ingestBitcoin({
  blocksDir: dir as string,
  network: 'main',
  store,
  batchBytes: Number(batchBytes),
  commitBytes: Number(batchBytes) * 3,
  workers: Number(workers),
  onProgress: (p) => {
    if (p.phase === 'blocks' && p.blocksDone > 0) {
      if (killAt !== undefined && p.height >= Number(killAt)) process.kill(process.pid, 'SIGKILL');
      process.stdout.write(`committed ${p.height}\n`);
    }
    if (p.phase === 'link') process.stdout.write('linking\n');
  },
});
store.close();
process.stdout.write('done\n');
