import { ParseError } from '../../../core/index.js';

/**
 * OFAC's legacy delimited files (SDN.CSV, ADD.CSV, ALT.CSV, SDN_COMMENTS.CSV), as described in
 * OFAC's "SDN data specification" (dat_spec.txt): no header row, fields separated by commas,
 * text fields in double quotes, `-0-` (often followed by a space) for an empty field, CRLF line
 * ends and a trailing DOS end-of-file byte (0x1A).
 */

/** One record of an OFAC CSV file: its fields (null for `-0-`) and where it starts. */
export interface OfacCsvRecord {
  fields: (string | null)[];
  /** 1-based line number of the record's first character. */
  line: number;
  /** Byte offset of the record's first character in the file. */
  offset: number;
}

/** Column layouts from OFAC's data specification (no header row in the files). */
export const OFAC_CSV_COLUMNS = {
  'sdn.csv': ['ent_num', 'SDN_Name', 'SDN_Type', 'Program', 'Title', 'Call_Sign', 'Vess_type', 'Tonnage', 'GRT', 'Vess_flag', 'Vess_owner', 'Remarks'],
  'add.csv': ['Ent_num', 'Add_num', 'Address', 'City/State/Province/Postal Code', 'Country', 'Add_remarks'],
  'alt.csv': ['ent_num', 'alt_num', 'alt_type', 'alt_name', 'alt_remarks'],
  'sdn_comments.csv': ['ent_num', 'Remarks_Extended'],
} as const;

export type OfacCsvKind = keyof typeof OFAC_CSV_COLUMNS;

/** Decodes OFAC bytes: UTF-8 when valid (current files are ASCII), else Windows-1252 (older files). */
export function decodeOfacText(bytes: Uint8Array): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return new TextDecoder('windows-1252').decode(bytes);
  }
}

/** Builds the ParseError for a CSV problem: names file, line and column. */
export function csvError(file: string, kind: OfacCsvKind, text: string, rec: { line: number; offset: number }, col: number, problem: string): ParseError {
  const name = OFAC_CSV_COLUMNS[kind][col] ?? `column ${col + 1}`;
  const byteOffset = Buffer.byteLength(text.slice(0, rec.offset), 'utf8');
  return new ParseError({ file, offset: byteOffset, field: `line ${rec.line} ${name}` }, problem, 'LH_OFAC_CSV');
}

/**
 * Splits an OFAC CSV text into records, checking the column count of every record.
 *
 * @param text decoded file content
 * @param file file name used in errors
 * @param kind which OFAC file (fixes the column count)
 * @throws ParseError for an unterminated quote, text after a closing quote, or a wrong column count
 */
export function parseOfacCsv(text: string, file: string, kind: OfacCsvKind): OfacCsvRecord[] {
  const want = OFAC_CSV_COLUMNS[kind].length;
  const out: OfacCsvRecord[] = [];
  let end = text.length;
  // DOS EOF marker (0x1A) and trailing whitespace end the data.
  while (end > 0 && (text.charCodeAt(end - 1) === 0x1a || /\s/.test(text[end - 1] ?? ''))) end--;
  let i = 0;
  let line = 1;
  if (text.charCodeAt(0) === 0xfeff) i = 1;
  while (i < end) {
    // skip blank lines
    const c0 = text.charCodeAt(i);
    if (c0 === 0x0d || c0 === 0x0a) {
      if (c0 === 0x0a) line++;
      i++;
      continue;
    }
    const rec: OfacCsvRecord = { fields: [], line, offset: i };
    let col = 0;
    for (;;) {
      // one field
      while (i < end && (text[i] === ' ' || text[i] === '\t')) i++;
      let value: string | null;
      if (text[i] === '"') {
        const startLine = line;
        i++;
        let buf = '';
        for (;;) {
          if (i >= end) {
            throw csvError(file, kind, text, rec, col, `unterminated quoted field (opened on line ${startLine})`);
          }
          const ch = text[i] as string;
          if (ch === '"') {
            if (text[i + 1] === '"') {
              buf += '"';
              i += 2;
              continue;
            }
            i++;
            break;
          }
          if (ch === '\n') line++;
          buf += ch;
          i++;
        }
        value = buf;
        while (i < end && (text[i] === ' ' || text[i] === '\t')) i++;
        if (i < end && text[i] !== ',' && text[i] !== '\r' && text[i] !== '\n') {
          throw csvError(file, kind, text, rec, col, `unexpected ${JSON.stringify(text[i])} after closing quote`);
        }
      } else {
        let j = i;
        while (j < end && text[j] !== ',' && text[j] !== '\r' && text[j] !== '\n') j++;
        const raw = text.slice(i, j).trim();
        if (raw.includes('"')) throw csvError(file, kind, text, rec, col, `stray double quote in unquoted field ${JSON.stringify(raw.slice(0, 40))}`);
        value = raw === '-0-' || raw === '' ? null : raw;
        i = j;
      }
      if (value !== null && value.trim() === '-0-') value = null;
      rec.fields.push(value);
      col++;
      if (i < end && text[i] === ',') {
        i++;
        continue;
      }
      break;
    }
    if (rec.fields.length !== want) {
      throw csvError(file, kind, text, rec, Math.min(rec.fields.length, want) - 1 < 0 ? 0 : Math.min(rec.fields.length, want - 1), `expected ${want} columns (${kind}), found ${rec.fields.length}`);
    }
    out.push(rec);
    if (text[i] === '\r') i++;
    if (text[i] === '\n') {
      i++;
      line++;
    }
  }
  return out;
}

/** Reads a required integer column; throws ParseError naming the column otherwise. */
export function intField(rec: OfacCsvRecord, col: number, file: string, kind: OfacCsvKind, text: string): number {
  const v = rec.fields[col];
  if (v === null || v === undefined || !/^\d{1,9}$/.test(v)) {
    throw csvError(file, kind, text, rec, col, `expected a positive integer, found ${v === null || v === undefined ? 'an empty field' : JSON.stringify(v.slice(0, 40))}`);
  }
  return Number(v);
}
