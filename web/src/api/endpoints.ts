/**
 * One function per API route the UI uses (paths from docs/API.md), each returning checked data.
 * Paths live here and nowhere else.
 */
import { apiJson } from './client';
import { arr, field, isObj, num, obj, optNum, optStr, optTime, readTrace, str } from './read';
import type { Label, Page, Policy, Risk, SearchHit, Trace, TxRow } from './types';

type Obj = Record<string, unknown>;
const enc = encodeURIComponent;

/** A document's payload: `{ data: … }` envelopes are unwrapped. */
function body(v: unknown, path: string): Obj {
  const o = obj(v, path);
  return isObj(o.data) ? o.data : o;
}

function readLabels(v: unknown, path: string): Label[] {
  if (v === undefined || v === null) return [];
  return arr(v, path).map((x, i) => {
    const p = `${path}[${i}]`;
    const o = obj(x, p);
    const actor = field(o, ['actor']);
    const actorId = optStr(field(o, ['actorId', 'actor_id']) ?? (isObj(actor) ? actor.id : undefined), `${p}.actorId`);
    const actorName = optStr(isObj(actor) ? actor.name : typeof actor === 'string' ? actor : undefined, `${p}.actor`);
    const src = field(o, ['source']);
    return {
      label: str(field(o, ['label', 'name']), `${p}.label`),
      category: optStr(field(o, ['category']), `${p}.category`),
      actor: actorId !== null ? { id: actorId, name: actorName ?? actorId } : null,
      source: optStr(isObj(src) ? field(src, ['title', 'name', 'kind', 'path']) : src, `${p}.source`),
      sourceUrl: optStr(field(o, ['sourceUrl', 'source_url', 'url']), `${p}.sourceUrl`),
      confidence: optStr(field(o, ['confidence']), `${p}.confidence`),
    };
  });
}

function readRisk(v: unknown, path: string): Risk | null {
  if (v === undefined || v === null) return null;
  const o = obj(v, path);
  const items = field(o, ['items', 'reasons', 'breakdown', 'hits']);
  return {
    score: optNum(field(o, ['score', 'riskScore']), `${path}.score`),
    level: optStr(field(o, ['level', 'rating', 'severity']), `${path}.level`),
    items:
      items === undefined
        ? []
        : arr(items, `${path}.items`).map((x, i) => {
            const r = obj(x, `${path}.items[${i}]`);
            return {
              rule: str(field(r, ['rule', 'code', 'category', 'reason']) ?? 'rule', `${path}.items[${i}].rule`),
              score: optNum(field(r, ['score', 'weight', 'points']), `${path}.items[${i}].score`) ?? 0,
              detail: optStr(field(r, ['detail', 'message', 'description', 'why']), `${path}.items[${i}].detail`) ?? '',
            };
          }),
  };
}

function readPage<T>(v: unknown, path: string, item: (x: unknown, p: string) => T): Page<T> {
  const o = obj(v, path);
  const items = arr(field(o, ['items', 'txs', 'data', 'rows']), `${path}.items`);
  return {
    items: items.map((x, i) => item(x, `${path}.items[${i}]`)),
    page: num(field(o, ['page']) ?? 1, `${path}.page`),
    pageSize: num(field(o, ['pageSize', 'page_size', 'limit']) ?? items.length, `${path}.pageSize`),
    total: optNum(field(o, ['total', 'count']), `${path}.total`),
  };
}

function readTxRow(x: unknown, p: string): TxRow {
  const o = obj(x, p);
  return {
    txid: str(field(o, ['txid', 'id']), `${p}.txid`),
    time: optTime(field(o, ['time', 'blockTime', 'timestamp']), `${p}.time`),
    height: optNum(field(o, ['height', 'blockHeight']), `${p}.height`),
    deltaSat: optNum(field(o, ['deltaSat', 'netSat', 'delta']), `${p}.deltaSat`),
    valueSat: optNum(field(o, ['valueSat', 'value', 'totalOutSat']), `${p}.valueSat`),
  };
}

// ---------- search ----------

const HIT_TYPES = new Set(['address', 'tx', 'cluster', 'actor', 'incident', 'label']);

export async function search(q: string, signal: AbortSignal): Promise<SearchHit[]> {
  const v = await apiJson(`/search?q=${enc(q)}`, { signal });
  const o = isObj(v) ? v : { results: v };
  const list = arr(field(o, ['results', 'hits', 'items', 'data']), 'search.results');
  return list.map((x, i) => {
    const p = `search.results[${i}]`;
    const h = obj(x, p);
    const type = str(field(h, ['type', 'kind']), `${p}.type`);
    if (!HIT_TYPES.has(type)) return { type: 'label', id: str(field(h, ['id']), `${p}.id`), title: `${type}: ${String(h.title ?? h.id)}`, detail: null };
    return {
      type: type as SearchHit['type'],
      id: str(field(h, ['id', 'address', 'txid']), `${p}.id`),
      title: str(field(h, ['title', 'name', 'label', 'id']), `${p}.title`),
      detail: optStr(field(h, ['detail', 'category', 'description']), `${p}.detail`),
    };
  });
}

