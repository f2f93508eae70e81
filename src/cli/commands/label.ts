import type { Command } from 'commander';
import { UsageError } from '../../core/index.js';
import {
  actorIdFor,
  addManualTag,
  clusterConflicts,
  clusterMode,
  importLabelCsv,
  importOfac,
  importStix,
  importTagPacks,
  listSources,
  listTags,
  normalizeAddress,
  removeSource,
  resolveConcept,
  resolveConfidence,
  showAddress,
  showCluster,
  type SourceImportResult,
  type TagFact,
} from '../../labels/index.js';
import { loadOfac } from '../../labels/sources/ofac/index.js';
import { loadList } from '../../screen/names/index.js';
import { Database } from '../../store/index.js';
import { globalOptions, printErr, printJson, printLine } from '../context.js';
import { printRescreenSummary } from './screen-name.js';

/** Opens the database, runs fn, always closes. */
export async function withDb<T>(cmd: Command, fn: (db: Database) => Promise<T>, readOnly = false): Promise<T> {
  const db = await Database.open(globalOptions(cmd).db, { readOnly });
  try {
    return await fn(db);
  } finally {
    db.close();
  }
}

/** Prints what an import did: one line per source, totals, and every skipped invalid record (stderr). */
export function reportImport(cmd: Command, results: SourceImportResult[], extra: Record<string, unknown> = {}): void {
  const { json } = globalOptions(cmd);
  const totals = { sources: results.length, tags: 0, actors: 0, incidents: 0, skipped: {} as Record<string, number> };
  for (const r of results) {
    totals.tags += r.tags;
    totals.actors += r.actors;
    totals.incidents += r.incidents;
    for (const [k, v] of Object.entries(r.skipped)) totals.skipped[k] = (totals.skipped[k] ?? 0) + v;
  }
  if (json) {
    printJson({ totals, sources: results, ...extra });
    return;
  }
  for (const r of results) {
    const parts = [`${r.tags} tags`];
    if (r.actors) parts.push(`${r.actors} actors`);
    if (r.incidents) parts.push(`${r.incidents} incidents`);
    const skipped = Object.entries(r.skipped).map(([k, v]) => `${v} ${k}`);
    printLine(`${r.replaced ? 'replaced' : 'imported'} [${r.sourceId}] ${r.path}: ${parts.join(', ')}${skipped.length ? `; skipped ${skipped.join(', ')}` : ''}`);
    for (const p of r.invalid) printErr(`  skipped ${p.file}${p.line > 0 ? `:${p.line}` : ''} ${p.field}: ${p.problem}`);
    for (const n of r.notes) printErr(`  note: ${n}`);
  }
  const skipped = Object.entries(totals.skipped).map(([k, v]) => `${v} ${k}`);
  printLine(
    `total: ${totals.sources} source(s), ${totals.tags} tags taken, ${totals.actors} actors, ${totals.incidents} incidents; skipped: ${skipped.length ? skipped.join(', ') : 'none'}`,
  );
}

/** `where` of a fact: source file and line, the source's own reference, and the import. */
export function sourceLine(t: TagFact): string {
  const where = `${t.source.path}${t.source.line > 0 ? `:${t.source.line}` : ''}`;
  if (t.source.kind === 'manual') return `source [${t.source.sourceId}] ${where} (added by hand, last at ${t.source.importedAt})${t.reference ? `; ref ${t.reference}` : ''}`;
  return `source [${t.source.sourceId}] ${t.source.kind} ${where} (sha256 ${t.source.sha256.slice(0, 12)}…, imported ${t.source.importedAt})${t.reference ? `; ref ${t.reference}` : ''}`;
}

/** One tag in two lines: what, then where from. */
export function printTag(t: TagFact): void {
  const extra = [t.abuse && t.abuse !== t.category ? `abuse ${t.abuse}` : null, t.actorId ? `actor ${t.actorId}` : null, t.ofacEntNum ? `OFAC SDN ${t.ofacEntNum}` : null, t.date ? `date ${t.date}` : null, t.creator ? `by ${t.creator}` : null]
    .filter((x) => x !== null)
    .join(', ');
  printLine(`  ${t.currency} ${t.address}  "${t.label}"  ${t.category}${t.isAbuse ? ' [abuse]' : ''}  confidence ${t.confidence} (${t.confidenceLevel})${extra ? `  ${extra}` : ''}`);
  printLine(`      ${sourceLine(t)}`);
}

