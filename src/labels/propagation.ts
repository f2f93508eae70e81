import type { Database } from '../store/index.js';
import { conceptWithNarrower } from './taxonomy/taxonomy.js';

/**
 * Categories whose tags say who OWNS an address (a service or organization, and miners): two different owners in
 * one cluster cannot both be right, so they are reported as a conflict (usually a false merge by a clustering
 * heuristic). Abuse tags (sanction, hack, scam) and `user`/`perpetrator` tags describe use, not ownership, and do
 * not conflict with them.
 */
export const OWNER_CATEGORIES: readonly string[] = [...new Set([...conceptWithNarrower('service'), 'organization', 'miner'])];

/** One label carried by a cluster, aggregated over the cluster's addresses. */
export interface ClusterLabel {
  label: string;
  category: string;
  actorId: string | null;
  /** Addresses of the cluster that carry this label. */
  addresses: number;
  /** Tags behind it (an address may have the label from several sources). */
  tags: number;
  /** Strongest GraphSense confidence among those tags, with its level. */
  confidence: string;
  confidenceLevel: number;
  isAbuse: boolean;
  /** Source files the tags come from. */
  sources: string[];
}

/** Two or more owners claimed for one cluster. */
export interface ClusterConflict {
  cluster: number;
  owners: { owner: string; category: string; addresses: number; sources: string[] }[];
}

/** How addresses map to clusters in this database. */
export type ClusterMode = 'cluster-column' | 'address-as-cluster' | 'no-addresses-table';

/**
 * Which clustering is available: the `cluster` column of the store's `addresses` table when the clustering stage
 * has added it, else each address is its own cluster (its address_id), else (no chain data) none.
 */
export async function clusterMode(db: Database): Promise<ClusterMode> {
  const t = await db.one<{ n: bigint }>("SELECT count(*) AS n FROM information_schema.tables WHERE table_name = 'addresses'");
  if ((t?.n ?? 0n) === 0n) return 'no-addresses-table';
  const c = await db.one<{ n: bigint }>("SELECT count(*) AS n FROM information_schema.columns WHERE table_name = 'addresses' AND column_name = 'cluster'");
  return (c?.n ?? 0n) > 0n ? 'cluster-column' : 'address-as-cluster';
}

function clusterExpr(mode: ClusterMode): string {
  return mode === 'cluster-column' ? 'coalesce(a.cluster, a.address_id)' : 'a.address_id';
}

/** The cluster of an address (by its string as the store holds it), or undefined when the address is not in the chain data. */
export async function clusterOfAddress(db: Database, address: string): Promise<number | undefined> {
  const mode = await clusterMode(db);
  if (mode === 'no-addresses-table') return undefined;
  const r = await db.one<{ c: bigint }>(`SELECT ${clusterExpr(mode)} AS c FROM addresses a WHERE a.address = $1`, [address]);
  return r === undefined ? undefined : Number(r.c);
}

/**
 * The labels a cluster carries: the tags of all its (Bitcoin) addresses grouped by (label, category, actor), with
 * how many addresses carry each, the tag count and the strongest confidence; plus the owner conflicts.
 * Only tags with currency BTC join, since the store holds Bitcoin addresses.
 */
export async function clusterLabels(db: Database, cluster: number): Promise<{ mode: ClusterMode; addresses: number; labels: ClusterLabel[]; conflict: ClusterConflict | null }> {
  const mode = await clusterMode(db);
  if (mode === 'no-addresses-table') return { mode, addresses: 0, labels: [], conflict: null };
  const ce = clusterExpr(mode);
  const size = await db.one<{ n: bigint }>(`SELECT count(*) AS n FROM addresses a WHERE ${ce} = $1`, [cluster]);
  const rows = await db.allJson<{
    label: string; category: string; actor_id: string | null; addresses: number; tags: number; confidence: string; level: number; is_abuse: boolean; sources: string[];
  }>(
    `SELECT t.label, t.category, t.actor_id, count(DISTINCT t.address) AS addresses, count(*) AS tags,
            arg_max(t.confidence, t.confidence_level) AS confidence, max(t.confidence_level) AS level,
            bool_or(t.is_abuse) AS is_abuse, list(DISTINCT s.path ORDER BY s.path) AS sources
     FROM addresses a JOIN label_tags t ON t.address = a.address AND t.currency = 'BTC'
     JOIN label_sources s ON s.source_id = t.source_id
     WHERE ${ce} = $1
     GROUP BY ALL ORDER BY level DESC, addresses DESC, label`,
    [cluster],
  );
  const labels: ClusterLabel[] = rows.map((r) => ({
    label: r.label,
    category: r.category,
    actorId: r.actor_id,
    addresses: Number(r.addresses),
    tags: Number(r.tags),
    confidence: r.confidence,
    confidenceLevel: Number(r.level),
    isAbuse: r.is_abuse,
    sources: [...r.sources],
  }));
  const conflicts = await clusterConflicts(db, cluster);
  return { mode, addresses: Number(size?.n ?? 0n), labels, conflict: conflicts[0] ?? null };
}

/**
 * Clusters whose addresses carry owner tags (see OWNER_CATEGORIES) of two or more different owners (actor id, else
 * lower-cased label): each with its owners, their address counts and sources. With `cluster` given, only that one.
 */
export async function clusterConflicts(db: Database, cluster?: number): Promise<ClusterConflict[]> {
  const mode = await clusterMode(db);
  if (mode === 'no-addresses-table') return [];
  const ce = clusterExpr(mode);
  const cats = OWNER_CATEGORIES.map((c) => `'${c}'`).join(', ');
  const rows = await db.allJson<{ cluster: number; owner: string; category: string; addresses: number; sources: string[] }>(
    `WITH owned AS (
       SELECT ${ce} AS cluster, coalesce(t.actor_id, lower(t.label)) AS owner, t.category, t.address, s.path
       FROM addresses a JOIN label_tags t ON t.address = a.address AND t.currency = 'BTC'
       JOIN label_sources s ON s.source_id = t.source_id
       WHERE t.category IN (${cats}) ${cluster === undefined ? '' : `AND ${ce} = $1`}
     ), multi AS (SELECT cluster FROM owned GROUP BY cluster HAVING count(DISTINCT owner) > 1)
     SELECT o.cluster, o.owner, min(o.category) AS category, count(DISTINCT o.address) AS addresses, list(DISTINCT o.path ORDER BY o.path) AS sources
     FROM owned o JOIN multi USING (cluster) GROUP BY ALL ORDER BY o.cluster, addresses DESC, o.owner`,
    cluster === undefined ? [] : [cluster],
  );
  const out = new Map<number, ClusterConflict>();
  for (const r of rows) {
    const c = Number(r.cluster);
    let e = out.get(c);
    if (e === undefined) {
      e = { cluster: c, owners: [] };
      out.set(c, e);
    }
    e.owners.push({ owner: r.owner, category: r.category, addresses: Number(r.addresses), sources: [...r.sources] });
  }
  return [...out.values()];
}
