import { NONE } from './chain.js';
import { IdHeap } from './chain.js';
import type { TaintPolicy } from './policies/index.js';
import type { ChangeReason, OutputVisit, TxVisit, Walk, WalkContext, WalkLimits } from './walkTypes.js';
import { emptyWalk, stopsAtEntityOrMinimum } from './walkTypes.js';

/**
 * Follows traced value forward from `startOutputs` (output ids) under `policy`.
 *
 * Transactions are processed in chain order (a min-heap of tx ids): a transaction's id is larger than the
 * ids of the transactions whose outputs it spends, so when it is taken from the heap every traced input it
 * has is already known. Merges (several traced inputs) are therefore split once, correctly, and a peel
 * chain costs one heap push and pop per hop. Each traced output is then either followed (its spending
 * transaction is queued) or given a fate: endpoint (stop entity), unspent, horizon, or a limit.
 *
 * @example
 * const walk = walkForward(ctx, [outputId], haircut, { ...DEFAULT_LIMITS, maxHops: 10 });
 */
export function walkForward<T>(ctx: WalkContext, startOutputs: readonly number[], policy: TaintPolicy<T>, limits: WalkLimits): Walk<T> {
  const { chain } = ctx;
  const cj = ctx.coinjoin?.flags ?? null;
  const walk = emptyWalk(ctx, 'forward', startOutputs, policy, limits);
  const heap = new IdHeap(false);
  const queued = new Set<number>();
  let stopped: 'node-limit' | 'edge-limit' | null = null;

  const examine = (v: OutputVisit<T>): void => {
    if (stopsAtEntityOrMinimum(ctx, walk, limits, v)) return;
    const o = v.outputId;
    const sp = chain.outputSpendingTx[o]!;
    if (sp === NONE) {
      v.fate = 'unspent';
      return;
    }
    if (
      (limits.untilHeight !== null && chain.txHeight[sp]! > limits.untilHeight) ||
      (limits.untilTimeSec !== null && chain.txTime[sp]! > limits.untilTimeSec)
    ) {
      v.fate = 'horizon';
      walk.limitsHit.add('until');
      return;
    }
    if (v.hop + 1 > limits.maxHops) {
      v.fate = 'hop-limit';
      walk.limitsHit.add('max-hops');
      return;
    }
    if (stopped) {
      v.fate = stopped;
      return;
    }
    v.fate = 'followed';
    if (!queued.has(sp)) {
      queued.add(sp);
      heap.push(sp);
    }
  };

  for (const o of startOutputs) {
    if (walk.outputs.has(o)) continue;
    const value = chain.outputValue[o]!;
    const taint = policy.full(value);
    const v = visit(o, taint, policy.amount(taint), 0, false, true);
    walk.startSat += v.tracedSat;
    walk.outputs.set(o, v);
    examine(v);
  }

  const inValues: number[] = [];
  const inTaint: (T | null)[] = [];
  const outValues: number[] = [];
  for (let t = heap.pop(); t !== undefined; t = heap.pop()) {
    const i0 = chain.txFirstInput[t]!;
    const i1 = chain.txFirstInput[t + 1]!;
    const o0 = chain.txFirstOutput[t]!;
    const o1 = chain.txFirstOutput[t + 1]!;
    if (walk.txs.size >= limits.maxTxs || walk.edges + (i1 - i0) + (o1 - o0) > limits.maxEdges) {
      stopped = walk.txs.size >= limits.maxTxs ? 'node-limit' : 'edge-limit';
      walk.limitsHit.add(stopped === 'node-limit' ? 'max-nodes' : 'max-edges');
      // Every output still waiting on a queued transaction stops here.
      for (const v of walk.outputs.values()) {
        if (v.fate === 'followed' && !walk.txs.has(chain.outputSpendingTx[v.outputId]!)) v.fate = stopped;
      }
      break;
    }
    inValues.length = 0;
    inTaint.length = 0;
    let hop = Number.POSITIVE_INFINITY;
    let mixed = false;
    let tracedIn = 0;
    let mixedIn = 0;
    const tracedInputs: number[] = [];
    for (let i = i0; i < i1; i++) {
      const so = chain.inputSpentOutput[i]!;
      inValues.push(so === NONE ? 0 : chain.outputValue[so]!);
      const v = so === NONE ? undefined : walk.outputs.get(so);
      if (v !== undefined && v.fate === 'followed') {
        inTaint.push(v.taint);
        tracedIn += v.tracedSat;
        tracedInputs.push(so);
        if (v.hop < hop) hop = v.hop;
        if (v.mixed) mixed = true;
        mixedIn += v.mixedSat;
      } else {
        inTaint.push(null);
      }
    }
    hop += 1;
    const coinjoin = cj !== null && cj[t] === 1;
    if (coinjoin) {
      walk.mixedInSat += tracedIn;
      mixed = true;
      mixedIn = tracedIn;
    }
    const mixedShare = tracedIn > 0 ? Math.min(1, mixedIn / tracedIn) : 0;
    outValues.length = 0;
    for (let o = o0; o < o1; o++) outValues.push(chain.outputValue[o]!);
    const split = policy.forward({ inValues, inTaint, outValues });
    const tx: TxVisit = { txId: t, hop, mixed, coinjoin, tracedInSat: tracedIn, tracedOutSat: 0, feeSat: split.feeSat };
    walk.txs.set(t, tx);
    walk.feeSat += split.feeSat;
    walk.edges += tracedInputs.length;
    const change = changeOutputs(ctx, t, tracedInputs);
    for (let k = 0; k < split.outTaint.length; k++) {
      const taint = split.outTaint[k];
      if (taint === null || taint === undefined) continue;
      const amt = policy.amount(taint);
      if (amt <= 0) continue;
      const o = o0 + k;
      tx.tracedOutSat += amt;
      walk.edges++;
      const prev = walk.outputs.get(o);
      if (prev !== undefined) {
        // A starting output reached again from another start: keep one visit, merged.
        prev.taint = policy.merge(prev.taint, taint, chain.outputValue[o]!);
        prev.tracedSat = policy.amount(prev.taint);
        continue;
      }
      const v = visit(o, taint, amt, hop, mixed, false);
      v.mixedSat = amt * mixedShare;
      v.change = change?.get(k) ?? null;
      walk.outputs.set(o, v);
      examine(v);
    }
  }
  return walk;
}

