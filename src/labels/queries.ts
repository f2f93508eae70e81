import { decodeAddress } from '../chain/index.js';
import type { Database } from '../store/index.js';
import { actorIdFor } from './model.js';
import { type ClusterConflict, type ClusterLabel, type ClusterMode, clusterLabels, clusterOfAddress } from './propagation.js';
import { ensureLabelSchema } from './schema.js';
import { conceptWithNarrower, resolveConcept } from './taxonomy/taxonomy.js';

/** Where a fact comes from: the imported source (file, its hash, import time) and the line in it. */
export interface FactSource {
  sourceId: number;
  kind: string;
  path: string;
  sha256: string;
  importedAt: string;
  line: number;
}

/** One tag with its provenance. */
export interface TagFact {
  tagId: number;
  currency: string;
  address: string;
  label: string;
  category: string;
  abuse: string | null;
  isAbuse: boolean;
  actorId: string | null;
  confidence: string;
  confidenceLevel: number;
  date: string | null;
  creator: string | null;
  /** Where the source says the fact comes from (URL or citation). */
  reference: string | null;
  ofacEntNum: number | null;
  context: string | null;
  source: FactSource;
}

/**
 * The lookup keys an address typed by a user may be stored under (see normalizeAddress): as written; lower-case
 * for `0x` accounts and for bech32 Bitcoin addresses.
 */
export function addressKeys(input: string): string[] {
  const a = input.trim();
  const keys = new Set([a]);
  if (/^0x[0-9a-fA-F]{40}$/.test(a)) keys.add(a.toLowerCase());
  try {
    if (decodeAddress(a).witnessVersion !== null) keys.add(a.toLowerCase());
  } catch {
    // not a Bitcoin address: other chains are stored as written
  }
  return [...keys];
}

const TAG_SELECT = `
  SELECT t.tag_id, t.currency, t.address, t.label, t.category, t.abuse, t.is_abuse, t.actor_id, t.confidence,
         t.confidence_level, t.tag_date, t.creator, t.source_url, t.ofac_ent_num, t.context, t.line,
         s.source_id, s.kind, s.path, s.sha256, strftime(s.imported_at, '%Y-%m-%dT%H:%M:%SZ') AS imported_at
  FROM label_tags t JOIN label_sources s ON s.source_id = t.source_id`;

interface TagRow {
  tag_id: number; currency: string; address: string; label: string; category: string; abuse: string | null; is_abuse: boolean;
  actor_id: string | null; confidence: string; confidence_level: number; tag_date: string | null; creator: string | null;
  source_url: string | null; ofac_ent_num: number | null; context: string | null; line: number; source_id: number; kind: string;
  path: string; sha256: string; imported_at: string;
}

function toTag(r: TagRow): TagFact {
  return {
    tagId: Number(r.tag_id),
    currency: r.currency,
    address: r.address,
    label: r.label,
    category: r.category,
    abuse: r.abuse,
    isAbuse: r.is_abuse,
    actorId: r.actor_id,
    confidence: r.confidence,
    confidenceLevel: Number(r.confidence_level),
    date: r.tag_date,
    creator: r.creator,
    reference: r.source_url,
    ofacEntNum: r.ofac_ent_num === null ? null : Number(r.ofac_ent_num),
    context: r.context,
    source: { sourceId: Number(r.source_id), kind: r.kind, path: r.path, sha256: r.sha256, importedAt: r.imported_at, line: Number(r.line) },
  };
}

/** Everything known about one address: its tags, the incidents it defines, and its cluster's labels. */
export interface AddressReport {
  query: string;
  tags: TagFact[];
  incidents: { incidentId: string; name: string; role: string; label: string | null; source: FactSource }[];
  cluster: { id: number; mode: ClusterMode; addresses: number; labels: ClusterLabel[]; conflict: ClusterConflict | null } | null;
}

