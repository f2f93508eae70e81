/**
 * Clustering tables in the store, and the bulk writes of one run.
 *
 * - `addresses.cluster` BIGINT: the cluster id = the smallest address id in the cluster (NULL until the
 *   address has been clustered).
 * - `transactions.coinjoin` VARCHAR: the CoinJoin pattern matched (coinjoin.ts), NULL otherwise.
 * - `cluster_merges` (a view): one row per union that joined two clusters (the merge graph's edges, a
 *   spanning forest): tx_id, address_a, address_b, output_id (the change output, NULL for multi-input),
 *   heuristic (name or names joined by '+'), confidence. Stored as `cluster_merge_edges` (the four ids +
 *   a reason code) joined to `cluster_reasons` (code, heuristic, confidence): a run writes millions of
 *   edges, and writing the reason's name and confidence on each row took 3x as long (4.5 s vs 1.4 s for
 *   7.2 M edges, measured). Stores clustered before keep working: `ensureClusterSchema` moves an old
 *   `cluster_merges` table into the two tables.
 * - `cluster_state`: key/value state of the last run (heuristics, tx/address counts, last txid) for
 *   incremental runs.
 */
import { DOUBLE, type DuckDBAppender, DuckDBDataChunk, type DuckDBType, UINTEGER, UTINYINT } from '@duckdb/node-api';
import { LedgerhoundError } from '../core/index.js';
import type { Database } from '../store/index.js';

export const CLUSTER_DDL = [
  'ALTER TABLE addresses ADD COLUMN IF NOT EXISTS cluster BIGINT',
  'ALTER TABLE transactions ADD COLUMN IF NOT EXISTS coinjoin VARCHAR',
  `CREATE TABLE IF NOT EXISTS cluster_merge_edges (
     tx_id BIGINT NOT NULL, address_a BIGINT NOT NULL, address_b BIGINT NOT NULL, output_id BIGINT, reason UTINYINT NOT NULL)`,
  `CREATE TABLE IF NOT EXISTS cluster_reasons (
     reason UTINYINT PRIMARY KEY, heuristic VARCHAR NOT NULL UNIQUE, confidence DOUBLE NOT NULL)`,
  'CREATE TABLE IF NOT EXISTS cluster_state (key VARCHAR PRIMARY KEY, value VARCHAR NOT NULL)',
];

const MERGES_VIEW = `CREATE VIEW IF NOT EXISTS cluster_merges AS
  SELECT e.tx_id, e.address_a, e.address_b, e.output_id, r.heuristic, r.confidence
    FROM cluster_merge_edges e JOIN cluster_reasons r ON r.reason = e.reason`;

/**
 * Adds the clustering columns and tables when missing (idempotent; nullable columns only), and moves a
 * `cluster_merges` table written by an earlier version into `cluster_merge_edges` + `cluster_reasons` (one
 * transaction: all or nothing).
 */
export async function ensureClusterSchema(db: Database): Promise<void> {
  const old = await db.one<{ n: bigint }>(
    "SELECT count(*) n FROM information_schema.tables WHERE table_name = 'cluster_merges' AND table_type = 'BASE TABLE'",
  );
  const migrate = Number(old?.n ?? 0) > 0;
  await db.transaction(async () => {
    for (const sql of CLUSTER_DDL) await db.run(sql);
    if (migrate) {
      await db.run(`INSERT INTO cluster_reasons
                      SELECT (row_number() OVER (ORDER BY heuristic) - 1)::UTINYINT, heuristic, max(confidence)
                        FROM cluster_merges GROUP BY heuristic`);
      await db.run(`INSERT INTO cluster_merge_edges
                      SELECT m.tx_id, m.address_a, m.address_b, m.output_id, r.reason
                        FROM cluster_merges m JOIN cluster_reasons r ON r.heuristic = m.heuristic`);
      await db.run('DROP TABLE cluster_merges');
    }
    await db.run(MERGES_VIEW);
  });
}

/**
 * Codes in `cluster_reasons` for a pass's reason names (existing names keep their code; new ones get the
 * next free codes): index i of the result is the code of `names[i]`.
 * @throws LedgerhoundError LH_CLUSTER_REASONS past 256 distinct reasons (the code is a UTINYINT)
 */
