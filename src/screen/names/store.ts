import { createHash } from 'node:crypto';
import { NotFoundError, UsageError } from '../../core/index.js';
import type { LoadedOfacDataset, SdnAlias, SdnEntry } from '../../labels/sources/ofac/index.js';
import type { Database } from '../../store/index.js';
import { NameIndex } from './nameIndex.js';
import { NAME_TYPES, type NameType, validateName } from './normalize.js';
import type { ScreenNameHit } from './types.js';

/**
 * DuckDB persistence for name screening: the loaded sanctions list (entries and aliases), the
 * customer records screened against it, the adjudications of their hits and the latest hits.
 * Tables are created with CREATE TABLE IF NOT EXISTS; the list tables hold the current list only
 * (a new load replaces them in one transaction), the adjudications keep the entry hash they were
 * made against so a changed entry re-raises a suppressed false positive.
 */
export const NAME_SCREENING_SCHEMA_SQL = `
CREATE TABLE IF NOT EXISTS screen_lists (
  list_version VARCHAR PRIMARY KEY,   -- first 16 hex of sha256 over the source files' sha256
  loaded_at TIMESTAMP NOT NULL,
  sources VARCHAR NOT NULL,           -- JSON [{path, sha256, kind, bytes}]
  publish_date VARCHAR,
  entries INTEGER NOT NULL,
  names INTEGER NOT NULL,
  is_current BOOLEAN NOT NULL
);
CREATE TABLE IF NOT EXISTS screen_sdn_entries (
  ent_num INTEGER PRIMARY KEY,
  name VARCHAR NOT NULL,
  type VARCHAR NOT NULL,               -- individual | entity | vessel | aircraft
  programs VARCHAR NOT NULL,           -- JSON array
  title VARCHAR,
  remarks VARCHAR NOT NULL,
  birth_years VARCHAR NOT NULL,        -- JSON array
  countries VARCHAR NOT NULL,          -- JSON array
  entry_hash VARCHAR NOT NULL,
  list_version VARCHAR NOT NULL
);
CREATE TABLE IF NOT EXISTS screen_sdn_aliases (
  ent_num INTEGER NOT NULL,
  alt_num INTEGER NOT NULL,
  kind VARCHAR NOT NULL,               -- aka | fka | nka
  name VARCHAR NOT NULL,
  quality VARCHAR NOT NULL,            -- strong | weak
  source VARCHAR
);
CREATE TABLE IF NOT EXISTS screen_customers (
  customer_id VARCHAR PRIMARY KEY,
  name VARCHAR NOT NULL,
  type VARCHAR NOT NULL,
  birth_year INTEGER,
  country VARCHAR,
  added_at TIMESTAMP NOT NULL
);
CREATE TABLE IF NOT EXISTS screen_adjudications (
  customer_id VARCHAR NOT NULL,
  ent_num INTEGER NOT NULL,
  decision VARCHAR NOT NULL,           -- false_positive | confirmed
  entry_hash VARCHAR NOT NULL,         -- the list entry as it was when decided
  user_name VARCHAR NOT NULL,
  decided_at TIMESTAMP NOT NULL,
  note VARCHAR
);
CREATE TABLE IF NOT EXISTS screen_customer_hits (
  customer_id VARCHAR NOT NULL,
  ent_num INTEGER NOT NULL,
  score DOUBLE NOT NULL,
  status VARCHAR NOT NULL,             -- open | reraised | confirmed | suppressed
  entry_hash VARCHAR NOT NULL,
  list_version VARCHAR NOT NULL,
  screened_at TIMESTAMP NOT NULL,
  hit VARCHAR NOT NULL                 -- JSON ScreenNameHit (with its explanation)
);
`;

/** Creates the tables if missing. */
export async function ensureNameScreeningSchema(db: Database): Promise<void> {
  await db.run(NAME_SCREENING_SCHEMA_SQL);
}

export interface LoadedListInfo {
  listVersion: string;
  loadedAt: string;
  publishDate: string | null;
  entries: number;
  names: number;
}

