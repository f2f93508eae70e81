/**
 * `ledgerhound screen …`: sanctions name screening (issue 9).
 *
 *   screen name "NAME" [--type person|organization|vessel|any] [--birth-year Y] [--country C] [--threshold T] [--limit N]
 *   screen load-list FILE|DIR...           load OFAC data into --db (replaces the current list), re-screen all customers
 *   screen customer add ID --name NAME [--type T] [--birth-year Y] [--country C]   store and screen a customer
 *   screen customer list                   customers with open / suppressed / confirmed hit counts
 *   screen customer rescreen [ID]          re-screen one or all stored customers and show the hits / what changed
 *   screen adjudicate CUSTOMER ENT_NUM --decision false-positive|confirmed --user U [--note TEXT]
 *
 * The `screen` group is shared with address/transaction screening (issue 7). A sibling module
 * attaches its subcommands through {@link screenGroup}, which returns the existing `screen`
 * command or creates it, so the order of registration in commands/index.ts does not matter:
 *
 *   import { screenGroup } from './screen-name.js';
 *   export function register(program: Command) { screenGroup(program).command('address <addr>')…; }
 *
 * `screen name` appends one row per query to the shared audit log (`screen_audit_log`, action
 * `screen.names`, actor `cli:$USER`, score = top hit × 100).
 *
 * With --json every subcommand prints one JSON document: `screen name` prints a
 * ScreenNameResult (src/screen/names/types.ts), the shape the `POST /v1/screen/names` route is to
 * return per query.
 */
import { existsSync } from 'node:fs';
import { userInfo } from 'node:os';
import type { Command } from 'commander';
import { UsageError } from '../../core/index.js';
import { loadOfac } from '../../labels/sources/ofac/index.js';
import {
  adjudicate,
  type CustomerHit,
  DEFAULT_THRESHOLD,
  listCustomers,
  loadList,
  NAME_TYPES,
  type NameType,
  openNameIndex,
  prepareName,
  type RescreenSummary,
  rescreenAll,
  rescreenCustomer,
  type ScreenNameHit,
  type ScreenNameResult,
  upsertCustomer,
} from '../../screen/names/index.js';
import { AuditLog } from '../../screen/index.js';
import { Database } from '../../store/index.js';
import { globalOptions, printJson, printLine } from '../context.js';

/** The shared `screen` command group: returns the existing one or creates it. */
export function screenGroup(program: Command): Command {
  const existing = program.commands.find((c) => c.name() === 'screen');
  if (existing) return existing;
  return program.command('screen').description('screen names (and, with their modules, addresses and transactions) against sanctions lists');
}

function parseType(v: string | undefined): NameType {
  const t = (v ?? 'any').toLowerCase();
  if (!NAME_TYPES.includes(t as NameType)) throw new UsageError(`--type: unknown type ${JSON.stringify(v)}; expected one of ${NAME_TYPES.join(', ')}`);
  return t as NameType;
}
function parseIntOpt(name: string, v: string | undefined): number | undefined {
  if (v === undefined) return undefined;
  if (!/^-?\d+$/.test(v)) throw new UsageError(`${name}: expected an integer, got ${JSON.stringify(v)}`);
  return Number(v);
}
function parseThreshold(v: string | undefined): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (v.trim() === '' || !Number.isFinite(n) || n < 0 || n > 1) throw new UsageError(`--threshold: expected a number in [0,1], got ${JSON.stringify(v)}`);
  return n;
}

async function withDb<T>(cmd: Command, readOnly: boolean, fn: (db: Database) => Promise<T>): Promise<T> {
  const path = globalOptions(cmd).db;
  if (readOnly && !existsSync(path)) {
    throw new UsageError(`no database at ${path}`, { path }, 'Load a sanctions list first: `ledgerhound --db FILE screen load-list ../shared/data/sanctions/ofac-moov-bench`.');
  }
  const db = await Database.open(path, { readOnly });
  try {
    return await fn(db);
  } finally {
    db.close();
  }
}

