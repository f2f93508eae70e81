/**
 * The in-memory screening index: everything an address lookup needs, precomputed after clustering and
 * labelling, so a lookup is a hash-map read plus a few array reads (no SQL on the hot path).
 *
 * Built from the store by `ScreeningIndex.build(db, rules)`:
 * - chain arrays (src/store loadChainArrays) and clusters (`addresses.cluster`; an address without a
 *   cluster is its own cluster), CoinJoin flags (`transactions.coinjoin`, else src/trace's equal-output
 *   check);
 * - risky labels: BTC tags from `label_tags` whose GraphSense category or abuse falls in a rule category;
 *   a cluster carries the categories of all its addresses' tags (direct exposure);
 * - indirect exposure from `ExposureState` (forward/backward haircut sweeps), summed per cluster.
 * `refresh(db)` extends it after ingest appended blocks (incremental when clusters and labels of existing
 * addresses are unchanged, else rebuilt).
 */
import { decodeAddress, type Network } from '../chain/index.js';
import { LedgerhoundError } from '../core/index.js';
import { type Database, loadAddressArrays, loadChainArrays } from '../store/index.js';
import { detectCoinJoins } from '../trace/index.js';
import { type ExposureChain, ExposureState, type ExposureTx, NONE, type RiskTopology } from './exposure.js';
import { levelFor, type RuleSet, type RuleSetInfo } from './rules.js';

/** A label that makes an address or cluster risky, with its provenance. */
export interface RiskLabel {
  tagId: number;
  address: string;
  label: string;
  /** The GraphSense concept that matched (abuse when set, else category). */
  concept: string;
  category: string;
  abuse: string | null;
  actorId: string | null;
  confidence: string;
  confidenceLevel: number;
  source: string;
  sourceUrl: string | null;
}

export interface DirectComponent {
  category: string;
  weight: number;
  score: number;
  /** The labels behind the figure; `onAddress` false when carried by another address of the cluster. */
  labels: (RiskLabel & { onAddress: boolean })[];
}

export interface IndirectCategory {
  category: string;
  /** Share of the cluster's external value per hop (index 0 = hop 1). */
  byHop: number[];
  /** Σ share(h) × hopDecay^(h-1). */
  exposure: number;
  taintedSat: number;
  score: number;
  /** Largest contributing transactions (of the screened address's cluster). */
  txs: { txid: string; taintedSat: number; hop: number }[];
}

export interface IndirectSide {
  totalSat: number;
  categories: IndirectCategory[];
}

/** The answer of an address screening. */
export interface AddressRisk {
  address: string;
  /** false: the address never appeared in the stored chain (labels may still match). */
  seen: boolean;
  addressId: number | null;
  cluster: { id: number | null; size: number } | null;
  score: number;
  level: 'low' | 'medium' | 'high' | 'severe';
  ruleSet: RuleSetInfo;
  direct: DirectComponent[];
  indirect: { received: IndirectSide; sent: IndirectSide };
  /** Chain height the exposure covers. */
  screenedThroughHeight: number;
}

interface TagRow {
  tag_id: bigint | number;
  address: string;
  label: string;
  category: string;
  abuse: string | null;
  actor_id: string | null;
  confidence: string;
  confidence_level: number;
  source: string;
  source_url: string | null;
  address_id: bigint | number | null;
}

const num = (v: unknown): number => (v === null || v === undefined ? 0 : Number(v));

async function tableExists(db: Database, table: string, column?: string): Promise<boolean> {
  const r = column
    ? await db.one<{ n: bigint }>('SELECT count(*) n FROM information_schema.columns WHERE table_name = $1 AND column_name = $2', [table, column])
    : await db.one<{ n: bigint }>('SELECT count(*) n FROM information_schema.tables WHERE table_name = $1', [table]);
  return num(r?.n) > 0;
}

