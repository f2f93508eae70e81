/**
 * `ledgerhound sim bitcoin --out DIR [--seed N] [--scale S | --preset demo] [--xor] [--stale K] [--network main|regtest]`:
 * writes a simulated Bitcoin Core blocks/ directory and its ground truth (docs/SIMULATOR.md).
 * Files are generated in DIR/.sim-partial and moved into place at the end, so an interrupted run
 * leaves nothing half-written where readers look.
 */
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import cliProgress from 'cli-progress';
import type { Command } from 'commander';
import { LedgerhoundError, UsageError } from '../../core/index.js';
import { DEMO_PRESET, type SimProgress, simulateBitcoin } from '../../sim/index.js';
import { globalOptions, printErr, printJson, printLine } from '../context.js';

function numberOption(name: string, value: string | undefined, check: (n: number) => boolean, what: string): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n) || !check(n)) throw new UsageError(`${name} must be ${what}, got ${JSON.stringify(value)}`);
  return n;
}

function progressRenderer(): { update: (p: SimProgress) => void; stop: () => void } {
  const tty = process.stderr.isTTY === true;
  let bar: cliProgress.SingleBar | null = null;
  let lastPct = -1;
  return {
    update(p) {
      if (tty) {
        if (!bar) {
          bar = new cliProgress.SingleBar(
            { format: 'sim {bar} {percentage}% | block {value}/{total} | {txs} txs | {mb} MB | ETA {eta_formatted}', stream: process.stderr, hideCursor: true },
            cliProgress.Presets.shades_classic,
          );
          bar.start(p.bestHeight, 0, { txs: 0, mb: '0' });
        }
        bar.update(p.height, { txs: p.transactions, mb: (p.bytes / 1e6).toFixed(0) });
      } else {
        const pct = Math.floor((100 * p.height) / p.bestHeight / 10) * 10;
        if (pct !== lastPct) {
          lastPct = pct;
          printErr(`sim: block ${p.height}/${p.bestHeight} (${pct}%), ${p.transactions} txs, ${(p.bytes / 1e6).toFixed(0)} MB`);
        }
      }
    },
    stop() {
      bar?.stop();
    },
  };
}

