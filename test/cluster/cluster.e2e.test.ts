/**
 * Cross-stage: sim bitcoin → ingest bitcoin → cluster → eval, through the real CLI and a real DuckDB
 * file. Accuracy thresholds on the simulator's ground truth (precision and CoinJoin safety; no timings),
 * incremental runs against a full recompute, provenance (explain), export formats, and failure modes.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clusterDatabase, DEFAULT_HEURISTICS, DEFAULT_MIN_VOTES } from '../../src/cluster/index.js';
import { Database } from '../../src/store/index.js';
import { runCli } from '../helpers/cli.js';

const dir = mkdtempSync(join(tmpdir(), 'lh-cluster-e2e-'));
const out = join(dir, 'sim');
const dbPath = join(dir, 'full.duckdb');
const truthPath = join(out, 'truth.json');

function cli(args: string[]): Record<string, unknown> {
  const r = runCli(['--json', ...args]);
  expect(r.code, `${args.join(' ')}: ${r.stderr}`).toBe(0);
  return JSON.parse(r.stdout);
}

interface Scores {
  bcubedPrecision: number;
  bcubedRecall: number;
  pairwisePrecision: number;
  coinjoins: number;
  coinjoinParticipantPairsMerged: number;
}

const evaluate = (db: string) => (cli(['--db', db, 'eval', '--truth', truthPath]) as { clustering: Scores }).clustering;

beforeAll(() => {
  cli(['sim', 'bitcoin', '--out', out, '--seed', '7', '--scale', '0.05']);
  cli(['--db', dbPath, 'ingest', 'bitcoin', '--blocks-dir', join(out, 'blocks')]);
  // Every test can run alone (-t): start from a clustered database.
  cli(['--db', dbPath, 'cluster']);
}, 300_000);

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe('cluster on simulated ground truth', () => {
  it('multi-input alone: precise, CoinJoins detected and none merged', () => {
    const run = cli(['--db', dbPath, 'cluster', '--heuristics', 'multi-input']) as { mode: string; stats: { coinjoins: Record<string, number> } };
    expect(run.mode).toBe('full');
    const s = evaluate(dbPath);
    expect(s.coinjoins).toBeGreaterThan(0);
    const detected = Object.values(run.stats.coinjoins).reduce((a, b) => a + b, 0);
    expect(detected).toBeGreaterThanOrEqual(s.coinjoins);
    expect(s.coinjoinParticipantPairsMerged).toBe(0);
    expect(s.bcubedPrecision).toBeGreaterThanOrEqual(0.99);
  }, 120_000);

  it('without CoinJoin detection, multi-input merges CoinJoin participants (what detection prevents)', () => {
    cli(['--db', dbPath, 'cluster', '--heuristics', 'multi-input', '--no-coinjoin-detection']);
    expect(evaluate(dbPath).coinjoinParticipantPairsMerged).toBeGreaterThan(0);
  }, 120_000);

  it('the default set: B-cubed precision ≥ 0.99, no CoinJoin participants merged, recall above multi-input', () => {
    cli(['--db', dbPath, 'cluster', '--heuristics', 'multi-input', '--full']);
    const base = evaluate(dbPath);
    const run = cli(['--db', dbPath, 'cluster']) as { heuristics: string[] };
    expect(run.heuristics).toEqual([...DEFAULT_HEURISTICS]);
    const s = evaluate(dbPath);
    expect(s.bcubedPrecision).toBeGreaterThanOrEqual(0.99);
    expect(s.coinjoinParticipantPairsMerged).toBe(0);
    if (DEFAULT_HEURISTICS.length > 1) expect(s.bcubedRecall).toBeGreaterThan(base.bcubedRecall);
  }, 120_000);

  it('a second run with nothing new is up to date; coinjoin flags and merges are in the store', async () => {
    cli(['--db', dbPath, 'cluster']);
    const again = cli(['--db', dbPath, 'cluster']) as { mode: string };
    expect(again.mode).toBe('up-to-date');
    const db = await Database.open(dbPath, { readOnly: true });
    try {
      const cj = await db.all<{ coinjoin: string; n: bigint }>('SELECT coinjoin, count(*) n FROM transactions WHERE coinjoin IS NOT NULL GROUP BY 1');
      expect(cj.length).toBeGreaterThan(0);
      const unclustered = await db.one<{ n: bigint }>('SELECT count(*) n FROM addresses WHERE cluster IS NULL');
      expect(Number(unclustered?.n)).toBe(0);
      // Every cluster id is the smallest address id of its cluster, and edges stay within clusters.
      const bad = await db.one<{ n: bigint }>(
        'SELECT count(*) n FROM (SELECT cluster, min(address_id) m FROM addresses GROUP BY cluster) WHERE cluster <> m',
      );
      expect(Number(bad?.n)).toBe(0);
      const cross = await db.one<{ n: bigint }>(
        `SELECT count(*) n FROM cluster_merges m JOIN addresses a ON a.address_id = m.address_a
           JOIN addresses b ON b.address_id = m.address_b WHERE a.cluster <> b.cluster`,
      );
      expect(Number(cross?.n)).toBe(0);
      const merges = await db.one<{ n: bigint; c: bigint }>('SELECT count(*) n, count(DISTINCT cluster) c FROM addresses');
      const edges = await db.one<{ n: bigint }>('SELECT count(*) n FROM cluster_merges');
      // A spanning forest: addresses − clusters edges.
      expect(Number(edges?.n)).toBe(Number(merges?.n) - Number(merges?.c));
    } finally {
      db.close();
    }
  }, 120_000);

  it('explain prints the chain of evidence between two addresses of the largest cluster', async () => {
    cli(['--db', dbPath, 'cluster']);
    const db = await Database.open(dbPath, { readOnly: true });
    let pair: { cluster: bigint; a: string; b: string } | undefined;
    try {
      pair = await db.one<{ cluster: bigint; a: string; b: string }>(
        `WITH big AS (SELECT cluster FROM addresses GROUP BY cluster ORDER BY count(*) DESC LIMIT 1)
         SELECT a.cluster, min(a.address) a, max(a.address) b FROM addresses a JOIN big USING (cluster) GROUP BY a.cluster`,
      );
    } finally {
      db.close();
    }
    expect(pair).toBeDefined();
    const p = pair as { cluster: bigint; a: string; b: string };
    const e = cli(['--db', dbPath, 'explain', 'cluster', String(p.cluster), '--address', p.a, '--address', p.b]) as {
      steps: { from: string; to: string; txid: string; heuristic: string; confidence: number }[];
      confidence: number;
    };
    expect(e.steps.length).toBeGreaterThan(0);
    expect(e.steps[0]?.from).toBe(p.a);
    expect(e.steps[e.steps.length - 1]?.to).toBe(p.b);
    for (let i = 1; i < e.steps.length; i++) expect(e.steps[i]?.from).toBe(e.steps[i - 1]?.to);
    for (const s of e.steps) {
      expect(s.txid).toMatch(/^[0-9a-f]{64}$/);
      expect(s.confidence).toBeGreaterThan(0);
    }
    const human = runCli(['--db', dbPath, 'explain', 'cluster', String(p.cluster), '--address', p.a, '--address', p.b]);
    expect(human.stdout).toContain(`tx ${e.steps[0]?.txid}`);
    // `show address` names the cluster of both addresses.
    for (const addr of [p.a, p.b]) expect((cli(['--db', dbPath, 'show', 'address', addr]) as { cluster: number }).cluster).toBe(Number(p.cluster));
    expect(runCli(['--db', dbPath, 'show', 'address', p.a]).stdout).toContain(`  cluster ${p.cluster}\n`);
    const summary = cli(['--db', dbPath, 'explain', 'cluster', String(p.cluster)]) as { size: number; merges: unknown[] };
    expect(summary.size).toBeGreaterThan(1);
    // An address of another cluster: a usage error that names both clusters.
    const other = runCli(['--db', dbPath, 'explain', 'cluster', String(Number(p.cluster) + 1), '--address', p.a, '--address', p.b]);
    expect(other.code).toBe(2);
    expect(other.stderr).toMatch(new RegExp(`is in cluster ${p.cluster}, not ${Number(p.cluster) + 1}`));
  }, 120_000);

  it('export addresses writes csv, jsonl and parquet with the same rows', async () => {
    const rows: Record<string, number> = {};
    for (const f of ['csv', 'jsonl', 'parquet']) {
      const file = join(dir, `addresses.${f}`);
      rows[f] = (cli(['--db', dbPath, 'export', 'addresses', '--format', f, '--out', file]) as { rows: number }).rows;
      expect(statSync(file).size).toBeGreaterThan(0);
    }
    const csv = readFileSync(join(dir, 'addresses.csv'), 'utf8').trim().split('\n');
    expect(csv[0]).toBe('address,cluster,script_type,first_height,last_height,received,balance');
    expect(csv.length - 1).toBe(rows.csv);
    const first = JSON.parse(readFileSync(join(dir, 'addresses.jsonl'), 'utf8').split('\n')[0] as string);
    expect(Object.keys(first)).toEqual(['address', 'cluster', 'script_type', 'first_height', 'last_height', 'received', 'balance']);
    const db = await Database.open(':memory:');
    try {
      const p = await db.one<{ n: bigint; s: bigint }>(`SELECT count(*) n, sum(balance) s FROM read_parquet('${join(dir, 'addresses.parquet')}')`);
      expect(Number(p?.n)).toBe(rows.csv);
      const unspent = await Database.open(dbPath, { readOnly: true });
      const u = await unspent.one<{ s: bigint }>('SELECT sum(value) s FROM outputs WHERE spending_input_id IS NULL AND address_id IS NOT NULL');
      unspent.close();
      expect(Number(p?.s)).toBe(Number(u?.s));
    } finally {
      db.close();
    }
    const stdout = runCli(['--db', dbPath, 'export', 'addresses', '--format', 'csv']);
    expect(stdout.stdout.trim().split('\n').length).toBe(csv.length);
    const bad = runCli(['--db', dbPath, 'export', 'addresses', '--format', 'xml']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/unknown --format "xml"/);
  }, 120_000);

  it('incremental: clustering after new blocks equals a full recompute', async () => {
    // Every heuristic whose decisions depend only on the chain so far (reuse-exclusion looks ahead: an
    // incremental run does not undo a merge whose change address is reused later; see docs/CLUSTERING.md).
    const h = ['--heuristics', 'multi-input,fresh-address,same-script-type,non-round-amount,optimal-change'];
    const incPath = join(dir, 'inc.duckdb');
    cli(['--db', incPath, 'ingest', 'bitcoin', '--blocks-dir', join(out, 'blocks'), '--to-height', '60']);
    const first = cli(['--db', incPath, 'cluster', ...h]) as { mode: string };
    expect(first.mode).toBe('full');
    // New blocks arrive after clustering (ingest appends NULL to the columns clustering added).
    cli(['--db', incPath, 'ingest', 'bitcoin', '--blocks-dir', join(out, 'blocks')]);
    cli(['--db', dbPath, 'cluster', '--full', ...h]);
    const second = cli(['--db', incPath, 'cluster', ...h]) as { mode: string; transactions: number };
    expect(second.mode).toBe('incremental');
    expect(second.transactions).toBeGreaterThan(0);
    const read = async (path: string) => {
      const d = await Database.open(path, { readOnly: true });
      try {
        return {
          clusters: await d.all('SELECT address, cluster FROM addresses ORDER BY address_id'),
          coinjoins: await d.all('SELECT txid, coinjoin FROM transactions WHERE coinjoin IS NOT NULL ORDER BY tx_id'),
          edges: Number((await d.one<{ n: bigint }>('SELECT count(*) n FROM cluster_merges'))?.n),
        };
      } finally {
        d.close();
      }
    };
    const a = await read(incPath);
    const b = await read(dbPath);
    expect(a.clusters).toEqual(b.clusters);
    expect(a.coinjoins).toEqual(b.coinjoins);
    expect(a.edges).toBe(b.edges);
  }, 300_000);

  it('windows: processing the chain in small transaction windows gives the same result as one pass', async () => {
    const db = await Database.open(dbPath);
    try {
      const snapshot = async () => ({
        clusters: await db.all('SELECT address_id, cluster FROM addresses ORDER BY address_id'),
        coinjoins: await db.all('SELECT tx_id, coinjoin FROM transactions WHERE coinjoin IS NOT NULL ORDER BY tx_id'),
        merges: await db.all('SELECT heuristic, count(*) n FROM cluster_merges GROUP BY heuristic ORDER BY heuristic'),
      });
      for (const heuristics of [[...DEFAULT_HEURISTICS], ['multi-input', 'fresh-address', 'same-script-type', 'reuse-exclusion']]) {
        const config = { heuristics, minVotes: DEFAULT_MIN_VOTES, coinjoinDetection: true, full: true };
        const one = await clusterDatabase(db, config);
        expect(one.windows).toBe(1);
        const a = await snapshot();
        const many = await clusterDatabase(db, { ...config, windowTxs: 997 });
        expect(many.windows).toBeGreaterThan(5);
        expect(many.stats).toEqual(one.stats);
        expect(await snapshot()).toEqual(a);
      }
    } finally {
      db.close();
    }
  }, 300_000);

  it('a run that fails before COMMIT leaves the previous clustering intact', async () => {
    cli(['--db', dbPath, 'cluster']);
    const db = await Database.open(dbPath);
    try {
      const before = await db.all('SELECT address_id, cluster FROM addresses ORDER BY address_id');
      const stateBefore = await db.all('SELECT * FROM cluster_state ORDER BY key');
      const mergesBefore = await db.one<{ n: bigint }>('SELECT count(*) n FROM cluster_merges');
      await expect(
        clusterDatabase(db, {
          heuristics: ['multi-input', 'fresh-address', 'same-script-type'],
          minVotes: DEFAULT_MIN_VOTES,
          coinjoinDetection: true,
          full: true,
          beforeCommit: () => {
            throw new Error('simulated crash');
          },
        }),
      ).rejects.toThrow('simulated crash');
      expect(await db.all('SELECT address_id, cluster FROM addresses ORDER BY address_id')).toEqual(before);
      expect(await db.all('SELECT * FROM cluster_state ORDER BY key')).toEqual(stateBefore);
      expect((await db.one<{ n: bigint }>('SELECT count(*) n FROM cluster_merges'))?.n).toBe(mergesBefore?.n);
      const leftovers = await db.one<{ n: bigint }>("SELECT count(*) n FROM information_schema.tables WHERE table_name LIKE '_lh_cluster%'");
      expect(Number(leftovers?.n)).toBe(0);
    } finally {
      db.close();
    }
  }, 120_000);

  it('bad input: unknown heuristic, bad --min-votes, empty or missing database', async () => {
    const unknown = runCli(['--db', dbPath, 'cluster', '--heuristics', 'multi-input,telepathy']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/unknown heuristic "telepathy"/);
    const votes = runCli(['--db', dbPath, 'cluster', '--min-votes', 'x']);
    expect(votes.code).toBe(2);
    expect(votes.stderr).toMatch(/--min-votes must be an integer/);
    const missing = runCli(['--db', join(dir, 'missing.duckdb'), 'cluster']);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/LH_DB_MISSING/);
    expect(existsSync(join(dir, 'missing.duckdb'))).toBe(false);
    const made = await Database.open(join(dir, 'empty.duckdb'));
    made.close();
    const empty = runCli(['--db', join(dir, 'empty.duckdb'), 'cluster']);
    expect(empty.code).toBe(1);
    expect(empty.stderr).toMatch(/LH_DB_EMPTY.*has no blocks to cluster/);
    expect(empty.stderr).not.toMatch(/at .*\.ts:\d+/);
  }, 120_000);
});
