/**
 * `ledgerhound eval --truth DIR/truth.json [--trace FILE] [--incident N] [--json]`: scores the
 * database against a simulator's ground truth. Clustering: predicted clusters come from the
 * `addresses` table's `cluster` column when it exists (otherwise every address is its own cluster,
 * and the output says so). Tracing: a trace result file of endpoints `[{address, amountSat}]`
 * (or `{endpoints: [...]}`) is scored against the incidents' true cash-outs.
 */
import { existsSync, readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { LedgerhoundError, UsageError } from '../../core/index.js';
import { type ClusteringScores, loadTruth, scoreClustering, scoreTracing, type TraceEndpoint, type TracingScores, type Truth } from '../../sim/index.js';
import { Database } from '../../store/index.js';
import { globalOptions, printJson, printLine } from '../context.js';

interface DbClusters {
  source: string;
  predicted: Map<string, string | number>;
  truthAddressesInDb: number;
}

async function readClusters(dbPath: string, truth: Truth, truthMap: ReadonlyMap<string, number>): Promise<DbClusters> {
  if (!existsSync(dbPath)) throw new UsageError(`database ${dbPath} does not exist`, { db: dbPath }, 'ingest the simulated blocks first: ledgerhound ingest bitcoin --blocks-dir DIR/blocks');
  const db = await Database.open(dbPath, { readOnly: true });
  try {
    const cols = await db.all<{ column_name: string }>("SELECT column_name FROM information_schema.columns WHERE table_name = 'addresses'");
    if (cols.length === 0) throw new LedgerhoundError('LH_EVAL_NO_CHAIN', `database ${dbPath} has no addresses table`, { hint: 'run ledgerhound ingest bitcoin on the simulated blocks first' });
    const tip = await db.one<{ hash: string }>('SELECT hash FROM blocks WHERE NOT stale ORDER BY height DESC LIMIT 1');
    if (tip?.hash !== truth.chain.tipHash) {
      throw new LedgerhoundError('LH_EVAL_MISMATCH', `the database's best tip ${tip?.hash ?? '(none)'} is not the truth's tip ${truth.chain.tipHash}`, {
        details: { db: dbPath, dbTip: tip?.hash ?? null, truthTip: truth.chain.tipHash },
        hint: 'score the database that ingested exactly the blocks this truth file describes',
      });
    }
    const names = new Set(cols.map((c) => c.column_name));
    const col = names.has('cluster') ? 'cluster' : names.has('cluster_id') ? 'cluster_id' : null;
    const predicted = new Map<string, string | number>();
    const rows = await db.all<{ address: string; cluster: unknown }>(`SELECT address, ${col ?? 'NULL'} AS cluster FROM addresses`);
    let inDb = 0;
    for (const r of rows) {
      if (truthMap.has(r.address)) inDb++;
      if (col !== null && r.cluster !== null && r.cluster !== undefined) predicted.set(r.address, typeof r.cluster === 'bigint' ? r.cluster.toString() : String(r.cluster));
    }
    const source =
      col === null
        ? 'none: no cluster column in addresses, every address is its own cluster'
        : predicted.size === 0
          ? `addresses.${col}, which is empty (clustering has not run): every address is its own cluster`
          : `addresses.${col}`;
    return { source, predicted, truthAddressesInDb: inDb };
  } finally {
    db.close();
  }
}

function readTrace(path: string): TraceEndpoint[] {
  let doc: unknown;
  try {
    doc = JSON.parse(readFileSync(path, 'utf8'));
  } catch (e) {
    throw new UsageError(`cannot read trace result ${path}: ${(e as Error).message}`, { path });
  }
  const list = Array.isArray(doc) ? doc : (doc as { endpoints?: unknown }).endpoints;
  if (!Array.isArray(list)) throw new UsageError(`${path}: expected a JSON array of {address, amountSat} or {"endpoints": [...]}`, { path });
  return list.map((e, i) => {
    const x = e as { address?: unknown; amountSat?: unknown };
    if (typeof x.address !== 'string' || typeof x.amountSat !== 'number') throw new UsageError(`${path}: endpoints[${i}] needs a string address and a numeric amountSat`, { path, index: i });
    return { address: x.address, amountSat: x.amountSat };
  });
}

const pct = (x: number) => `${(100 * x).toFixed(2)}%`;
const btc = (sat: number) => `${(sat / 1e8).toFixed(8)} BTC`;

export function register(program: Command): void {
  program
    .command('eval')
    .description('score the database (clusters, a trace result) against a simulator truth file')
    .requiredOption('--truth <path>', 'truth.json or truth.jsonl written by `ledgerhound sim bitcoin`')
    .option('--trace <file>', 'a trace result to score: JSON [{address, amountSat}] or {endpoints: [...]}')
    .option('--incident <n>', 'score the trace against this incident only (default: all incidents)')
    .action(async (opts: { truth: string; trace?: string; incident?: string }, cmd: Command) => {
      const g = globalOptions(cmd);
      const truthMap = new Map<string, number>();
      const truth = loadTruth(opts.truth, { onAddress: (a) => truthMap.set(a.address, a.entity) });
      const db = await readClusters(g.db, truth, truthMap);
      const clustering: ClusteringScores = scoreClustering(truthMap, db.predicted, truth.coinjoins);
      let tracing: (TracingScores & { incidents: number[] }) | null = null;
      if (opts.trace !== undefined) {
        let incidents = truth.incidents;
        if (opts.incident !== undefined) {
          incidents = truth.incidents.filter((i) => String(i.id) === opts.incident);
          if (incidents.length === 0) throw new UsageError(`no incident ${opts.incident} in ${opts.truth}; it has ${truth.incidents.map((i) => i.id).join(', ')}`);
        }
        const attackers = new Set(incidents.map((i) => i.attacker));
        const owner = new Map([...truthMap].map(([a, e]) => [a, attackers.has(e) ? -1 : e]));
        const scores = scoreTracing(
          { cashOuts: incidents.flatMap((i) => i.cashOuts), attacker: -1, innocentPayments: incidents.flatMap((i) => i.innocentPayments) },
          owner,
          readTrace(opts.trace),
        );
        tracing = { ...scores, incidents: incidents.map((i) => i.id) };
      }
      const result = { truth: opts.truth, db: g.db, clusterSource: db.source, truthAddresses: truthMap.size, truthAddressesInDb: db.truthAddressesInDb, clustering, tracing };
      if (g.json) {
        printJson(result);
        return;
      }
      printLine(`truth ${opts.truth}: ${truthMap.size} addresses (${db.truthAddressesInDb} in the database), ${truth.entities.length} entities`);
      printLine(`clusters from ${db.source}`);
      printLine('clustering');
      const c = clustering;
      const rows: [string, string][] = [
        ['B-cubed precision / recall / F1', `${pct(c.bcubedPrecision)} / ${pct(c.bcubedRecall)} / ${pct(c.bcubedF1)}`],
        ['pairwise precision / recall / F1', `${pct(c.pairwisePrecision)} / ${pct(c.pairwiseRecall)} / ${pct(c.pairwiseF1)}`],
        ['clusters / entities', `${c.clusters} / ${c.entities}`],
        ['entities wrongly merged', `${c.wronglyMergedEntities} (${c.impureClusters} impure clusters)`],
        ['CoinJoins with merged participants', `${c.coinjoinsWithMergedParticipants} of ${c.coinjoins} (${c.coinjoinParticipantPairsMerged} of ${c.coinjoinParticipantPairs} participant pairs)`],
      ];
      for (const [k, v] of rows) printLine(`  ${k.padEnd(36)} ${v}`);
      if (tracing === null) {
        printLine('tracing: not scored (pass --trace FILE with the endpoints of a trace result)');
        return;
      }
      const t = tracing;
      printLine(`tracing (incident ${t.incidents.join(', ')})`);
      const trows: [string, string][] = [
        ['cash-out endpoints found', `${t.endpointsFound} of ${t.endpoints}`],
        ['recall (amount-weighted)', `${pct(t.recall)} of ${btc(t.trueCashOutSat)}`],
        ['precision (amount-weighted)', `${pct(t.precision)} of ${btc(t.flaggedSat)} flagged`],
        ['flagged at thief addresses', btc(t.attackerFlaggedSat)],
        ['innocent value flagged', btc(t.innocentFlaggedSat)],
        ['innocent recipients flagged', `${t.innocentRecipientsFlagged} of ${t.innocentRecipients}`],
      ];
      for (const [k, v] of trows) printLine(`  ${k.padEnd(36)} ${v}`);
    });
}