/** Normalises an address string the way the store writes it (bech32 lower-case, base58 as is). */
export function normalizeBtcAddress(address: string): string {
  // Hot path of every lookup: no regex, no copy unless needed.
  const first = address.charCodeAt(0);
  const last = address.charCodeAt(address.length - 1);
  const a = first <= 32 || last <= 32 ? address.trim() : address;
  const c = a.charCodeAt(0) | 0x20; // lower-case letter
  return (c === 98 || c === 116) && /^(bc|tb|bcrt)1/i.test(a) ? a.toLowerCase() : a;
}

/**
 * Checks that a string is an address of the network.
 * @throws LedgerhoundError LH_BAD_ADDRESS naming the problem
 */
export function checkAddress(address: string, network: Network): string {
  const a = normalizeBtcAddress(address);
  if (a.length === 0 || a.length > 100) {
    throw new LedgerhoundError('LH_BAD_ADDRESS', `"${address.slice(0, 100)}" is not a ${network} Bitcoin address: wrong length`, {
      details: { address: address.slice(0, 100), network },
    });
  }
  try {
    const d = decodeAddress(a, network);
    if (d.network !== network) throw new Error(`it belongs to ${d.network}`);
  } catch (cause) {
    const why = cause instanceof LedgerhoundError ? cause.shortMessage : (cause as Error).message;
    throw new LedgerhoundError('LH_BAD_ADDRESS', `"${a}" is not a ${network} Bitcoin address: ${why}`, {
      cause,
      details: { address: a, network },
    });
  }
  return a;
}

/** The cluster-level (indirect) part of a risk answer; shared by the cluster's addresses, never mutated. */
interface ClusterPart {
  indirect: { received: IndirectSide; sent: IndirectSide };
  /** Π(1 − component/100) over the indirect components. */
  keep: number;
  cluster: { id: number | null; size: number } | null;
}

const NO_COMPONENTS: number[] = Object.freeze([]) as unknown as number[];
const NO_DIRECT: DirectComponent[] = Object.freeze([]) as unknown as DirectComponent[];

const EMPTY_PART: ClusterPart = {
  indirect: { received: { totalSat: 0, categories: [] }, sent: { totalSat: 0, categories: [] } },
  keep: 1,
  cluster: null,
};

export class ScreeningIndex {
  /** Memoised cluster parts (cleared never: a refresh builds a new index). */
  private readonly partCache = new Map<number, ClusterPart>();

  private constructor(
    readonly rules: RuleSet,
    readonly network: Network,
    private chain: ExposureChain & { txHeight: Int32Array },
    private topo: RiskTopology,
    /** Stored cluster id (or −1 for a singleton without one) per dense cluster. */
    private clusterStoredId: Float64Array,
    private clusterSize: Uint32Array,
    private readonly addressIds: Map<string, number>,
    /** Risky labels by normalised address (also addresses never seen on chain). */
    private readonly labelsByAddress: Map<string, RiskLabel[]>,
    /** Dense cluster → its addresses' risky labels. */
    private clusterLabels: Map<number, RiskLabel[]>,
    private readonly state: ExposureState,
    private clusterRecv: Float64Array,
    private clusterSent: Float64Array,
    private clusterRecvTaint: Map<number, Float64Array>,
    private clusterSentTaint: Map<number, Float64Array>,
    private clusterMembers: Map<number, number[]>,
    private readonly txids: Map<number, string>,
    /** Fingerprint of labels + clusters of the existing addresses (incremental refresh guard). */
    private fingerprint: string,
    readonly coinjoinSource: string,
    readonly timings: { loadMs: number; sweepMs: number; forwardTxs: number; backwardTxs: number },
  ) {}

  /** Height of the last transaction covered. */
  get screenedThroughHeight(): number {
    const n = this.chain.txCount;
    return n === 0 ? -1 : (this.chain.txHeight[n - 1] as number);
  }

  get txCount(): number {
    return this.chain.txCount;
  }

  get addressCount(): number {
    return this.addressIds.size;
  }

  /** Number of addresses and clusters carrying a risky label. */
  get labelledCount(): { addresses: number; clusters: number } {
    return { addresses: this.labelsByAddress.size, clusters: this.clusterLabels.size };
  }

