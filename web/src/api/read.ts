/**
 * Readers that turn API JSON into the UI's types, checking every field they use. An unexpected
 * document fails with `ContractError` naming the field path (e.g. `trace.graph.nodes[3].id`), which
 * the page shows as its error state.
 */
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

function readRef(o: Obj): FlowNode['ref'] {
  const a = field(o, ['address']);
  if (typeof a === 'string') return { type: 'address', id: a };
  const c = field(o, ['clusterId', 'cluster_id', 'cluster']);
  if (typeof c === 'string' || typeof c === 'number') return { type: 'cluster', id: String(c) };
  const t = field(o, ['txid']);
  if (typeof t === 'string') return { type: 'tx', id: t };
  const ac = field(o, ['actorId', 'actor_id']);
  if (typeof ac === 'string') return { type: 'actor', id: ac };
  return null;
}

const NODE_KINDS = new Set(['address', 'cluster', 'entity', 'tx']);

/** Reads one flow-graph node. */
export function readNode(v: unknown, path: string): FlowNode {
  const o = obj(v, path);
  const id = str(field(o, ['id']), `${path}.id`);
  const entity = field(o, ['entity']);
  const entityObj = isObj(entity) ? entity : null;
  const rawCategory = optStr(field(o, ['category', 'role']) ?? entityObj?.category, `${path}.category`);
  const sanctioned = field(o, ['sanctioned']) === true || entityObj?.sanctioned === true;
  const kindRaw = optStr(field(o, ['kind', 'type']), `${path}.kind`) ?? 'other';
  const labelRaw =
    optStr(field(o, ['label', 'name']), `${path}.label`) ??
    (entityObj ? optStr(entityObj.name, `${path}.entity.name`) : null) ??
    id;
  let ref = readRef(o);
  if (ref === null && entityObj) ref = readRef(entityObj);
  return {
    id,
    kind: NODE_KINDS.has(kindRaw) ? (kindRaw as FlowNode['kind']) : 'other',
    label: labelRaw.length > 24 ? `${labelRaw.slice(0, 10)}…${labelRaw.slice(-6)}` : labelRaw,
    category: categoryOf(rawCategory, sanctioned),
    rawCategory,
    hop: num(field(o, ['hop', 'hops', 'depth']) ?? 0, `${path}.hop`),
    tracedSat: num(field(o, ['tracedSat', 'traced_sat', 'valueSat', 'value']) ?? 0, `${path}.tracedSat`),
    firstTime: optTime(field(o, ['firstTime', 'first_time', 'firstSeen']), `${path}.firstTime`),
    lastTime: optTime(field(o, ['lastTime', 'last_time', 'lastSeen']), `${path}.lastTime`),
    ref,
    mixed: field(o, ['mixed']) === true,
    endpoint: field(o, ['endpoint', 'terminal', 'isEndpoint']) === true,
  };
}

/** Reads one flow-graph edge. */
export function readEdge(v: unknown, path: string, i: number): FlowEdge {
  const o = obj(v, path);
  const source = str(field(o, ['source', 'from']), `${path}.source`);
  const target = str(field(o, ['target', 'to']), `${path}.target`);
  return {
    id: optStr(field(o, ['id']), `${path}.id`) ?? `e${i}:${source}->${target}`,
    source,
    target,
    tracedSat: num(field(o, ['tracedSat', 'traced_sat', 'valueSat', 'value']) ?? 0, `${path}.tracedSat`),
    time: optTime(field(o, ['time', 'timestamp', 'blockTime']), `${path}.time`),
    txid: optStr(field(o, ['txid']), `${path}.txid`),
    reason: optStr(field(o, ['reason', 'why', 'rule']), `${path}.reason`),
  };
}

/** Reads one endpoint row (endpoints are grouped by entity). */
export function readEndpoint(v: unknown, path: string): Endpoint {
  const o = obj(v, path);
  const entity = field(o, ['entity']);
  const entityObj = isObj(entity) ? entity : null;
  const name =
    (entityObj ? optStr(field(entityObj, ['name', 'label', 'id']), `${path}.entity.name`) : optStr(entity, `${path}.entity`)) ??
    optStr(field(o, ['name', 'label', 'id']), `${path}.name`) ??
    'unknown';
  const rawCategory = optStr(field(o, ['category']) ?? entityObj?.category, `${path}.category`);
  const ids = field(o, ['nodeIds', 'nodes', 'addresses']);
  return {
    entity: name,
    category: categoryOf(rawCategory, field(o, ['sanctioned']) === true || entityObj?.sanctioned === true),
    rawCategory,
    tracedSat: num(field(o, ['tracedSat', 'traced_sat', 'valueSat', 'value']) ?? 0, `${path}.tracedSat`),
    firstTime: optTime(field(o, ['firstTime', 'first_time']), `${path}.firstTime`),
    lastTime: optTime(field(o, ['lastTime', 'last_time']), `${path}.lastTime`),
    nodeIds: Array.isArray(ids) ? ids.map((x, j) => str(isObj(x) ? field(x, ['id', 'address']) : x, `${path}.nodeIds[${j}]`)) : [],
    ref: readRef(o) ?? (entityObj ? readRef(entityObj) : null),
  };
}