export function visit<T>(outputId: number, taint: T, tracedSat: number, hop: number, mixed: boolean, start: boolean): OutputVisit<T> {
  return { outputId, taint, tracedSat, hop, mixed, mixedSat: mixed ? tracedSat : 0, fate: 'followed', entity: -1, entityVia: null, change: null, start };
}

/**
 * Change outputs of transaction `t` (local vout → reason), judged from the traced inputs:
 * - same-cluster: the output's address is in the cluster of a traced input's address (needs clustering);
 * - peel-chain: a 1–2 input, 2-output transaction whose larger output is spent again by a 2-output
 *   transaction (the shape of a peel chain: Meiklejohn et al., "A Fistful of Bitcoins", IMC 2013).
 * Returns null when no output qualifies. This only annotates edges; policies decide the traced value.
 */
function changeOutputs(ctx: WalkContext, t: number, tracedInputs: readonly number[]): Map<number, ChangeReason> | null {
  const { chain, entities } = ctx;
  const o0 = chain.txFirstOutput[t]!;
  const o1 = chain.txFirstOutput[t + 1]!;
  let out: Map<number, ChangeReason> | null = null;
  if (entities.addressCluster) {
    // Few traced inputs per transaction: compare clusters pairwise rather than build a set per transaction.
    for (let o = o0; o < o1; o++) {
      const c = entities.clusterOf(chain.outputAddress[o]!);
      if (c === null) continue;
      for (const so of tracedInputs) {
        if (entities.clusterOf(chain.outputAddress[so]!) !== c) continue;
        out ??= new Map();
        out.set(o - o0, 'same-cluster');
        break;
      }
    }
    if (out) return out;
  }
  const nIn = chain.txFirstInput[t + 1]! - chain.txFirstInput[t]!;
  if (o1 - o0 === 2 && nIn <= 2) {
    const big = chain.outputValue[o0]! >= chain.outputValue[o0 + 1]! ? o0 : o0 + 1;
    const sp = chain.outputSpendingTx[big]!;
    if (sp !== NONE && chain.txFirstOutput[sp + 1]! - chain.txFirstOutput[sp]! === 2) {
      out = new Map([[big - o0, 'peel-chain']]);
    }
  }
  return out;
}
