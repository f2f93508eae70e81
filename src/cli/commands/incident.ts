import type { Command } from 'commander';
import { NotFoundError } from '../../core/index.js';
import { importIncidents, showIncident } from '../../labels/index.js';
import { globalOptions, printJson, printLine } from '../context.js';
import { reportImport, withDb } from './label.js';

export function register(program: Command): void {
  const incident = program.command('incident').description('thefts and hacks: victim, date, chain, amount, attribution, defining addresses');
  incident
    .command('import')
    .description('incident data: GraphSense theft CSV, Forta/Etherscan heist CSV, GraphSense hack TagPacks (hacks.yaml, ronin_bridge.yaml)')
    .argument('<path>', 'file or directory')
    .option('--skip-invalid', 'import the valid records and report the others as skipped', false)
    .action(async (path: string, opts: { skipInvalid: boolean }, cmd: Command) => {
      reportImport(cmd, await withDb(cmd, (db) => importIncidents(db, path, { skipInvalid: opts.skipInvalid })));
    });
  incident
    .command('show')
    .description('an incident as every source describes it, with its addresses and transactions')
    .argument('<name>', 'incident name or victim, e.g. Bitfinex, "Ronin Bridge", Upbit')
    .option('--addresses <n>', 'how many addresses to list per incident', '20')
    .action(async (name: string, o: { addresses: string }, cmd: Command) => {
      const n = Math.max(0, Number.parseInt(o.addresses, 10) || 0);
      const reports = await withDb(cmd, (db) => showIncident(db, name), true);
      if (reports.length === 0) throw new NotFoundError('incident', JSON.stringify(name), 'Import incidents with `ledgerhound incident import ../shared/data/incidents`.');
      if (globalOptions(cmd).json) return printJson(reports);
      for (const r of reports) {
        printLine(`incident ${r.incidentId}`);
        for (const f of r.facts) {
          const bits = [
            f.victim ? `victim ${f.victim}` : null,
            f.date ? `date ${f.date}` : 'date not given by this source',
            f.chain ? `chain ${f.chain}` : null,
            f.amount !== null ? `amount ${f.amount} ${f.amountUnit ?? ''}` : null,
            f.actorId ? `attributed to ${f.actorId}${f.attributionConfidence ? ` (confidence ${f.attributionConfidence})` : ''}` : 'no attribution in this source',
          ].filter(Boolean);
          printLine(`  "${f.name}": ${bits.join('; ')}  — [${f.source.sourceId}] ${f.source.kind} ${f.source.path}`);
          if (f.description) printLine(`    ${f.description}`);
        }
        for (const ref of r.refs.slice(0, 10)) printLine(`  ref ${ref.url}  — ${ref.source}`);
        if (r.refs.length > 10) printLine(`  … ${r.refs.length - 10} more refs (--json)`);
        printLine(`  ${r.addresses.length} address(es), ${r.txs.length} transaction(s)`);
        for (const a of r.addresses.slice(0, n)) printLine(`    ${a.currency} ${a.address}  ${a.role}${a.label ? ` "${a.label}"` : ''}  — ${a.source}${a.line ? `:${a.line}` : ''}`);
        if (r.addresses.length > n) printLine(`    … ${r.addresses.length - n} more (--addresses N or --json)`);
        for (const t of r.txs) printLine(`    tx ${t.chain} ${t.txid} ${t.role}  — ${t.source}`);
      }
    });
}