export function register(program: Command): void {
  const label = program.command('label').description('attribution tags: import sources, add, list and show labels');
  const imp = label.command('import').description('import a label source (each file is a source: re-importing replaces its rows)');

  imp
    .command('tagpack')
    .description('GraphSense TagPacks and ActorPacks (YAML, .yaml.gz) from a file or a directory')
    .argument('<path>', 'TagPack/ActorPack file or directory (searched recursively)')
    .option('--skip-invalid', 'import the valid tags of files that also hold invalid ones (reported as skipped)', false)
    .action(async (path: string, opts: { skipInvalid: boolean }, cmd: Command) => {
      const results = await withDb(cmd, (db) =>
        importTagPacks(db, path, {
          skipInvalid: opts.skipInvalid,
          onFile: (r, i, n) => printErr(`[${i + 1}/${n}] ${r.path}: ${r.tags} tags${r.actors ? `, ${r.actors} actors` : ''}`),
        }),
      );
      reportImport(cmd, results);
    });

  imp
    .command('ofac')
    .description('OFAC SDN data: SDN.CSV set (+ADD/ALT/SDN_COMMENTS.CSV), SDN.XML, SDN_ADVANCED.XML, sanctioned_addresses_<CUR>.txt|json lists')
    .argument('<paths...>', 'files and/or directories read together as one source (e.g. a SDN.CSV and a later SDN_COMMENTS.CSV)')
    .option('--skip-invalid', 'import the valid records and report the others as skipped', false)
    .action(async (paths: string[], opts: { skipInvalid: boolean }, cmd: Command) => {
      const ds = await loadOfac(paths.length === 1 ? (paths[0] as string) : paths);
      const { results, names } = await withDb(cmd, async (db) => {
        const results = await importOfac(db, paths, { skipInvalid: opts.skipInvalid }, ds);
        // Name screening screens against the same release: load it and re-screen the stored customers.
        const names = ds.entries.length > 0 ? (await loadList(db, ds)).rescreen : null;
        return { results, names };
      });
      reportImport(cmd, results, names ? { nameScreening: names } : {});
      if (names && !globalOptions(cmd).json) printRescreenSummary(names);
    });

  imp
    .command('csv')
    .description('a label CSV; header (any order): address,currency,label,category[,abuse,actor,source,confidence,date,creator,is_cluster_definer]')
    .argument('<file>', 'CSV file (see docs/LABELS.md)')
    .option('--skip-invalid', 'import the valid rows and report the others as skipped', false)
    .action(async (file: string, opts: { skipInvalid: boolean }, cmd: Command) => {
      reportImport(cmd, await withDb(cmd, (db) => importLabelCsv(db, file, { skipInvalid: opts.skipInvalid })));
    });

  imp
    .command('stix')
    .description('a STIX 2.x bundle: intrusion sets become actors (aliases, external ids, malware/tools, campaigns)')
    .argument('<file>', 'STIX bundle JSON, e.g. MITRE ATT&CK objects')
    .option('--skip-invalid', 'import the valid objects and report the others as skipped', false)
    .action(async (file: string, opts: { skipInvalid: boolean }, cmd: Command) => {
      reportImport(cmd, await withDb(cmd, (db) => importStix(db, file, { skipInvalid: opts.skipInvalid })));
    });

  label
    .command('add')
    .description('add one tag by hand (kept in the source manual:<source>)')
    .argument('<address>', 'the address (validated for --currency)')
    .requiredOption('--label <text>', 'label, e.g. the service name')
    .requiredOption('--category <concept>', 'GraphSense concept id, e.g. exchange, mixing_service, sanction (synonym: sanctioned)')
    .option('--currency <code>', 'currency of the address', 'BTC')
    .option('--abuse <concept>', 'GraphSense abuse concept, e.g. service_hack, ransomware')
    .option('--actor <name>', 'actor the address belongs to (id or name)')
    .option('--source <name>', 'where the fact comes from (URL or citation); also names the manual source', 'cli')
    .option('--confidence <id>', 'GraphSense confidence id (default: forensic_investigation, an address found in an investigation)', 'forensic_investigation')
    .option('--creator <name>', 'who asserts it', process.env.USER ?? 'unknown')
    .action(async (address: string, o: Record<string, string>, cmd: Command) => {
      const norm = normalizeAddress(o.currency ?? 'BTC', address);
      if (!norm.ok) throw new UsageError(`address: ${norm.problem}`, { address });
      const cat = resolveConcept(o.category ?? '');
      if (cat === undefined) throw new UsageError(`--category: unknown category ${JSON.stringify(o.category)} (not a GraphSense taxonomy concept)`, {}, 'See docs/LABELS.md for the concept ids.');
      const abuse = o.abuse === undefined ? null : resolveConcept(o.abuse);
      if (abuse === undefined) throw new UsageError(`--abuse: unknown abuse ${JSON.stringify(o.abuse)} (not a GraphSense taxonomy concept)`);
      const conf = resolveConfidence(o.confidence ?? '');
      if (conf === undefined) throw new UsageError(`--confidence: unknown confidence ${JSON.stringify(o.confidence)} (not a GraphSense confidence level)`);
      const source = o.source ?? 'cli';
      const r = await withDb(cmd, (db) =>
        addManualTag(db, source, {
          currency: norm.currency,
          address: norm.address,
          label: o.label ?? '',
          category: cat.id,
          abuse: abuse?.id ?? null,
          actorId: o.actor === undefined ? null : actorIdFor(o.actor),
          sourceUrl: source,
          creator: o.creator ?? null,
          date: new Date().toISOString().slice(0, 10),
          confidence: conf.id,
          isClusterDefiner: null,
          context: null,
          line: 0,
          ofacEntNum: null,
        }),
      );
      if (globalOptions(cmd).json) printJson({ ...r, address: norm.address, currency: norm.currency });
      else printLine(`added tag ${r.tagId} to [${r.sourceId}] manual:${source}: ${norm.currency} ${norm.address} ${o.label} (${cat.id})`);
    });

  label
    .command('show')
    .description('labels of an address (with the incidents it defines and its cluster), or of a cluster (cluster:N or N)')
    .argument('<address|cluster>', 'an address of any chain, or cluster:N / a plain cluster number')
    .action(async (what: string, _o: unknown, cmd: Command) => {
      const { json } = globalOptions(cmd);
      const m = /^(?:cluster:)?(\d+)$/.exec(what.trim());
      if (m) {
        const r = await withDb(cmd, (db) => showCluster(db, Number(m[1])), true);
        if (json) return printJson(r);
        if (r.mode === 'no-addresses-table') throw new UsageError('no chain data in this database (no addresses table): clusters need `ledgerhound ingest` first');
        printLine(`cluster ${r.id}: ${r.addresses} addresses (${r.mode === 'cluster-column' ? 'clusters from addresses.cluster' : 'no clustering yet: the cluster is one address'})`);
        for (const l of r.labels) {
          printLine(`  "${l.label}"  ${l.category}${l.isAbuse ? ' [abuse]' : ''}${l.actorId ? `  actor ${l.actorId}` : ''}  on ${l.addresses} address(es), ${l.tags} tag(s), strongest confidence ${l.confidence} (${l.confidenceLevel})`);
          printLine(`      sources: ${l.sources.join(', ')}`);
        }
        if (r.labels.length === 0) printLine('  no labels');
        if (r.conflict) printLine(`  CONFLICT: owners ${r.conflict.owners.map((o) => `${o.owner} (${o.category}, ${o.addresses} addr)`).join(' vs ')} — likely a false merge`);
        return;
      }
      const r = await withDb(cmd, (db) => showAddress(db, what), true);
      if (json) return printJson(r);
      printLine(`${what}: ${r.tags.length} tag(s)`);
      for (const t of r.tags) printTag(t);
      for (const i of r.incidents) printLine(`  incident ${i.incidentId} "${i.name}" as ${i.role}${i.label ? ` ("${i.label}")` : ''}  — ${i.source.path}${i.source.line ? `:${i.source.line}` : ''}`);
      if (r.cluster) {
        printLine(`  cluster ${r.cluster.id}: ${r.cluster.addresses} addresses, ${r.cluster.labels.length} distinct label(s)${r.cluster.conflict ? ' — CONFLICTING OWNERS' : ''} (label show cluster:${r.cluster.id})`);
      }
    });

  label
    .command('list')
    .description('tags by category (narrower concepts included), actor and/or currency, strongest confidence first')
    .option('--category <concept>', 'GraphSense concept id or synonym, e.g. exchange, service, sanctioned')
    .option('--actor <name>', 'actor id, name or alias, e.g. "Lazarus Group", "HIDDEN COBRA"')
    .option('--currency <code>', 'BTC, ETH, ...')
    .option('--limit <n>', 'at most this many tags', '50')
    .action(async (o: { category?: string; actor?: string; currency?: string; limit: string }, cmd: Command) => {
      const limit = Number(o.limit);
      if (!Number.isInteger(limit) || limit < 0) throw new UsageError(`--limit: expected a non-negative integer, got ${JSON.stringify(o.limit)}`);
      if (o.category !== undefined && resolveConcept(o.category) === undefined) {
        throw new UsageError(`--category: unknown category ${JSON.stringify(o.category)} (not a GraphSense taxonomy concept)`, {}, 'See docs/LABELS.md for the concept ids.');
      }
      const r = await withDb(
        cmd,
        (db) => listTags(db, { limit, ...(o.category === undefined ? {} : { category: o.category }), ...(o.actor === undefined ? {} : { actor: o.actor }), ...(o.currency === undefined ? {} : { currency: o.currency }) }),
        true,
      );
      if (globalOptions(cmd).json) return printJson(r);
      printLine(`${r.total} tag(s) match${r.total > r.tags.length ? `; showing ${r.tags.length} (--limit)` : ''}`);
      for (const t of r.tags) printTag(t);
    });

  label
    .command('conflicts')
    .description('clusters whose addresses carry two or more different owners (e.g. two exchanges): likely false merges')
    .option('--limit <n>', 'at most this many clusters', '50')
    .action(async (o: { limit: string }, cmd: Command) => {
      const limit = Number(o.limit);
      if (!Number.isInteger(limit) || limit < 0) throw new UsageError(`--limit: expected a non-negative integer, got ${JSON.stringify(o.limit)}`);
      const { mode, conflicts } = await withDb(cmd, async (db) => ({ mode: await clusterMode(db), conflicts: await clusterConflicts(db) }), true);
      if (globalOptions(cmd).json) return printJson({ mode, total: conflicts.length, conflicts: conflicts.slice(0, limit) });
      if (mode === 'no-addresses-table') throw new UsageError('no chain data in this database (no addresses table): clusters need `ledgerhound ingest` first');
      printLine(`${conflicts.length} cluster(s) with conflicting owners (${mode === 'cluster-column' ? 'clusters from addresses.cluster' : 'no clustering yet'})`);
      for (const c of conflicts.slice(0, limit)) {
        printLine(`  cluster ${c.cluster}: ${c.owners.map((w) => `${w.owner} (${w.category}, ${w.addresses} addr; ${w.sources.join(', ')})`).join(' vs ')}`);
      }
    });

  label
    .command('sources')
    .description('imported label sources: path, kind, sha256, import time, counts')
    .action(async (_o: unknown, cmd: Command) => {
      const r = await withDb(cmd, (db) => listSources(db), true);
      if (globalOptions(cmd).json) return printJson(r);
      for (const s of r) {
        const skipped = Object.entries(s.skipped).map(([k, v]) => `${v} ${k}`);
        printLine(`[${s.sourceId}] ${s.kind} ${s.path}  sha256 ${s.sha256.slice(0, 16)}…  imported ${s.importedAt}  ${s.tags} tags, ${s.actors} actors, ${s.incidents} incidents${skipped.length ? `; skipped ${skipped.join(', ')}` : ''}`);
      }
      if (r.length === 0) printLine('no label sources imported');
    });

  label
    .command('remove-source')
    .description('remove an imported source and every tag, actor and incident it contributed')
    .argument('<source>', 'source path as imported (absolute or relative to here), manual:NAME, or numeric source id')
    .action(async (source: string, _opts: unknown, cmd: Command) => {
      const { resolve } = await import('node:path');
      const key = /^\d+$/.test(source) || source.startsWith('manual:') ? source : resolve(source);
      const removed = await withDb(cmd, (db) => removeSource(db, key));
      if (removed.length === 0) throw new UsageError(`no label source ${source}`, { source }, 'List sources with `ledgerhound label sources`.');
      if (globalOptions(cmd).json) printJson(removed);
      else for (const r of removed) printLine(`removed [${r.sourceId}] ${r.kind} ${r.path}: ${r.tags} tags, ${r.actors} actors, ${r.incidents} incidents`);
    });
}