/** Reads the current list from the database and builds the in-process index (null when none loaded). */
export async function openNameIndex(db: Database): Promise<{ index: NameIndex; info: LoadedListInfo } | null> {
  const hasTables = await db.one<{ n: bigint }>(`select count(*) n from information_schema.tables where table_name = 'screen_lists'`);
  if (!hasTables || Number(hasTables.n) === 0) return null;
  const cur = await db.one<{ list_version: string; loaded_at: unknown; publish_date: string | null; entries: number; names: number }>(
    'select list_version, cast(loaded_at as varchar) loaded_at, publish_date, entries, names from screen_lists where is_current',
  );
  if (!cur) return null;
  const rows = await db.all<{ ent_num: number; name: string; type: string; programs: string; title: string | null; remarks: string; birth_years: string; countries: string }>(
    'select ent_num, name, type, programs, title, remarks, birth_years, countries from screen_sdn_entries order by ent_num',
  );
  const aliases = await db.all<{ ent_num: number; alt_num: number; kind: string; name: string; quality: string; source: string | null }>(
    'select ent_num, alt_num, kind, name, quality, source from screen_sdn_aliases order by ent_num, alt_num, name',
  );
  const byEnt = new Map<number, SdnAlias[]>();
  for (const a of aliases) {
    const list = byEnt.get(a.ent_num) ?? [];
    const alias: SdnAlias = { altNum: a.alt_num, kind: a.kind as SdnAlias['kind'], name: a.name, quality: a.quality as SdnAlias['quality'] };
    if (a.source) alias.source = a.source as NonNullable<SdnAlias['source']>;
    list.push(alias);
    byEnt.set(a.ent_num, list);
  }
  const entries: SdnEntry[] = rows.map((r) => ({
    entNum: r.ent_num,
    name: r.name,
    type: r.type as SdnEntry['type'],
    programs: JSON.parse(r.programs) as string[],
    title: r.title,
    remarks: r.remarks,
    aliases: byEnt.get(r.ent_num) ?? [],
    addresses: [],
    digitalCurrencyAddresses: [],
    birthYears: JSON.parse(r.birth_years) as number[],
    countries: JSON.parse(r.countries) as string[],
  }));
  return {
    index: NameIndex.build(entries, cur.list_version),
    info: { listVersion: cur.list_version, loadedAt: String(cur.loaded_at), publishDate: cur.publish_date, entries: cur.entries, names: cur.names },
  };
}

/** What a re-screen changed for the stored customers. */
export interface RescreenSummary {
  listVersion: string;
  previousListVersion: string | null;
  customers: number;
  /** Hits raised now that were not raised before (new list entries, new aliases, new customers). */
  newHits: { customerId: string; entNum: number; listedName: string; score: number; status: CustomerHitStatus }[];
  /** Hits raised before that are gone (entry delisted or name changed). */
  removedHits: { customerId: string; entNum: number; previousScore: number }[];
  /** False positives re-raised because the list entry changed since the adjudication. */
  reraised: { customerId: string; entNum: number; listedName: string; score: number }[];
  /** Hits still raised whose score changed by ≥ 0.01. */
  changedScores: { customerId: string; entNum: number; previousScore: number; score: number }[];
  /** Adjudicated false positives still suppressed (entry unchanged). */
  suppressed: number;
}

export type CustomerHitStatus = 'open' | 'reraised' | 'confirmed' | 'suppressed';

/** A stored customer record. */
export interface CustomerRecord {
  customerId: string;
  name: string;
  type: NameType;
  birthYear: number | null;
  country: string | null;
}

export interface CustomerHit extends ScreenNameHit {
  status: CustomerHitStatus;
  adjudication: { decision: 'false_positive' | 'confirmed'; user: string; decidedAt: string; note: string | null; entryHashAtDecision: string } | null;
}

/**
 * Loads a list into the database (replacing the current one) and re-screens every stored
 * customer against it, in one transaction: nothing is half-written.
 */
