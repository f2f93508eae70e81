/**
 * `ledgerhound cluster`: load the chain arrays, run the clustering pass in memory, write everything in
 * one transaction at the end (a crash or error before COMMIT leaves the previous clustering intact).
 *
 * Incremental: the state of the last run (heuristics, number of transactions clustered, txid of the last
 * one) is kept in `cluster_state`. When the same configuration runs again and the stored chain still
 * starts with the clustered transactions, only the new transactions are loaded; the union-find is
 * rebuilt from `addresses.cluster` (canonical labels: smallest address id of the cluster) and only the
 * changed labels are written. Otherwise (first run, other heuristics, a reorg rolled back clustered
 * transactions, `full: true`) everything is recomputed.
 */
import { LedgerhoundError } from '../core/index.js';
import { type ChainArrayName, type Database, loadAddressArrays, loadChainArrays } from '../store/index.js';
import { COINJOIN_PATTERNS } from './coinjoin.js';
import { type ClusterConfig, clusterPass, type EngineArrays, type EngineResult, type EngineStats, mergeRows } from './engine.js';
import { ensureClusterSchema, readClusterState, reasonCodes, scratchTable, writeClusterState } from './persist.js';
import { UnionFind } from './unionFind.js';

const NONE = 0xffffffff;

export interface ClusterRunOptions extends ClusterConfig {
  /** Recompute from scratch even when an incremental update is possible. */
  full?: boolean;
  /**
   * Transactions per window: the chain arrays are loaded and processed window by window, so memory for
   * them is bounded by the window, not the chain (default 16 M transactions ≈ 35 M inputs ≈ 0.9 GB).
   */
  windowTxs?: number;
  /** Called inside the write transaction just before COMMIT (tests use it to fail a run at its last step). */
  beforeCommit?: () => Promise<void> | void;
}

export interface ClusterRunSummary {
  mode: 'full' | 'incremental' | 'up-to-date';
  /** Transaction windows loaded and processed one after the other. */
  windows: number;
  heuristics: string[];
  minVotes: number;
  coinjoinDetection: boolean;
  /** Transactions, inputs processed by this run. */
  transactions: number;
  inputs: number;
  addresses: number;
  clusters: number;
  largestCluster: number;
  /** Addresses whose cluster id was written. */
  labelsWritten: number;
  mergeEdges: number;
  stats: EngineStats | null;
  seconds: { load: number; pass: number; write: number; total: number };
  /** Inputs per second of the in-memory pass. */
  inputsPerSecond: number;
}

/** Arrays the pass reads; input values (8 B per input) only when optimal-change needs them. */
function arraysFor(heuristics: readonly string[]): ChainArrayName[] {
  const cols: ChainArrayName[] = ['txFirstInput', 'txFirstOutput', 'inputAddress', 'outputAddress', 'outputValue'];
  if (heuristics.includes('optimal-change')) cols.push('inputValue');
  return cols;
}

const DEFAULT_WINDOW_TXS = 16_000_000;

function configKey(c: ClusterConfig): string {
  return `${c.heuristics.join(',')};min-votes=${c.minVotes};coinjoin-detection=${c.coinjoinDetection}`;
}

/**
 * Clusters the addresses of the chain stored in `db` (opened writable).
 * @throws LedgerhoundError LH_DB_EMPTY when no blocks are stored; LH_CLUSTER_STATE when stored labels are inconsistent
 */