// ---------- incidents and traces ----------

export interface IncidentSummary {
  id: string;
  name: string;
  victim: string | null;
  date: string | null;
  actor: { id: string; name: string } | null;
  amountSat: number | null;
  description: string | null;
  refs: string[];
}

function readIncident(x: unknown, p: string): IncidentSummary {
  const o = body(x, p);
  const actor = field(o, ['actor']);
  const actorId = optStr(field(o, ['actorId', 'actor_id']) ?? (isObj(actor) ? actor.id : undefined), `${p}.actorId`);
  const refs = field(o, ['refs', 'references']);
  return {
    id: str(field(o, ['id', 'incidentId']), `${p}.id`),
    name: str(field(o, ['name', 'title']), `${p}.name`),
    victim: optStr(field(o, ['victim']), `${p}.victim`),
    date: optStr(field(o, ['date', 'time']), `${p}.date`),
    actor: actorId ? { id: actorId, name: optStr(isObj(actor) ? actor.name : actor, `${p}.actor`) ?? actorId } : null,
    amountSat: optNum(field(o, ['stolenSat', 'amountSat']), `${p}.amountSat`),
    description: optStr(field(o, ['description']), `${p}.description`),
    refs: Array.isArray(refs) ? refs.map((r, i) => str(isObj(r) ? (r.url ?? r.id) : r, `${p}.refs[${i}]`)) : [],
  };
}

export async function listIncidents(signal: AbortSignal): Promise<IncidentSummary[]> {
  const v = await apiJson('/incidents', { signal });
  const list = Array.isArray(v) ? v : arr(field(obj(v, 'incidents'), ['incidents', 'items', 'data']), 'incidents.items');
  return list.map((x, i) => readIncident(x, `incidents[${i}]`));
}

export async function getIncident(id: string, signal: AbortSignal): Promise<IncidentSummary> {
  return readIncident(await apiJson(`/incidents/${enc(id)}`, { signal }), 'incident');
}

export async function getIncidentTrace(id: string, policy: Policy, signal: AbortSignal): Promise<Trace> {
  const v = await apiJson(`/incidents/${enc(id)}/trace?policy=${policy}`, { signal });
  return readTrace(isObj(v) && isObj(v.trace) ? v.trace : v);
}

// ---------- address / cluster / tx ----------

export interface AddressInfo {
  address: string;
  balanceSat: number | null;
  receivedSat: number | null;
  sentSat: number | null;
  txCount: number | null;
  firstTime: string | null;
  lastTime: string | null;
  cluster: { id: string; size: number | null; name: string | null } | null;
  labels: Label[];
  risk: Risk | null;
}

export async function getAddress(addr: string, signal: AbortSignal): Promise<AddressInfo> {
  const o = body(await apiJson(`/addresses/${enc(addr)}`, { signal }), 'address');
  const c = field(o, ['cluster']);
  const cid = isObj(c) ? field(c, ['id', 'clusterId']) : field(o, ['clusterId', 'cluster_id']);
  return {
    address: str(field(o, ['address', 'id']), 'address.address'),
    balanceSat: optNum(field(o, ['balanceSat', 'balance']), 'address.balanceSat'),
    receivedSat: optNum(field(o, ['receivedSat', 'totalReceivedSat', 'received']), 'address.receivedSat'),
    sentSat: optNum(field(o, ['sentSat', 'totalSentSat', 'sent']), 'address.sentSat'),
    txCount: optNum(field(o, ['txCount', 'tx_count', 'txs']), 'address.txCount'),
    firstTime: optTime(field(o, ['firstTime', 'firstSeen', 'first_seen']), 'address.firstTime'),
    lastTime: optTime(field(o, ['lastTime', 'lastSeen', 'last_seen']), 'address.lastTime'),
    cluster:
      cid === undefined || cid === null
        ? null
        : {
            id: str(cid, 'address.cluster.id'),
            size: isObj(c) ? optNum(field(c, ['size', 'addresses', 'addressCount']), 'address.cluster.size') : null,
            name: isObj(c) ? optStr(field(c, ['name', 'label']), 'address.cluster.name') : null,
          },
    labels: readLabels(field(o, ['labels', 'tags']), 'address.labels'),
    risk: readRisk(field(o, ['risk']), 'address.risk'),
  };
}

