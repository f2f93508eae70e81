/**
 * Tracing accuracy against simulator truth, shared by the end-to-end test and `bench/traceAccuracy.ts`
 * (which writes the table in docs/TRACING.md).
 *
 * For each incident the trace starts at the theft outputs the truth lists (stage `theft`) and is scored with
 * the simulator's `scoreTracing` (amount-weighted recall of the true cash-out deposits, precision of the
 * reported deposits, innocent value flagged). Cash-outs are split by path:
 * - no-CoinJoin paths: cash-out outputs with no CoinJoin among their ancestors since the theft (found with a
 *   backward poison walk bounded by the theft height);
 * - CoinJoin paths: the others.
 * Per group, outputs are matched exactly (txid:vout): matched = min(traced value the trace reports at that
 * output, its true value). Precision per group charges a reported deposit that is not a true cash-out to the
 * CoinJoin group for its mixed part (`mixedSat`) and to the no-CoinJoin group for the rest.
 */
import { type Truth, type TruthIncident, scoreTracing } from '../../src/sim/index.js';
import type { Database } from '../../src/store/index.js';
import { DEFAULT_LIMITS, EntityIndex, parseFromArg, poison, type TraceResult, type TraceSession, walkBackward } from '../../src/trace/index.js';

export interface GroupScore {
  trueSat: number;
  matchedSat: number;
  flaggedSat: number;
  recall: number;
  precision: number;
  outputs: number;
}

export interface IncidentAccuracy {
  incident: string;
  policy: string;
  stolenSat: number;
  recall: number;
  precision: number;
  innocentFlaggedSat: number;
  attackerFlaggedSat: number;
  noCoinJoin: GroupScore;
  coinJoin: GroupScore;
  mixedSat: number;
  walkMs: number;
  txsVisited: number;
  result: TraceResult;
}

async function outputIdOf(db: Database, txid: string, vout: number): Promise<number> {
  const r = await db.one<{ o: bigint }>('SELECT o.output_id o FROM outputs o JOIN transactions t USING (tx_id) WHERE t.txid = ? AND o.vout = ?', [txid, vout]);
  if (r === undefined) throw new Error(`truth output ${txid}:${vout} is not in the store`);
  return Number(r.o);
}

/** True cash-out outputs (`txid:vout`) with a CoinJoin among their ancestors since the theft. */
async function coinJoinPathOutputs(session: TraceSession, incident: TruthIncident): Promise<Set<string>> {
  const db = session.db;
  const cjTx = new Set<number>();
  for (const txid of incident.coinjoinTxids) {
    const r = await db.one<{ t: bigint }>('SELECT tx_id t FROM transactions WHERE txid = ?', [txid]);
    if (r) cjTx.add(Number(r.t));
  }
  const out = new Set<string>();
  for (const c of incident.cashOuts) {
    const o = await outputIdOf(db, c.txid, c.vout);
    const w = walkBackward({ ...session.ctx, entities: new EntityIndex() }, [o], poison, {
      ...DEFAULT_LIMITS,
      minValueSat: 0,
      untilHeight: incident.theftHeight,
    });
    for (const t of w.txs.keys()) {
      if (cjTx.has(t)) {
        out.add(`${c.txid}:${c.vout}`);
        break;
      }
    }
  }
  return out;
}

function group(trueAt: Map<string, number>, flaggedAt: Map<string, number>, falsePositiveSat: number): GroupScore {
  let trueSat = 0;
  let matched = 0;
  let flagged = falsePositiveSat;
  for (const [a, t] of trueAt) {
    trueSat += t;
    const f = flaggedAt.get(a) ?? 0;
    matched += Math.min(f, t);
    flagged += f;
  }
  return {
    trueSat,
    matchedSat: matched,
    flaggedSat: flagged,
    recall: trueSat === 0 ? 1 : matched / trueSat,
    precision: flagged === 0 ? 1 : matched / flagged,
    outputs: trueAt.size,
  };
}

/** Traces every incident of `truth` forward from its theft outputs under `policy` and scores it. */
export async function scoreIncidents(session: TraceSession, truth: Truth, policy: string, maxHops = 100): Promise<IncidentAccuracy[]> {
  const ownerOf = new Map(truth.addresses.map((a) => [a.address, a.entity]));
  const out: IncidentAccuracy[] = [];
  for (const inc of truth.incidents) {
    const from = inc.thiefOutputs.filter((o) => o.stage === 'theft').map((o) => parseFromArg(`${o.txid}:${o.vout}`));
    const result = await session.trace({ from, policy, limits: { maxHops } });
    const endpoints = result.deposits.map((d) => ({ address: d.address, amountSat: d.amountSat }));
    const s = scoreTracing(inc, ownerOf, endpoints);
    const cjOut = await coinJoinPathOutputs(session, inc);
    const trueNo = new Map<string, number>();
    const trueCj = new Map<string, number>();
    for (const c of inc.cashOuts) {
      const k = `${c.txid}:${c.vout}`;
      const m = cjOut.has(k) ? trueCj : trueNo;
      m.set(k, (m.get(k) ?? 0) + c.valueSat);
    }
    const flaggedAt = new Map<string, number>();
    let fpMixed = 0;
    let fpClean = 0;
    for (const d of result.deposits) {
      const k = `${d.txid}:${d.vout}`;
      flaggedAt.set(k, (flaggedAt.get(k) ?? 0) + d.amountSat);
      if (!trueNo.has(k) && !trueCj.has(k)) {
        fpMixed += d.mixedSat;
        fpClean += d.amountSat - d.mixedSat;
      }
    }
    out.push({
      incident: inc.name,
      policy,
      stolenSat: inc.stolenSat,
      recall: s.recall,
      precision: s.precision,
      innocentFlaggedSat: s.innocentFlaggedSat,
      attackerFlaggedSat: s.attackerFlaggedSat,
      noCoinJoin: group(trueNo, flaggedAt, fpClean),
      coinJoin: group(trueCj, flaggedAt, fpMixed),
      mixedSat: result.totals.mixedSat,
      walkMs: result.stats.walkMs,
      txsVisited: result.stats.txsVisited,
      result,
    });
  }
  return out;
}

