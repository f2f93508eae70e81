import { createHash } from 'node:crypto';
import { readdir, readFile, stat } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { NotFoundError, UsageError } from '../../../core/index.js';
import { ADDRESS_LIST_NAME, readAddressList } from './addressList.js';
import { decodeOfacText } from './csv.js';
import { type CsvSetInput, readCsvSet } from './csvSet.js';
import { readSdnAdvancedXml } from './advancedXml.js';
import { readSdnXml } from './sdnXml.js';
import type { OfacDataset, OfacSourceFile, SdnDigitalCurrencyAddress, SdnEntry } from './types.js';

type Kind = OfacSourceFile['kind'];

/** OfacDataset plus notes on skipped rows (files of different vintages); added compatibly. */
export interface LoadedOfacDataset extends OfacDataset {
  warnings: string[];
}

const NAMES: Record<string, Kind> = {
  'sdn.csv': 'sdn.csv',
  'add.csv': 'add.csv',
  'alt.csv': 'alt.csv',
  'sdn_comments.csv': 'sdn_comments.csv',
  'sdn.xml': 'sdn.xml',
  'sdn_advanced.xml': 'sdn_advanced.xml',
};

/** Classifies a file by its name (case-insensitive); null when it is not an OFAC file. */
export function classifyOfacFile(path: string): { kind: Kind; currency?: string; format?: 'txt' | 'json' } | null {
  const name = basename(path).toLowerCase();
  const k = NAMES[name];
  if (k) return { kind: k };
  const m = ADDRESS_LIST_NAME.exec(basename(path));
  if (m) return { kind: 'address-list', currency: (m[1] as string).toUpperCase(), format: (m[2] as string).toLowerCase() as 'txt' | 'json' };
  return null;
}

/**
 * Loads OFAC sanctions data from a directory, one file, or a list of files (e.g. a 2024 SDN.CSV
 * plus a separately published SDN_COMMENTS.CSV). Recognised names (any case): SDN.CSV, ADD.CSV,
 * ALT.CSV, SDN_COMMENTS.CSV, SDN.XML, SDN_ADVANCED.XML, sanctioned_addresses_<CUR>.txt|json.
 * Other files in a directory are ignored; a named file that is not recognised is an error.
 * When several entry sources are present, entries are merged by ent_num with SDN_ADVANCED.XML
 * over SDN.XML over the CSV set.
 *
 * @example
 * const ds = await loadOfac('../shared/data/sanctions/ofac-moov-bench');
 * ds.entries.find((e) => e.entNum === 27307)?.name; // 'LAZARUS GROUP'
 * @throws NotFoundError when a path does not exist; UsageError when nothing recognisable is found;
 *   ParseError (file, line, field) for malformed content
 */
export async function loadOfac(pathOrDir: string | readonly string[]): Promise<LoadedOfacDataset> {
  const paths: string[] = [];
  for (const p of typeof pathOrDir === 'string' ? [pathOrDir] : pathOrDir) {
    let st: Awaited<ReturnType<typeof stat>>;
    try {
      st = await stat(p);
    } catch {
      throw new NotFoundError('OFAC file or directory', p);
    }
    if (st.isDirectory()) {
      for (const name of (await readdir(p)).sort()) if (classifyOfacFile(name)) paths.push(join(p, name));
    } else {
      if (!classifyOfacFile(p)) {
        throw new UsageError(`${p}: not an OFAC file name`, { path: p }, 'Expected SDN.CSV, ADD.CSV, ALT.CSV, SDN_COMMENTS.CSV, SDN.XML, SDN_ADVANCED.XML or sanctioned_addresses_<CUR>.txt|json.');
      }
      paths.push(p);
    }
  }
  if (paths.length === 0) {
    throw new UsageError(`no OFAC files found in ${typeof pathOrDir === 'string' ? pathOrDir : pathOrDir.join(', ')}`, {}, 'Expected SDN.CSV (+ADD/ALT/SDN_COMMENTS.CSV), SDN.XML, SDN_ADVANCED.XML or sanctioned_addresses_<CUR>.txt|json.');
  }
  const files: OfacSourceFile[] = [];
  const csv: CsvSetInput = {};
  const xmls: { kind: Kind; file: string; text: string }[] = [];
  const listed: SdnDigitalCurrencyAddress[] = [];
  for (const path of paths) {
    const c = classifyOfacFile(path);
    if (!c) continue;
    const bytes = await readFile(path);
    const src: OfacSourceFile = { path, sha256: createHash('sha256').update(bytes).digest('hex'), kind: c.kind, bytes: bytes.length };
    if (c.currency) src.currency = c.currency;
    files.push(src);
    const text = decodeOfacText(bytes);
    const slot = c.kind === 'sdn.csv' ? 'sdn' : c.kind === 'add.csv' ? 'add' : c.kind === 'alt.csv' ? 'alt' : c.kind === 'sdn_comments.csv' ? 'comments' : null;
    if (slot) {
      if (csv[slot]) throw new UsageError(`two ${c.kind} files given: ${csv[slot].file} and ${path}`, { path });
      csv[slot] = { file: path, text };
    } else if (c.kind === 'address-list') {
      listed.push(...readAddressList(text, path, c.currency as string, c.format as 'txt' | 'json'));
    } else {
      xmls.push({ kind: c.kind, file: path, text });
    }
  }
  const warnings: string[] = [];
  const merged = new Map<number, SdnEntry>();
  let publishDate: string | null = null;
  if (csv.sdn || csv.add || csv.alt || csv.comments) {
    if (!csv.sdn) warnings.push('ADD/ALT/SDN_COMMENTS.CSV given without SDN.CSV: their rows have no entry to attach to and were skipped');
    const r = readCsvSet(csv);
    warnings.push(...r.warnings);
    for (const e of r.entries) merged.set(e.entNum, e);
  }
  xmls.sort((a, b) => (a.kind === b.kind ? 0 : a.kind === 'sdn.xml' ? -1 : 1));
  for (const x of xmls) {
    const r = x.kind === 'sdn.xml' ? readSdnXml(x.text, x.file) : readSdnAdvancedXml(x.text, x.file);
    for (const e of r.entries) merged.set(e.entNum, e);
    publishDate = r.publishDate ?? publishDate;
  }
  const seen = new Set<string>();
  const listedAddresses = listed.filter((a) => {
    const k = `${a.currency}:${a.address}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
  return { entries: [...merged.values()].sort((a, b) => a.entNum - b.entNum), listedAddresses, files, publishDate, warnings };
}
