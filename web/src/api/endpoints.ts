/**
 * One function per API route the UI uses (src/api/routes, docs/API.md), each returning checked data.
 * Paths live here and nowhere else.
 */
import { ApiError, apiJson } from './client';
import { type TraceContext, arr, isObj, num, obj, optNum, optStr, optTime, readTrace, str } from './read';
import type { Label, Page, Policy, Risk, RiskItem, SearchHit, Trace, TxRow } from './types';

type Obj = Record<string, unknown>;
const enc = encodeURIComponent;

/** Rows per page of the paginated lists. */
export const PAGE_SIZE = 25;

function strList(v: unknown, p: string): string[] {
  return v === undefined || v === null ? [] : arr(v, p).map((x, i) => str(x, `${p}[${i}]`));
}

/** Label rows (`label_tags` with their source) of address, cluster and label routes. */
export function readLabels(v: unknown, path: string): Label[] {
  if (v === undefined || v === null) return [];
  return arr(v, path).map((x, i) => {
    const p = `${path}[${i}]`;
    const o = obj(x, p);
    const actorId = optStr(o.actorId, `${p}.actorId`);
    return {
      label: str(o.label, `${p}.label`),
      category: optStr(o.abuse, `${p}.abuse`) ?? optStr(o.category, `${p}.category`),
      actor: actorId !== null ? { id: actorId, name: actorId } : null,
      source: optStr(o.source, `${p}.source`),
      sourceUrl: optStr(o.sourceUrl, `${p}.sourceUrl`),
      confidence: optStr(o.confidence, `${p}.confidence`),
    };
  });
}

/**
 * A screening result (src/screen AddressRisk) as score, level and the components behind it: direct
 * labels (own or cluster) and indirect exposure by category on the received and sent sides.
 */
export function readRisk(v: unknown, path: string): Risk | null {
  if (v === undefined || v === null) return null;
  const o = obj(v, path);
  const items: RiskItem[] = [];
  if (o.direct !== undefined) {
    arr(o.direct, `${path}.direct`).forEach((x, i) => {
      const p = `${path}.direct[${i}]`;
      const d = obj(x, p);
      const labels = arr(d.labels ?? [], `${p}.labels`).map((l, j) => {
        const lo = obj(l, `${p}.labels[${j}]`);
        const where = lo.onAddress === false ? ' (another address of the cluster)' : '';
        return `${str(lo.label, `${p}.labels[${j}].label`)} from ${str(lo.source ?? 'unknown source', `${p}.labels[${j}].source`)}${where}`;
      });
      items.push({ rule: `direct: ${str(d.category, `${p}.category`)}`, score: num(d.score, `${p}.score`), detail: labels.join('; ') });
    });
  }
  const ind = isObj(o.indirect) ? o.indirect : null;
  for (const side of ['received', 'sent'] as const) {
    const s = ind && isObj(ind[side]) ? (ind[side] as Obj) : null;
    if (!s) continue;
    arr(s.categories ?? [], `${path}.indirect.${side}.categories`).forEach((x, i) => {
      const p = `${path}.indirect.${side}.categories[${i}]`;
      const c = obj(x, p);
      const score = num(c.score, `${p}.score`);
      if (score <= 0) return;
      const exposure = num(c.exposure, `${p}.exposure`);
      const tainted = optNum(c.taintedSat, `${p}.taintedSat`);
      items.push({
        rule: `${side === 'received' ? 'received from' : 'sent to'}: ${str(c.category, `${p}.category`)}`,
        score,
        detail: `exposure ${(exposure * 100).toFixed(2)}%${tainted !== null ? `, ${(tainted / 1e8).toFixed(8)} BTC` : ''}`,
      });
    });
  }
  return { score: optNum(o.score, `${path}.score`), level: optStr(o.level, `${path}.level`), items };
}

function readPage<T>(v: unknown, path: string, item: (x: unknown, p: string) => T): Page<T> {
  const o = obj(v, path);
  const items = arr(o.items, `${path}.items`);
  const limit = num(o.limit ?? PAGE_SIZE, `${path}.limit`);
  const offset = num(o.offset ?? 0, `${path}.offset`);
  return {
    items: items.map((x, i) => item(x, `${path}.items[${i}]`)),
    page: Math.floor(offset / Math.max(1, limit)) + 1,
    pageSize: limit,
    total: optNum(o.total, `${path}.total`),
  };
}

const pageQs = (page: number) => `limit=${PAGE_SIZE}&offset=${(page - 1) * PAGE_SIZE}`;

// ---------- incidents and traces ----------