  /**
   * Builds the index from a store (chain ingested; clustering and labels optional).
   * @throws LedgerhoundError LH_DB_EMPTY when nothing is ingested
   */
  static async build(db: Database, rules: RuleSet): Promise<ScreeningIndex> {
    const t0 = performance.now();
    const loaded = await loadAll(db, rules);
    const state = new ExposureState(
      { categories: rules.categoryNames.length, hops: rules.hops, coinjoinCategory: rules.coinjoinAsMixing ? rules.mixingCategory : -1 },
      loaded.chain.addressCount,
    );
    return ScreeningIndex.fromLoaded(db, rules, loaded, state, new Map(), performance.now() - t0);
  }

  /**
   * Brings the index up to the store's tip. Incremental when only new transactions and addresses appeared
   * (labels and clusters of known addresses unchanged); otherwise a full rebuild. Returns the new index
   * (the old one keeps answering until the caller swaps references).
   */
  async refresh(db: Database): Promise<{ index: ScreeningIndex; mode: 'unchanged' | 'incremental' | 'rebuilt' }> {
    const loaded = await loadAll(db, this.rules, this.addressIds.size);
    if (loaded.chain.txCount === this.chain.txCount && loaded.fingerprint === this.fingerprint) {
      return { index: this, mode: 'unchanged' };
    }
    if (loaded.knownFingerprint !== this.fingerprint || loaded.chain.txCount < this.chain.txCount) {
      return { index: await ScreeningIndex.build(db, this.rules), mode: 'rebuilt' };
    }
    return { index: await ScreeningIndex.fromLoaded(db, this.rules, loaded, this.state, this.txids, 0), mode: 'incremental' };
  }

  /** Extends `state` over the loaded chain (new transactions only) and assembles the index on it. */
  private static async fromLoaded(
    db: Database,
    rules: RuleSet,
    loaded: Loaded,
    state: ExposureState,
    txids: Map<number, string>,
    loadMs: number,
  ): Promise<ScreeningIndex> {
    const t1 = performance.now();
    const ext = state.extend(loaded.chain, loaded.topo);
    const t2 = performance.now();
    const idx = new ScreeningIndex(
      rules,
      loaded.network,
      loaded.chain,
      loaded.topo,
      loaded.clusterStoredId,
      loaded.clusterSize,
      loaded.addressIds,
      loaded.labelsByAddress,
      loaded.clusterLabels,
      state,
      new Float64Array(0),
      new Float64Array(0),
      new Map(),
      new Map(),
      loaded.clusterMembers,
      txids,
      loaded.fingerprint,
      loaded.coinjoinSource,
      { loadMs, sweepMs: t2 - t1, forwardTxs: ext.forwardTxs, backwardTxs: ext.backwardTxs },
    );
    idx.aggregate();
    await idx.nameTxs(db);
    return idx;
  }

  /** Per-cluster sums of the per-address exposure. */
  private aggregate(): void {
    this.partCache.clear();
    const K = this.clusterSize.length;
    const W = this.state.width;
    const recv = new Float64Array(K);
    const sent = new Float64Array(K);
    const n = this.chain.addressCount;
    for (let a = 0; a < n; a++) {
      const k = this.topo.clusterOf[a] as number;
      recv[k] = (recv[k] as number) + (this.state.recv[a] as number);
      sent[k] = (sent[k] as number) + (this.state.sent[a] as number);
    }
    const sum = (src: Map<number, Float64Array>) => {
      const out = new Map<number, Float64Array>();
      for (const [a, v] of src) {
        const k = this.topo.clusterOf[a] as number;
        let acc = out.get(k);
        if (acc === undefined) {
          acc = new Float64Array(W);
          out.set(k, acc);
        }
        for (let j = 0; j < W; j++) acc[j] = (acc[j] as number) + (v[j] as number);
      }
      return out;
    };
    this.clusterRecv = recv;
    this.clusterSent = sent;
    this.clusterRecvTaint = sum(this.state.recvTaint);
    this.clusterSentTaint = sum(this.state.sentTaint);
  }