async function requireIndex(db: Database) {
  const loaded = await openNameIndex(db);
  if (!loaded) throw new UsageError(`no sanctions list loaded in ${db.path}`, {}, 'Load one first: `ledgerhound screen load-list ../shared/data/sanctions/ofac-moov-bench` (SDN.CSV set, SDN.XML or SDN_ADVANCED.XML).');
  return loaded;
}

function describeHit(h: ScreenNameHit, i: number): string[] {
  const e = h.explanation;
  const aligned = e.aligned.map((a) => `${a.query}${a.similarity === 1 ? '=' : '≈'}${a.candidate} (${a.how} ${a.similarity.toFixed(2)})`).join(', ');
  const lines = [
    `${String(i + 1).padStart(2)}. ${h.score.toFixed(4)} ${h.band.padEnd(7)} ${h.listedName}  [ent ${h.entNum}, ${h.entryType}, ${h.programs.join(' ') || 'no programme'}]`,
    `      matched ${h.matchedNameKind === 'primary' ? 'primary name' : `${h.matchedNameKind} (${h.matchedNameQuality})`} "${h.matchedName}"; query read ${e.queryForm}, listed name ${e.listedForm}`,
    `      aligned: ${aligned || 'nothing'}${e.unmatchedQuery.length ? `; query only: ${e.unmatchedQuery.join(' ')}` : ''}${e.unmatchedListed.length ? `; listed only: ${e.unmatchedListed.join(' ')}` : ''}; raw ${e.rawSimilarity.toFixed(3)}`,
  ];
  if (e.adjustments.length) lines.push(`      adjustments: ${e.adjustments.join('; ')}`);
  return lines;
}

function printResult(r: ScreenNameResult, normalisation: string[]): void {
  printLine(`screened "${r.query.name}" (${r.query.type}) against OFAC-SDN list ${r.listVersion} (${r.namesSearched} names), threshold ${r.threshold}`);
  if (normalisation.length) printLine(`normalisation: ${normalisation.join('; ')}`);
  if (r.hits.length === 0) printLine('no hits');
  r.hits.forEach((h, i) => {
    for (const l of describeHit(h, i)) printLine(l);
  });
}

function printCustomerHits(id: string, hits: CustomerHit[]): void {
  const shown = hits.filter((h) => h.status !== 'suppressed');
  const suppressed = hits.length - shown.length;
  printLine(`customer ${id}: ${shown.length} hit(s)${suppressed ? `, ${suppressed} suppressed as adjudicated false positive(s)` : ''}`);
  shown.forEach((h, i) => {
    const ls = describeHit(h, i);
    ls[0] = `${ls[0]}  <${h.status}${h.status === 'reraised' ? ': list entry changed since it was adjudicated a false positive' : ''}>`;
    for (const l of ls) printLine(l);
  });
}

/** Prints what re-screening the stored customers against a new list changed (also used by `label import ofac`). */
export function printRescreenSummary(s: RescreenSummary): void {
  printLine(`re-screened ${s.customers} customer(s) against list ${s.listVersion}${s.previousListVersion && s.previousListVersion !== s.listVersion ? ` (previous ${s.previousListVersion})` : ''}:`);
  printLine(`  new hits: ${s.newHits.length}, removed hits: ${s.removedHits.length}, re-raised false positives: ${s.reraised.length}, changed scores: ${s.changedScores.length}, still suppressed: ${s.suppressed}`);
  for (const h of s.newHits) printLine(`  + ${h.customerId} → ${h.entNum} ${h.listedName} ${h.score.toFixed(4)} <${h.status}>`);
  for (const h of s.reraised) printLine(`  ! ${h.customerId} → ${h.entNum} ${h.listedName} ${h.score.toFixed(4)} <re-raised: entry changed>`);
  for (const h of s.removedHits) printLine(`  - ${h.customerId} → ${h.entNum} (was ${h.previousScore.toFixed(4)})`);
  for (const h of s.changedScores) printLine(`  ~ ${h.customerId} → ${h.entNum} ${h.previousScore.toFixed(4)} → ${h.score.toFixed(4)}`);
}

