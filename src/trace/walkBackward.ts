import { IdHeap, NONE } from './chain.js';
import type { TaintPolicy } from './policies/index.js';
import { visit } from './walkForward.js';
import type { OutputVisit, Walk, WalkContext, WalkLimits } from './walkTypes.js';
import { emptyWalk, stopsAtEntityOrMinimum } from './walkTypes.js';

/**
 * Follows value backward from `startOutputs` to where it came from, under `policy`: each traced output puts
 * taint on the inputs of the transaction that created it (poison: every input in full; haircut: pro rata by
 * input value; FIFO: the same satoshi range of the input line), and each input passes it to the output it
 * spends. Transactions are processed in reverse chain order (a max-heap of tx ids), so all traced outputs of
 * a transaction are known before it is split. The walk stops at entities in the stop categories (the
 * sources: e.g. a withdrawal from an exchange), at coinbase inputs (newly mined coins), at --until (coins
 * created before it) and at the limits.
 */
export function walkBackward<T>(ctx: WalkContext, startOutputs: readonly number[], policy: TaintPolicy<T>, limits: WalkLimits): Walk<T> {
  const { chain } = ctx;
  const cj = ctx.coinjoin?.flags ?? null;
  const walk = emptyWalk(ctx, 'backward', startOutputs, policy, limits);
  const heap = new IdHeap(true);
  /** Traced outputs waiting for their creating transaction, by tx id. */
  const pending = new Map<number, OutputVisit<T>[]>();
  let stopped: 'node-limit' | 'edge-limit' | null = null;

  const examine = (v: OutputVisit<T>): void => {
    if (stopsAtEntityOrMinimum(ctx, walk, limits, v)) return;
    const o = v.outputId;
    const t = chain.outputTx[o]!;
    if (
      (limits.untilHeight !== null && chain.txHeight[t]! < limits.untilHeight) ||
      (limits.untilTimeSec !== null && chain.txTime[t]! < limits.untilTimeSec)
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
    const list = pending.get(t);
    if (list) list.push(v);
    else {
      pending.set(t, [v]);
      heap.push(t);
    }
  };

  for (const o of startOutputs) {
    if (walk.outputs.has(o)) continue;
    const taint = policy.full(chain.outputValue[o]!);
    const v = visit(o, taint, policy.amount(taint), 0, false, true);
    walk.startSat += v.tracedSat;
    walk.outputs.set(o, v);
    examine(v);
  }

  const inValues: number[] = [];
  for (let t = heap.pop(); t !== undefined; t = heap.pop()) {
    const outs = pending.get(t)!;
    pending.delete(t);
    const i0 = chain.txFirstInput[t]!;
    const i1 = chain.txFirstInput[t + 1]!;
    const o0 = chain.txFirstOutput[t]!;
    if (walk.txs.size >= limits.maxTxs || walk.edges + (i1 - i0) + outs.length > limits.maxEdges) {
      stopped = walk.txs.size >= limits.maxTxs ? 'node-limit' : 'edge-limit';
      walk.limitsHit.add(stopped === 'node-limit' ? 'max-nodes' : 'max-edges');
      for (const v of outs) v.fate = stopped;
      for (const list of pending.values()) for (const v of list) v.fate = stopped;
      break;
    }
    inValues.length = 0;
    let coinbase = true;
    for (let i = i0; i < i1; i++) {
      const so = chain.inputSpentOutput[i]!;
      if (so !== NONE) coinbase = false;
      inValues.push(so === NONE ? 0 : chain.outputValue[so]!);
    }
    const outValues = chain.outputValue.subarray(o0, chain.txFirstOutput[t + 1]!);
    const inTaintNone: (T | null)[] = new Array(i1 - i0).fill(null);
    let hop = Number.POSITIVE_INFINITY;
    let mixed = false;
    let tracedOut = 0;
    let mixedOut = 0;
    const merged: (T | null)[] = new Array(i1 - i0).fill(null);
    let unassigned = 0;
    for (const v of outs) {
      if (v.hop < hop) hop = v.hop;
      tracedOut += v.tracedSat;
      mixedOut += v.mixedSat;
      if (v.mixed) mixed = true;
      const split = policy.backward({ inValues, inTaint: inTaintNone, outValues }, v.outputId - o0, v.taint);
      unassigned += split.unassignedSat;
      for (let j = 0; j < split.inTaint.length; j++) {
        const x = split.inTaint[j];
        if (x === null || x === undefined) continue;
        const cur = merged[j];
        merged[j] = cur === null || cur === undefined ? x : policy.merge(cur, x, inValues[j]!);
      }
    }
    hop += 1;
    const coinjoin = cj !== null && cj[t] === 1;
    if (coinjoin) {
      walk.mixedInSat += tracedOut;
      mixed = true;
      mixedOut = tracedOut;
    }
    // Upstream of a CoinJoin, the mixed share of the traced value is passed back pro rata, as forward.
    const mixedShare = tracedOut > 0 ? Math.min(1, mixedOut / tracedOut) : 0;
    walk.txs.set(t, { txId: t, hop, mixed, coinjoin, tracedInSat: 0, tracedOutSat: tracedOut, feeSat: 0 });
    walk.edges += outs.length;
    if (coinbase) {
      // Newly mined coins: the outputs' traced value comes from the block reward.
      for (const v of outs) v.fate = 'coinbase';
      continue;
    }
    const tx = walk.txs.get(t)!;
    for (let j = 0; j < merged.length; j++) {
      const taint = merged[j];
      if (taint === null || taint === undefined) continue;
      const amt = policy.amount(taint);
      if (amt <= 0) continue;
      const so = chain.inputSpentOutput[i0 + j]!;
      tx.tracedInSat += amt;
      walk.edges++;
      if (so === NONE) continue;
      const prev = walk.outputs.get(so);
      if (prev !== undefined) {
        prev.taint = policy.merge(prev.taint, taint, inValues[j]!);
        prev.tracedSat = policy.amount(prev.taint);
        continue;
      }
      const v = visit(so, taint, amt, hop, mixed, false);
      v.mixedSat = amt * mixedShare;
      walk.outputs.set(so, v);
      examine(v);
    }
    // Traced value that maps to no resolved input (unresolved inputs in the store).
    tx.feeSat = unassigned;
  }
  return walk;
}
