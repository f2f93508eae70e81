import { createHash } from 'node:crypto';
import { resolve } from 'node:path';
import type { Database } from '../../store/index.js';
import { type ActorInput, actorIdFor, countSkip, emptyBatch, type SourceBatch, type SourceImportResult, type TagInput } from '../model.js';
import { normalizeAddress } from '../normalizeAddress.js';
import { type ImportOptions, importSources } from '../writeSources.js';
import { loadOfac, type OfacDataset, type SdnEntry } from './ofac/index.js';

/** OFAC writes Bitcoin as XBT (ISO 4217 style); every other code is the usual ticker. */
export function currencyFromOfac(code: string): string {
  const c = code.trim().toUpperCase();
  return c === 'XBT' ? 'BTC' : c;
}

/** Public page of an SDN entry on OFAC's Sanctions List Search. */
export function sdnUrl(entNum: number): string {
  return `https://sanctionssearch.ofac.treas.gov/Details.aspx?id=${entNum}`;
}

const OFAC_CREATOR = 'OFAC (U.S. Department of the Treasury)';

/**
 * Turns an OFAC dataset into one label source:
 * - every SDN entry becomes an actor (id from its name, aliases, countries, type) with references to its
 *   listing (`ofac-sdn`, ent_num) and programmes (`sanctions-program`, e.g. DPRK3);
 * - every digital-currency address of an entry becomes a tag of category and abuse `sanction`, label = entry
 *   name, actor = the entry, confidence `authority_data`, linked by ofac_ent_num, with programmes in context;
 * - an address of a plain per-currency list that no entry of the dataset carries becomes a list-only tag
 *   (label "OFAC SDN digital currency address"); one already tagged from its entry is counted as covered.
 * OFAC is the authority on what it listed: an address that does not validate for the stated currency (the real
 * list files a Tron address, TUCsTq7T…, under XBT) is kept exactly as listed so screening still matches it; the
 * failed check is recorded in the tag's context (`address_check`) and in the import notes.
 */
export function ofacBatch(ds: OfacDataset, sourcePath: string): SourceBatch {
  const combined = createHash('sha256');
  for (const f of [...ds.files].sort((a, b) => a.path.localeCompare(b.path))) combined.update(`${f.sha256}  ${f.path}\n`);
  const b = emptyBatch('ofac', sourcePath, combined.digest('hex'), ds.files.reduce((a, f) => a + f.bytes, 0));
  b.files = ds.files.map((f) => ({ path: resolve(f.path), kind: f.kind, sha256: f.sha256, bytes: f.bytes }));
  b.title = `OFAC SDN list${ds.publishDate ? ` published ${ds.publishDate}` : ''} (${[...new Set(ds.files.map((f) => f.kind))].join(', ')})`;
  b.creator = OFAC_CREATOR;
  const fileOf = (kind: string): string => ds.files.find((f) => f.kind === kind)?.path ?? sourcePath;
  const entryFile = fileOf(ds.files.some((f) => f.kind === 'sdn_advanced.xml') ? 'sdn_advanced.xml' : ds.files.some((f) => f.kind === 'sdn.xml') ? 'sdn.xml' : 'sdn.csv');
  const seen = new Set<string>();
  const tagged = new Set<string>();
  for (const e of ds.entries) {
    b.actors.push(actorOf(e));
    e.digitalCurrencyAddresses.forEach((a, i) => {
      const norm = asListed(b, currencyFromOfac(a.currency), a.address, `${entryFile} ent_num ${e.entNum} (${e.name}) digital currency address [${i}]`);
      const key = `${norm.currency}\u0000${norm.address}\u0000${e.entNum}`;
      if (seen.has(key)) {
        countSkip(b.skipped, 'address repeated within its SDN entry');
        return;
      }
      seen.add(key);
      tagged.add(`${norm.currency}\u0000${norm.address}`);
      b.tags.push(sanctionTag(norm.currency, norm.address, e.name, actorIdFor(e.name), sdnUrl(e.entNum), ds.publishDate, e.entNum, {
        ent_num: e.entNum,
        programs: e.programs,
        sdn_type: e.type,
        listed_as: `${a.currency} ${a.address}`,
        ...(norm.check === null ? {} : { address_check: norm.check }),
      }));
    });
  }
  ds.listedAddresses.forEach((a, i) => {
    const cur = currencyFromOfac(a.currency);
    const listFile = ds.files.find((f) => f.kind === 'address-list' && f.currency === a.currency.toUpperCase())?.path ?? sourcePath;
    const norm = asListed(b, cur, a.address, `${listFile} listed address [${i}]`);
    const key = `${norm.currency}\u0000${norm.address}`;
    if (tagged.has(key)) {
      countSkip(b.skipped, 'list address already tagged from its SDN entry');
      return;
    }
    tagged.add(key);
    b.tags.push(sanctionTag(norm.currency, norm.address, 'OFAC SDN digital currency address', null, resolve(listFile), ds.publishDate, null, {
      list: resolve(listFile),
      ...(norm.check === null ? {} : { address_check: norm.check }),
    }));
  });
  return b;
}

