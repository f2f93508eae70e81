/**
 * Clustering tables in the store, and the bulk writes of one run.
 *
 * - `addresses.cluster` BIGINT: the cluster id = the smallest address id in the cluster (NULL until the
 *   address has been clustered).
 * - `transactions.coinjoin` VARCHAR: the CoinJoin pattern matched (coinjoin.ts), NULL otherwise.
 * - `cluster_merges`: one row per union that joined two clusters (the merge graph's edges, a spanning
 *   forest): tx_id, address_a, address_b, output_id (the change output, NULL for multi-input),
 *   heuristic (name or names joined by '+'), confidence.
 * - `cluster_state`: key/value state of the last run (heuristics, tx/address counts, last txid) for
 *   incremental runs.
 */
import { DOUBLE, type DuckDBAppender, DuckDBDataChunk, type DuckDBType, UINTEGER, UTINYINT } from '@duckdb/node-api';
import type { Database } from '../store/index.js';

export const CLUSTER_DDL = [
  'ALTER TABLE addresses ADD COLUMN IF NOT EXISTS cluster BIGINT',
  'ALTER TABLE transactions ADD COLUMN IF NOT EXISTS coinjoin VARCHAR',
  `CREATE TABLE IF NOT EXISTS cluster_merges (
     tx_id BIGINT NOT NULL, address_a BIGINT NOT NULL, address_b BIGINT NOT NULL, output_id BIGINT,
     heuristic VARCHAR NOT NULL, confidence DOUBLE NOT NULL)`,
  'CREATE TABLE IF NOT EXISTS cluster_state (key VARCHAR PRIMARY KEY, value VARCHAR NOT NULL)',
];

/** Adds the clustering columns and tables when missing (idempotent; nullable columns only). */
export async function ensureClusterSchema(db: Database): Promise<void> {
  for (const sql of CLUSTER_DDL) await db.run(sql);
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