export async function getAddressTxs(addr: string, page: number, signal: AbortSignal): Promise<Page<TxRow>> {
  return readPage(await apiJson(`/addresses/${enc(addr)}/txs?page=${page}`, { signal }), 'addressTxs', readTxRow);
}

export interface ClusterInfo {
  id: string;
  name: string | null;
  size: number | null;
  balanceSat: number | null;
  txCount: number | null;
  addresses: string[];
  heuristics: string[];
  labels: Label[];
  risk: Risk | null;
}

export async function getCluster(id: string, signal: AbortSignal): Promise<ClusterInfo> {
  const o = body(await apiJson(`/clusters/${enc(id)}`, { signal }), 'cluster');
  const addrs = field(o, ['addresses', 'sampleAddresses', 'members']);
  const heur = field(o, ['heuristics', 'reasons']);
  return {
    id: str(field(o, ['id', 'clusterId']), 'cluster.id'),
    name: optStr(field(o, ['name', 'label', 'entity']), 'cluster.name'),
    size: optNum(field(o, ['size', 'addressCount']), 'cluster.size'),
    balanceSat: optNum(field(o, ['balanceSat', 'balance']), 'cluster.balanceSat'),
    txCount: optNum(field(o, ['txCount']), 'cluster.txCount'),
    addresses: Array.isArray(addrs) ? addrs.map((a, i) => str(isObj(a) ? a.address : a, `cluster.addresses[${i}]`)) : [],
    heuristics: Array.isArray(heur) ? heur.map((h, i) => str(isObj(h) ? (h.name ?? h.heuristic) : h, `cluster.heuristics[${i}]`)) : [],
    labels: readLabels(field(o, ['labels', 'tags']), 'cluster.labels'),
    risk: readRisk(field(o, ['risk']), 'cluster.risk'),
  };
}

export async function getClusterTxs(id: string, page: number, signal: AbortSignal): Promise<Page<TxRow>> {
  return readPage(await apiJson(`/clusters/${enc(id)}/txs?page=${page}`, { signal }), 'clusterTxs', readTxRow);
}

export interface TxIo {
  address: string | null;
  valueSat: number;
  labels: Label[];
}

export interface TxInfo {
  txid: string;
  height: number | null;
  time: string | null;
  feeSat: number | null;
  inputs: TxIo[];
  outputs: TxIo[];
  risk: Risk | null;
}

function readIo(x: unknown, p: string): TxIo {
  const o = obj(x, p);
  return {
    address: optStr(field(o, ['address']), `${p}.address`),
    valueSat: num(field(o, ['valueSat', 'value']) ?? 0, `${p}.valueSat`),
    labels: readLabels(field(o, ['labels', 'tags']), `${p}.labels`),
  };
}

export async function getTx(txid: string, signal: AbortSignal): Promise<TxInfo> {
  const o = body(await apiJson(`/txs/${enc(txid)}`, { signal }), 'tx');
  return {
    txid: str(field(o, ['txid', 'id']), 'tx.txid'),
    height: optNum(field(o, ['height', 'blockHeight']), 'tx.height'),
    time: optTime(field(o, ['time', 'blockTime']), 'tx.time'),
    feeSat: optNum(field(o, ['feeSat', 'fee']), 'tx.feeSat'),
    inputs: arr(field(o, ['inputs', 'vin']) ?? [], 'tx.inputs').map((x, i) => readIo(x, `tx.inputs[${i}]`)),
    outputs: arr(field(o, ['outputs', 'vout']) ?? [], 'tx.outputs').map((x, i) => readIo(x, `tx.outputs[${i}]`)),
    risk: readRisk(field(o, ['risk']), 'tx.risk'),
  };
}

// ---------- actors ----------

export interface ActorInfo {
  id: string;
  name: string;
  type: string | null;
  aliases: string[];
  countries: string[];
  description: string | null;
  sanctions: { program: string | null; listing: string; url: string | null }[];
  incidents: IncidentSummary[];
  clusters: { id: string; name: string | null; size: number | null }[];
  totalAttributedSat: number | null;
  refs: { kind: string; name: string | null; url: string | null }[];
}

function strList(v: unknown, p: string): string[] {
  return v === undefined || v === null ? [] : arr(v, p).map((x, i) => str(x, `${p}[${i}]`));
}