export async function loadList(db: Database, ds: LoadedOfacDataset, now = new Date()): Promise<{ info: LoadedListInfo; index: NameIndex; rescreen: RescreenSummary }> {
  if (ds.entries.length === 0) {
    throw new UsageError('the files given contain no SDN entries (address lists alone cannot be screened by name)', { files: ds.files.map((f) => f.path) }, 'Give SDN.CSV (+ALT.CSV, SDN_COMMENTS.CSV), SDN.XML or SDN_ADVANCED.XML.');
  }
  await ensureNameScreeningSchema(db);
  const listVersion = createHash('sha256').update(ds.files.map((f) => f.sha256).sort().join(',')).digest('hex').slice(0, 16);
  const index = NameIndex.build(ds.entries, listVersion);
  const prev = await db.one<{ list_version: string }>('select list_version from screen_lists where is_current');
  const rescreen = await db.transaction(async () => {
    await db.run('delete from screen_sdn_entries');
    await db.run('delete from screen_sdn_aliases');
    await db.run('update screen_lists set is_current = false');
    await db.run('delete from screen_lists where list_version = ?', [listVersion]);
    await db.run('insert into screen_lists values (?, ?::timestamp, ?, ?, ?, ?, true)', [
      listVersion,
      now.toISOString(),
      JSON.stringify(ds.files.map((f) => ({ path: f.path, sha256: f.sha256, kind: f.kind, bytes: f.bytes }))),
      ds.publishDate,
      ds.entries.length,
      index.size,
    ]);
    const ea = await db.appender('screen_sdn_entries');
    const aa = await db.appender('screen_sdn_aliases');
    try {
      for (const e of ds.entries) {
        ea.appendInteger(e.entNum);
        ea.appendVarchar(e.name);
        ea.appendVarchar(e.type);
        ea.appendVarchar(JSON.stringify(e.programs));
        if (e.title === null) ea.appendNull();
        else ea.appendVarchar(e.title);
        ea.appendVarchar(e.remarks);
        ea.appendVarchar(JSON.stringify(e.birthYears));
        ea.appendVarchar(JSON.stringify(e.countries));
        ea.appendVarchar(index.hashOf(e.entNum) as string);
        ea.appendVarchar(listVersion);
        ea.endRow();
        for (const a of e.aliases) {
          aa.appendInteger(e.entNum);
          aa.appendInteger(a.altNum);
          aa.appendVarchar(a.kind);
          aa.appendVarchar(a.name);
          aa.appendVarchar(a.quality);
          if (a.source === undefined) aa.appendNull();
          else aa.appendVarchar(a.source);
          aa.endRow();
        }
      }
      ea.flushSync();
      aa.flushSync();
    } finally {
      ea.closeSync();
      aa.closeSync();
    }
    return rescreenAll(db, index, prev?.list_version ?? null, now);
  });
  return {
    info: { listVersion, loadedAt: now.toISOString(), publishDate: ds.publishDate, entries: ds.entries.length, names: index.size },
    index,
    rescreen,
  };
}

/** Checks and normalises a customer record. @throws UsageError */
export function checkCustomer(c: CustomerRecord): CustomerRecord {
  if (typeof c.customerId !== 'string' || !/^[\w.:@-]{1,100}$/.test(c.customerId)) {
    throw new UsageError(`customer id: expected 1–100 characters of letters, digits, _ . : @ -, got ${JSON.stringify(c.customerId)}`);
  }
  validateName(c.name, 'customer name');
  if (!NAME_TYPES.includes(c.type)) throw new UsageError(`type: unknown type ${JSON.stringify(c.type)}; expected one of ${NAME_TYPES.join(', ')}`);
  if (c.birthYear !== null && (!Number.isInteger(c.birthYear) || c.birthYear < 1800 || c.birthYear > 2100)) throw new UsageError(`birth year: expected 1800..2100, got ${c.birthYear}`);
  return c;
}

/** Adds or replaces a customer record. */
export async function upsertCustomer(db: Database, c: CustomerRecord, now = new Date()): Promise<void> {
  checkCustomer(c);
  await ensureNameScreeningSchema(db);
  await db.run('delete from screen_customers where customer_id = ?', [c.customerId]);
  await db.run('insert into screen_customers values (?, ?, ?, ?, ?, ?::timestamp)', [c.customerId, c.name, c.type, c.birthYear, c.country, now.toISOString()]);
}

