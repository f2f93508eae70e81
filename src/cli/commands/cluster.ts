/**
 * `ledgerhound cluster [--heuristics LIST] [--min-votes N] [--full] [--no-coinjoin-detection]`:
 * clusters addresses into entities (src/cluster) and writes the cluster ids, CoinJoin flags and merge
 * provenance into the store in one transaction.
 */
import { existsSync } from 'node:fs';
import type { Command } from 'commander';
import { clusterDatabase, DEFAULT_MIN_VOTES, HEURISTIC_NAMES, parseHeuristics } from '../../cluster/index.js';
import { LedgerhoundError, UsageError } from '../../core/index.js';
import { Database } from '../../store/index.js';
import { globalOptions, printErr, printJson, printLine } from '../context.js';

export function register(program: Command): void {
  program
    .command('cluster')
    .description('cluster addresses into entities (multi-input + change heuristics, CoinJoin-safe); incremental after new blocks')
    .option('--heuristics <list>', `comma-separated: ${HEURISTIC_NAMES.join(', ')}, or default`, 'default')
    .option('--min-votes <n>', 'change heuristics that must name the same output', String(DEFAULT_MIN_VOTES))
    .option('--full', 'recompute from scratch instead of updating incrementally', false)
    .option('--window-txs <n>', 'transactions loaded and processed at a time (bounds memory; default 16000000)')
    .option('--no-coinjoin-detection', 'merge CoinJoin inputs too (only to measure what detection prevents)')
    .action(async (o: { heuristics: string; minVotes: string; full: boolean; coinjoinDetection: boolean; windowTxs?: string }, cmd: Command) => {
      const g = globalOptions(cmd);
      const heuristics = parseHeuristics(o.heuristics);
      const minVotes = Number(o.minVotes);
      if (!Number.isInteger(minVotes) || minVotes < 1 || minVotes > 4) {
        throw new UsageError(`--min-votes must be an integer from 1 to 4, got ${JSON.stringify(o.minVotes)}`);
      }
      if (!existsSync(g.db)) {
        throw new LedgerhoundError('LH_DB_MISSING', `database ${g.db} does not exist`, {
          details: { path: g.db },
          hint: 'Run `ledgerhound ingest bitcoin --blocks-dir DIR` first, or pass --db.',
        });
      }
      const windowTxs = o.windowTxs === undefined ? undefined : Number(o.windowTxs);
      if (windowTxs !== undefined && (!Number.isSafeInteger(windowTxs) || windowTxs < 1)) {
        throw new UsageError(`--window-txs must be a positive integer, got ${JSON.stringify(o.windowTxs)}`);
      }
      const db = await Database.open(g.db);
      try {
        if (!g.json) printErr(`clustering ${g.db} with ${heuristics.join(', ')}…`);
        const s = await clusterDatabase(db, {
          heuristics,
          minVotes,
          coinjoinDetection: o.coinjoinDetection,
          full: o.full,
          ...(windowTxs === undefined ? {} : { windowTxs }),
        });
        if (g.json) {
          printJson(s);
          return;
        }
        if (s.mode === 'up-to-date') {
          printLine(`up to date: ${s.addresses} addresses in ${s.clusters} clusters (largest ${s.largestCluster}); no new transactions`);
          return;
        }
        printLine(`${s.mode} run: ${s.transactions} transactions in ${s.windows} window(s), ${s.inputs} inputs, ${s.addresses} addresses`);
        printLine(`clusters: ${s.clusters} (largest ${s.largestCluster} addresses); ${s.labelsWritten} cluster ids written`);
        const cj = Object.entries(s.stats?.coinjoins ?? {});
        printLine(`coinjoins detected (never merged): ${cj.length === 0 ? 'none' : cj.map(([k, v]) => `${k} ${v}`).join(', ')}`);
        for (const [reason, n] of Object.entries(s.stats?.merges ?? {})) printLine(`merges by ${reason}: ${n}`);
        if (s.stats && s.stats.changeConflicts + s.stats.changeVetoed > 0) {
          printLine(`change: ${s.stats.changeConflicts} txs with conflicting picks, ${s.stats.changeVetoed} picks vetoed`);
        }
        const sec = s.seconds;
        printLine(
          `time: load ${sec.load.toFixed(2)} s, pass ${sec.pass.toFixed(2)} s (${(s.inputsPerSecond / 1e6).toFixed(1)} M inputs/s), write ${sec.write.toFixed(2)} s`,
        );
      } finally {
        db.close();
      }
    });
}