export interface IncidentSummary {
  id: string;
  name: string;
  victim: string | null;
  date: string | null;
  actor: { id: string; name: string } | null;
  amount: string | null;
  description: string | null;
  refs: string[];
  /** Addresses the incident record names, with their role (attacker, victim...). */
  addresses: { address: string; role: string; label: string | null }[];
}

function readIncident(x: unknown, p: string): IncidentSummary {
  const o = obj(x, p);
  const actorId = optStr(o.actorId, `${p}.actorId`);
  const amount = optNum(o.amount, `${p}.amount`);
  const unit = optStr(o.amountUnit, `${p}.amountUnit`);
  return {
    id: str(o.incidentId, `${p}.incidentId`),
    name: str(o.name, `${p}.name`),
    victim: optStr(o.victim, `${p}.victim`),
    date: optStr(o.date, `${p}.date`),
    actor: actorId ? { id: actorId, name: actorId } : null,
    amount: amount !== null ? `${amount}${unit ? ` ${unit}` : ''}` : null,
    description: optStr(o.description, `${p}.description`),
    refs: strList(o.refs, `${p}.refs`),
    addresses: arr(o.addresses ?? [], `${p}.addresses`).map((a, i) => {
      const ao = obj(a, `${p}.addresses[${i}]`);
      return {
        address: str(ao.address, `${p}.addresses[${i}].address`),
        role: str(ao.role ?? 'unknown', `${p}.addresses[${i}].role`),
        label: optStr(ao.label, `${p}.addresses[${i}].label`),
      };
    }),
  };
}

export async function listIncidents(signal: AbortSignal): Promise<IncidentSummary[]> {
  const v = obj(await apiJson('/incidents?limit=500', { signal }), 'incidents');
  return arr(v.items, 'incidents.items').map((x, i) => readIncident(x, `incidents.items[${i}]`));
}

export async function getIncident(id: string, signal: AbortSignal): Promise<IncidentSummary> {
  return readIncident(await apiJson(`/incidents/${enc(id)}`, { signal }), 'incident');
}

/** The incident's forward trace under a policy, unread (the tracer's `ledgerhound.trace` document). */
export async function getIncidentTraceJson(id: string, policy: Policy, signal: AbortSignal): Promise<unknown> {
  return apiJson(`/incidents/${enc(id)}/trace?policy=${policy}`, { signal });
}

/** The incident's forward trace under a policy, read with the incident's address roles. */
export async function getIncidentTrace(id: string, policy: Policy, ctx: TraceContext, signal: AbortSignal): Promise<Trace> {
  return readTrace(await getIncidentTraceJson(id, policy, signal), ctx);
}

// ---------- address / cluster / tx ----------

export interface AddressInfo {
  address: string;
  seen: boolean;
  type: string | null;
  balanceSat: number | null;
  receivedSat: number | null;
  sentSat: number | null;
  txCount: number | null;
  firstSeenHeight: number | null;
  lastSeenHeight: number | null;
  cluster: { id: string; size: number | null } | null;
  labels: Label[];
  risk: Risk | null;
}

export async function getAddress(addr: string, signal: AbortSignal): Promise<AddressInfo> {
  const o = obj(await apiJson(`/addresses/${enc(addr)}`, { signal }), 'address');
  const c = isObj(o.cluster) ? o.cluster : null;
  const cid = c ? optNum(c.id, 'address.cluster.id') : null;
  return {
    address: str(o.address, 'address.address'),
    seen: o.seen !== false,
    type: optStr(o.type, 'address.type'),
    balanceSat: optNum(o.balanceSat, 'address.balanceSat'),
    receivedSat: optNum(o.receivedSat, 'address.receivedSat'),
    sentSat: optNum(o.sentSat, 'address.sentSat'),
    txCount: optNum(o.txCount, 'address.txCount'),
    firstSeenHeight: optNum(o.firstSeenHeight, 'address.firstSeenHeight'),
    lastSeenHeight: optNum(o.lastSeenHeight, 'address.lastSeenHeight'),
    cluster: c && cid !== null ? { id: String(cid), size: optNum(c.size, 'address.cluster.size') } : null,
    labels: readLabels(o.labels, 'address.labels'),
    risk: readRisk(o.risk, 'address.risk'),
  };
}

function readTxRow(x: unknown, p: string): TxRow {
  const o = obj(x, p);
  return {
    txid: str(o.txid, `${p}.txid`),
    time: optTime(o.time, `${p}.time`),
    height: optNum(o.height, `${p}.height`),
    deltaSat: optNum(o.netSat, `${p}.netSat`),
    valueSat: optNum(o.receivedSat, `${p}.receivedSat`),
  };
}

