/**
 * Turns an integer-level walk into the TraceResult people and programs read: endpoints grouped by entity,
 * unspent value with addresses, fees, the flow graph with a reason on every edge, and the summary. Hashes
 * and address strings are fetched here, once, for the ids the result names (`TraceNamer`).
 */
import { NONE } from './chain.js';
import type { TraceEntity } from './entities.js';
import type { TraceGraphEdge, TraceGraphNode, TraceOutputRef, TraceResult } from './schema.js';
import { TRACE_RESULT_VERSION } from './schema.js';
import { summarize } from './summary.js';
import type { OutputVisit, Walk, WalkContext } from './walkTypes.js';

/** Names integer ids: txids (display hex) and address strings, in bulk. */
export interface TraceNamer {
  txids(ids: readonly number[]): Promise<Map<number, string>>;
  addresses(ids: readonly number[]): Promise<Map<number, string>>;
  /** How each address joined its cluster (the clustering's merge provenance), when the store records it. */
  clusterMerges?(addressIds: readonly number[]): Promise<Map<number, ClusterMerge>>;
}

/** One merge that put an address into its cluster: the heuristic, its confidence and the transaction. */
export interface ClusterMerge {
  heuristic: string;
  confidence: number;
  txid: string;
}

/** What the caller knows about the query (echoed in the result). */
export interface ResultMeta {
  query: TraceResult['query'];
  starts: TraceResult['starts'];
  walkMs: number;
  /** Longest lists of unspent / stopped outputs and endpoint examples kept in the result. */
  listLimit?: number;
  examplesPerEndpoint?: number;
}

const STOPPED_FATES = new Set(['hop-limit', 'node-limit', 'edge-limit', 'horizon', 'unresolved']);

