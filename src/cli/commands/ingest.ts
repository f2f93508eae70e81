/**
 * `ledgerhound ingest bitcoin --blocks-dir DIR [--network N] [--to-height H] [--workers W]`:
 * a Bitcoin Core blocks directory into the database (incremental, crash-safe). Renders progress on
 * stderr: a bar on a terminal, a line every 10 s otherwise.
 */
import { resolve } from 'node:path';
import cliProgress from 'cli-progress';
import type { Command } from 'commander';
import { asNetwork, NETWORK_NAMES, type Network } from '../../chain/index.js';
import { UsageError } from '../../core/index.js';
import { DuckDbStore, type IngestProgress, ingestBitcoin } from '../../store/index.js';
import { globalOptions, printErr, printJson, printLine } from '../context.js';

function networkOf(name: string): Network {
  const n = asNetwork(name);
  if (!n) throw new UsageError(`unknown network ${JSON.stringify(name)}; expected one of ${NETWORK_NAMES.join(', ')}`);
  return n;
}

function intOption(name: string, value: string | undefined, min: number): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value) || Number(value) < min || !Number.isSafeInteger(Number(value))) {
    throw new UsageError(`${name} must be an integer >= ${min}, got ${JSON.stringify(value)}`);
  }
  return Number(value);
}

const mb = (bytes: number) => bytes / 1e6;

/** A progress renderer for stderr: cli-progress bar on a TTY, periodic plain lines otherwise. */
function progressRenderer(): { update: (p: IngestProgress) => void; stop: () => void } {
  const tty = process.stderr.isTTY === true;
  let bar: cliProgress.SingleBar | null = null;
  let lastLine = 0;
  const rates = (p: IngestProgress) => {
    const s = Math.max(p.elapsedMs, 1) / 1000;
    return { bps: (p.blocksDone / s).toFixed(0), mbps: (mb(p.bytesDone) / s).toFixed(1) };
  };
  return {
    update(p) {
      if (p.phase === 'index' && !tty && p.files === p.filesTotal) printErr(`indexed headers of ${p.filesTotal} blk file(s)`);
      if (p.phase !== 'blocks' || p.blocksTotal === 0 || p.blocksDone === 0) return;
      const r = rates(p);
      if (tty) {
        if (!bar) {
          bar = new cliProgress.SingleBar(
            {
              format: 'blocks {bar} {percentage}% | height {height}/{target} | {bps} blk/s | {mbps} MB/s | ETA {eta_formatted}',
              stream: process.stderr,
              etaBuffer: 50,
              hideCursor: true,
            },
            cliProgress.Presets.shades_classic,
          );
          bar.start(p.bytesTotal, 0, { height: p.height, target: p.targetHeight, bps: 0, mbps: 0 });
        }
        bar.update(p.bytesDone, { height: p.height, target: p.targetHeight, bps: r.bps, mbps: r.mbps });
      } else if (p.elapsedMs - lastLine >= 10_000) {
        lastLine = p.elapsedMs;
        printErr(`height ${p.height}/${p.targetHeight}  ${r.bps} blk/s  ${r.mbps} MB/s  ${((100 * p.bytesDone) / Math.max(p.bytesTotal, 1)).toFixed(1)}%`);
      }
    },
    stop() {
      bar?.stop();
    },
  };
}

export function register(program: Command): void {
  const ingest = program.command('ingest').description('read chain data into the database');
  ingest
    .command('bitcoin')
    .description('ingest a Bitcoin Core blocks directory (blk*.dat, xor.dat); incremental and crash-safe')
    .requiredOption('--blocks-dir <dir>', 'the blocks/ folder of a Bitcoin Core data directory')
    .option('--network <name>', `network: ${NETWORK_NAMES.join('|')}`, 'main')
    .option('--to-height <n>', 'stop at this best-chain height')
    .option('--workers <n>', 'parse worker threads (0 = parse on the main thread; default cores - 1)')
    .option('--compact', 'compress the hash and address strings (DuckDB FSST): a file about 15% smaller, ingest about 5% slower', false)
    .action(async (opts: { blocksDir: string; network: string; toHeight?: string; workers?: string; compact: boolean }, cmd: Command) => {
      const g = globalOptions(cmd);
      const network = networkOf(opts.network);
      const toHeight = intOption('--to-height', opts.toHeight, 0);
      const workers = intOption('--workers', opts.workers, 0);
      const store = await DuckDbStore.open(g.db, { compressStrings: opts.compact });
      const progress = progressRenderer();
      try {
        const r = await ingestBitcoin({
          blocksDir: resolve(opts.blocksDir),
          network,
          store,
          ...(toHeight === undefined ? {} : { toHeight }),
          ...(workers === undefined ? {} : { workers }),
          onProgress: progress.update,
        });
        progress.stop();
        for (const t of r.truncatedRecords) {
          printErr(`note: ${t.file} @ 0x${t.offset.toString(16)}: last record truncated (needs ${t.needed} bytes, ${t.available} present); stopped there`);
        }
        if (r.orphanBlocks > 0) printErr(`note: ${r.orphanBlocks} block(s) whose parent is in no blk file were not ingested`);
        if (g.json) {
          printJson({
            network: r.network,
            bestHeight: r.bestHeight,
            tipHash: r.tipHash,
            blocks: r.blocks,
            transactions: r.transactions,
            inputs: r.inputs,
            outputs: r.outputs,
            addresses: r.addresses,
            unresolvedInputs: r.unresolvedInputs,
            staleBlocks: r.staleBlocks,
            seconds: r.seconds,
            newBlocks: r.newBlocks,
            rolledBack: r.rolledBack,
            orphanBlocks: r.orphanBlocks,
            truncatedRecords: r.truncatedRecords,
          });
        } else {
          printLine(`ingested ${r.newBlocks} new block(s) in ${r.seconds}s (${(mb(r.bytes) / Math.max(r.seconds, 0.001)).toFixed(1)} MB/s)${r.rolledBack > 0 ? `, rolled back ${r.rolledBack} (reorg)` : ''}`);
          printLine(`${r.network} tip ${r.bestHeight} ${r.tipHash ?? '-'}`);
          printLine(`blocks ${r.blocks}  transactions ${r.transactions}  inputs ${r.inputs} (${r.unresolvedInputs} unresolved)  outputs ${r.outputs}  addresses ${r.addresses}  stale blocks ${r.staleBlocks}`);
        }
      } finally {
        progress.stop();
        store.close();
      }
    });
}
