/**
 * The chain of evidence linking two addresses of one cluster: the path between them in the merge graph
 * (`cluster_merges`, a spanning forest: one edge per union), each step with its transaction, heuristic
 * and confidence.
 */
import { LedgerhoundError, NotFoundError, UsageError } from '../core/index.js';
import type { Database } from '../store/index.js';

export interface EvidenceStep {
  /** Store tx id (dense, chain order). */
  txId: number;
  from: string;
  to: string;
  txid: string;
  height: number;
  heuristic: string;
  confidence: number;
  /** The change output (txid:vout) for change merges, null for multi-input. */
  changeOutput: string | null;
}

export interface Explanation {
  cluster: number;
  clusterSize: number;
  a: string;
  b: string;
  steps: EvidenceStep[];
  /** Product of the steps' confidences (each step is needed for the link). */
  confidence: number;
}

export interface ClusterSummary {
  cluster: number;
  size: number;
  merges: { heuristic: string; count: number }[];
  coinjoinsTouched: number;
}

interface AddrRow {
  address_id: bigint;
  address: string;
  cluster: bigint | null;
}

async function requireClustered(db: Database): Promise<void> {
  const t = await db.one<{ n: bigint }>(
    "SELECT count(*) n FROM information_schema.tables WHERE table_name IN ('cluster_merges', 'cluster_state')",
  );
  if (Number(t?.n ?? 0) < 2) {
    throw new LedgerhoundError('LH_NOT_CLUSTERED', `database ${db.path} has not been clustered`, {
      details: { path: db.path },
      hint: 'Run `ledgerhound cluster` first.',
    });
  }
}

async function findAddress(db: Database, address: string): Promise<AddrRow> {
  const a = address.trim();
  const row =
    (await db.one<AddrRow>('SELECT address_id, address, cluster FROM addresses WHERE address = ?', [a])) ??
    (await db.one<AddrRow>('SELECT address_id, address, cluster FROM addresses WHERE address = ?', [a.toLowerCase()]));
  if (!row) throw new NotFoundError('address', a, 'It never appears as an output address in the ingested blocks.');
  return row;
}

/** Summary of a cluster: size and merges by heuristic. */
export async function summarizeCluster(db: Database, cluster: number): Promise<ClusterSummary> {
  await requireClustered(db);
  const size = Number((await db.one<{ n: bigint }>('SELECT count(*) n FROM addresses WHERE cluster = ?', [cluster]))?.n ?? 0);
  if (size === 0) throw new NotFoundError('cluster', String(cluster), 'Cluster ids are the smallest address id of each cluster (see `export addresses`).');
  const merges = await db.all<{ heuristic: string; n: bigint }>(
    `SELECT m.heuristic, count(*) n FROM cluster_merges m JOIN addresses a ON a.address_id = m.address_a
      WHERE a.cluster = ? GROUP BY m.heuristic ORDER BY n DESC, m.heuristic`,
    [cluster],
  );
  const cj = await db.one<{ n: bigint }>(
    `SELECT count(DISTINCT i.tx_id) n FROM inputs i JOIN addresses a ON a.address_id = i.address_id
       JOIN transactions t ON t.tx_id = i.tx_id WHERE a.cluster = ? AND t.coinjoin IS NOT NULL`,
    [cluster],
  );
  return {
    cluster,
    size,
    merges: merges.map((m) => ({ heuristic: m.heuristic, count: Number(m.n) })),
    coinjoinsTouched: Number(cj?.n ?? 0),
  };
}

/**
 * The path of merges linking addresses `a` and `b` in `cluster`.
 * @throws NotFoundError for an unknown address; UsageError when an address is not in the cluster
 */