/** Stored customers with the counts of their latest hits by status. */
export async function listCustomers(db: Database): Promise<(CustomerRecord & { openHits: number; suppressedHits: number; confirmedHits: number })[]> {
  await ensureNameScreeningSchema(db);
  const rows = await db.all<{ customer_id: string; name: string; type: string; birth_year: number | null; country: string | null; open: bigint; suppressed: bigint; confirmed: bigint }>(`
    select c.customer_id, c.name, c.type, c.birth_year, c.country,
      count(h.ent_num) filter (where h.status in ('open', 'reraised')) open,
      count(h.ent_num) filter (where h.status = 'suppressed') suppressed,
      count(h.ent_num) filter (where h.status = 'confirmed') confirmed
    from screen_customers c left join screen_customer_hits h using (customer_id)
    group by all order by c.customer_id`);
  return rows.map((r) => ({
    customerId: r.customer_id,
    name: r.name,
    type: r.type as NameType,
    birthYear: r.birth_year,
    country: r.country,
    openHits: Number(r.open),
    suppressedHits: Number(r.suppressed),
    confirmedHits: Number(r.confirmed),
  }));
}

async function latestAdjudications(db: Database, customerId?: string): Promise<Map<string, NonNullable<CustomerHit['adjudication']>>> {
  const rows = await db.all<{ customer_id: string; ent_num: number; decision: string; entry_hash: string; user_name: string; decided_at: string; note: string | null }>(
    `select customer_id, ent_num, decision, entry_hash, user_name, cast(decided_at as varchar) decided_at, note from (
       select *, row_number() over (partition by customer_id, ent_num order by decided_at desc, rowid desc) rn from screen_adjudications
       ${customerId === undefined ? '' : 'where customer_id = $c'}) where rn = 1`,
    customerId === undefined ? undefined : { c: customerId },
  );
  const m = new Map<string, NonNullable<CustomerHit['adjudication']>>();
  for (const r of rows) m.set(`${r.customer_id}|${r.ent_num}`, { decision: r.decision as 'false_positive' | 'confirmed', user: r.user_name, decidedAt: r.decided_at, note: r.note, entryHashAtDecision: r.entry_hash });
  return m;
}

/** Screens one customer against the index, applying adjudications (no database writes). */
export function screenCustomer(index: NameIndex, c: CustomerRecord, adjudications: Map<string, NonNullable<CustomerHit['adjudication']>>): CustomerHit[] {
  const r = index.screen({ name: c.name, type: c.type, ...(c.birthYear === null ? {} : { birthYear: c.birthYear }), ...(c.country === null ? {} : { country: c.country }), limit: 20 });
  return r.hits.map((h) => {
    const adj = adjudications.get(`${c.customerId}|${h.entNum}`) ?? null;
    let status: CustomerHitStatus = 'open';
    if (adj?.decision === 'confirmed') status = 'confirmed';
    else if (adj?.decision === 'false_positive') status = adj.entryHashAtDecision === h.entryHash ? 'suppressed' : 'reraised';
    return { ...h, status, adjudication: adj };
  });
}

async function storeHits(db: Database, customerId: string, hits: CustomerHit[], listVersion: string, now: Date): Promise<void> {
  await db.run('delete from screen_customer_hits where customer_id = ?', [customerId]);
  for (const h of hits) {
    await db.run('insert into screen_customer_hits values (?, ?, ?, ?, ?, ?, ?::timestamp, ?)', [customerId, h.entNum, h.score, h.status, h.entryHash, listVersion, now.toISOString(), JSON.stringify(h)]);
  }
}

/** Re-screens one stored customer and stores the hits. @throws NotFoundError */
export async function rescreenCustomer(db: Database, index: NameIndex, customerId: string, now = new Date()): Promise<CustomerHit[]> {
  await ensureNameScreeningSchema(db);
  const row = await db.one<{ customer_id: string; name: string; type: string; birth_year: number | null; country: string | null }>('select * exclude (added_at) from screen_customers where customer_id = ?', [customerId]);
  if (!row) throw new NotFoundError('customer', customerId, 'Add it with `ledgerhound screen customer add ID --name NAME`.');
  const c: CustomerRecord = { customerId: row.customer_id, name: row.name, type: row.type as NameType, birthYear: row.birth_year, country: row.country };
  const hits = screenCustomer(index, c, await latestAdjudications(db, customerId));
  await storeHits(db, customerId, hits, index.listVersion ?? '', now);
  return hits;
}

