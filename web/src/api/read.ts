/**
 * Readers that turn API JSON into the UI's types, checking every field they use. An unexpected
 * document fails with `ContractError` naming the field path (e.g. `trace.graph.nodes[3].id`), which
 * the page shows as its error state.
 */
import { shortId } from '../util/format';
import type { Category, Endpoint, FlowEdge, FlowNode, Policy, Trace } from './types';
import { POLICIES } from './types';

/** The server sent something the UI does not understand. */
export class ContractError extends Error {
  constructor(
    readonly path: string,
    problem: string,
  ) {
    super(`${path}: ${problem}`);
    this.name = 'ContractError';
  }
}

type Obj = Record<string, unknown>;

export function isObj(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function obj(v: unknown, path: string): Obj {
  if (!isObj(v)) throw new ContractError(path, `expected an object, got ${kindOf(v)}`);
  return v;
}

export function arr(v: unknown, path: string): unknown[] {
  if (!Array.isArray(v)) throw new ContractError(path, `expected an array, got ${kindOf(v)}`);
  return v;
}

/** The first of `keys` present in `o` (so a renamed field is one alias away, not a rewrite). */
export function field(o: Obj, keys: readonly string[]): unknown {
  for (const k of keys) if (o[k] !== undefined) return o[k];
  return undefined;
}

export function str(v: unknown, path: string): string {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' && Number.isFinite(v)) return String(v);
  throw new ContractError(path, `expected a string, got ${kindOf(v)}`);
}

export function optStr(v: unknown, path: string): string | null {
  return v === undefined || v === null ? null : str(v, path);
}

export function num(v: unknown, path: string): number {
  if (typeof v === 'number' && Number.isFinite(v)) return v;
  // BigInt-safe servers may send satoshi amounts as decimal strings.
  if (typeof v === 'string' && /^-?\d+(\.\d+)?$/.test(v)) return Number(v);
  throw new ContractError(path, `expected a number, got ${kindOf(v)}`);
}

export function optNum(v: unknown, path: string): number | null {
  return v === undefined || v === null ? null : num(v, path);
}

/** A time as ISO text: accepts ISO strings and unix seconds. */
export function optTime(v: unknown, path: string): string | null {
  if (v === undefined || v === null) return null;
  if (typeof v === 'number' && Number.isFinite(v)) return new Date(v * 1000).toISOString();
  const s = str(v, path);
  if (Number.isNaN(Date.parse(s))) throw new ContractError(path, `expected an ISO time, got "${s}"`);
  return s;
}

function kindOf(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  return typeof v;
}

/**
 * Maps a label's category (GraphSense concepts such as exchange, mixing_service, perpetrator;
 * sanctions; the tracer's roles) onto the graph's colour classes. Sanctions win over everything.
 */
export function categoryOf(raw: string | null, sanctioned = false): Category {
  if (sanctioned) return 'sanctioned';
  const c = (raw ?? '').toLowerCase();
  if (c === '') return 'unknown';
  if (/sanction|ofac|sdn/.test(c)) return 'sanctioned';
  if (/victim|theft_source|source/.test(c)) return 'victim';
  if (/attack|perpetrat|thief|hack|lazarus|scam|ransom|stolen/.test(c)) return 'attacker';
  if (/mix|coinjoin|tumbl|wasabi|samourai|privacy/.test(c)) return 'mixer';
  if (/exchange|otc|market|broker|deposit|custod|wallet_service|payment_processor/.test(c)) return 'exchange';
  return 'unknown';
}

/** What the incident says about its addresses (role per address), used to colour attacker nodes. */
export interface TraceContext {
  /** address → role (attacker, thief, victim, ...), from the incident record. */
  roles?: ReadonlyMap<string, string>;
}

function shortLabel(s: string): string {
  return s.length > 24 ? `${s.slice(0, 10)}…${s.slice(-6)}` : s;
}

interface RawEdge {
  from: string;
  to: string;
  tracedSat: number;
  txid: string | null;
  vout: number | null;
  hop: number;
  mixed: boolean;
  reason: { kind: string; detail: string; confidence: number | null };
}

/**
 * Reads a trace result (src/trace's `ledgerhound.trace` schema, version 1: docs in src/trace/schema.ts)
 * into the flow model the graph draws. The graph there alternates transactions and addresses
 * (tx → address → tx …) and ends at entity nodes (exchange, mixer…); address and entity nodes get their
 * hop, traced value and times from the edges that reach them.
 */
export function readTrace(v: unknown, ctx: TraceContext = {}, path = 'trace'): Trace {
  const o = obj(v, path);
  if (o.schema !== 'ledgerhound.trace') throw new ContractError(`${path}.schema`, `expected "ledgerhound.trace", got ${JSON.stringify(o.schema)}`);
  const version = num(o.version, `${path}.version`);
  if (version !== 1) throw new ContractError(`${path}.version`, `this UI reads trace results of version 1, got ${version}`);
  const pol = obj(o.policy, `${path}.policy`);
  const policy = str(pol.name, `${path}.policy.name`);
  if (!POLICIES.includes(policy as Policy)) throw new ContractError(`${path}.policy.name`, `unknown policy "${policy}"`);
  const g = obj(o.graph, `${path}.graph`);
  const rawNodes = arr(g.nodes, `${path}.graph.nodes`).map((x, i) => obj(x, `${path}.graph.nodes[${i}]`));
  const rawEdges: RawEdge[] = arr(g.edges, `${path}.graph.edges`).map((x, i) => {
    const p = `${path}.graph.edges[${i}]`;
    const e = obj(x, p);
    const r = obj(e.reason, `${p}.reason`);
    return {
      from: str(e.from, `${p}.from`),
      to: str(e.to, `${p}.to`),
      tracedSat: num(e.tracedSat, `${p}.tracedSat`),
      txid: optStr(e.txid, `${p}.txid`),
      vout: optNum(e.vout, `${p}.vout`),
      hop: num(e.hop, `${p}.hop`),
      mixed: e.mixed === true,
      reason: { kind: str(r.kind, `${p}.reason.kind`), detail: str(r.detail, `${p}.reason.detail`), confidence: optNum(r.confidence, `${p}.reason.confidence`) },
    };
  });

  // Transaction times, and the edges into each node.
  const txTime = new Map<string, string>();
  const entityCat = new Map<string, string>();
  for (const [i, n] of rawNodes.entries()) {
    if (n.kind === 'tx') txTime.set(str(n.id, `${path}.graph.nodes[${i}].id`), str(n.time, `${path}.graph.nodes[${i}].time`));
    if (n.kind === 'entity') entityCat.set(str(n.id, `${path}.graph.nodes[${i}].id`), str(n.category, `${path}.graph.nodes[${i}].category`));
  }
  const incoming = new Map<string, RawEdge[]>();
  for (const e of rawEdges) {
    const l = incoming.get(e.to);
    if (l === undefined) incoming.set(e.to, [e]);
    else l.push(e);
  }
  // An address's time is when it was paid (earliest paying transaction); address → entity edges take it.
  const addrTime = new Map<string, string>();
  for (const e of rawEdges) {
    const t = txTime.get(e.from);
    if (t === undefined) continue;
    const have = addrTime.get(e.to);
    if (have === undefined || t < have) addrTime.set(e.to, t);
  }
  const edgeTime = (e: RawEdge): string | null => txTime.get(e.from) ?? txTime.get(e.to) ?? addrTime.get(e.from) ?? null;
  const roles = ctx.roles ?? new Map<string, string>();

  const nodes: FlowNode[] = rawNodes.map((n, i) => {
    const p = `${path}.graph.nodes[${i}]`;
    const id = str(n.id, `${p}.id`);
    const ins = incoming.get(id) ?? [];
    const inSat = ins.reduce((a, e) => a + e.tracedSat, 0);
    let first: string | null = null;
    let last: string | null = null;
    for (const e of ins) {
      const t = edgeTime(e);
      if (t !== null && (first === null || t < first)) first = t;
      if (t !== null && (last === null || t > last)) last = t;
    }
    const inHop = ins.length > 0 ? Math.min(...ins.map((e) => e.hop)) : 0;
    const mixedIn = ins.some((e) => e.mixed);
    switch (n.kind) {
      case 'tx': {
        const txid = str(n.txid, `${p}.txid`);
        const hop = num(n.hop, `${p}.hop`);
        const coinjoin = n.coinjoin === true;
        const time = optTime(n.time, `${p}.time`);
        return {
          id,
          kind: 'tx',
          label: `${coinjoin ? 'CoinJoin ' : 'tx '}${shortId(txid)}`,
          category: coinjoin ? 'mixer' : ins.length === 0 ? 'victim' : 'unknown',
          rawCategory: coinjoin ? 'coinjoin' : ins.length === 0 ? 'start (theft)' : 'transaction',
          hop,
          tracedSat: num(n.tracedInSat, `${p}.tracedInSat`) || num(n.tracedOutSat, `${p}.tracedOutSat`),
          firstTime: time,
          lastTime: time,
          ref: { type: 'tx', id: txid },
          mixed: n.mixed === true,
          endpoint: false,
        };
      }
      case 'address': {
        const address = optStr(n.address, `${p}.address`);
        const entity = optStr(n.entity, `${p}.entity`);
        const cluster = optNum(n.cluster, `${p}.cluster`);
        const role = address ? roles.get(address) : undefined;
        const raw = entity ? (entityCat.get(entity) ?? null) : (role ?? null);
        return {
          id,
          kind: 'address',
          label: address ? shortId(address) : id.replace(/^out:/, '').slice(0, 16),
          category: categoryOf(raw),
          rawCategory: raw,
          hop: inHop,
          tracedSat: inSat,
          firstTime: first,
          lastTime: last,
          ref: address ? { type: 'address', id: address } : cluster !== null ? { type: 'cluster', id: String(cluster) } : null,
          mixed: mixedIn,
          endpoint: false,
        };
      }
      case 'entity': {
        const label = str(n.label, `${p}.label`);
        const category = str(n.category, `${p}.category`);
        return {
          id,
          kind: 'entity',
          label: shortLabel(label),
          category: categoryOf(category),
          rawCategory: category,
          hop: inHop,
          tracedSat: inSat,
          firstTime: first,
          lastTime: last,
          ref: null,
          mixed: mixedIn,
          endpoint: true,
        };
      }
      default:
        throw new ContractError(`${p}.kind`, `expected tx, address or entity, got ${JSON.stringify(n.kind)}`);
    }
  });
  // An entity links to the cluster of one of its addresses (its page shows labels and risk).
  const byId = new Map(nodes.map((n) => [n.id, n]));
  for (const [i, n] of rawNodes.entries()) {
    if (n.kind !== 'address' || typeof n.entity !== 'string' || typeof n.cluster !== 'number') continue;
    const ent = byId.get(n.entity);
    if (ent && ent.ref === null) ent.ref = { type: 'cluster', id: String(n.cluster) };
    void i;
  }
  // Addresses the walk did not follow further are endpoints too (unspent, below the minimum...).
  const hasOut = new Set(rawEdges.map((e) => e.from));
  for (const n of nodes) if (n.kind === 'address' && !hasOut.has(n.id)) n.endpoint = true;

  const edges: FlowEdge[] = rawEdges.map((e, i) => ({
    id: `e${i}`,
    source: e.from,
    target: e.to,
    tracedSat: e.tracedSat,
    time: edgeTime(e),
    txid: e.txid,
    reason: `${e.reason.kind}: ${e.reason.detail}${e.reason.confidence !== null && e.reason.confidence < 1 ? ` (confidence ${e.reason.confidence})` : ''}`,
  }));

  const endpoints: Endpoint[] = arr(o.endpoints, `${path}.endpoints`).map((x, i) => {
    const p = `${path}.endpoints[${i}]`;
    const e = obj(x, p);
    const ent = obj(e.entity, `${p}.entity`);
    const key = str(ent.key, `${p}.entity.key`);
    const category = str(ent.category, `${p}.entity.category`);
    const nodeId = `entity:${key}`;
    return {
      entity: str(ent.label, `${p}.entity.label`),
      category: categoryOf(category),
      rawCategory: category,
      tracedSat: num(e.tracedSat, `${p}.tracedSat`),
      firstTime: optTime(e.firstTime, `${p}.firstTime`),
      lastTime: optTime(e.lastTime, `${p}.lastTime`),
      nodeIds: byId.has(nodeId) ? [nodeId] : [],
      ref: byId.get(nodeId)?.ref ?? null,
    };
  });

  const t = obj(o.totals, `${path}.totals`);
  const q = isObj(o.query) ? o.query : {};
  return {
    schemaVersion: version,
    policy: policy as Policy,
    policyDefinition: optStr(pol.definition, `${path}.policy.definition`),
    title: optStr(q.incident, `${path}.query.incident`) ?? 'Trace',
    narrative: optStr(o.summary, `${path}.summary`),
    complete: isObj(o.limits) ? o.limits.complete !== false : true,
    summary: {
      sourceSat: num(t.startSat, `${path}.totals.startSat`),
      endpointSat: num(t.endpointSat, `${path}.totals.endpointSat`),
      unspentSat: num(t.unspentSat, `${path}.totals.unspentSat`),
      feeSat: num(t.feeSat, `${path}.totals.feeSat`),
      mixedSat: num(t.mixedSat, `${path}.totals.mixedSat`),
      nodes: nodes.length,
      edges: edges.length,
    },
    nodes,
    edges,
    endpoints,
    raw: v,
  };
}