export async function explainLink(db: Database, cluster: number, a: string, b: string): Promise<Explanation> {
  await requireClustered(db);
  const ra = await findAddress(db, a);
  const rb = await findAddress(db, b);
  for (const r of [ra, rb]) {
    if (r.cluster === null) {
      throw new UsageError(`address ${r.address} has not been clustered yet`, { address: r.address }, 'Run `ledgerhound cluster` again after ingest.');
    }
    if (Number(r.cluster) !== cluster) {
      throw new UsageError(
        `address ${r.address} is in cluster ${r.cluster}, not ${cluster}`,
        { address: r.address, cluster: Number(r.cluster) },
        'No chain of evidence links addresses of different clusters.',
      );
    }
  }
  const edges = await db.all<{ tx_id: bigint; address_a: bigint; address_b: bigint; output_id: bigint | null; heuristic: string; confidence: number }>(
    `SELECT m.tx_id, m.address_a, m.address_b, m.output_id, m.heuristic, m.confidence
       FROM cluster_merges m JOIN addresses x ON x.address_id = m.address_a WHERE x.cluster = ?`,
    [cluster],
  );
  const size = Number((await db.one<{ n: bigint }>('SELECT count(*) n FROM addresses WHERE cluster = ?', [cluster]))?.n ?? 0);
  const adj = new Map<number, number[]>();
  const link = (x: number, e: number) => {
    const l = adj.get(x);
    if (l) l.push(e);
    else adj.set(x, [e]);
  };
  edges.forEach((e, i) => {
    link(Number(e.address_a), i);
    link(Number(e.address_b), i);
  });
  const start = Number(ra.address_id);
  const goal = Number(rb.address_id);
  // Breadth-first search: the shortest chain of evidence.
  const via = new Map<number, number>([[start, -1]]);
  const queue = [start];
  for (let q = 0; q < queue.length && !via.has(goal); q++) {
    const x = queue[q] as number;
    for (const ei of adj.get(x) ?? []) {
      const e = edges[ei] as (typeof edges)[number];
      const y = Number(e.address_a) === x ? Number(e.address_b) : Number(e.address_a);
      if (via.has(y)) continue;
      via.set(y, ei);
      queue.push(y);
    }
  }
  if (!via.has(goal)) {
    throw new LedgerhoundError('LH_CLUSTER_STATE', `no merge path links ${ra.address} and ${rb.address} in cluster ${cluster}`, {
      details: { cluster },
      hint: 'The merge table is inconsistent with addresses.cluster; run `ledgerhound cluster --full`.',
    });
  }
  const path: { from: number; to: number; edge: (typeof edges)[number] }[] = [];
  for (let x = goal; x !== start; ) {
    const e = edges[via.get(x) as number] as (typeof edges)[number];
    const prev = Number(e.address_a) === x ? Number(e.address_b) : Number(e.address_a);
    path.push({ from: prev, to: x, edge: e });
    x = prev;
  }
  path.reverse();
  const idList = [...new Set(path.flatMap((p) => [p.from, p.to]))];
  const names = new Map<number, string>();
  if (idList.length > 0) {
    const rows = await db.all<{ address_id: bigint; address: string }>(
      `SELECT address_id, address FROM addresses WHERE address_id IN (${idList.join(',')})`,
    );
    for (const r of rows) names.set(Number(r.address_id), r.address);
  }
  const steps: EvidenceStep[] = [];
  for (const p of path) {
    // Two consecutive edges from one transaction and rule (a → first input → b) are one piece of
    // evidence: both addresses are inputs of that transaction.
    const last = steps[steps.length - 1];
    if (last && last.heuristic === p.edge.heuristic && p.edge.heuristic === 'multi-input' && last.txId === Number(p.edge.tx_id)) {
      last.to = names.get(p.to) ?? String(p.to);
      continue;
    }
    const tx = await db.one<{ txid: string; height: number }>('SELECT txid, height FROM transactions WHERE tx_id = ?', [Number(p.edge.tx_id)]);
    let changeOutput: string | null = null;
    if (p.edge.output_id !== null) {
      const o = await db.one<{ vout: number }>('SELECT vout FROM outputs WHERE output_id = ?', [Number(p.edge.output_id)]);
      changeOutput = `${tx?.txid ?? '?'}:${o?.vout ?? '?'}`;
    }
    steps.push({
      txId: Number(p.edge.tx_id),
      from: names.get(p.from) ?? String(p.from),
      to: names.get(p.to) ?? String(p.to),
      txid: tx?.txid ?? '?',
      height: tx?.height ?? -1,
      heuristic: p.edge.heuristic,
      confidence: p.edge.confidence,
      changeOutput,
    });
  }
  return {
    cluster,
    clusterSize: size,
    a: ra.address,
    b: rb.address,
    steps,
    confidence: steps.reduce((c, s) => c * s.confidence, 1),
  };
}