/** `label show ADDRESS`. */
export async function showAddress(db: Database, address: string): Promise<AddressReport> {
  await ensureLabelSchema(db);
  const keys = addressKeys(address);
  const ph = keys.map((_, i) => `$${i + 1}`).join(', ');
  const tags = (await db.allJson<TagRow>(`${TAG_SELECT} WHERE t.address IN (${ph}) ORDER BY t.confidence_level DESC, t.tag_id`, keys)).map(toTag);
  const inc = await db.allJson<{ incident_id: string; name: string; role: string; label: string | null; source_id: number; kind: string; path: string; sha256: string; imported_at: string; line: number }>(
    `SELECT a.incident_id, coalesce(i.name, a.incident_id) AS name, a.role, a.label, s.source_id, s.kind, s.path, s.sha256,
            strftime(s.imported_at, '%Y-%m-%dT%H:%M:%SZ') AS imported_at, a.line
     FROM label_incident_addresses a JOIN label_sources s ON s.source_id = a.source_id
     LEFT JOIN label_incidents i ON i.incident_id = a.incident_id AND i.source_id = a.source_id
     WHERE a.address IN (${ph}) ORDER BY a.incident_id`,
    keys,
  );
  let cluster: AddressReport['cluster'] = null;
  for (const k of keys) {
    const c = await clusterOfAddress(db, k);
    if (c !== undefined) {
      const r = await clusterLabels(db, c);
      cluster = { id: c, ...r };
      break;
    }
  }
  return {
    query: address,
    tags,
    incidents: inc.map((r) => ({
      incidentId: r.incident_id,
      name: r.name,
      role: r.role,
      label: r.label,
      source: { sourceId: r.source_id, kind: r.kind, path: r.path, sha256: r.sha256, importedAt: r.imported_at, line: r.line },
    })),
    cluster,
  };
}

/** `label show CLUSTER`: the labels a cluster carries (see clusterLabels). */
export async function showCluster(db: Database, cluster: number): Promise<{ id: number; mode: ClusterMode; addresses: number; labels: ClusterLabel[]; conflict: ClusterConflict | null }> {
  await ensureLabelSchema(db);
  return { id: cluster, ...(await clusterLabels(db, cluster)) };
}

/** Filters of `label list`. */
export interface ListFilter {
  /** A concept id or synonym; narrower concepts are included (service → exchange, ...). */
  category?: string;
  /** Actor id, name or alias. */
  actor?: string;
  currency?: string;
  limit?: number;
}

/** `label list`: tags matching the filters (strongest first) and how many match in all. */
export async function listTags(db: Database, f: ListFilter): Promise<{ total: number; tags: TagFact[] }> {
  await ensureLabelSchema(db);
  const where: string[] = [];
  const params: (string | number)[] = [];
  if (f.category !== undefined) {
    const c = resolveConcept(f.category);
    const ids = c === undefined ? [f.category] : conceptWithNarrower(c.id);
    const start = params.length;
    params.push(...ids);
    const ph = ids.map((_, i) => `$${start + i + 1}`).join(', ');
    where.push(`(t.category IN (${ph}) OR t.abuse IN (${ph}))`);
  }
  if (f.actor !== undefined) {
    const ids = await resolveActorIds(db, f.actor);
    const list = ids.length > 0 ? ids : [actorIdFor(f.actor)];
    const start = params.length;
    params.push(...list);
    where.push(`t.actor_id IN (${list.map((_, i) => `$${start + i + 1}`).join(', ')})`);
  }
  if (f.currency !== undefined) {
    params.push(f.currency.trim().toUpperCase());
    where.push(`t.currency = $${params.length}`);
  }
  const w = where.length ? `WHERE ${where.join(' AND ')}` : '';
  const total = await db.allJson<{ n: number }>(`SELECT count(*)::INTEGER AS n FROM label_tags t ${w}`, params);
  const limit = Math.max(0, Math.min(f.limit ?? 100, 100_000));
  const rows = await db.allJson<TagRow>(`${TAG_SELECT} ${w} ORDER BY t.confidence_level DESC, t.tag_id LIMIT ${limit}`, params);
  return { total: Number(total[0]?.n ?? 0), tags: rows.map(toTag) };
}

/** Actor ids a name refers to: its id, a source's name for it, or an alias (case-insensitive). */
export async function resolveActorIds(db: Database, name: string): Promise<string[]> {
  await ensureLabelSchema(db);
  const rows = await db.allJson<{ actor_id: string }>(
    `SELECT actor_id FROM label_actors WHERE actor_id = $1 OR lower(name) = lower($2)
     UNION SELECT actor_id FROM label_actor_aliases WHERE lower(alias) = lower($2)
     UNION SELECT DISTINCT actor_id FROM label_tags WHERE actor_id = $1
     ORDER BY actor_id`,
    [actorIdFor(name), name.trim()],
  );
  return rows.map((r) => r.actor_id);
}

/** An actor as all sources describe it, each fact with its source. */
export interface ActorReport {
  actorId: string;
  names: { name: string; type: string | null; countries: string[]; categories: string[]; uri: string | null; description: string | null; source: FactSource }[];
  aliases: { alias: string; sources: string[] }[];
  refs: { kind: string; refId: string | null; name: string | null; url: string | null; source: string }[];
  tags: { total: number; byCategory: { category: string; n: number }[]; bySource: { path: string; n: number }[]; sample: TagFact[] };
  incidents: { incidentId: string; name: string; confidence: string | null; source: string }[];
}