/** Builds the named, grouped result of a walk. */
export async function buildResult<T>(walk: Walk<T>, ctx: WalkContext, namer: TraceNamer, meta: ResultMeta): Promise<TraceResult> {
  const { chain, entities } = ctx;
  const listLimit = meta.listLimit ?? 200;
  const perEndpoint = meta.examplesPerEndpoint ?? 3;

  const txIds = new Set<number>(walk.txs.keys());
  const addrIds = new Set<number>();
  for (const v of walk.outputs.values()) {
    txIds.add(chain.outputTx[v.outputId]!);
    const a = chain.outputAddress[v.outputId]!;
    if (a !== NONE) addrIds.add(a);
  }
  const txid = await namer.txids([...txIds]);
  const addr = await namer.addresses([...addrIds]);
  const txidOf = (t: number) => txid.get(t) ?? `#${t}`;
  const iso = (t: number) => new Date(chain.txTime[t]! * 1000).toISOString();
  const vout = (o: number) => o - chain.txFirstOutput[chain.outputTx[o]!]!;
  const addressOf = (o: number) => {
    const a = chain.outputAddress[o]!;
    return a === NONE ? null : (addr.get(a) ?? null);
  };
  // The starts that were not excluded are the walk's starting outputs, in order: give them their addresses.
  let startIdx = 0;
  for (const s of meta.starts) {
    if (s.excluded !== null) continue;
    const o = walk.startOutputs[startIdx++];
    if (o !== undefined && s.address === null) s.address = addressOf(o);
  }
  const ref = (v: OutputVisit<T>): TraceOutputRef => {
    const t = chain.outputTx[v.outputId]!;
    return {
      txid: txidOf(t),
      vout: vout(v.outputId),
      address: addressOf(v.outputId),
      valueSat: chain.outputValue[v.outputId]!,
      tracedSat: v.tracedSat,
      hop: v.hop,
      time: iso(t),
      mixed: v.mixed,
      mixedSat: v.mixedSat,
    };
  };

  // Endpoints grouped by entity.
  const groups = new Map<number, OutputVisit<T>[]>();
  const totals = {
    startSat: walk.startSat,
    endpointSat: 0,
    unspentSat: 0,
    feeSat: walk.feeSat,
    belowMinSat: 0,
    stoppedSat: 0,
    coinbaseSat: 0,
    mixedSat: walk.mixedInSat,
    mixedEndpointSat: 0,
  };
  const unspent: OutputVisit<T>[] = [];
  const stopped: OutputVisit<T>[] = [];
  for (const v of walk.outputs.values()) {
    switch (v.fate) {
      case 'endpoint': {
        totals.endpointSat += v.tracedSat;
        totals.mixedEndpointSat += v.mixedSat;
        const g = groups.get(v.entity);
        if (g) g.push(v);
        else groups.set(v.entity, [v]);
        break;
      }
      case 'unspent':
        totals.unspentSat += v.tracedSat;
        unspent.push(v);
        break;
      case 'below-min':
        totals.belowMinSat += v.tracedSat;
        break;
      case 'coinbase':
        totals.coinbaseSat += v.tracedSat;
        break;
      case 'followed':
        break;
      default:
        if (STOPPED_FATES.has(v.fate)) {
          totals.stoppedSat += v.tracedSat;
          stopped.push(v);
        }
    }
  }
  const byTraced = (a: OutputVisit<T>, b: OutputVisit<T>) => b.tracedSat - a.tracedSat;
  const endpoints = [...groups.entries()]
    .map(([e, list]) => {
      list.sort(byTraced);
      const times = list.map((v) => chain.txTime[chain.outputTx[v.outputId]!]!);
      const hops = list.map((v) => v.hop);
      return {
        entity: publicEntity(entities.entities[e]!),
        tracedSat: list.reduce((s, v) => s + v.tracedSat, 0),
        mixedSat: list.reduce((s, v) => s + v.mixedSat, 0),
        outputs: list.length,
        firstTime: new Date(Math.min(...times) * 1000).toISOString(),
        lastTime: new Date(Math.max(...times) * 1000).toISOString(),
        minHops: Math.min(...hops),
        maxHops: Math.max(...hops),
        via: [...new Set(list.map((v) => v.entityVia ?? 'address'))],
        examples: list.slice(0, perEndpoint).map(ref),
      };
    })
    .sort((a, b) => b.tracedSat - a.tracedSat);
  unspent.sort(byTraced);
  stopped.sort(byTraced);

  const viaCluster = [...walk.outputs.values()].filter((v) => v.entityVia === 'cluster').map((v) => chain.outputAddress[v.outputId]!);
  const merges = namer.clusterMerges && viaCluster.length > 0 ? await namer.clusterMerges([...new Set(viaCluster)]) : new Map<number, ClusterMerge>();
  const graph = buildGraph(walk, ctx, txidOf, iso, addressOf, vout, merges);
  const coinjoinTxs = [...walk.txs.values()].filter((t) => t.coinjoin).map((t) => txidOf(t.txId));
  const hit = [...walk.limitsHit];
  const result: TraceResult = {
    schema: 'ledgerhound.trace',
    version: TRACE_RESULT_VERSION,
    direction: walk.direction,
    policy: { name: walk.policy.name, definition: walk.policy.definition, conserving: walk.policy.conserving },
    query: meta.query,
    starts: meta.starts,
    totals,
    endpoints,
    deposits: [...groups.entries()].flatMap(([e, list]) =>
      list.flatMap((v) => {
        const r = ref(v);
        return r.address === null
          ? []
          : [{ address: r.address, amountSat: v.tracedSat, txid: r.txid, vout: r.vout, entity: entities.entities[e]!.key, hop: v.hop, mixedSat: v.mixedSat, time: r.time }];
      }),
    ),
    unspent: { count: unspent.length, outputs: unspent.slice(0, listLimit).map(ref) },
    stopped: { count: stopped.length, outputs: stopped.slice(0, listLimit).map((v) => ({ ...ref(v), fate: v.fate })) },
    limits: { hit, complete: !hit.some((h) => h === 'max-hops' || h === 'max-nodes' || h === 'max-edges') },
    coinjoin: { source: walk.coinjoinSource, txs: coinjoinTxs },
    graph,
    stats: { txsVisited: walk.txs.size, outputsTraced: walk.outputs.size, edges: graph.edges.length, walkMs: meta.walkMs },
    summary: '',
  };
  result.summary = summarize(result);
  return result;
}

function publicEntity(e: TraceEntity): TraceResult['endpoints'][number]['entity'] {
  return { key: e.key, label: e.label, category: e.category, source: e.source, confidence: e.confidence, confidenceLevel: e.confidenceLevel };
}