export function register(program: Command): void {
  const screen = screenGroup(program);

  screen
    .command('name')
    .description('rank list entries whose names match NAME (scores in [0,1], explained)')
    .argument('<name>', 'name to screen (any script)')
    .option('--type <type>', `person | organization | vessel | any`, 'any')
    .option('--birth-year <year>', 'year of birth of the person screened')
    .option('--country <country>', 'country name or ISO alpha-2 code of the party screened')
    .option('--threshold <t>', `report hits scoring at least t (default ${DEFAULT_THRESHOLD})`)
    .option('--limit <n>', 'most hits shown (1–100)', '10')
    .action(async (name: string, opts: { type?: string; birthYear?: string; country?: string; threshold?: string; limit: string }, cmd: Command) => {
      const type = parseType(opts.type);
      const birthYear = parseIntOpt('--birth-year', opts.birthYear);
      const threshold = parseThreshold(opts.threshold);
      const limit = parseIntOpt('--limit', opts.limit);
      await withDb(cmd, true, async () => undefined); // clear error when --db does not exist
      await withDb(cmd, false, async (db) => {
        const { index } = await requireIndex(db);
        const r = index.screen({ name, type, ...(birthYear === undefined ? {} : { birthYear }), ...(opts.country === undefined ? {} : { country: opts.country }), ...(threshold === undefined ? {} : { threshold }), ...(limit === undefined ? {} : { limit }) });
        // audit trail shared with address/tx screening (screen_audit_log, action screen.names)
        const audit = await AuditLog.open(db);
        let user = 'unknown';
        try {
          user = userInfo().username;
        } catch {
          // no passwd entry (containers)
        }
        audit.record({
          requestId: `cli-${process.pid}-${Date.now()}`,
          channel: 'cli',
          actor: `cli:${user}`,
          actorName: null,
          action: 'screen.names',
          subject: name,
          score: r.hits[0] ? Math.round(r.hits[0].score * 100) : 0,
          level: null,
          ruleSet: `ofac-sdn@${r.listVersion}#threshold=${r.threshold}`,
          result: { type: r.query.type, hits: r.hits.map((h) => ({ entNum: h.entNum, score: h.score, matchedName: h.matchedName })) },
        });
        await audit.close();
        if (globalOptions(cmd).json) printJson(r);
        else printResult(r, prepareName(name, type).steps);
      });
    });

  screen
    .command('load-list')
    .description('load OFAC sanctions data (SDN.CSV set, SDN.XML, SDN_ADVANCED.XML) into --db and re-screen all stored customers')
    .argument('<paths...>', 'files or directories')
    .action(async (paths: string[], _opts: unknown, cmd: Command) => {
      const ds = await loadOfac(paths);
      await withDb(cmd, false, async (db) => {
        const r = await loadList(db, ds);
        if (globalOptions(cmd).json) {
          printJson({ list: r.info, warnings: ds.warnings, files: ds.files, rescreen: r.rescreen });
          return;
        }
        printLine(`loaded list ${r.info.listVersion}: ${r.info.entries} entries, ${r.info.names} names${r.info.publishDate ? `, published ${r.info.publishDate}` : ''}`);
        for (const f of ds.files) printLine(`  ${f.kind} ${f.path} sha256 ${f.sha256.slice(0, 16)}…`);
        for (const w of ds.warnings) printLine(`  note: ${w}`);
        printRescreenSummary(r.rescreen);
      });
    });

  const customer = screen.command('customer').description('customer records screened by name, with adjudicated hits');
  customer
    .command('add')
    .description('add (or replace) a customer record and screen it against the loaded list')
    .argument('<id>', 'customer id')
    .requiredOption('--name <name>', 'customer name')
    .option('--type <type>', 'person | organization | vessel | any', 'person')
    .option('--birth-year <year>', 'year of birth')
    .option('--country <country>', 'country name or ISO alpha-2 code')
    .action(async (id: string, opts: { name: string; type?: string; birthYear?: string; country?: string }, cmd: Command) => {
      const rec = { customerId: id, name: opts.name, type: parseType(opts.type), birthYear: parseIntOpt('--birth-year', opts.birthYear) ?? null, country: opts.country ?? null };
      await withDb(cmd, false, async (db) => {
        await upsertCustomer(db, rec);
        const loaded = await openNameIndex(db);
        const hits = loaded ? await rescreenCustomer(db, loaded.index, id) : null;
        if (globalOptions(cmd).json) printJson({ customer: rec, listVersion: loaded?.info.listVersion ?? null, hits });
        else if (hits === null) printLine(`stored customer ${id}; no list loaded yet, it will be screened by \`screen load-list\``);
        else printCustomerHits(id, hits);
      });
    });
  customer
    .command('list')
    .description('stored customers with their hit counts')
    .action(async (_opts: unknown, cmd: Command) => {
      await withDb(cmd, false, async (db) => {
        const rows = await listCustomers(db);
        if (globalOptions(cmd).json) {
          printJson(rows);
          return;
        }
        if (rows.length === 0) printLine('no customers');
        for (const r of rows) printLine(`${r.customerId}\t${r.name}\t${r.type}${r.birthYear ? ` b.${r.birthYear}` : ''}${r.country ? ` ${r.country}` : ''}\topen ${r.openHits}, suppressed ${r.suppressedHits}, confirmed ${r.confirmedHits}`);
      });
    });
  customer
    .command('rescreen')
    .description('re-screen one customer (prints its hits) or all (prints what changed)')
    .argument('[id]', 'customer id (all when omitted)')
    .action(async (id: string | undefined, _opts: unknown, cmd: Command) => {
      await withDb(cmd, false, async (db) => {
        const { index, info } = await requireIndex(db);
        if (id !== undefined) {
          const hits = await rescreenCustomer(db, index, id);
          if (globalOptions(cmd).json) printJson({ customerId: id, listVersion: info.listVersion, hits });
          else printCustomerHits(id, hits);
          return;
        }
        const s = await db.transaction(() => rescreenAll(db, index, info.listVersion));
        if (globalOptions(cmd).json) printJson(s);
        else printRescreenSummary(s);
      });
    });

  screen
    .command('adjudicate')
    .description("record a decision on a customer's hit: later screenings suppress false positives until the list entry changes")
    .argument('<customer>', 'customer id')
    .argument('<entNum>', 'OFAC ent_num of the hit')
    .requiredOption('--decision <d>', 'false-positive | confirmed')
    .requiredOption('--user <user>', 'who decides')
    .option('--note <text>', 'reason')
    .action(async (customerId: string, entNumText: string, opts: { decision: string; user: string; note?: string }, cmd: Command) => {
      const entNum = parseIntOpt('ENT_NUM', entNumText) as number;
      const d = opts.decision.toLowerCase().replace(/[-\s]/g, '_');
      if (d !== 'false_positive' && d !== 'confirmed') throw new UsageError(`--decision: expected false-positive or confirmed, got ${JSON.stringify(opts.decision)}`);
      await withDb(cmd, false, async (db) => {
        const r = await adjudicate(db, { customerId, entNum, decision: d, user: opts.user, note: opts.note ?? null });
        if (globalOptions(cmd).json) printJson({ customerId, entNum, decision: d, user: opts.user, note: opts.note ?? null, ...r });
        else printLine(`recorded ${d.replace('_', ' ')} for customer ${customerId} on ${entNum} ${r.listedName} (entry ${r.entryHash.slice(0, 12)}…) by ${opts.user}`);
      });
    });
}
