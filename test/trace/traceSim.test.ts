/**
 * End to end: `sim bitcoin` (small seed) → `ingest bitcoin` → `cluster` → the simulated exchanges labelled
 * from truth through `label import tagpack` → `trace` from the theft. Checks accuracy thresholds against
 * the truth (not timings), the JSON schema, value conservation, the reasons on edges, and bad input.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadTruth, type Truth } from '../../src/sim/index.js';
import { Database } from '../../src/store/index.js';
import { buildResult, DEFAULT_LIMITS, EntityIndex, haircut, parseFromArg, TraceResultSchema, TraceSession, walkForward } from '../../src/trace/index.js';
import { runCli } from '../helpers/cli.js';
import { type IncidentAccuracy, scoreIncidents } from './accuracy.js';
import { writeSimTagPack } from './simLabels.js';

const dir = mkdtempSync(join(tmpdir(), 'lh-trace-e2e-'));
const dbPath = join(dir, 'lh.duckdb');
let truth: Truth;
let db: Database;
let session: TraceSession;
const scores = new Map<string, IncidentAccuracy[]>();

beforeAll(async () => {
  const sim = runCli(['sim', 'bitcoin', '--out', join(dir, 'out'), '--preset', 'demo', '--seed', '21']);
  expect(sim.code, sim.stderr).toBe(0);
  const ing = runCli(['--db', dbPath, 'ingest', 'bitcoin', '--blocks-dir', join(dir, 'out', 'blocks')]);
  expect(ing.code, ing.stderr).toBe(0);
  const cl = runCli(['--db', dbPath, 'cluster']);
  expect(cl.code, cl.stderr).toBe(0);
  truth = loadTruth(join(dir, 'out', 'truth.json'));
  const tagged = writeSimTagPack(truth, join(dir, 'exchanges.yaml'));
  expect(tagged).toBeGreaterThan(0);
  const lab = runCli(['--db', dbPath, 'label', 'import', 'tagpack', join(dir, 'exchanges.yaml')]);
  expect(lab.code, lab.stderr).toBe(0);
  // An incident record as the labels keep them (label_incidents + txs + addresses): the theft transactions
  // and the thief's receiving addresses, written directly as a fixture.
  {
    const w = await Database.open(dbPath);
    const inc = truth.incidents[0]!;
    await w.run("INSERT INTO label_incidents (incident_id, source_id, name, victim, chain) VALUES ('simhack', 999, 'Sim hack', 'victim', 'BTC')");
    for (const t of inc.theftTxids) await w.run("INSERT INTO label_incident_txs VALUES ('simhack', 999, 'BTC', ?, 'theft')", [t]);
    for (const o of inc.thiefOutputs.filter((x) => x.stage === 'theft')) {
      await w.run("INSERT INTO label_incident_addresses VALUES ('simhack', 999, 'BTC', ?, 'thief', 'perpetrator', 1)", [o.address]);
      await w.run("INSERT INTO label_incident_addresses VALUES ('simaddr', 999, 'BTC', ?, 'thief', 'perpetrator', 1)", [o.address]);
    }
    await w.run("INSERT INTO label_incidents (incident_id, source_id, name, victim, chain) VALUES ('simaddr', 999, 'Sim hack by address', 'victim', 'BTC')");
    w.close();
  }
  db = await Database.open(dbPath, { readOnly: true });
  session = await TraceSession.open(db);
  for (const p of ['poison', 'haircut', 'fifo']) scores.set(p, await scoreIncidents(session, truth, p));
}, 240_000);

afterAll(() => {
  db?.close();
  rmSync(dir, { recursive: true, force: true });
});

const byNameQuery = () => ({
  from: [],
  incident: null,
  maxHops: DEFAULT_LIMITS.maxHops,
  minValueSat: DEFAULT_LIMITS.minValueSat,
  maxTxs: DEFAULT_LIMITS.maxTxs,
  maxEdges: DEFAULT_LIMITS.maxEdges,
  untilHeight: null,
  untilTime: null,
  stopAt: ['exchange'],
});
const theftFrom = () => truth.incidents[0]!.thiefOutputs.filter((o) => o.stage === 'theft').map((o) => `${o.txid}:${o.vout}`);

describe('accuracy against simulator truth (seed 21)', () => {
  it('haircut and FIFO: recall and endpoint precision ≥ 0.9 on the laundering paths without CoinJoin', () => {
    for (const p of ['haircut', 'fifo']) {
      for (const a of scores.get(p)!) {
        console.log(
          `${p} ${a.incident}: recall ${a.recall.toFixed(3)} precision ${a.precision.toFixed(3)} | no-CoinJoin R ${a.noCoinJoin.recall.toFixed(3)} P ${a.noCoinJoin.precision.toFixed(3)} | CoinJoin R ${a.coinJoin.recall.toFixed(3)} P ${a.coinJoin.precision.toFixed(3)} | innocent ${(a.innocentFlaggedSat / 1e8).toFixed(4)} BTC`,
        );
        expect(a.noCoinJoin.trueSat, 'the incident has cash-outs without CoinJoin').toBeGreaterThan(0);
        expect(a.noCoinJoin.recall, `${p} recall`).toBeGreaterThanOrEqual(0.9);
        expect(a.noCoinJoin.precision, `${p} precision`).toBeGreaterThanOrEqual(0.9);
        // Through CoinJoins the policies share value with the other participants, but most still lands right.
        expect(a.recall).toBeGreaterThanOrEqual(0.6);
        expect(a.precision).toBeGreaterThanOrEqual(0.6);
      }
    }
  });

  it('poison finds every cash-out but flags far more innocent value than haircut', () => {
    const p = scores.get('poison')![0]!;
    const h = scores.get('haircut')![0]!;
    expect(p.recall).toBeGreaterThanOrEqual(h.recall);
    expect(p.innocentFlaggedSat).toBeGreaterThan(5 * h.innocentFlaggedSat);
    expect(p.precision).toBeLessThan(h.precision);
  });

  it('reports the value that passed through the incident’s CoinJoins', () => {
    const h = scores.get('haircut')![0]!;
    expect(truth.incidents[0]!.coinjoinTxids.length).toBeGreaterThan(0);
    expect(h.mixedSat).toBeGreaterThan(0);
    const cj = new Set(truth.incidents[0]!.coinjoinTxids);
    expect(h.result.coinjoin.txs.some((t) => cj.has(t))).toBe(true);
    expect(h.result.endpoints.some((e) => e.mixedSat > 0)).toBe(true);
  });
});

describe('trace result', () => {
  it('conserves value under haircut and FIFO: start = endpoints + unspent + fees + below-min + stopped', () => {
    for (const p of ['haircut', 'fifo']) {
      const r = scores.get(p)![0]!.result;
      const t = r.totals;
      expect(t.endpointSat + t.unspentSat + t.feeSat + t.belowMinSat + t.stoppedSat).toBeCloseTo(t.startSat, -1);
      expect(t.startSat).toBe(truth.incidents[0]!.stolenSat);
    }
  });

  it('CLI --json matches the published schema, prints the policy, and gives every edge a reason', () => {
    const r = runCli(['--db', dbPath, '--json', 'trace', ...theftFrom().flatMap((f) => ['--from', f]), '--policy', 'fifo', '--max-hops', '30']);
    expect(r.code, r.stderr).toBe(0);
    const parsed = TraceResultSchema.parse(JSON.parse(r.stdout));
    expect(parsed.policy.name).toBe('fifo');
    expect(parsed.policy.definition).toMatch(/FIFO/);
    expect(parsed.graph.edges.length).toBeGreaterThan(0);
    const kinds = new Set(parsed.graph.edges.map((e) => e.reason.kind));
    expect(kinds.has('spend')).toBe(true);
    expect(kinds.has('label') || kinds.has('cluster-membership')).toBe(true);
    for (const e of parsed.graph.edges) expect(e.reason.detail.length).toBeGreaterThan(10);
    expect(parsed.summary).toMatch(/FIFO/);
    const human = runCli(['--db', dbPath, 'trace', '--from', theftFrom()[0]!, '--policy', 'haircut']);
    expect(human.code, human.stderr).toBe(0);
    expect(human.stdout).toMatch(/^forward trace · policy haircut:/);
    expect(human.stdout).toMatch(/Endpoints \(traced value received\):/);
  }, 60_000);

  it('stops at --max-hops and says the walk is incomplete', async () => {
    const r = await session.trace({ from: theftFrom().map(parseFromArg), policy: 'haircut', limits: { maxHops: 2 } });
    expect(r.limits.hit).toContain('max-hops');
    expect(r.limits.complete).toBe(false);
    expect(r.totals.stoppedSat).toBeGreaterThan(0);
    expect(r.summary).toMatch(/incomplete/);
  });

  it('a whole theft transaction starts from the stolen output, not the change back to the victim', async () => {
    const inc = truth.incidents[0]!;
    const theftTx = inc.theftTxids[0]!;
    const r = await session.trace({ from: [parseFromArg(theftTx)], policy: 'haircut' });
    const kept = r.starts.filter((s) => s.excluded === null);
    const stolen = inc.thiefOutputs.filter((o) => o.txid === theftTx && o.stage === 'theft');
    expect(kept.map((s) => s.vout).sort()).toEqual(stolen.map((o) => o.vout).sort());
    expect(r.starts.some((s) => s.excluded?.includes('change returned to the sender'))).toBe(true);
  });

  it('--incident starts from the incident record: its theft txs, restricted to the thief addresses', async () => {
    const byName = await session.trace({ from: [], incident: 'Sim hack', policy: 'haircut' });
    const byFrom = await session.trace({ from: theftFrom().map(parseFromArg), policy: 'haircut' });
    expect(byName.query.incident).toBe('Sim hack');
    expect(byName.totals.startSat).toBe(byFrom.totals.startSat);
    expect(byName.totals.endpointSat).toBeCloseTo(byFrom.totals.endpointSat, 0);
    await expect(session.trace({ from: [], incident: 'no such hack' })).rejects.toThrow('incident no such hack not found');
    // An incident that records only the thief's addresses starts from what they received: the same stolen outputs.
    const byAddr = await session.trace({ from: [], incident: 'simaddr', policy: 'haircut' });
    expect(byAddr.totals.startSat).toBe(byFrom.totals.startSat);
    expect(byAddr.starts.map((s) => `${s.txid}:${s.vout}`).sort()).toEqual(theftFrom().sort());
  });

  it('with one tagged address per exchange, deposits are recognised through cluster membership, with the merge that joined them', async () => {
    const cluster = session.ctx.entities.addressCluster;
    expect(cluster, 'ledgerhound cluster wrote addresses.cluster').not.toBeNull();
    const sparse = new EntityIndex(cluster);
    const seen = new Set<number>();
    for (const a of truth.addresses) {
      if ((a.type !== 'exchange' && a.type !== 'otc') || seen.has(a.entity)) continue;
      const row = await db.one<{ id: bigint }>('SELECT address_id id FROM addresses WHERE address = ?', [a.address]);
      if (row === undefined) continue;
      seen.add(a.entity);
      const name = truth.entities.find((e) => e.id === a.entity)!.name;
      sparse.tagAddress(Number(row.id), sparse.entity({ key: name, label: name, category: 'exchange', source: 'test', confidence: null, confidenceLevel: 100, stop: true }));
    }
    const ctx = { ...session.ctx, entities: sparse };
    const starts = await Promise.all(
      theftFrom().map(async (f) => {
        const [txid, vout] = f.split(':');
        const r = await db.one<{ o: bigint }>('SELECT o.output_id o FROM outputs o JOIN transactions t USING (tx_id) WHERE t.txid = ? AND o.vout = ?', [txid!, Number(vout)]);
        return Number(r!.o);
      }),
    );
    const walk = walkForward(ctx, starts, haircut, { ...DEFAULT_LIMITS });
    const r = await buildResult(walk, ctx, session.namer(), { query: byNameQuery(), starts: [], walkMs: 0 });
    const viaCluster = r.graph.edges.filter((e) => e.reason.kind === 'cluster-membership');
    expect(viaCluster.length).toBeGreaterThan(0);
    expect(viaCluster[0]!.reason.detail).toMatch(/address is in cluster \d+ \(joined by the .+ heuristic in [0-9a-f]{64}, confidence [\d.]+\), which holds an address tagged/);
    expect(r.endpoints.some((e) => e.via.includes('cluster'))).toBe(true);
  });

  it('backward from a cash-out deposit finds the victim exchange as the source', async () => {
    const inc = truth.incidents[0]!;
    const victim = truth.entities.find((e) => e.id === inc.victim)!;
    const spent = await db.all<{ txid: string; vout: number }>(
      `SELECT t.txid, o.vout FROM outputs o JOIN transactions t USING (tx_id)
        WHERE o.spending_tx_id IS NOT NULL AND t.txid IN (${inc.cashOuts.map((c) => `'${c.txid}'`).join(',')})`,
    );
    const deposit = inc.cashOuts.find((c) => spent.some((s) => s.txid === c.txid && s.vout === c.vout));
    expect(deposit, 'a cash-out deposit that the exchange swept').toBeDefined();
    const r = await session.trace({ from: [parseFromArg(`${deposit!.txid}:${deposit!.vout}`)], direction: 'backward', policy: 'haircut' });
    expect(r.direction).toBe('backward');
    expect(r.endpoints[0]?.entity.label).toBe(victim.name);
  });
});

describe('bad input', () => {
  it('names the problem for malformed txids, hop limits, policies and categories (exit code 2)', () => {
    // The same checks are unit-tested in src/trace/result.test.ts; here, that the CLI reports them (exit 2, no stack).
    const cases: [string[], RegExp][] = [
      [['--from', 'abcd'], /a txid is 64 hex characters, got 4/],
      [['--from', `${'a'.repeat(64)}`, '--max-hops', '0'], /--max-hops must be an integer from 1 to 100000, got "0"/],
      [['--from', `${'a'.repeat(64)}`, '--policy', 'lifo', '--stop-at', 'exchange'], /unknown taint policy "lifo"/],
    ];
    for (const [args, msg] of cases) {
      const r = runCli(['--db', dbPath, 'trace', ...args]);
      expect(r.code, `${args.join(' ')}: ${r.stderr}`).toBe(2);
      expect(r.stderr).toMatch(msg);
      expect(r.stderr).not.toMatch(/at .*\.ts:\d+/);
    }
  }, 120_000);

  it('unknown txid, unknown vout and an unspent output for a backward trace are clear errors', async () => {
    await expect(session.trace({ from: [parseFromArg('ab'.repeat(32))] })).rejects.toThrow(`transaction ${'ab'.repeat(32)} not found`);
    await expect(session.trace({ from: theftFrom().map(parseFromArg), limits: { maxHops: 0 } })).rejects.toThrow(/must be an integer from 1 to 100000, got "0"/);
    await expect(session.trace({ from: theftFrom().map(parseFromArg), limits: { minValueSat: -5 } })).rejects.toThrow(/minValueSat must be an integer ≥ 0, got "-5"/);
    const theft = truth.incidents[0]!.theftTxids[0]!;
    await expect(session.trace({ from: [parseFromArg(`${theft}:99`)] })).rejects.toThrow(/output .*:99 not found: the transaction has \d+ outputs/);
    const unspent = await db.one<{ txid: string; vout: number }>(
      'SELECT t.txid, o.vout FROM outputs o JOIN transactions t USING (tx_id) WHERE o.spending_tx_id IS NULL AND o.value > 0 LIMIT 1',
    );
    await expect(session.trace({ from: [parseFromArg(`${unspent!.txid}:${unspent!.vout}`)], direction: 'backward' })).rejects.toThrow(/is unspent: a backward trace starts from a spent output/);
    const r = runCli(['--db', dbPath, 'trace', '--from', 'ab'.repeat(32)]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/LH_NOT_FOUND/);
  }, 60_000);
});