/** Nodes: walked transactions (and the transactions of the starting outputs), addresses, entities. Edges follow the money. */
function buildGraph<T>(
  walk: Walk<T>,
  ctx: WalkContext,
  txidOf: (t: number) => string,
  iso: (t: number) => string,
  addressOf: (o: number) => string | null,
  vout: (o: number) => number,
  merges: Map<number, ClusterMerge>,
): { nodes: TraceGraphNode[]; edges: TraceGraphEdge[] } {
  const { chain, entities } = ctx;
  const nodes = new Map<string, TraceGraphNode>();
  const edges: TraceGraphEdge[] = [];
  const txNode = (t: number): string => {
    const id = `tx:${txidOf(t)}`;
    if (!nodes.has(id)) {
      const w = walk.txs.get(t);
      nodes.set(id, {
        id,
        kind: 'tx',
        txid: txidOf(t),
        height: chain.txHeight[t]!,
        time: iso(t),
        hop: w?.hop ?? 0,
        coinjoin: w?.coinjoin ?? ctx.coinjoin?.flags[t] === 1,
        mixed: w?.mixed ?? false,
        tracedInSat: w?.tracedInSat ?? 0,
        tracedOutSat: w?.tracedOutSat ?? 0,
        feeSat: w?.feeSat ?? 0,
      });
    }
    return id;
  };
  const outNode = (v: OutputVisit<T>): string => {
    const o = v.outputId;
    const a = addressOf(o);
    const id = a === null ? `out:${txidOf(chain.outputTx[o]!)}:${vout(o)}` : `addr:${a}`;
    if (!nodes.has(id)) {
      const ent = v.entity >= 0 ? entities.entities[v.entity]! : null;
      nodes.set(id, { id, kind: 'address', address: a, cluster: entities.clusterOf(chain.outputAddress[o]!), entity: ent ? `entity:${ent.key}` : null });
    }
    return id;
  };
  const edge = (from: string, to: string, v: OutputVisit<T>, hop: number, reason: TraceGraphEdge['reason'], carriesOutput = true) => {
    const o = v.outputId;
    edges.push({
      from,
      to,
      tracedSat: v.tracedSat,
      txid: carriesOutput ? txidOf(chain.outputTx[o]!) : null,
      vout: carriesOutput ? vout(o) : null,
      valueSat: carriesOutput ? chain.outputValue[o]! : null,
      hop,
      mixed: v.mixed,
      reason,
    });
  };
  const payReason = (v: OutputVisit<T>): TraceGraphEdge['reason'] => {
    const where = `${txidOf(chain.outputTx[v.outputId]!)}:${vout(v.outputId)}`;
    if (v.start) return { kind: 'payment', detail: `starting output ${where}`, confidence: 1 };
    if (v.change === 'same-cluster') {
      return { kind: 'change', detail: `output ${where} pays an address in the same cluster as a traced input (change heuristic)`, confidence: 0.9 };
    }
    if (v.change === 'peel-chain') {
      return { kind: 'change', detail: `output ${where} is the larger output of a 2-output hop and is peeled again (peel-chain change heuristic)`, confidence: 0.7 };
    }
    return { kind: 'payment', detail: `output ${where} receives traced value under the ${walk.policy.name} policy`, confidence: 1 };
  };

  for (const v of walk.outputs.values()) {
    const o = v.outputId;
    const created = chain.outputTx[o]!;
    const an = outNode(v);
    // Creation edge: from the transaction that paid the output (forward: walked or the start tx; backward: walked).
    if (walk.direction === 'forward' || walk.txs.has(created) || v.start) {
      edge(txNode(created), an, v, v.hop, payReason(v));
    }
    // Spend edge: the output feeds a walked transaction.
    const sp = chain.outputSpendingTx[o]!;
    if (sp !== NONE && walk.txs.has(sp) && (walk.direction === 'backward' || v.fate === 'followed')) {
      const vinIndex = findVin(ctx, sp, o);
      edge(an, txNode(sp), v, walk.txs.get(sp)!.hop, {
        kind: 'spend',
        detail: `output ${txidOf(created)}:${vout(o)} is spent by input ${vinIndex} of ${txidOf(sp)}`,
        confidence: 1,
      });
    }
    if (v.entity >= 0) {
      const ent = entities.entities[v.entity]!;
      const en = `entity:${ent.key}`;
      if (!nodes.has(en)) nodes.set(en, { id: en, kind: 'entity', label: ent.label, category: ent.category });
      const cluster = entities.clusterOf(chain.outputAddress[o]!);
      const merge = merges.get(chain.outputAddress[o]!);
      const joined = merge ? ` (joined by the ${merge.heuristic} heuristic in ${merge.txid}, confidence ${merge.confidence})` : '';
      edge(
        an,
        en,
        v,
        v.hop,
        v.entityVia === 'cluster'
          ? {
              kind: 'cluster-membership',
              detail: `address is in cluster ${cluster}${joined}, which holds an address tagged ${ent.label} (${ent.category}, source ${ent.source})`,
              confidence: ((ent.confidenceLevel ?? 50) / 100) * (merge?.confidence ?? 1),
            }
          : { kind: 'label', detail: `address tagged ${ent.label} (${ent.category}, source ${ent.source})`, confidence: (ent.confidenceLevel ?? 50) / 100 },
        false,
      );
    }
  }
  return { nodes: [...nodes.values()], edges };
}

function findVin(ctx: WalkContext, t: number, o: number): number {
  const { chain } = ctx;
  const i0 = chain.txFirstInput[t]!;
  const i1 = chain.txFirstInput[t + 1]!;
  for (let i = i0; i < i1; i++) if (chain.inputSpentOutput[i] === o) return i - i0;
  return -1;
}