/** The normalised address, or the address as OFAC listed it (trimmed) with the failed check noted. */
function asListed(b: SourceBatch, currency: string, address: string, where: string): { currency: string; address: string; check: string | null } {
  const norm = normalizeAddress(currency, address);
  if (norm.ok) return { currency: norm.currency, address: norm.address, check: null };
  const note = `${where}: kept as listed: ${norm.problem}`;
  if (!b.notes.includes(note)) b.notes.push(note);
  return { currency, address: address.trim(), check: norm.problem };
}

function sanctionTag(
  currency: string,
  address: string,
  label: string,
  actorId: string | null,
  sourceUrl: string,
  date: string | null,
  entNum: number | null,
  context: Record<string, unknown>,
): TagInput {
  return {
    currency,
    address,
    label,
    category: 'sanction',
    abuse: 'sanction',
    actorId,
    sourceUrl,
    creator: OFAC_CREATOR,
    date,
    confidence: 'authority_data',
    isClusterDefiner: null,
    context: JSON.stringify(context),
    line: 0,
    ofacEntNum: entNum,
  };
}

/** OFAC remarks "Linked To: NAME;" (the listed party this one is linked to), as actor references. */
export function linkedTo(remarks: string): string[] {
  const out: string[] = [];
  for (const m of remarks.matchAll(/Linked To: ([^;]+)/g)) {
    const name = (m[1] ?? '').trim().replace(/\.$/, '');
    if (name !== '' && !out.includes(name)) out.push(name);
  }
  return out;
}

function actorOf(e: SdnEntry): ActorInput {
  return {
    actorId: actorIdFor(e.name),
    name: e.name,
    type: e.type,
    aliases: e.aliases.map((a) => a.name),
    countries: e.countries,
    categories: ['sanction'],
    uri: sdnUrl(e.entNum),
    description: e.title,
    refs: [
      { kind: 'ofac-sdn', refId: String(e.entNum), name: e.name, url: sdnUrl(e.entNum) },
      ...e.programs.map((p) => ({ kind: 'sanctions-program', refId: p, name: `OFAC programme ${p}`, url: null })),
      ...linkedTo(e.remarks).map((n) => ({ kind: 'linked-to', refId: actorIdFor(n), name: n, url: null })),
    ],
    context: JSON.stringify({ remarks: e.remarks, birth_years: e.birthYears, addresses: e.addresses }),
    line: 0,
  };
}

/**
 * `label import ofac FILE|DIR [FILE...]`: reads OFAC data with the OFAC readers (loadOfac) and imports it as
 * one source (path = the argument, or the sorted arguments joined by " + ").
 */
export async function importOfac(db: Database, paths: readonly string[], options: ImportOptions = {}, loaded?: OfacDataset): Promise<SourceImportResult[]> {
  // `loaded`: the dataset of `paths` when the caller read it already (the CLI also refreshes name screening from it).
  const ds = loaded ?? (await loadOfac(paths.length === 1 ? (paths[0] as string) : paths));
  const sourcePath = paths.map((p) => resolve(p)).sort().join(' + ');
  const batch = ofacBatch(ds, sourcePath);
  return importSources(
    db,
    async (write) => {
      await write(batch);
    },
    options,
  );
}