/** Re-screens every stored customer; returns what changed against the stored hits. */
export async function rescreenAll(db: Database, index: NameIndex, previousListVersion: string | null, now = new Date()): Promise<RescreenSummary> {
  const customers = await db.all<{ customer_id: string; name: string; type: string; birth_year: number | null; country: string | null }>('select * exclude (added_at) from screen_customers order by customer_id');
  const before = await db.all<{ customer_id: string; ent_num: number; score: number; status: string }>('select customer_id, ent_num, score, status from screen_customer_hits');
  const prev = new Map(before.map((b) => [`${b.customer_id}|${b.ent_num}`, b]));
  const adj = await latestAdjudications(db);
  const summary: RescreenSummary = { listVersion: index.listVersion ?? '', previousListVersion, customers: customers.length, newHits: [], removedHits: [], reraised: [], changedScores: [], suppressed: 0 };
  const seen = new Set<string>();
  for (const r of customers) {
    const c: CustomerRecord = { customerId: r.customer_id, name: r.name, type: r.type as NameType, birthYear: r.birth_year, country: r.country };
    const hits = screenCustomer(index, c, adj);
    await storeHits(db, c.customerId, hits, index.listVersion ?? '', now);
    for (const h of hits) {
      const k = `${c.customerId}|${h.entNum}`;
      seen.add(k);
      const p = prev.get(k);
      if (h.status === 'suppressed') summary.suppressed++;
      if (h.status === 'reraised' && p?.status !== 'reraised') summary.reraised.push({ customerId: c.customerId, entNum: h.entNum, listedName: h.listedName, score: h.score });
      if (!p) {
        if (h.status !== 'suppressed') summary.newHits.push({ customerId: c.customerId, entNum: h.entNum, listedName: h.listedName, score: h.score, status: h.status });
      } else if (Math.abs(p.score - h.score) >= 0.01) {
        summary.changedScores.push({ customerId: c.customerId, entNum: h.entNum, previousScore: p.score, score: h.score });
      }
    }
  }
  for (const [k, p] of prev) if (!seen.has(k)) summary.removedHits.push({ customerId: p.customer_id, entNum: p.ent_num, previousScore: p.score });
  return summary;
}

/**
 * Records an adjudication of a customer's hit on a list entry, tied to the entry's current hash.
 * @throws NotFoundError when the customer or the entry is unknown; UsageError for a bad decision or user
 */
export async function adjudicate(
  db: Database,
  a: { customerId: string; entNum: number; decision: 'false_positive' | 'confirmed'; user: string; note: string | null },
  now = new Date(),
): Promise<{ entryHash: string; listedName: string }> {
  await ensureNameScreeningSchema(db);
  if (a.decision !== 'false_positive' && a.decision !== 'confirmed') throw new UsageError(`decision: expected false-positive or confirmed, got ${JSON.stringify(a.decision)}`);
  if (typeof a.user !== 'string' || a.user.trim() === '' || a.user.length > 100) throw new UsageError('user: who decides is required (1–100 characters)');
  const cust = await db.one('select 1 from screen_customers where customer_id = ?', [a.customerId]);
  if (!cust) throw new NotFoundError('customer', a.customerId);
  const e = await db.one<{ entry_hash: string; name: string }>('select entry_hash, name from screen_sdn_entries where ent_num = ?', [a.entNum]);
  if (!e) throw new NotFoundError('SDN entry', String(a.entNum), 'Load a list with `ledgerhound screen load-list DIR`, and use an ent_num from the hits.');
  await db.run('insert into screen_adjudications values (?, ?, ?, ?, ?, ?::timestamp, ?)', [a.customerId, a.entNum, a.decision, e.entry_hash, a.user.trim(), now.toISOString(), a.note]);
  await db.run('update screen_customer_hits set status = ? where customer_id = ? and ent_num = ?', [a.decision === 'confirmed' ? 'confirmed' : 'suppressed', a.customerId, a.entNum]);
  return { entryHash: e.entry_hash, listedName: e.name };
}