export async function getAddressTxs(addr: string, page: number, signal: AbortSignal): Promise<Page<TxRow>> {
  return readPage(await apiJson(`/addresses/${enc(addr)}/transactions?${pageQs(page)}`, { signal }), 'addressTxs', readTxRow);
}

export interface ClusterInfo {
  id: string;
  size: number | null;
  receivedSat: number | null;
  balanceSat: number | null;
  labels: Label[];
  risk: Risk | null;
}

export async function getCluster(id: string, signal: AbortSignal): Promise<ClusterInfo> {
  const o = obj(await apiJson(`/clusters/${enc(id)}`, { signal }), 'cluster');
  return {
    id: str(o.id, 'cluster.id'),
    size: optNum(o.size, 'cluster.size'),
    receivedSat: optNum(o.receivedSat, 'cluster.receivedSat'),
    balanceSat: optNum(o.balanceSat, 'cluster.balanceSat'),
    labels: readLabels(o.labels, 'cluster.labels'),
    risk: readRisk(o.risk, 'cluster.risk'),
  };
}

export interface ClusterAddress {
  address: string;
  firstSeenHeight: number | null;
  lastSeenHeight: number | null;
}

export async function getClusterAddresses(id: string, page: number, signal: AbortSignal): Promise<Page<ClusterAddress>> {
  return readPage(await apiJson(`/clusters/${enc(id)}/addresses?${pageQs(page)}`, { signal }), 'clusterAddresses', (x, p) => {
    const o = obj(x, p);
    return {
      address: str(o.address, `${p}.address`),
      firstSeenHeight: optNum(o.firstSeenHeight, `${p}.firstSeenHeight`),
      lastSeenHeight: optNum(o.lastSeenHeight, `${p}.lastSeenHeight`),
    };
  });
}

export interface TxIo {
  address: string | null;
  valueSat: number | null;
  /** For an output: the spending transaction; for an input: the spent transaction. */
  link: string | null;
}

export interface TxInfo {
  txid: string;
  height: number | null;
  time: string | null;
  feeSat: number | null;
  coinbase: boolean;
  vsize: number | null;
  inputs: TxIo[];
  outputs: TxIo[];
}

export async function getTx(txid: string, signal: AbortSignal): Promise<TxInfo> {
  const o = obj(await apiJson(`/transactions/${enc(txid)}`, { signal }), 'tx');
  return {
    txid: str(o.txid, 'tx.txid'),
    height: optNum(o.height, 'tx.height'),
    time: optTime(o.time, 'tx.time'),
    feeSat: optNum(o.fee, 'tx.fee'),
    coinbase: o.coinbase === true,
    vsize: optNum(o.vsize, 'tx.vsize'),
    inputs: arr(o.inputs, 'tx.inputs').map((x, i) => {
      const p = `tx.inputs[${i}]`;
      const io = obj(x, p);
      return { address: optStr(io.address, `${p}.address`), valueSat: optNum(io.value, `${p}.value`), link: optStr(io.prevTxid, `${p}.prevTxid`) };
    }),
    outputs: arr(o.outputs, 'tx.outputs').map((x, i) => {
      const p = `tx.outputs[${i}]`;
      const io = obj(x, p);
      const sb = isObj(io.spentBy) ? io.spentBy : null;
      return { address: optStr(io.address, `${p}.address`), valueSat: optNum(io.value, `${p}.value`), link: sb ? str(sb.txid, `${p}.spentBy.txid`) : null };
    }),
  };
}

// ---------- actors ----------

export interface ActorInfo {
  id: string;
  name: string;
  type: string | null;
  aliases: string[];
  countries: string[];
  categories: string[];
  description: string | null;
  uri: string | null;
  /** References of kind ofac-sdn / sanctions-program. */
  sanctions: { kind: string; name: string; url: string | null }[];
  refs: { kind: string; name: string; url: string | null }[];
  sources: string[];
  tagCount: number | null;
  /** Attributed incidents, clusters and value, when the server reports them. */
  incidents: { id: string; name: string }[] | null;
  clusters: { id: string; size: number | null }[] | null;
  totalAttributedSat: number | null;
}

const SANCTION_REF = /ofac|sdn|sanction/i;

