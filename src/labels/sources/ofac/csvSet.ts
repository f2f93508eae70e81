import { OFAC_REMARKS_LIMIT, parseRemarks } from './remarks.js';
import { csvError, intField, type OfacCsvKind, parseOfacCsv } from './csv.js';
import type { SdnAlias, SdnEntry, SdnPartyType } from './types.js';

/** Decoded text of one OFAC CSV file with the name used in errors. */
export interface CsvInput {
  file: string;
  text: string;
}

/** The four files of OFAC's CSV set; SDN.CSV is required for entries, the others are optional. */
export interface CsvSetInput {
  sdn?: CsvInput;
  add?: CsvInput;
  alt?: CsvInput;
  comments?: CsvInput;
}

const TYPES: Record<string, SdnPartyType> = { individual: 'individual', vessel: 'vessel', aircraft: 'aircraft', entity: 'entity' };

/**
 * Builds SDN entries from OFAC's CSV set. Rows of ADD/ALT/SDN_COMMENTS whose ent_num is not in
 * SDN.CSV are skipped and counted in `warnings` (files of different vintages).
 *
 * @throws ParseError naming file, line and column for any malformed row
 */
export function readCsvSet(input: CsvSetInput): { entries: SdnEntry[]; warnings: string[] } {
  const warnings: string[] = [];
  const byNum = new Map<number, SdnEntry>();
  const truncated = new Set<number>();
  if (input.sdn) {
    const { file, text } = input.sdn;
    const kind: OfacCsvKind = 'sdn.csv';
    for (const rec of parseOfacCsv(text, file, kind)) {
      const entNum = intField(rec, 0, file, kind, text);
      const name = rec.fields[1];
      if (!name) throw csvError(file, kind, text, rec, 1, 'empty SDN_Name');
      const rawType = (rec.fields[2] ?? 'entity').toLowerCase();
      const type = TYPES[rawType];
      if (!type) throw csvError(file, kind, text, rec, 2, `unknown SDN_Type ${JSON.stringify(rawType)} (expected individual, vessel, aircraft or -0-)`);
      if (byNum.has(entNum)) throw csvError(file, kind, text, rec, 0, `duplicate ent_num ${entNum}`);
      const remarks = rec.fields[11] ?? '';
      if (remarks.length >= OFAC_REMARKS_LIMIT) truncated.add(entNum);
      byNum.set(entNum, {
        entNum,
        name: name.trim(),
        type,
        programs: (rec.fields[3] ?? '').split(/\]\s*\[/).map((p) => p.replace(/^\[|\]$/g, '').trim()).filter((p) => p !== ''),
        title: rec.fields[4]?.trim() || null,
        remarks,
        aliases: [],
        addresses: [],
        digitalCurrencyAddresses: [],
        birthYears: [],
        countries: [],
      });
    }
  }
  if (input.comments) {
    const { file, text } = input.comments;
    const kind: OfacCsvKind = 'sdn_comments.csv';
    let orphans = 0;
    for (const rec of parseOfacCsv(text, file, kind)) {
      const entNum = intField(rec, 0, file, kind, text);
      const e = byNum.get(entNum);
      if (!e) {
        orphans++;
        continue;
      }
      if (!truncated.has(entNum)) {
        warnings.push(`${file} line ${rec.line}: continuation for ent_num ${entNum} ignored, its SDN.CSV remarks are not cut at ${OFAC_REMARKS_LIMIT} characters (different vintage?)`);
        continue;
      }
      // OFAC cuts mid-word: the continuation is appended with no separator.
      e.remarks += rec.fields[1] ?? '';
      truncated.delete(entNum);
    }
    if (orphans > 0) warnings.push(`${file}: ${orphans} rows for entries not in SDN.CSV skipped`);
  }
  if (input.alt) {
    const { file, text } = input.alt;
    const kind: OfacCsvKind = 'alt.csv';
    let orphans = 0;
    for (const rec of parseOfacCsv(text, file, kind)) {
      const entNum = intField(rec, 0, file, kind, text);
      const altNum = intField(rec, 1, file, kind, text);
      const e = byNum.get(entNum);
      if (!e) {
        orphans++;
        continue;
      }
      const t = (rec.fields[2] ?? '').toLowerCase().replace(/\./g, '');
      if (t !== 'aka' && t !== 'fka' && t !== 'nka') throw csvError(file, kind, text, rec, 2, `unknown alt_type ${JSON.stringify(rec.fields[2])} (expected aka, fka or nka)`);
      const name = rec.fields[3]?.trim();
      if (!name) throw csvError(file, kind, text, rec, 3, 'empty alt_name');
      const alias: SdnAlias = { altNum, kind: t, name, quality: 'strong', source: 'alt.csv' };
      e.aliases.push(alias);
    }
    if (orphans > 0) warnings.push(`${file}: ${orphans} rows for entries not in SDN.CSV skipped`);
  }
  if (input.add) {
    const { file, text } = input.add;
    const kind: OfacCsvKind = 'add.csv';
    let orphans = 0;
    for (const rec of parseOfacCsv(text, file, kind)) {
      const entNum = intField(rec, 0, file, kind, text);
      intField(rec, 1, file, kind, text);
      const e = byNum.get(entNum);
      if (!e) {
        orphans++;
        continue;
      }
      const line = [rec.fields[2], rec.fields[3], rec.fields[4]].filter((x): x is string => !!x && x.trim() !== '').map((x) => x.trim()).join(', ');
      if (line !== '') e.addresses.push(line);
      const country = rec.fields[4]?.trim();
      if (country && !e.countries.includes(country)) e.countries.push(country);
    }
    if (orphans > 0) warnings.push(`${file}: ${orphans} rows for entries not in SDN.CSV skipped`);
  }
  for (const e of byNum.values()) {
    const isTruncated = truncated.has(e.entNum);
    const facts = parseRemarks(e.remarks, isTruncated);
    for (const a of facts.aliases) {
      if (!e.aliases.some((x) => x.name === a.name)) e.aliases.push({ altNum: 0, ...a });
    }
    e.digitalCurrencyAddresses.push(...facts.digitalCurrencyAddresses);
    e.birthYears.push(...facts.birthYears);
    for (const c of facts.countries) if (!e.countries.includes(c)) e.countries.push(c);
    if (isTruncated) e.remarksTruncated = true;
  }
  return { entries: [...byNum.values()], warnings };
}