/** `actor show NAME`: every actor the name resolves to (usually one). */
export async function showActor(db: Database, name: string, sample = 10): Promise<ActorReport[]> {
  const ids = await resolveActorIds(db, name);
  const out: ActorReport[] = [];
  for (const id of ids) {
    const names = await db.allJson<{ name: string; actor_type: string | null; countries: string | null; categories: string | null; uri: string | null; description: string | null; line: number; source_id: number; kind: string; path: string; sha256: string; imported_at: string }>(
      `SELECT a.name, a.actor_type, a.countries, a.categories, a.uri, a.description, a.line, s.source_id, s.kind, s.path, s.sha256,
              strftime(s.imported_at, '%Y-%m-%dT%H:%M:%SZ') AS imported_at
       FROM label_actors a JOIN label_sources s USING (source_id) WHERE a.actor_id = $1 ORDER BY s.source_id`,
      [id],
    );
    const aliases = await db.allJson<{ alias: string; sources: string[] }>(
      `SELECT alias, list(DISTINCT s.path ORDER BY s.path) AS sources FROM label_actor_aliases a JOIN label_sources s USING (source_id)
       WHERE a.actor_id = $1 GROUP BY alias ORDER BY lower(alias)`,
      [id],
    );
    const refs = await db.allJson<{ ref_kind: string; ref_id: string | null; name: string | null; url: string | null; path: string }>(
      `SELECT r.ref_kind, r.ref_id, r.name, r.url, s.path FROM label_actor_refs r JOIN label_sources s USING (source_id)
       WHERE r.actor_id = $1 ORDER BY r.ref_kind, r.name`,
      [id],
    );
    const total = await db.allJson<{ n: number }>('SELECT count(*)::INTEGER AS n FROM label_tags WHERE actor_id = $1', [id]);
    const byCategory = await db.allJson<{ category: string; n: number }>('SELECT category, count(*)::INTEGER AS n FROM label_tags WHERE actor_id = $1 GROUP BY 1 ORDER BY 2 DESC', [id]);
    const bySource = await db.allJson<{ path: string; n: number }>(
      'SELECT s.path, count(*)::INTEGER AS n FROM label_tags t JOIN label_sources s USING (source_id) WHERE t.actor_id = $1 GROUP BY 1 ORDER BY 2 DESC',
      [id],
    );
    const tags = (await db.allJson<TagRow>(`${TAG_SELECT} WHERE t.actor_id = $1 ORDER BY t.confidence_level DESC, t.tag_id LIMIT ${sample}`, [id])).map(toTag);
    const incidents = await db.allJson<{ incident_id: string; name: string; attribution_confidence: string | null; path: string }>(
      'SELECT i.incident_id, i.name, i.attribution_confidence, s.path FROM label_incidents i JOIN label_sources s USING (source_id) WHERE i.actor_id = $1 ORDER BY i.incident_id',
      [id],
    );
    const parse = (v: string | null): string[] => (v === null ? [] : (JSON.parse(v) as string[]));
    out.push({
      actorId: id,
      names: names.map((n) => ({
        name: n.name,
        type: n.actor_type,
        countries: parse(n.countries),
        categories: parse(n.categories),
        uri: n.uri,
        description: n.description,
        source: { sourceId: n.source_id, kind: n.kind, path: n.path, sha256: n.sha256, importedAt: n.imported_at, line: n.line },
      })),
      aliases: aliases.map((a) => ({ alias: a.alias, sources: [...a.sources] })),
      refs: refs.map((r) => ({ kind: r.ref_kind, refId: r.ref_id, name: r.name, url: r.url, source: r.path })),
      tags: { total: Number(total[0]?.n ?? 0), byCategory, bySource, sample: tags },
      incidents: incidents.map((i) => ({ incidentId: i.incident_id, name: i.name, confidence: i.attribution_confidence, source: i.path })),
    });
  }
  return out;
}

/** An incident as all sources describe it, each fact with its source. */
export interface IncidentReport {
  incidentId: string;
  facts: { name: string; victim: string | null; date: string | null; chain: string | null; amount: number | null; amountUnit: string | null; actorId: string | null; attributionConfidence: string | null; description: string | null; source: FactSource }[];
  refs: { url: string; source: string }[];
  addresses: { currency: string; address: string; label: string | null; role: string; source: string; line: number }[];
  txs: { chain: string; txid: string; role: string; source: string }[];
}

