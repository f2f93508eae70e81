import type { TraceChain, CoinJoinFlags } from './chain.js';
import type { EntityIndex } from './entities.js';
import type { TaintPolicy } from './policies/index.js';

/** Walk limits and horizon; every field has a default in `DEFAULT_LIMITS`. */
export interface WalkLimits {
  /** Transactions away from the start (1 = the spending transactions of the start outputs). */
  maxHops: number;
  /** Traced outputs below this many traced satoshis are not followed (reported as `below-min`). */
  minValueSat: number;
  /** Transactions processed before the walk stops (`max-nodes`). */
  maxTxs: number;
  /** Edges recorded before the walk stops (`max-edges`). */
  maxEdges: number;
  /** Forward: do not follow spends in blocks above this height / after this time; backward: before it. */
  untilHeight: number | null;
  untilTimeSec: number | null;
}

/** Defaults of every limit (pinned by a test and listed in docs/TRACING.md). */
export const DEFAULT_LIMITS: Readonly<WalkLimits> = Object.freeze({
  maxHops: 100,
  minValueSat: 1000,
  maxTxs: 200_000,
  maxEdges: 1_000_000,
  untilHeight: null,
  untilTimeSec: null,
});

/** Largest accepted --max-hops (a 1,000-hop peel chain fits a hundred times over). */
export const MAX_HOPS_LIMIT = 100_000;

export type Direction = 'forward' | 'backward';

/**
 * What became of a traced output.
 * - followed: its spending transaction was walked;
 * - endpoint: it pays an entity in a stop category (forward) or comes from one (backward): the walk stops;
 * - unspent: forward, not spent at the tip of the store;
 * - horizon: its spend (forward) or creation (backward) lies beyond --until;
 * - hop-limit / node-limit / edge-limit: a limit stopped the walk here;
 * - below-min: its traced value is below --min-value;
 * - coinbase: backward, newly mined coins (the source is the block reward);
 * - unresolved: backward, the input's spent output is not in the store.
 */
export type OutputFate =
  | 'followed'
  | 'endpoint'
  | 'unspent'
  | 'horizon'
  | 'hop-limit'
  | 'node-limit'
  | 'edge-limit'
  | 'below-min'
  | 'coinbase'
  | 'unresolved';

/** How the tracer decided an output is change (kept on the edge that pays it). */
export type ChangeReason = 'same-cluster' | 'peel-chain';

export interface OutputVisit<T> {
  outputId: number;
  taint: T;
  /** Traced satoshis (policy.amount(taint)). */
  tracedSat: number;
  hop: number;
  /** The traced value passed through a detected CoinJoin on its way here (every later hop stays flagged). */
  mixed: boolean;
  /**
   * Part of tracedSat that passed through a CoinJoin: a CoinJoin's traced outputs are mixed in full, and a
   * later transaction passes on the mixed share of its traced inputs pro rata (so a crumb of mixed value
   * merged into a large clean-path output flags it, but counts only as the crumb).
   */
  mixedSat: number;
  fate: OutputFate;
  /** Entity (index into EntityIndex.entities) when the address resolved to one. */
  entity: number;
  entityVia: 'address' | 'cluster' | null;
  change: ChangeReason | null;
  /** True for a starting output. */
  start: boolean;
}

export interface TxVisit {
  txId: number;
  hop: number;
  mixed: boolean;
  coinjoin: boolean;
  /** Traced satoshis entering (forward: in its inputs) and leaving (forward: in its outputs). */
  tracedInSat: number;
  tracedOutSat: number;
  feeSat: number;
}

/** The integer-level result of a walk; `buildResult` names it and groups it for people. */
export interface Walk<T> {
  direction: Direction;
  policy: TaintPolicy<T>;
  limits: WalkLimits;
  startOutputs: number[];
  /** Traced outputs by output id, in the order they were reached. */
  outputs: Map<number, OutputVisit<T>>;
  /** Walked transactions by tx id, in processing order. */
  txs: Map<number, TxVisit>;
  /** Traced satoshis that started the walk. */
  startSat: number;
  feeSat: number;
  /** Traced satoshis that entered detected CoinJoin transactions. */
  mixedInSat: number;
  /** Limits that stopped part of the walk. */
  limitsHit: Set<'max-hops' | 'max-nodes' | 'max-edges' | 'min-value' | 'until'>;
  edges: number;
  coinjoinSource: CoinJoinFlags['source'] | null;
}

/** Everything a walker needs besides the starting outputs. */
export interface WalkContext {
  chain: TraceChain;
  entities: EntityIndex;
  coinjoin: CoinJoinFlags | null;
}

/**
 * The checks both walkers make first on a traced output: an output at a stop entity is an endpoint
 * (except a starting output: the coin the user asked about, or the deposit being explained), and one
 * below the minimum value is dropped. Sets the output's entity and fate; true when the walk stops there.
 */
export function stopsAtEntityOrMinimum<T>(ctx: WalkContext, walk: Walk<T>, limits: WalkLimits, v: OutputVisit<T>): boolean {
  const hit = ctx.entities.lookup(ctx.chain.outputAddress[v.outputId]!);
  if (hit) {
    v.entity = hit.entity;
    v.entityVia = hit.via;
    if (!v.start && ctx.entities.entities[hit.entity]!.stop) {
      v.fate = 'endpoint';
      return true;
    }
  }
  if (v.tracedSat < limits.minValueSat) {
    v.fate = 'below-min';
    walk.limitsHit.add('min-value');
    return true;
  }
  return false;
}

/** A walk before its first step (both walkers start from this). */
export function emptyWalk<T>(ctx: WalkContext, direction: Direction, startOutputs: readonly number[], policy: TaintPolicy<T>, limits: WalkLimits): Walk<T> {
  return {
    direction,
    policy,
    limits,
    startOutputs: [...startOutputs],
    outputs: new Map(),
    txs: new Map(),
    startSat: 0,
    feeSat: 0,
    mixedInSat: 0,
    limitsHit: new Set(),
    edges: 0,
    coinjoinSource: ctx.coinjoin?.source ?? null,
  };
}
