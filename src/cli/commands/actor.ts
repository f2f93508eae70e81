import type { Command } from 'commander';
import { NotFoundError } from '../../core/index.js';
import { showActor } from '../../labels/index.js';
import { globalOptions, printJson, printLine } from '../context.js';
import { printTag, withDb } from './label.js';

export function register(program: Command): void {
  const actor = program.command('actor').description('actors (groups, services, sanctioned parties) from all label sources');
  actor
    .command('show')
    .description('an actor as every source describes it: names, aliases, sanctions listings, external ids, tags, incidents')
    .argument('<name>', 'actor id, name or alias (case-insensitive), e.g. "Lazarus Group", "HIDDEN COBRA", lazarusgroup')
    .option('--tags <n>', 'how many of its tags to show', '10')
    .action(async (name: string, o: { tags: string }, cmd: Command) => {
      const n = Math.max(0, Number.parseInt(o.tags, 10) || 0);
      const reports = await withDb(cmd, (db) => showActor(db, name, n), true);
      if (reports.length === 0) throw new NotFoundError('actor', JSON.stringify(name), 'Import actors with `label import tagpack|stix|ofac`, or check the spelling (aliases work too).');
      if (globalOptions(cmd).json) return printJson(reports);
      for (const r of reports) {
        printLine(`actor ${r.actorId}`);
        for (const x of r.names) {
          const bits = [x.type, x.countries.length ? `countries ${x.countries.join(',')}` : null, x.categories.length ? `categories ${x.categories.join(',')}` : null, x.uri].filter(Boolean);
          printLine(`  name "${x.name}"${bits.length ? ` (${bits.join('; ')})` : ''}  — [${x.source.sourceId}] ${x.source.kind} ${x.source.path}${x.source.line ? `:${x.source.line}` : ''}`);
          if (x.description) printLine(`    ${x.description.slice(0, 300)}`);
        }
        if (r.aliases.length) {
          printLine('  aliases:');
          for (const a of r.aliases) printLine(`    ${a.alias}  — ${a.sources.join(', ')}`);
        }
        const sanctions = r.refs.filter((x) => x.kind === 'ofac-sdn' || x.kind === 'sanctions-program');
        if (sanctions.length) {
          printLine('  sanctions listings:');
          for (const x of sanctions) printLine(`    ${x.kind} ${x.refId ?? ''} ${x.name ?? ''}${x.url ? ` ${x.url}` : ''}  — ${x.source}`);
        }
        const linked = r.refs.filter((x) => x.kind === 'linked-to');
        if (linked.length) printLine(`  linked to (OFAC remarks): ${linked.map((x) => `${x.name} [${x.refId}]`).join('; ')}  — ${[...new Set(linked.map((x) => x.source))].join(', ')}`);
        const ext = r.refs.filter((x) => !['ofac-sdn', 'sanctions-program', 'url', 'malware', 'tool', 'campaign', 'linked-to'].includes(x.kind));
        if (ext.length) {
          printLine('  external ids:');
          for (const x of ext) printLine(`    ${x.kind} ${x.refId ?? ''} ${x.url ?? ''}  — ${x.source}`);
        }
        for (const kind of ['malware', 'tool', 'campaign']) {
          const xs = r.refs.filter((x) => x.kind === kind);
          if (xs.length) printLine(`  ${kind} (${xs.length}): ${xs.map((x) => `${x.name}${x.refId ? ` ${x.refId}` : ''}`).join(', ')}  — ${[...new Set(xs.map((x) => x.source))].join(', ')}`);
        }
        const urls = r.refs.filter((x) => x.kind === 'url');
        if (urls.length) printLine(`  references: ${urls.length} URL(s)${urls.length <= 5 ? `: ${urls.map((u) => u.url).join(' ')}` : ' (--json lists them)'}`);
        printLine(`  tags: ${r.tags.total}${r.tags.byCategory.length ? ` (${r.tags.byCategory.map((c) => `${c.category} ${c.n}`).join(', ')})` : ''}`);
        for (const s of r.tags.bySource) printLine(`    ${s.n} from ${s.path}`);
        for (const t of r.tags.sample) printTag(t);
        for (const i of r.incidents) printLine(`  incident ${i.incidentId} "${i.name}" attributed${i.confidence ? ` (confidence ${i.confidence})` : ''}  — ${i.source}`);
      }
    });
}