export async function clusterDatabase(db: Database, opts: ClusterRunOptions): Promise<ClusterRunSummary> {
  const t0 = performance.now();
  const tables = await db.one<{ n: bigint }>(
    "SELECT count(*) n FROM information_schema.tables WHERE table_name IN ('blocks', 'transactions', 'inputs', 'outputs', 'addresses')",
  );
  const txTotal =
    Number(tables?.n ?? 0) === 5 ? Number((await db.one<{ n: bigint }>('SELECT count(*) n FROM transactions'))?.n ?? 0) : 0;
  if (txTotal === 0) {
    throw new LedgerhoundError('LH_DB_EMPTY', `database ${db.path} has no blocks to cluster`, {
      details: { path: db.path },
      hint: 'Run `ledgerhound ingest bitcoin --blocks-dir DIR` first, or pass --db.',
    });
  }
  await ensureClusterSchema(db);
  const key = configKey(opts);
  const state = await readClusterState(db);
  let incremental = false;
  if (state && !opts.full && state.heuristics === key && state.txCount > 0 && state.txCount <= txTotal) {
    const last = await db.one<{ txid: string }>('SELECT txid FROM transactions WHERE tx_id = ?', [state.txCount - 1]);
    incremental = last?.txid === state.lastTxid;
  }
  const base = {
    heuristics: [...opts.heuristics],
    minVotes: opts.minVotes,
    coinjoinDetection: opts.coinjoinDetection,
  };
  if (incremental && state && state.txCount === txTotal) {
    const c = await db.one<{ n: bigint; a: bigint; big: bigint | null }>(
      'SELECT count(DISTINCT cluster) n, count(*) a, (SELECT max(k) FROM (SELECT count(*) k FROM addresses GROUP BY cluster)) big FROM addresses',
    );
    return {
      mode: 'up-to-date',
      ...base,
      windows: 0,
      transactions: 0,
      inputs: 0,
      addresses: Number(c?.a ?? 0),
      clusters: Number(c?.n ?? 0),
      largestCluster: Number(c?.big ?? 0),
      labelsWritten: 0,
      mergeEdges: 0,
      stats: null,
      seconds: { load: 0, pass: 0, write: 0, total: (performance.now() - t0) / 1000 },
      inputsPerSecond: 0,
    };
  }
  const fromTxId = incremental && state ? state.txCount : 0;
  const known = incremental && state ? state.addressCount : 0;
  const addr = await loadAddressArrays(db, { cluster: true });
  const old = addr.addressCluster;
  let uf: UnionFind;
  if (incremental) {
    try {
      uf = UnionFind.fromLabels(old, addr.addressCount);
    } catch (cause) {
      throw new LedgerhoundError('LH_CLUSTER_STATE', 'stored cluster ids are inconsistent (addresses.cluster)', {
        cause,
        hint: 'Recompute with `ledgerhound cluster --full`.',
      });
    }
  } else {
    uf = new UnionFind(addr.addressCount);
  }
  const windowTxs = Math.max(1, opts.windowTxs ?? DEFAULT_WINDOW_TXS);
  const windows: [number, number][] = [];
  for (let t = fromTxId; t < txTotal; t += windowTxs) windows.push([t, Math.min(txTotal, t + windowTxs)]);
  // State carried across windows: first appearances and (reuse-exclusion) receive counts of the whole chain.
  const seen = opts.heuristics.includes('fresh-address') ? new Uint8Array((addr.addressCount >>> 3) + 1) : undefined;
  let receiveCount: Uint8Array | undefined;
  if (opts.heuristics.includes('reuse-exclusion') && windows.length > 1) {
    const rc = new Uint8Array(addr.addressCount);
    rc.fill(1, 0, Math.min(known, addr.addressCount));
    for (const [from, to] of windows) {
      const { outputAddress } = await loadChainArrays(db, { fromTxId: from, toTxId: to, columns: ['outputAddress'] });
      for (let k = 0; k < outputAddress.length; k++) {
        const a = outputAddress[k] as number;
        if (a !== NONE && (rc[a] as number) < 255) rc[a] = (rc[a] as number) + 1;
      }
    }
    receiveCount = rc;
  }
  let loadS = (performance.now() - t0) / 1000;
  let passS = 0;
  let writeS = 0;
  let txCount = 0;
  let inputCount = 0;
  let mergeEdges = 0;
  let stats: EngineStats = { transactions: 0, coinjoins: {}, merges: {}, changeConflicts: 0, changeVetoed: 0 };
  let labelsWritten = 0;
  let clusters = 0;
  let largest = 0;
  const lastTxid = await db.one<{ txid: string }>('SELECT txid FROM transactions WHERE tx_id = ?', [txTotal - 1]);
  // One transaction for the whole run: each window's CoinJoin flags and merge edges are written as soon as
  // it is done (the merge log never holds more than a window), the labels and the state at the end; a crash
  // or an error anywhere before COMMIT leaves the previous clustering as it was.
  await db.transaction(async () => {
    const w0 = performance.now();
    if (!incremental) {
      await db.run('DELETE FROM cluster_merge_edges');
      await db.run('DELETE FROM cluster_reasons'); // re-coded by this run (confidences may have changed)
      await db.run('UPDATE transactions SET coinjoin = NULL WHERE coinjoin IS NOT NULL');
    } else {
      await db.run('DELETE FROM cluster_merge_edges WHERE tx_id >= ?', [fromTxId]);
      await db.run('UPDATE transactions SET coinjoin = NULL WHERE tx_id >= ? AND coinjoin IS NOT NULL', [fromTxId]);
    }
    writeS += (performance.now() - w0) / 1000;
    for (const [from, to] of windows) {
      const l0 = performance.now();
      const arrays = await loadChainArrays(db, { fromTxId: from, toTxId: to, columns: arraysFor(opts.heuristics) });
      const l1 = performance.now();
      const input = { arrays, addressType: addr.addressType, uf, knownAddressCount: known };
      const r = clusterPass({ ...input, ...(seen ? { seen } : {}), ...(receiveCount ? { receiveCount } : {}) }, opts);
      const l2 = performance.now();
      await writeWindow(db, arrays, r);
      writeS += (performance.now() - l2) / 1000;
      passS += (l2 - l1) / 1000;
      loadS += (l1 - l0) / 1000;
      txCount += arrays.txCount;
      inputCount += arrays.inputCount;
      mergeEdges += r.merges.count;
      stats = addStats(stats, r.stats);
    }
    const p0 = performance.now();
    const labels = uf.labels();
    passS += (performance.now() - p0) / 1000;
    const w1 = performance.now();
    // Labels that changed (all of them on a first run: the column is NULL).
    let changed = 0;
    for (let i = 0; i < labels.length; i++) if (labels[i] !== old[i]) changed++;
    const ids = new Uint32Array(changed);
    const vals = new Uint32Array(changed);
    const sizes = new Uint32Array(labels.length);
    for (let i = 0, j = 0; i < labels.length; i++) {
      const l = labels[i] as number;
      if (l === i) clusters++;
      const sz = (sizes[l] as number) + 1;
      sizes[l] = sz;
      if (sz > largest) largest = sz;
      if (l !== old[i]) {
        ids[j] = i;
        vals[j] = l;
        j++;
      }
    }
    labelsWritten = changed;
    if (changed > 0) {
      const s = await scratchTable(db, '_lh_cluster_labels', ['id', 'c'], [ids, vals], changed);
      await db.run(`UPDATE addresses SET cluster = s.c FROM ${s} s WHERE addresses.address_id = s.id`);
      await db.run(`DROP TABLE ${s}`);
    }
    await writeClusterState(db, {
      heuristics: key,
      txCount: txTotal,
      addressCount: addr.addressCount,
      lastTxid: lastTxid?.txid ?? '',
      runAt: new Date().toISOString(),
    });
    await opts.beforeCommit?.();
    writeS += (performance.now() - w1) / 1000;
  });
  const t3 = performance.now();
  return {
    mode: incremental ? 'incremental' : 'full',
    ...base,
    windows: windows.length,
    transactions: txCount,
    inputs: inputCount,
    addresses: addr.addressCount,
    clusters,
    largestCluster: largest,
    labelsWritten,
    mergeEdges,
    stats,
    seconds: { load: loadS, pass: passS, write: writeS, total: (t3 - t0) / 1000 },
    inputsPerSecond: passS > 0 ? inputCount / passS : 0,
  };
}