export async function getActor(id: string, signal: AbortSignal): Promise<ActorInfo> {
  const o = obj(await apiJson(`/actors/${enc(id)}`, { signal }), 'actor');
  const refs = arr(o.refs ?? [], 'actor.refs').map((x, i) => {
    const p = `actor.refs[${i}]`;
    const r = obj(x, p);
    return {
      kind: str(r.kind, `${p}.kind`),
      name: optStr(r.name, `${p}.name`) ?? optStr(r.refId, `${p}.refId`) ?? optStr(r.url, `${p}.url`) ?? '—',
      url: optStr(r.url, `${p}.url`),
    };
  });
  const incidents = o.incidents === undefined ? null : arr(o.incidents, 'actor.incidents').map((x, i) => {
    const p = `actor.incidents[${i}]`;
    const r = obj(x, p);
    return { id: str(r.incidentId ?? r.id, `${p}.incidentId`), name: str(r.name, `${p}.name`) };
  });
  const clusters = o.clusters === undefined ? null : arr(o.clusters, 'actor.clusters').map((x, i) => {
    const p = `actor.clusters[${i}]`;
    const r = isObj(x) ? x : { id: x };
    return { id: str(r.id ?? r.cluster, `${p}.id`), size: optNum(r.size, `${p}.size`) };
  });
  return {
    id: str(o.actorId, 'actor.actorId'),
    name: str(o.name, 'actor.name'),
    type: optStr(o.type, 'actor.type'),
    aliases: strList(o.aliases, 'actor.aliases'),
    countries: strList(o.countries, 'actor.countries'),
    categories: strList(o.categories, 'actor.categories'),
    description: optStr(o.description, 'actor.description'),
    uri: optStr(o.uri, 'actor.uri'),
    sanctions: refs.filter((r) => SANCTION_REF.test(r.kind)),
    refs: refs.filter((r) => !SANCTION_REF.test(r.kind)),
    sources: (Array.isArray(o.sources) ? o.sources : []).filter((s): s is string => typeof s === 'string'),
    tagCount: optNum(o.tagCount, 'actor.tagCount'),
    incidents,
    clusters,
    totalAttributedSat: optNum(o.totalAttributedSat, 'actor.totalAttributedSat'),
  };
}

// ---------- search ----------

const TXID = /^[0-9a-f]{64}$/i;
const CLUSTER_ID = /^\d{1,10}$/;
/** Mainnet, testnet and regtest address shapes (base58 P2PKH/P2SH, bech32/bech32m). */
const ADDRESS = /^(bc1|tb1|bcrt1)[02-9ac-hj-np-z]{8,87}$|^[123mn][1-9A-HJ-NP-Za-km-z]{25,34}$/i;

/** What kind of thing a query names, by its shape: a direct page, or a text search. */
export function classifyQuery(q: string): { type: 'tx' | 'cluster' | 'address'; id: string } | null {
  const s = q.trim();
  if (TXID.test(s)) return { type: 'tx', id: s.toLowerCase() };
  if (CLUSTER_ID.test(s)) return { type: 'cluster', id: s };
  if (ADDRESS.test(s)) return { type: 'address', id: /^(bc1|tb1|bcrt1)/i.test(s) ? s.toLowerCase() : s };
  return null;
}

/**
 * Search: an address, txid or cluster id goes to its page (checked to exist); other text is matched
 * against actors (names and aliases, server side), incidents (name, id, victim) and labels.
 */
export async function search(q: string, signal: AbortSignal): Promise<SearchHit[]> {
  const s = q.trim();
  const hits: SearchHit[] = [];
  const direct = classifyQuery(s);
  if (direct) {
    try {
      if (direct.type === 'address') {
        const a = await getAddress(direct.id, signal);
        hits.push({ type: 'address', id: a.address, title: a.address, detail: a.labels.map((l) => l.label).join(', ') || null });
      } else if (direct.type === 'tx') {
        const t = await getTx(direct.id, signal);
        hits.push({ type: 'tx', id: t.txid, title: t.txid, detail: t.height !== null ? `block ${t.height}` : null });
      } else {
        const c = await getCluster(direct.id, signal);
        hits.push({ type: 'cluster', id: c.id, title: `Cluster ${c.id}`, detail: c.size !== null ? `${c.size} addresses` : null });
      }
    } catch (e) {
      if (!(e instanceof ApiError && (e.status === 404 || e.status === 400))) throw e;
    }
    if (direct.type !== 'cluster') return hits;
  }
  const needle = s.toLowerCase();
  const [actors, incidents] = await Promise.all([
    apiJson(`/actors?q=${enc(s)}&limit=20`, { signal }),
    listIncidents(signal),
  ]);
  arr(obj(actors, 'actors').items, 'actors.items').forEach((x, i) => {
    const a = obj(x, `actors.items[${i}]`);
    hits.push({ type: 'actor', id: str(a.actorId, `actors.items[${i}].actorId`), title: str(a.name, `actors.items[${i}].name`), detail: null });
  });
  for (const inc of incidents) {
    if ([inc.id, inc.name, inc.victim ?? ''].some((f) => f.toLowerCase().includes(needle))) {
      hits.push({ type: 'incident', id: inc.id, title: inc.name, detail: inc.date });
    }
  }
  return hits;
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
  const o = obj(v, p);
  const notes: Record<string, string> = {};
  for (const [k, val] of Object.entries(obj(o.notes ?? {}, `${p}.notes`))) notes[k] = str(val, `${p}.notes.${k}`);
  const policy = str(o.policy ?? 'haircut', `${p}.policy`);
  return {
    id: str(o.id, `${p}.id`),
    title: str(o.title, `${p}.title`),
    incidentId: optStr(o.incidentId, `${p}.incidentId`),
    policy: (['poison', 'haircut', 'fifo'].includes(policy) ? policy : 'haircut') as Policy,
    notes,
    createdAt: optStr(o.createdAt, `${p}.createdAt`),
    updatedAt: optStr(o.updatedAt, `${p}.updatedAt`),
  };
}