/**
 * Reads a trace result (src/trace's versioned JSON). Accepts the graph under `graph` or at the top
 * level. Endpoints missing from the document are derived from endpoint nodes.
 */
export function readTrace(v: unknown, path = 'trace'): Trace {
  const o = obj(v, path);
  const schemaVersion = num(field(o, ['schemaVersion', 'schema_version', 'version']) ?? 1, `${path}.schemaVersion`);
  const policyRaw = str(field(o, ['policy']) ?? 'poison', `${path}.policy`);
  const policyName = isObj(o.policy) ? str(o.policy.name, `${path}.policy.name`) : policyRaw;
  if (!POLICIES.includes(policyName as Policy)) throw new ContractError(`${path}.policy`, `unknown policy "${policyName}"`);
  const g = isObj(o.graph) ? o.graph : o;
  const gp = isObj(o.graph) ? `${path}.graph` : path;
  const nodes = arr(g.nodes, `${gp}.nodes`).map((n, i) => readNode(n, `${gp}.nodes[${i}]`));
  const edges = arr(g.edges, `${gp}.edges`).map((e, i) => readEdge(e, `${gp}.edges[${i}]`, i));
  const endpoints =
    o.endpoints === undefined
      ? endpointsFromNodes(nodes)
      : arr(o.endpoints, `${path}.endpoints`).map((e, i) => readEndpoint(e, `${path}.endpoints[${i}]`));
  const s = isObj(o.summary) ? o.summary : {};
  const sp = `${path}.summary`;
  const sumNodes = (pred: (n: FlowNode) => boolean) => nodes.filter(pred).reduce((a, n) => a + n.tracedSat, 0);
  const endpointSat = endpoints.reduce((a, e) => a + e.tracedSat, 0);
  return {
    schemaVersion,
    policy: policyName as Policy,
    title: optStr(field(o, ['title', 'name']) ?? (isObj(o.incident) ? o.incident.name : undefined), `${path}.title`) ?? 'Trace',
    summary: {
      sourceSat: num(field(s, ['sourceSat', 'source_sat', 'stolenSat']) ?? sumNodes((n) => n.hop === 0), `${sp}.sourceSat`),
      tracedSat: num(field(s, ['tracedSat', 'traced_sat']) ?? endpointSat, `${sp}.tracedSat`),
      endpointSat: num(field(s, ['endpointSat', 'endpoint_sat']) ?? endpointSat, `${sp}.endpointSat`),
      mixedSat: num(field(s, ['mixedSat', 'mixed_sat']) ?? sumNodes((n) => n.mixed && n.endpoint), `${sp}.mixedSat`),
      nodes: nodes.length,
      edges: edges.length,
    },
    nodes,
    edges,
    endpoints,
    raw: v,
  };
}

/** Groups endpoint nodes by label into endpoint rows (when the document has no endpoints list). */
export function endpointsFromNodes(nodes: readonly FlowNode[]): Endpoint[] {
  const by = new Map<string, Endpoint>();
  for (const n of nodes) {
    if (!n.endpoint) continue;
    const key = n.category === 'unknown' ? n.id : n.label;
    const e = by.get(key);
    if (e === undefined) {
      by.set(key, {
        entity: n.label,
        category: n.category,
        rawCategory: n.rawCategory,
        tracedSat: n.tracedSat,
        firstTime: n.firstTime,
        lastTime: n.lastTime,
        nodeIds: [n.id],
        ref: n.ref,
      });
    } else {
      e.tracedSat += n.tracedSat;
      e.nodeIds.push(n.id);
      if (n.firstTime && (!e.firstTime || n.firstTime < e.firstTime)) e.firstTime = n.firstTime;
      if (n.lastTime && (!e.lastTime || n.lastTime > e.lastTime)) e.lastTime = n.lastTime;
    }
  }
  return [...by.values()].sort((a, b) => b.tracedSat - a.tracedSat);
}