/** Writes one window's CoinJoin flags and merge edges (inside the run's transaction). */
async function writeWindow(db: Database, arrays: EngineArrays, r: EngineResult): Promise<void> {
  if (r.coinjoinCount > 0) {
    const s = await scratchTable(db, '_lh_cluster_coinjoin', ['tx_id', 'p'], [r.coinjoinTx, r.coinjoinPattern], r.coinjoinCount);
    const names = COINJOIN_PATTERNS.map((n, i) => `(${i + 1}, '${n}')`).join(', ');
    await db.run(
      `UPDATE transactions SET coinjoin = p.name
         FROM ${s} c JOIN (VALUES ${names}) p(code, name) ON p.code = c.p
        WHERE transactions.tx_id = c.tx_id`,
    );
    await db.run(`DROP TABLE ${s}`);
  }
  const m = r.merges;
  if (m.count > 0) {
    const e = mergeRows(arrays, m);
    // The pass numbers its reasons itself; the store's codes are stable across windows and runs.
    const codes = await reasonCodes(db, m.reasons, m.confidence);
    for (let k = 0; k < e.count; k++) e.reason[k] = codes[e.reason[k] as number] as number;
    const s = await scratchTable(db, '_lh_cluster_merges', ['tx', 'a', 'b', 'o', 'r'], [e.tx, e.a, e.b, e.output, e.reason], e.count);
    await db.run(
      `INSERT INTO cluster_merge_edges SELECT s.tx, s.a, s.b, CASE WHEN s.o = ${NONE} THEN NULL ELSE s.o END, s.r FROM ${s} s`,
    );
    await db.run(`DROP TABLE ${s}`);
  }
}

function addStats(a: EngineStats, b: EngineStats): EngineStats {
  const out: EngineStats = {
    transactions: a.transactions + b.transactions,
    coinjoins: { ...a.coinjoins },
    merges: { ...a.merges },
    changeConflicts: a.changeConflicts + b.changeConflicts,
    changeVetoed: a.changeVetoed + b.changeVetoed,
  };
  for (const [k, v] of Object.entries(b.coinjoins)) out.coinjoins[k] = (out.coinjoins[k] ?? 0) + v;
  for (const [k, v] of Object.entries(b.merges)) out.merges[k] = (out.merges[k] ?? 0) + v;
  return out;
}