  /** Fetches the txids of every transaction named in an exposure figure. */
  private async nameTxs(db: Database): Promise<void> {
    const want = new Set<number>();
    for (const tops of [this.state.recvTop, this.state.sentTop]) {
      for (const list of tops.values()) for (const e of list) if (!this.txids.has(e.txId)) want.add(e.txId);
    }
    if (want.size === 0) return;
    const ids = [...want];
    for (let i = 0; i < ids.length; i += 5000) {
      const part = ids.slice(i, i + 5000);
      const rows = await db.all<{ tx_id: bigint; txid: string }>(`SELECT tx_id, txid FROM transactions WHERE tx_id IN (${part.join(',')})`);
      for (const r of rows) this.txids.set(Number(r.tx_id), r.txid);
    }
  }

  /** The dense cluster of an address id. */
  private clusterOfAddress(addressId: number): number {
    return this.topo.clusterOf[addressId] as number;
  }

  /** Address id of a (normalised) address, or undefined. */
  addressId(address: string): number | undefined {
    return this.addressIds.get(address);
  }

  /** Stored cluster id of an address id (null for an unclustered singleton). */
  storedClusterOf(addressId: number): number | null {
    const s = this.clusterStoredId[this.clusterOfAddress(addressId)] as number;
    return s < 0 ? null : s;
  }

  /**
   * Screens one address: score, level and breakdown.
   * @throws LedgerhoundError LH_BAD_ADDRESS when the string is not an address of this network
   */
  screenAddress(input: string): AddressRisk {
    // A known address came from the chain of this network: valid by construction, no decoding needed.
    const normalized = normalizeBtcAddress(input);
    let id = this.addressIds.get(normalized);
    const address = id === undefined ? checkAddress(input, this.network) : normalized;
    if (id === undefined) id = this.addressIds.get(address);
    const rules = this.rules;
    const ownLabels = this.labelsByAddress.get(address);
    const k = id === undefined ? -1 : this.clusterOfAddress(id);
    const clusterLabels = k < 0 ? ownLabels : this.clusterLabels.get(k);
    let components: number[] = NO_COMPONENTS;
    let direct: DirectComponent[] = NO_DIRECT;
    if (ownLabels !== undefined || clusterLabels !== undefined) {
      components = [];
      direct = [];
      const C = rules.categoryNames.length;
      for (let c = 0; c < C; c++) {
        let best = 0;
        const labels: (RiskLabel & { onAddress: boolean })[] = [];
        const consider = (l: RiskLabel, onAddress: boolean) => {
          const cats = rules.conceptCategories.get(l.concept);
          if (!cats?.includes(c)) return;
          const conf = l.confidenceLevel >= rules.direct.minConfidence ? 1 : rules.direct.lowConfidenceFactor;
          const sc = (rules.categoryWeights[c] as number) * conf * (onAddress ? 1 : rules.direct.clusterFactor);
          if (sc > best) best = sc;
          labels.push({ ...l, onAddress });
        };
        for (const l of ownLabels ?? []) consider(l, true);
        for (const l of clusterLabels ?? []) if (l.address !== address) consider(l, false);
        if (labels.length > 0) {
          direct.push({ category: rules.categoryNames[c] as string, weight: rules.categoryWeights[c] as number, score: round2(best), labels });
          components.push(best);
        }
      }
    }
    const part = k < 0 ? EMPTY_PART : this.clusterPart(k);
    let keep = 1;
    for (const sc of components) keep *= 1 - Math.min(100, sc) / 100;
    keep *= part.keep;
    const score = Math.round(100 * (1 - keep));
    return {
      address,
      seen: id !== undefined,
      addressId: id ?? null,
      cluster: part.cluster,
      score,
      level: levelFor(rules, score),
      ruleSet: rules.info,
      direct,
      indirect: part.indirect,
      screenedThroughHeight: this.screenedThroughHeight,
    };
  }