export async function getCase(id: string, signal: AbortSignal): Promise<Case> {
  return readCase(await apiJson(`/cases/${enc(id)}`, { signal }), 'case');
}

export async function listCases(signal: AbortSignal): Promise<Case[]> {
  const v = obj(await apiJson('/cases', { signal }), 'cases');
  return arr(v.items, 'cases.items').map((x, i) => readCase(x, `cases.items[${i}]`));
}

/** Creates a case (no id) or replaces it (with id); returns it as stored. */
export async function saveCase(c: Omit<Case, 'id' | 'createdAt' | 'updatedAt'> & { id?: string }): Promise<Case> {
  const payload = { title: c.title, incidentId: c.incidentId, policy: c.policy, notes: c.notes };
  const v =
    c.id === undefined
      ? await apiJson('/cases', { method: 'POST', body: payload })
      : await apiJson(`/cases/${enc(c.id)}`, { method: 'PUT', body: payload });
  return readCase(v, 'case');
}

// ---------- labels and transaction risk ----------

/** Labels of one address (`GET /v1/labels/{address}`; an unlabelled address answers `tags: []`). */
export async function getLabels(address: string, signal: AbortSignal): Promise<Label[]> {
  const o = obj(await apiJson(`/labels/${enc(address)}`, { signal }), 'labels');
  return readLabels(o.tags, 'labels.tags');
}

/** Labels of many addresses (at most `max`, in parallel), by address. */
export async function getLabelsOf(addresses: readonly string[], signal: AbortSignal, max = 40): Promise<Map<string, Label[]>> {
  const unique = [...new Set(addresses)].slice(0, max);
  const lists = await Promise.all(unique.map((a) => getLabels(a, signal)));
  return new Map(unique.map((a, i) => [a, lists[i] ?? []]));
}

/** One side of a transaction screening: counterparties with a score above zero. */
export interface TxRiskSide {
  weightedScore: number;
  maxScore: number;
  risky: { address: string; valueSat: number; score: number; level: string; risk: Risk | null }[];
}

export interface TxRiskInfo {
  score: number;
  level: string;
  sourceOfFunds: TxRiskSide | null;
  destination: TxRiskSide | null;
}

function readSide(v: unknown, p: string): TxRiskSide | null {
  if (v === null || v === undefined) return null;
  const o = obj(v, p);
  return {
    weightedScore: num(o.weightedScore, `${p}.weightedScore`),
    maxScore: num(o.maxScore, `${p}.maxScore`),
    risky: arr(o.counterparties, `${p}.counterparties`)
      .map((x, i) => {
        const c = obj(x, `${p}.counterparties[${i}]`);
        return {
          address: str(c.address, `${p}.counterparties[${i}].address`),
          valueSat: num(c.valueSat, `${p}.counterparties[${i}].valueSat`),
          score: num(c.score, `${p}.counterparties[${i}].score`),
          level: str(c.level, `${p}.counterparties[${i}].level`),
          risk: readRisk(c.risk, `${p}.counterparties[${i}].risk`),
        };
      })
      .filter((c) => c.score > 0),
  };
}

/** Screens a transaction (KYT: `POST /v1/screen/tx`, recorded in the server's audit log). */
export async function screenTx(txid: string, signal: AbortSignal): Promise<TxRiskInfo> {
  const o = obj(await apiJson('/screen/tx', { method: 'POST', body: { txid }, signal }), 'txRisk');
  return {
    score: num(o.score, 'txRisk.score'),
    level: str(o.level, 'txRisk.level'),
    sourceOfFunds: readSide(o.sourceOfFunds, 'txRisk.sourceOfFunds'),
    destination: readSide(o.destination, 'txRisk.destination'),
  };
}
