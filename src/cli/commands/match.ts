/**
 * `ledgerhound match "NAME A" "NAME B" [--type T] [--threshold T]`: the pair score and its explanation.
 * `ledgerhound match --pairs FILE.csv [--type T]`: reads a CSV with a header naming `name1,name2`
 * (optional `schema` column: person | organization | vessel | any; other columns are kept) and
 * writes the same rows with `score` and `match` columns (CSV on stdout, or JSON with --json).
 *
 * Token weights: when --db holds a loaded sanctions list, tokens are weighted by their rarity in it
 * (as in `screen name`); otherwise by kind only. The output says which.
 */
import { existsSync, readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { LedgerhoundError, NotFoundError, ParseError, UsageError } from '../../core/index.js';
import { calibrate, DEFAULT_THRESHOLD, type MatchResult, NAME_TYPES, NameIndex, type NameType, openNameIndex, splitCsvLine } from '../../screen/names/index.js';
import { Database } from '../../store/index.js';
import { globalOptions, printJson, printLine } from '../context.js';

async function weightingIndex(dbPath: string): Promise<{ index: NameIndex; weights: string }> {
  if (existsSync(dbPath)) {
    let db: Database | null = null;
    try {
      db = await Database.open(dbPath, { readOnly: true });
      const loaded = await openNameIndex(db);
      if (loaded) return { index: loaded.index, weights: `token rarity in list ${loaded.info.listVersion} (${loaded.info.names} names)` };
    } catch (err) {
      if (!(err instanceof LedgerhoundError)) throw err;
    } finally {
      db?.close();
    }
  }
  return { index: NameIndex.build([]), weights: 'by token kind (no list loaded in --db)' };
}

function parseType(v: string | undefined, where: string): NameType {
  const t = (v ?? 'any').trim().toLowerCase() || 'any';
  if (!NAME_TYPES.includes(t as NameType)) throw new UsageError(`${where}: unknown type ${JSON.stringify(v)}; expected one of ${NAME_TYPES.join(', ')}`);
  return t as NameType;
}

const csvField = (s: string) => (/[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);

export function register(program: Command): void {
  program
    .command('match')
    .description('score how well two names match (or every row of --pairs FILE.csv), with the explanation')
    .argument('[name1]', 'first name')
    .argument('[name2]', 'second name')
    .option('--type <type>', 'person | organization | vessel | any (default for rows without a schema)', 'any')
    .option('--threshold <t>', `match when score ≥ t (default ${DEFAULT_THRESHOLD})`)
    .option('--pairs <file>', 'CSV with columns name1,name2[,schema]')
    .action(async (name1: string | undefined, name2: string | undefined, opts: { type?: string; threshold?: string; pairs?: string }, cmd: Command) => {
      const type = parseType(opts.type, '--type');
      let threshold = DEFAULT_THRESHOLD;
      if (opts.threshold !== undefined) {
        threshold = Number(opts.threshold);
        if (opts.threshold.trim() === '' || !Number.isFinite(threshold) || threshold < 0 || threshold > 1) throw new UsageError(`--threshold: expected a number in [0,1], got ${JSON.stringify(opts.threshold)}`);
      }
      const { json, db } = globalOptions(cmd);
      if (opts.pairs === undefined) {
        if (name1 === undefined || name2 === undefined) throw new UsageError('match: give two names, or --pairs FILE.csv', {}, 'Example: ledgerhound match "Kim Jong-un" "KIM, Jong Un" --type person');
        const { index, weights } = await weightingIndex(db);
        const c = index.compare(name1, name2, type);
        const score = calibrate(c.raw);
        const result: MatchResult & { weights: string } = {
          name1,
          name2,
          type,
          score,
          match: score >= threshold,
          threshold,
          weights,
          explanation: {
            queryForm: c.queryVia,
            listedForm: c.candidateVia,
            aligned: c.aligned,
            unmatchedQuery: c.unmatchedQuery,
            unmatchedListed: c.unmatchedCandidate,
            normalisation: c.prepared1.steps,
            normalisation2: c.prepared2.steps,
            rawSimilarity: Math.round(c.raw * 10000) / 10000,
          },
        };
        if (json) {
          printJson(result);
          return;
        }
        printLine(`score ${score.toFixed(4)} → ${result.match ? 'MATCH' : 'no match'} (threshold ${threshold}; raw similarity ${result.explanation.rawSimilarity.toFixed(4)}; weights ${weights})`);
        printLine(`name 1 read ${c.queryVia}; name 2 read ${c.candidateVia}`);
        for (const a of c.aligned) printLine(`  ${a.query} ${a.similarity === 1 ? '=' : '≈'} ${a.candidate}  (${a.how}, ${a.similarity.toFixed(3)})`);
        if (c.unmatchedQuery.length) printLine(`  only in name 1: ${c.unmatchedQuery.join(', ')}`);
        if (c.unmatchedCandidate.length) printLine(`  only in name 2: ${c.unmatchedCandidate.join(', ')}`);
        if (c.genericOnly) printLine('  only generic words, legal forms or particles aligned: score capped');
        const steps = [...new Set([...c.prepared1.steps, ...c.prepared2.steps])];
        if (steps.length) printLine(`normalisation: ${steps.join('; ')}`);
        return;
      }
      if (name1 !== undefined) throw new UsageError('match: give either two names or --pairs FILE.csv, not both');
      if (!existsSync(opts.pairs)) throw new NotFoundError('pairs file', opts.pairs);
      const lines = readFileSync(opts.pairs, 'utf8').replace(/^\ufeff/, '').split(/\r?\n/);
      while (lines.length > 0 && lines[lines.length - 1]?.trim() === '') lines.pop();
      const header = splitCsvLine(lines[0] ?? '');
      const i1 = header.indexOf('name1');
      const i2 = header.indexOf('name2');
      const is = header.indexOf('schema');
      if (i1 < 0 || i2 < 0) throw new ParseError({ file: opts.pairs, offset: 0, field: 'line 1 header' }, `expected a header with name1,name2[,schema], found ${JSON.stringify(lines[0]?.slice(0, 80) ?? '')}`, 'LH_MATCH_CSV');
      const { index, weights } = await weightingIndex(db);
      const out: Record<string, string | number | boolean>[] = [];
      if (!json) printLine([...header, 'score', 'match'].map(csvField).join(','));
      let offset = Buffer.byteLength(`${lines[0]}\n`);
      for (let n = 1; n < lines.length; n++) {
        const line = lines[n] as string;
        const f = splitCsvLine(line);
        const where = (field: string) => ({ file: opts.pairs as string, offset, field: `line ${n + 1} ${field}` });
        if (f.length !== header.length) throw new ParseError(where('row'), `expected ${header.length} columns, found ${f.length}`, 'LH_MATCH_CSV');
        const rowType = is >= 0 && (f[is] ?? '').trim() !== '' ? parseType(f[is], `${opts.pairs} line ${n + 1} schema`) : type;
        let score: number;
        try {
          score = calibrate(index.compare(f[i1] as string, f[i2] as string, rowType).raw);
        } catch (err) {
          if (err instanceof UsageError) throw new ParseError(where(err.message.startsWith('name') ? 'name' : 'row'), err.shortMessage, 'LH_MATCH_CSV', err);
          throw err;
        }
        const match = score >= threshold;
        if (json) out.push({ ...Object.fromEntries(header.map((h, k) => [h, f[k] ?? ''])), score, match });
        else printLine([...f, String(score), match ? 'true' : 'false'].map(csvField).join(','));
        offset += Buffer.byteLength(`${line}\n`);
      }
      if (json) printJson({ threshold, weights, rows: out });
    });
}