export async function getActor(id: string, signal: AbortSignal): Promise<ActorInfo> {
  const o = body(await apiJson(`/actors/${enc(id)}`, { signal }), 'actor');
  const sanc = field(o, ['sanctions', 'sanctionsListings', 'listings']);
  const clusters = field(o, ['clusters']);
  const refs = field(o, ['refs', 'references']);
  return {
    id: str(field(o, ['id', 'actorId']), 'actor.id'),
    name: str(field(o, ['name']), 'actor.name'),
    type: optStr(field(o, ['type']), 'actor.type'),
    aliases: strList(field(o, ['aliases']), 'actor.aliases'),
    countries: strList(field(o, ['countries']), 'actor.countries'),
    description: optStr(field(o, ['description']), 'actor.description'),
    sanctions:
      sanc === undefined
        ? []
        : arr(sanc, 'actor.sanctions').map((x, i) => {
            const p = `actor.sanctions[${i}]`;
            const s = obj(x, p);
            return {
              program: optStr(field(s, ['program', 'programs', 'list']), `${p}.program`),
              listing: str(field(s, ['name', 'listing', 'refId', 'entNum', 'id']), `${p}.listing`),
              url: optStr(field(s, ['url']), `${p}.url`),
            };
          }),
    incidents: arr(field(o, ['incidents']) ?? [], 'actor.incidents').map((x, i) => readIncident(x, `actor.incidents[${i}]`)),
    clusters:
      clusters === undefined
        ? []
        : arr(clusters, 'actor.clusters').map((x, i) => {
            const p = `actor.clusters[${i}]`;
            const c = isObj(x) ? x : { id: x };
            return {
              id: str(field(c, ['id', 'clusterId']), `${p}.id`),
              name: optStr(field(c, ['name', 'label']), `${p}.name`),
              size: optNum(field(c, ['size', 'addressCount']), `${p}.size`),
            };
          }),
    totalAttributedSat: optNum(field(o, ['totalAttributedSat', 'attributedSat', 'totalSat']), 'actor.totalAttributedSat'),
    refs:
      refs === undefined
        ? []
        : arr(refs, 'actor.refs').map((x, i) => {
            const p = `actor.refs[${i}]`;
            const r = obj(x, p);
            return {
              kind: str(field(r, ['kind', 'type']) ?? 'ref', `${p}.kind`),
              name: optStr(field(r, ['name', 'refId']), `${p}.name`),
              url: optStr(field(r, ['url']), `${p}.url`),
            };
          }),
  };
}

// ---------- cases ----------

/** An investigation: a trace view with notes on nodes, saved in the database. */
export interface Case {
  id: string;
  title: string;
  incidentId: string | null;
  policy: Policy;
  notes: Record<string, string>;
  createdAt: string | null;
  updatedAt: string | null;
}

function readCase(v: unknown, p: string): Case {
  const o = body(v, p);
  const notes = field(o, ['notes', 'annotations']) ?? {};
  const n: Record<string, string> = {};
  if (Array.isArray(notes)) {
    notes.forEach((x, i) => {
      const a = obj(x, `${p}.notes[${i}]`);
      n[str(field(a, ['nodeId', 'node', 'id']), `${p}.notes[${i}].nodeId`)] = str(field(a, ['text', 'note']), `${p}.notes[${i}].text`);
    });
  } else {
    for (const [k, val] of Object.entries(obj(notes, `${p}.notes`))) n[k] = str(val, `${p}.notes.${k}`);
  }
  const policy = str(field(o, ['policy']) ?? 'poison', `${p}.policy`);
  return {
    id: str(field(o, ['id', 'caseId']), `${p}.id`),
    title: str(field(o, ['title', 'name']), `${p}.title`),
    incidentId: optStr(field(o, ['incidentId', 'incident_id']), `${p}.incidentId`),
    policy: (['poison', 'haircut', 'fifo'].includes(policy) ? policy : 'poison') as Policy,
    notes: n,
    createdAt: optStr(field(o, ['createdAt', 'created_at']), `${p}.createdAt`),
    updatedAt: optStr(field(o, ['updatedAt', 'updated_at']), `${p}.updatedAt`),
  };
}

export async function getCase(id: string, signal: AbortSignal): Promise<Case> {
  return readCase(await apiJson(`/cases/${enc(id)}`, { signal }), 'case');
}

export async function listCases(signal: AbortSignal): Promise<Case[]> {
  const v = await apiJson('/cases', { signal });
  const list = Array.isArray(v) ? v : arr(field(obj(v, 'cases'), ['cases', 'items', 'data']), 'cases.items');
  return list.map((x, i) => readCase(x, `cases[${i}]`));
}

/** Creates a case (no id) or replaces it (with id); returns it as stored. */
export async function saveCase(c: Omit<Case, 'id' | 'createdAt' | 'updatedAt'> & { id?: string }): Promise<Case> {
  const payload = { title: c.title, incidentId: c.incidentId, policy: c.policy, notes: c.notes };
  const v = c.id === undefined ? await apiJson('/cases', { method: 'POST', body: payload }) : await apiJson(`/cases/${enc(c.id)}`, { method: 'PUT', body: payload });
  return readCase(v, 'case');
}