  /** The indirect part of a cluster's risk, computed once per cluster (the index is immutable). */
  private clusterPart(k: number): ClusterPart {
    const cached = this.partCache.get(k);
    if (cached !== undefined) return cached;
    const components: number[] = [];
    const received = this.side(k, 'recv', components);
    const sent = this.side(k, 'sent', components);
    let keep = 1;
    for (const sc of components) keep *= 1 - Math.min(100, sc) / 100;
    const stored = this.clusterStoredId[k] as number;
    const part: ClusterPart = { indirect: { received, sent }, keep, cluster: { id: stored < 0 ? null : stored, size: this.clusterSize[k] as number } };
    this.partCache.set(k, part);
    return part;
  }

  private side(k: number, dir: 'recv' | 'sent', components: number[]): IndirectSide {
    if (k < 0) return { totalSat: 0, categories: [] };
    const rules = this.rules;
    const total = (dir === 'recv' ? this.clusterRecv[k] : this.clusterSent[k]) as number;
    const taint = (dir === 'recv' ? this.clusterRecvTaint : this.clusterSentTaint).get(k);
    const out: IndirectSide = { totalSat: Math.round(total), categories: [] };
    if (taint === undefined || !(total > 0)) return out;
    const H = rules.hops;
    const C = rules.categoryNames.length;
    const factor = rules.indirect.factor * (dir === 'sent' ? rules.indirect.sentFactor : 1);
    for (let c = 0; c < C; c++) {
      let exposure = 0;
      let tainted = 0;
      const byHop: number[] = [];
      for (let h = 0; h < H; h++) {
        const v = taint[c * H + h] as number;
        const s = v / total;
        byHop.push(round6(s));
        tainted += v;
        exposure += s * rules.hopDecay ** h;
      }
      if (tainted <= 0) continue;
      const score = exposure < rules.indirect.minShare ? 0 : (rules.categoryWeights[c] as number) * factor * Math.min(1, exposure / rules.indirect.fullShare);
      if (score > 0) components.push(score);
      out.categories.push({
        category: rules.categoryNames[c] as string,
        byHop,
        exposure: round6(exposure),
        taintedSat: Math.round(tainted),
        score: round2(score),
        txs: this.topTxs(k, c, dir),
      });
    }
    out.categories.sort((a, b) => b.score - a.score || b.exposure - a.exposure);
    return out;
  }

  /** Largest contributing txs over the addresses of cluster k (bounded scan: first 64 members). */
  private topTxs(k: number, c: number, dir: 'recv' | 'sent'): { txid: string; taintedSat: number; hop: number }[] {
    const tops = dir === 'recv' ? this.state.recvTop : this.state.sentTop;
    const C = this.rules.categoryNames.length;
    const members = this.clusterMembers.get(k);
    const all: ExposureTx[] = [];
    if (members === undefined) return [];
    for (let m = 0; m < members.length && m < 4096; m++) {
      const list = tops.get((members[m] as number) * C + c);
      if (list) all.push(...list);
    }
    all.sort((x, y) => y.taintedSat - x.taintedSat || x.txId - y.txId);
    return all.slice(0, 3).map((e) => ({ txid: this.txids.get(e.txId) ?? `#${e.txId}`, taintedSat: e.taintedSat, hop: e.hop }));
  }

  /** The risky labels of an address (its own) and of its cluster. */
  riskLabels(address: string): { own: RiskLabel[]; cluster: RiskLabel[] } {
    const own = this.labelsByAddress.get(address) ?? [];
    const id = this.addressIds.get(address);
    const cluster = id === undefined ? own : (this.clusterLabels.get(this.clusterOfAddress(id)) ?? []);
    return { own, cluster };
  }
}

function round2(x: number): number {
  return Math.round(x * 100) / 100;
}
function round6(x: number): number {
  return Math.round(x * 1e6) / 1e6;
}

