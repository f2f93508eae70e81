/**
 * `ledgerhound explain cluster ID [--address A --address B]`: a cluster's merges by heuristic, or the
 * chain of evidence (transactions, heuristics, confidences) linking two of its addresses.
 */
import type { Command } from 'commander';
import { explainLink, summarizeCluster } from '../../cluster/index.js';
import { UsageError } from '../../core/index.js';
import { Database } from '../../store/index.js';
import { globalOptions, printJson, printLine } from '../context.js';

const collect = (v: string, prev: string[]) => [...prev, v];

export function register(program: Command): void {
  const explain = program.command('explain').description('why a derived fact holds (its evidence)');
  explain
    .command('cluster <id>')
    .description('merges of a cluster, or with two --address the chain of evidence linking them')
    .option('--address <addr>', 'an address of the cluster (give two)', collect, [] as string[])
    .action(async (idArg: string, o: { address: string[] }, cmd: Command) => {
      const id = Number(idArg);
      if (!/^\d+$/.test(idArg.trim()) || !Number.isSafeInteger(id)) {
        throw new UsageError(`cluster id must be a non-negative integer, got ${JSON.stringify(idArg)}`);
      }
      if (o.address.length !== 0 && o.address.length !== 2) {
        throw new UsageError(`give --address twice (two addresses to link), got ${o.address.length}`);
      }
      const g = globalOptions(cmd);
      const db = await Database.open(g.db, { readOnly: true });
      try {
        if (o.address.length === 0) {
          const s = await summarizeCluster(db, id);
          if (g.json) return printJson(s);
          printLine(`cluster ${s.cluster}: ${s.size} addresses`);
          for (const m of s.merges) printLine(`  ${m.count} merges by ${m.heuristic}`);
          if (s.coinjoinsTouched > 0) printLine(`  spends into ${s.coinjoinsTouched} detected CoinJoins (never merged)`);
          return;
        }
        const e = await explainLink(db, id, o.address[0] as string, o.address[1] as string);
        if (g.json) return printJson(e);
        printLine(`cluster ${e.cluster} (${e.clusterSize} addresses): ${e.a} and ${e.b} linked in ${e.steps.length} step(s), confidence ${e.confidence.toFixed(3)}`);
        e.steps.forEach((s, i) => {
          const change = s.changeOutput ? ` (change output ${s.changeOutput})` : '';
          printLine(`  ${i + 1}. ${s.from} — ${s.to}`);
          printLine(`     tx ${s.txid} at height ${s.height}: ${s.heuristic}${change}, confidence ${s.confidence}`);
        });
      } finally {
        db.close();
      }
    });
}