/**
 * `incident show NAME`: incidents whose id is the name's slug ("Bitfinex" → bitfinex), else whose name or victim
 * contains the text (case-insensitive).
 */
export async function showIncident(db: Database, name: string): Promise<IncidentReport[]> {
  await ensureLabelSchema(db);
  let ids = (await db.allJson<{ incident_id: string }>('SELECT DISTINCT incident_id FROM label_incidents WHERE incident_id = $1', [actorIdFor(name)])).map((r) => r.incident_id);
  if (ids.length === 0) {
    ids = (
      await db.allJson<{ incident_id: string }>(
        `SELECT DISTINCT incident_id FROM label_incidents WHERE name ILIKE '%' || $1 || '%' OR victim ILIKE '%' || $1 || '%' ORDER BY incident_id`,
        [name.trim()],
      )
    ).map((r) => r.incident_id);
  }
  const out: IncidentReport[] = [];
  for (const id of ids) {
    const facts = await db.allJson<{ name: string; victim: string | null; incident_date: string | null; chain: string | null; amount: number | null; amount_unit: string | null; actor_id: string | null; attribution_confidence: string | null; description: string | null; source_id: number; kind: string; path: string; sha256: string; imported_at: string }>(
      `SELECT i.name, i.victim, i.incident_date, i.chain, i.amount, i.amount_unit, i.actor_id, i.attribution_confidence, i.description,
              s.source_id, s.kind, s.path, s.sha256, strftime(s.imported_at, '%Y-%m-%dT%H:%M:%SZ') AS imported_at
       FROM label_incidents i JOIN label_sources s USING (source_id) WHERE i.incident_id = $1 ORDER BY s.source_id`,
      [id],
    );
    const refs = await db.allJson<{ url: string; path: string }>(
      'SELECT r.url, s.path FROM label_incident_refs r JOIN label_sources s USING (source_id) WHERE r.incident_id = $1 ORDER BY r.url',
      [id],
    );
    const addresses = await db.allJson<{ currency: string; address: string; label: string | null; role: string; path: string; line: number }>(
      `SELECT a.currency, a.address, a.label, a.role, s.path, a.line FROM label_incident_addresses a JOIN label_sources s USING (source_id)
       WHERE a.incident_id = $1 ORDER BY a.currency, a.address, s.path`,
      [id],
    );
    const txs = await db.allJson<{ chain: string; txid: string; role: string; path: string }>(
      'SELECT t.chain, t.txid, t.role, s.path FROM label_incident_txs t JOIN label_sources s USING (source_id) WHERE t.incident_id = $1',
      [id],
    );
    out.push({
      incidentId: id,
      facts: facts.map((f) => ({
        name: f.name,
        victim: f.victim,
        date: f.incident_date,
        chain: f.chain,
        amount: f.amount,
        amountUnit: f.amount_unit,
        actorId: f.actor_id,
        attributionConfidence: f.attribution_confidence,
        description: f.description,
        source: { sourceId: f.source_id, kind: f.kind, path: f.path, sha256: f.sha256, importedAt: f.imported_at, line: 0 },
      })),
      refs: refs.map((r) => ({ url: r.url, source: r.path })),
      addresses: addresses.map((a) => ({ currency: a.currency, address: a.address, label: a.label, role: a.role, source: a.path, line: a.line })),
      txs: txs.map((t) => ({ chain: t.chain, txid: t.txid, role: t.role, source: t.path })),
    });
  }
  return out;
}

/** `label sources`: every imported source with its provenance and counts. */
export async function listSources(db: Database): Promise<{ sourceId: number; kind: string; path: string; sha256: string; bytes: number; importedAt: string; title: string | null; tags: number; actors: number; incidents: number; skipped: Record<string, number> }[]> {
  await ensureLabelSchema(db);
  const rows = await db.allJson<{ source_id: number; kind: string; path: string; sha256: string; bytes: number; imported_at: string; title: string | null; tags: number; actors: number; incidents: number; skipped: string }>(
    "SELECT source_id, kind, path, sha256, bytes, strftime(imported_at, '%Y-%m-%dT%H:%M:%SZ') AS imported_at, title, tags, actors, incidents, skipped FROM label_sources ORDER BY source_id",
  );
  return rows.map((r) => ({
    sourceId: r.source_id, kind: r.kind, path: r.path, sha256: r.sha256, bytes: Number(r.bytes), importedAt: r.imported_at, title: r.title,
    tags: r.tags, actors: r.actors, incidents: r.incidents, skipped: JSON.parse(r.skipped) as Record<string, number>,
  }));
}