export function register(program: Command): void {
  const sim = program.command('sim').description('generate simulated chains with ground truth (tests, demo, accuracy figures)');
  sim
    .command('bitcoin')
    .description('write a simulated Bitcoin Core blocks/ directory with an exchange hack, and truth.json')
    .requiredOption('--out <dir>', 'output directory (gets blocks/ and truth.json or truth.jsonl)')
    .option('--seed <n>', 'PRNG seed: the same seed gives byte-identical output', '1')
    .option('--scale <s>', 'economy size; 1 ≈ 300,000 transactions (≈160 MB)')
    .option('--preset <name>', 'demo: a small economy with one clear theft (scale 0.02), generated in about a second')
    .option('--xor', 'obfuscate block files with a key in blocks/xor.dat (Bitcoin Core 28+)', false)
    .option('--stale <k>', 'number of short stale branches (default 3, demo 2)')
    .option('--network <name>', 'main or regtest (magic bytes, address prefixes, genesis block)', 'main')
    .option('--truth-format <f>', 'json, jsonl or auto (json up to scale 2)', 'auto')
    .option('--force', 'replace existing simulator output in --out', false)
    .action((opts: { out: string; seed: string; scale?: string; preset?: string; xor: boolean; stale?: string; network: string; truthFormat: string; force: boolean }, cmd: Command) => {
      const g = globalOptions(cmd);
      if (opts.preset !== undefined && opts.preset !== 'demo') throw new UsageError(`unknown --preset ${JSON.stringify(opts.preset)}; the only preset is demo`);
      if (opts.preset !== undefined && opts.scale !== undefined) throw new UsageError('give either --preset or --scale, not both');
      const seed = numberOption('--seed', opts.seed, (n) => Number.isSafeInteger(n) && n >= 0, 'a non-negative integer')!;
      const scale = opts.preset === 'demo' ? DEMO_PRESET.scale : (numberOption('--scale', opts.scale, (n) => n > 0 && n <= 1000, 'a number in (0, 1000]') ?? 1);
      const stale = numberOption('--stale', opts.stale, (n) => Number.isInteger(n) && n >= 0, 'a non-negative integer') ?? (opts.preset === 'demo' ? DEMO_PRESET.stale : 3);
      if (opts.network !== 'main' && opts.network !== 'regtest') throw new UsageError(`--network must be main or regtest, got ${JSON.stringify(opts.network)}`);
      if (!['json', 'jsonl', 'auto'].includes(opts.truthFormat)) throw new UsageError(`--truth-format must be json, jsonl or auto, got ${JSON.stringify(opts.truthFormat)}`);
      const out = resolve(opts.out);
      const targets = [join(out, 'blocks'), join(out, 'truth.json'), join(out, 'truth.jsonl')];
      const existing = targets.filter((p) => existsSync(p));
      if (existing.length > 0 && !opts.force) {
        throw new UsageError(`${out} already holds simulator output (${existing.map((p) => basename(p)).join(', ')})`, { out }, 'choose another --out or pass --force to replace it');
      }
      if (existsSync(out) && !statSync(out).isDirectory()) throw new UsageError(`--out ${out} exists and is not a directory`, { out });
      const partial = join(out, '.sim-partial');
      try {
        rmSync(partial, { recursive: true, force: true });
        mkdirSync(partial, { recursive: true });
      } catch (cause) {
        throw new LedgerhoundError('LH_SIM_OUT', `cannot create the output directory ${partial}: ${(cause as Error).message}`, { cause, details: { out } });
      }
      const progress = progressRenderer();
      const t0 = performance.now();
      let result: ReturnType<typeof simulateBitcoin>;
      try {
        result = simulateBitcoin({
          outDir: partial,
          seed,
          scale,
          stale,
          network: opts.network,
          xor: opts.xor,
          truthFormat: opts.truthFormat as 'json' | 'jsonl' | 'auto',
          onProgress: progress.update,
        });
      } catch (err) {
        progress.stop();
        rmSync(partial, { recursive: true, force: true });
        throw err;
      }
      progress.stop();
      const seconds = (performance.now() - t0) / 1000;
      for (const p of existing) rmSync(p, { recursive: true, force: true });
      for (const name of readdirSync(partial)) renameSync(join(partial, name), join(out, name));
      rmSync(partial, { recursive: true, force: true });
      const truthPath = join(out, basename(result.truthPath));
      const c = result.chain;
      const summary = {
        blocksDir: join(out, 'blocks'),
        truth: truthPath,
        seed,
        scale,
        network: opts.network,
        files: result.files.length,
        bytes: result.bytes,
        bestHeight: c.bestHeight,
        tipHash: c.tipHash,
        blocks: c.blocks,
        staleBlocks: c.staleBlocks.length,
        transactions: c.transactions,
        addresses: c.addresses,
        incidents: result.incidents,
        coinjoins: result.coinjoins,
        seconds: Number(seconds.toFixed(2)),
        mbPerSecond: Number((result.bytes / 1e6 / seconds).toFixed(1)),
      };
      if (g.json) {
        printJson(summary);
        return;
      }
      printLine(`wrote ${summary.files} block file(s), ${(summary.bytes / 1e6).toFixed(1)} MB, to ${summary.blocksDir}`);
      printLine(`  best height ${c.bestHeight} (tip ${c.tipHash}), ${c.staleBlocks.length} stale block(s)`);
      printLine(`  ${c.transactions} transactions, ${c.addresses} addresses, ${result.incidents} incident(s), ${result.coinjoins} CoinJoin(s)`);
      printLine(`  truth: ${truthPath}`);
      printLine(`  ${seconds.toFixed(1)} s, ${summary.mbPerSecond} MB/s`);
      printLine(`next: ledgerhound ingest bitcoin --blocks-dir ${summary.blocksDir} --network ${opts.network}`);
    });
}