interface Loaded {
  network: Network;
  chain: ExposureChain & { txHeight: Int32Array };
  topo: RiskTopology;
  clusterStoredId: Float64Array;
  clusterSize: Uint32Array;
  clusterMembers: Map<number, number[]>;
  addressIds: Map<string, number>;
  labelsByAddress: Map<string, RiskLabel[]>;
  clusterLabels: Map<number, RiskLabel[]>;
  fingerprint: string;
  knownFingerprint: string;
  coinjoinSource: string;
}

async function loadAll(db: Database, rules: RuleSet, knownAddresses = 0): Promise<Loaded> {
  const meta = (await tableExists(db, 'meta')) ? await db.one<{ value: string }>("SELECT value FROM meta WHERE key = 'network'") : undefined;
  if (meta === undefined) {
    throw new LedgerhoundError('LH_DB_EMPTY', `database ${db.path} holds no ingested chain`, {
      details: { path: db.path },
      hint: 'Run `ledgerhound ingest bitcoin --blocks-dir DIR` first, or pass --db.',
    });
  }
  const network = meta.value as Network;
  const arrays = await loadChainArrays(db, {
    columns: ['txFirstInput', 'txFirstOutput', 'txHeight', 'inputSpentOutput', 'inputAddress', 'inputValue', 'outputTx', 'outputValue', 'outputAddress'],
  });
  const addrArrays = await loadAddressArrays(db, { cluster: true });
  const A = arrays.addressCount;

  // Address strings → ids.
  const addressIds = new Map<string, number>();
  await db.eachChunk('SELECT CAST(address_id AS UINTEGER) id, address FROM addresses', (chunk, rows) => {
    const ids = chunk.getColumnValues(0) as number[];
    const strs = chunk.getColumnValues(1) as string[];
    for (let r = 0; r < rows; r++) addressIds.set(strs[r] as string, ids[r] as number);
  });

  // Dense clusters (an address without a stored cluster is its own).
  const clusterOf = new Uint32Array(A);
  const denseOf = new Map<number, number>();
  const storedIds: number[] = [];
  const sizes: number[] = [];
  for (let a = 0; a < A; a++) {
    const stored = addrArrays.addressCluster.length > a ? (addrArrays.addressCluster[a] as number) : NONE;
    let k: number;
    if (stored === NONE) {
      k = storedIds.length;
      storedIds.push(-1);
      sizes.push(0);
    } else {
      const found = denseOf.get(stored);
      if (found === undefined) {
        k = storedIds.length;
        denseOf.set(stored, k);
        storedIds.push(stored);
        sizes.push(0);
      } else k = found;
    }
    clusterOf[a] = k;
    sizes[k] = (sizes[k] as number) + 1;
  }
  const K = storedIds.length;
  const clusterRisk = new Uint32Array(K);

  // Risky labels (BTC tags whose concept falls in a rule category).
  const labelsByAddress = new Map<string, RiskLabel[]>();
  const clusterLabels = new Map<number, RiskLabel[]>();
  const clusterMembers = new Map<number, number[]>();
  let tagFingerprint = 'no-labels';
  if (await tableExists(db, 'label_tags')) {
    // Concept ids are validated against the GraphSense taxonomy (lower-case words): safe to inline.
    const inList = [...rules.conceptCategories.keys()].map((c) => `'${c.replace(/'/g, "''")}'`).join(', ');
    const rows = await db.all<TagRow>(
      `SELECT t.tag_id, t.address, t.label, t.category, t.abuse, t.actor_id, t.confidence, t.confidence_level,
              coalesce(s.title, s.path) AS "source", t.source_url, a.address_id
         FROM label_tags t
         LEFT JOIN label_sources s ON s.source_id = t.source_id
         LEFT JOIN addresses a ON a.address = t.address
        WHERE upper(t.currency) = 'BTC' AND (t.category IN (${inList}) OR t.abuse IN (${inList}))
        ORDER BY t.tag_id`,
    );
    const fp = await db.one<{ n: bigint; m: bigint | null; s: bigint | null }>('SELECT count(*) n, max(tag_id) m, sum(tag_id) s FROM label_tags');
    tagFingerprint = `${num(fp?.n)}:${num(fp?.m)}:${num(fp?.s)}`;
    for (const r of rows) {
      const concept = r.abuse !== null && rules.conceptCategories.has(r.abuse) ? r.abuse : r.category;
      const l: RiskLabel = {
        tagId: num(r.tag_id),
        address: r.address,
        label: r.label,
        concept,
        category: r.category,
        abuse: r.abuse,
        actorId: r.actor_id,
        confidence: r.confidence,
        confidenceLevel: num(r.confidence_level),
        source: r.source,
        sourceUrl: r.source_url,
      };
      const list = labelsByAddress.get(r.address) ?? [];
      list.push(l);
      labelsByAddress.set(r.address, list);
      if (r.address_id !== null) {
        const k = clusterOf[num(r.address_id)] as number;
        const cl = clusterLabels.get(k) ?? [];
        cl.push(l);
        clusterLabels.set(k, cl);
        for (const c of rules.conceptCategories.get(concept) ?? []) clusterRisk[k] = (clusterRisk[k] as number) | (1 << c);
      }
    }
  }
  // Members of clusters (for naming the txs behind a figure): only multi-address clusters need a list.
  for (let a = 0; a < A; a++) {
    const k = clusterOf[a] as number;
    let m = clusterMembers.get(k);
    if (m === undefined) {
      m = [];
      clusterMembers.set(k, m);
    }
    m.push(a);
  }

  let coinjoin: Uint8Array | null = null;
  let coinjoinSource = 'none';
  if (rules.coinjoinAsMixing) {
    if (await tableExists(db, 'transactions', 'coinjoin')) {
      coinjoin = new Uint8Array(arrays.txCount);
      const flags = coinjoin;
      await db.eachChunk('SELECT CAST(tx_id AS UINTEGER) id FROM transactions WHERE coinjoin IS NOT NULL', (chunk) => {
        for (const id of chunk.getColumnValues(0) as number[]) if (id < flags.length) flags[id] = 1;
      });
      coinjoinSource = 'transactions.coinjoin';
    } else {
      const chainForDetect = {
        txCount: arrays.txCount,
        txFirstInput: arrays.txFirstInput,
        txFirstOutput: arrays.txFirstOutput,
        txHeight: arrays.txHeight,
        txTime: new Uint32Array(0),
        inputSpentOutput: arrays.inputSpentOutput,
        outputTx: arrays.outputTx,
        outputValue: arrays.outputValue,
        outputAddress: arrays.outputAddress,
        outputSpendingTx: new Uint32Array(0),
      };
      coinjoin = detectCoinJoins(chainForDetect).flags;
      coinjoinSource = 'equal-outputs';
    }
  }
  // Fingerprints of what makes old results stale: labels and the clusters of the addresses known before
  // (`known`, compared with the previous index) and of all addresses now (`all`, kept for the next refresh).
  let h = 0;
  let hKnown = 0;
  const limit = Math.min(knownAddresses || A, A);
  for (let a = 0; a < A; a++) {
    if (a === limit) hKnown = h;
    const s = addrArrays.addressCluster.length > a ? (addrArrays.addressCluster[a] as number) : NONE;
    h = (Math.imul(h, 31) + s) | 0;
  }
  if (limit === A) hKnown = h;
  return {
    network,
    chain: { ...arrays, addressCount: A },
    topo: { clusterOf, clusterRisk, coinjoin },
    clusterStoredId: Float64Array.from(storedIds),
    clusterSize: Uint32Array.from(sizes),
    clusterMembers,
    addressIds,
    labelsByAddress,
    clusterLabels,
    fingerprint: `${tagFingerprint}|${h}|${A}`,
    knownFingerprint: `${tagFingerprint}|${hKnown}|${limit}`,
    coinjoinSource,
  };
}