export async function reasonCodes(db: Database, names: readonly string[], confidence: readonly number[]): Promise<Uint8Array> {
  const rows = await db.all<{ reason: number; heuristic: string }>('SELECT reason, heuristic FROM cluster_reasons');
  const byName = new Map(rows.map((r) => [r.heuristic, Number(r.reason)]));
  let next = rows.reduce((m, r) => Math.max(m, Number(r.reason) + 1), 0);
  const codes = new Uint8Array(names.length);
  for (let i = 0; i < names.length; i++) {
    const name = names[i] as string;
    let code = byName.get(name);
    if (code === undefined) {
      if (next > 255) {
        throw new LedgerhoundError('LH_CLUSTER_REASONS', 'more than 256 distinct merge reasons', { details: { reason: name } });
      }
      code = next++;
      await db.run('INSERT INTO cluster_reasons VALUES (?, ?, ?)', [code, name, confidence[i] ?? 0.5]);
      byName.set(name, code);
    }
    codes[i] = code;
  }
  return codes;
}

/** State of the last clustering run. */
export interface ClusterState {
  heuristics: string;
  txCount: number;
  addressCount: number;
  lastTxid: string;
  runAt: string;
}

export async function readClusterState(db: Database): Promise<ClusterState | null> {
  const t = await db.one<{ n: bigint }>("SELECT count(*) n FROM information_schema.tables WHERE table_name = 'cluster_state'");
  if (Number(t?.n ?? 0) === 0) return null;
  const rows = await db.all<{ key: string; value: string }>('SELECT key, value FROM cluster_state');
  const m = new Map(rows.map((r) => [r.key, r.value]));
  const h = m.get('heuristics');
  if (h === undefined) return null;
  return {
    heuristics: h,
    txCount: Number(m.get('tx_count') ?? 0),
    addressCount: Number(m.get('address_count') ?? 0),
    lastTxid: m.get('last_txid') ?? '',
    runAt: m.get('run_at') ?? '',
  };
}

export async function writeClusterState(db: Database, s: ClusterState): Promise<void> {
  await db.run('DELETE FROM cluster_state');
  await db.run('INSERT INTO cluster_state VALUES (?, ?), (?, ?), (?, ?), (?, ?), (?, ?)', [
    'heuristics',
    s.heuristics,
    'tx_count',
    String(s.txCount),
    'address_count',
    String(s.addressCount),
    'last_txid',
    s.lastTxid,
    'run_at',
    s.runAt,
  ]);
}

type NumCol = Uint32Array | Uint8Array | Float64Array;
const VECTOR_SIZE = 2048;

function duckType(a: NumCol): DuckDBType {
  return a instanceof Uint32Array ? UINTEGER : a instanceof Uint8Array ? UTINYINT : DOUBLE;
}

/**
 * Appends `rows` rows of numeric columns through an appender, in data chunks written straight into the
 * vectors' typed arrays (the @duckdb/node-api 1.5 internals src/store/duckdb/columnAppend.ts also uses).
 */
export function appendColumns(appender: DuckDBAppender, columns: readonly NumCol[], rows: number): void {
  if (rows === 0) return;
  const chunk = DuckDBDataChunk.create(columns.map(duckType));
  for (let base = 0; base < rows; base += VECTOR_SIZE) {
    const n = Math.min(VECTOR_SIZE, rows - base);
    chunk.reset();
    chunk.rowCount = n;
    columns.forEach((col, ci) => {
      const vec = chunk.getColumnVector(ci) as unknown as { items: NumCol; flush(): void };
      vec.items.set(col.subarray(base, base + n) as never);
      vec.flush();
    });
    appender.appendDataChunk(chunk);
  }
}

/** Creates a scratch table, fills it from columns, returns its name (drop it in the same transaction). */
export async function scratchTable(db: Database, name: string, columnNames: readonly string[], columns: readonly NumCol[], rows: number): Promise<string> {
  const types = columns.map((c) => (c instanceof Uint32Array ? 'UINTEGER' : c instanceof Uint8Array ? 'UTINYINT' : 'DOUBLE'));
  await db.run(`CREATE OR REPLACE TABLE ${name} (${columnNames.map((n, i) => `${n} ${types[i]}`).join(', ')})`);
  const app = await db.appender(name);
  try {
    appendColumns(app, columns, rows);
    app.flushSync();
  } finally {
    app.closeSync();
  }
  return name;
}
