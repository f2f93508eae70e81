import { parse } from 'csv-parse/sync';
import { LabelInputError } from '../../errors.js';
import { actorIdFor, countSkip, emptyBatch, type SourceBatch } from '../../model.js';
import { normalizeAddress } from '../../normalizeAddress.js';
import { resolveConcept, resolveConfidence } from '../../taxonomy/taxonomy.js';
import type { SourceFile } from '../readSourceFile.js';

/**
 * The label CSV format (documented in docs/LABELS.md): a header row naming the columns, in any order.
 * Required: address, currency, label, category. Optional: abuse, actor, source, confidence, date, creator,
 * is_cluster_definer. category/abuse are GraphSense concept ids (or a synonym such as `sanctioned`),
 * confidence a GraphSense confidence id (default `unknown`).
 */
export const LABEL_CSV_REQUIRED = ['address', 'currency', 'label', 'category'] as const;
export const LABEL_CSV_OPTIONAL = ['abuse', 'actor', 'source', 'confidence', 'date', 'creator', 'is_cluster_definer'] as const;

/**
 * Reads a label CSV. Each row is validated (address for its currency, concepts, confidence); invalid rows are
 * problems naming file, line and column; duplicate rows are skipped and counted.
 * @throws LabelInputError for malformed CSV (unclosed quote, ragged row: line named) or a bad header.
 */
export function readLabelCsv(file: SourceFile): SourceBatch {
  const b = emptyBatch('csv', file.path, file.sha256, file.bytes);
  let rows: { record: Record<string, string>; info: { lines: number } }[];
  try {
    rows = parse(file.text, { columns: (h: string[]) => h.map((x) => x.trim().toLowerCase()), info: true, skip_empty_lines: true, bom: true, trim: true });
  } catch (cause) {
    const e = cause as { lines?: number; message?: string };
    throw new LabelInputError({ file: file.path, line: e.lines ?? 0, field: 'csv' }, `malformed CSV: ${e.message ?? String(cause)}`, { code: 'LH_LABEL_CSV', cause });
  }
  const headerLine = file.text.split('\n', 1)[0] ?? '';
  const header = headerLine.split(',').map((x) => x.trim().replace(/^"|"$/g, '').toLowerCase().replace(/^\ufeff/, ''));
  for (const req of LABEL_CSV_REQUIRED) {
    if (!header.includes(req)) {
      throw new LabelInputError({ file: file.path, line: 1, field: 'header' }, `missing required column "${req}" (header must name ${LABEL_CSV_REQUIRED.join(', ')})`, { code: 'LH_LABEL_CSV' });
    }
  }
  const known = new Set<string>([...LABEL_CSV_REQUIRED, ...LABEL_CSV_OPTIONAL]);
  for (const h of header) {
    if (!known.has(h)) {
      throw new LabelInputError({ file: file.path, line: 1, field: `header.${h}` }, `unknown column "${h}" (allowed: ${[...known].join(', ')})`, { code: 'LH_LABEL_CSV' });
    }
  }
  const seen = new Set<string>();
  for (const { record: r, info } of rows) {
    const line = info.lines;
    const fail = (field: string, problem: string): void => {
      b.problems.push({ file: file.path, line, field, problem });
    };
    const get = (k: string): string | null => {
      const v = r[k];
      return v === undefined || v === '' ? null : v;
    };
    const address = get('address');
    const currency = get('currency');
    const label = get('label');
    const category = get('category');
    if (address === null) { fail('address', 'missing address'); continue; }
    if (currency === null) { fail('currency', 'missing currency'); continue; }
    if (label === null) { fail('label', 'missing label'); continue; }
    if (category === null) { fail('category', 'missing category'); continue; }
    const norm = normalizeAddress(currency, address);
    if (!norm.ok) { fail('address', norm.problem); continue; }
    const cat = resolveConcept(category);
    if (cat === undefined) { fail('category', `unknown category ${JSON.stringify(category)} (not a GraphSense taxonomy concept)`); continue; }
    const abuseRaw = get('abuse');
    const abuse = abuseRaw === null ? null : resolveConcept(abuseRaw);
    if (abuse === undefined) { fail('abuse', `unknown abuse ${JSON.stringify(abuseRaw)} (not a GraphSense taxonomy concept)`); continue; }
    const confidence = get('confidence') ?? 'unknown';
    const conf = resolveConfidence(confidence);
    if (conf === undefined) { fail('confidence', `unknown confidence ${JSON.stringify(confidence)} (not a GraphSense confidence level)`); continue; }
    const icdRaw = get('is_cluster_definer');
    const icd = icdRaw === null ? null : /^(true|yes|1)$/i.test(icdRaw) ? true : /^(false|no|0)$/i.test(icdRaw) ? false : undefined;
    if (icd === undefined) { fail('is_cluster_definer', `expected true or false, got ${JSON.stringify(icdRaw)}`); continue; }
    const date = get('date');
    if (date !== null && !/^\d{4}-\d{2}-\d{2}/.test(date)) { fail('date', `expected an ISO date yyyy-mm-dd, got ${JSON.stringify(date)}`); continue; }
    const actor = get('actor');
    const key = [norm.currency, norm.address, label, cat.id, abuse?.id ?? '', actor ?? ''].join('\u0000');
    if (seen.has(key)) { countSkip(b.skipped, 'duplicate of an earlier row'); continue; }
    seen.add(key);
    b.tags.push({
      currency: norm.currency,
      address: norm.address,
      label,
      category: cat.id,
      abuse: abuse?.id ?? null,
      actorId: actor === null ? null : actorIdFor(actor),
      sourceUrl: get('source'),
      creator: get('creator'),
      date,
      confidence: conf.id,
      isClusterDefiner: icd,
      context: null,
      line,
      ofacEntNum: null,
    });
  }
  return b;
}
