import { writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import { UsageError } from '../../core/index.js';
import { Database } from '../../store/index.js';
import {
  type Direction,
  formatBtc,
  parseCount,
  parseFromArg,
  parseMaxHops,
  parseUntil,
  POLICY_NAMES,
  policyByName,
  resolveStopCategories,
  TraceSession,
  type TraceResult,
  type WalkLimits,
} from '../../trace/index.js';
import { globalOptions, printJson, printLine } from '../context.js';

interface TraceOpts {
  from: string[];
  incident?: string;
  direction: string;
  policy: string;
  maxHops: string;
  minValue: string;
  maxNodes?: string;
  maxEdges?: string;
  until?: string;
  stopAt?: string;
  depositsOut?: string;
}

const collect = (v: string, prev: string[]) => [...prev, v];

export function register(program: Command): void {
  program
    .command('trace')
    .description('follow coins forward to where they went (cash-out endpoints) or backward to where they came from, under a named taint policy')
    .option('--from <txid[:vout]>', 'starting transaction or output (repeatable); a whole tx starts from its outputs minus change back to the sender', collect, [])
    .option('--incident <name>', 'start from the transactions and addresses recorded for an incident (labels)')
    .option('--direction <dir>', 'forward | backward', 'forward')
    .option('--policy <name>', `taint policy: ${POLICY_NAMES.join(' | ')}`, 'haircut')
    .option('--max-hops <n>', 'transactions away from the start', '100')
    .option('--min-value <sats>', 'do not follow outputs carrying less traced value than this', '1000')
    .option('--max-nodes <n>', 'transactions walked before the walk stops (default 200000)')
    .option('--max-edges <n>', 'edges recorded before the walk stops (default 1000000)')
    .option('--until <date|height>', 'horizon: forward, do not follow spends after it; backward, stop at coins created before it')
    .option('--stop-at <categories>', 'comma-separated GraphSense categories to stop at (default exchange,wallet_service,payment_processor,atm; "none")')
    .option('--deposits-out <file>', 'also write the endpoint deposits as JSON [{address, amountSat, …}] (what `ledgerhound eval --trace` scores)')
    .action(async (opts: TraceOpts, cmd: Command) => {
      const g = globalOptions(cmd);
      const direction = opts.direction.trim().toLowerCase();
      if (direction !== 'forward' && direction !== 'backward') {
        throw new UsageError(`--direction must be forward or backward, got "${opts.direction}"`, { direction: opts.direction });
      }
      const from = opts.from.map(parseFromArg);
      if (from.length === 0 && !opts.incident) throw new UsageError('nothing to trace from: pass --from TXID[:VOUT] or --incident NAME', {});
      const limits: Partial<WalkLimits> = {
        maxHops: parseMaxHops(opts.maxHops),
        minValueSat: parseCount('--min-value', opts.minValue),
      };
      if (opts.maxNodes !== undefined) limits.maxTxs = parseCount('--max-nodes', opts.maxNodes, 1);
      if (opts.maxEdges !== undefined) limits.maxEdges = parseCount('--max-edges', opts.maxEdges, 1);
      if (opts.until !== undefined) {
        const u = parseUntil(opts.until);
        limits.untilHeight = u.height;
        limits.untilTimeSec = u.timeSec;
      }
      const stopAt = opts.stopAt === undefined ? null : opts.stopAt.split(',');
      // Check every argument before opening the store (loading it takes a while on a large chain).
      policyByName(opts.policy);
      resolveStopCategories(stopAt);
      const db = await Database.open(g.db, { readOnly: true });
      let result: TraceResult;
      try {
        const session = await TraceSession.open(db, { stopAt, names: 'query' });
        result = await session.trace({ from, incident: opts.incident ?? null, direction: direction as Direction, policy: opts.policy, limits });
      } finally {
        db.close();
      }
      if (opts.depositsOut !== undefined) {
        try {
          writeFileSync(opts.depositsOut, `${JSON.stringify(result.deposits, null, 1)}\n`);
        } catch (cause) {
          throw new UsageError(`cannot write --deposits-out ${opts.depositsOut}: ${(cause as Error).message}`, { path: opts.depositsOut });
        }
      }
      if (g.json) printJson(result);
      else printHuman(result);
    });
}

function printHuman(r: TraceResult): void {
  printLine(`${r.direction} trace · policy ${r.policy.definition}`);
  printLine(`stop at: ${r.query.stopAt.join(', ') || '(nothing)'} · max hops ${r.query.maxHops} · min value ${r.query.minValueSat} sats`);
  printLine();
  printLine(r.summary);
  printLine();
  if (r.endpoints.length > 0) {
    printLine(r.direction === 'forward' ? 'Endpoints (traced value received):' : 'Sources (traced value that came from them):');
    for (const e of r.endpoints) {
      printLine(
        `  ${e.entity.label} [${e.entity.category}] ${formatBtc(e.tracedSat)}${e.mixedSat > 0 ? ` (${formatBtc(e.mixedSat)} mixed)` : ''} · ${e.outputs} output(s) · ${e.firstTime} … ${e.lastTime} · hops ${e.minHops}-${e.maxHops} · via ${e.via.join('+')}`,
      );
      for (const x of e.examples) printLine(`      ${x.txid}:${x.vout} ${x.address ?? '(no address)'} ${formatBtc(x.tracedSat)} hop ${x.hop}${x.mixed ? ' mixed' : ''}`);
    }
  }
  if (r.unspent.count > 0) {
    printLine(`Unspent at the horizon: ${formatBtc(r.totals.unspentSat)} in ${r.unspent.count} output(s)`);
    for (const x of r.unspent.outputs.slice(0, 10)) printLine(`  ${x.address ?? `${x.txid}:${x.vout}`} ${formatBtc(x.tracedSat)} (hop ${x.hop}${x.mixed ? ', mixed' : ''})`);
  }
  if (r.stopped.count > 0) {
    printLine(`Stopped by limits: ${formatBtc(r.totals.stoppedSat)} in ${r.stopped.count} output(s)`);
    for (const x of r.stopped.outputs.slice(0, 10)) printLine(`  ${x.txid}:${x.vout} ${formatBtc(x.tracedSat)} ${x.fate}`);
  }
  printLine(`Fees: ${formatBtc(r.totals.feeSat)} · through CoinJoin: ${formatBtc(r.totals.mixedSat)} (${r.coinjoin.txs.length} tx) · below min value: ${formatBtc(r.totals.belowMinSat)}`);
  printLine(`Walked ${r.stats.txsVisited} transactions, ${r.stats.outputsTraced} outputs, ${r.stats.edges} edges in ${r.stats.walkMs.toFixed(1)} ms${r.limits.complete ? '' : ' (INCOMPLETE: limits hit)'}`);
}
