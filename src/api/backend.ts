/**
 * What the routes read: a thin façade over the store (DuckDB), the labels tables, the screening index and
 * the audit log. No scoring or tracing logic lives here; it composes the stages' functions.
 *
 * Concurrency (DuckDB allows ONE writing process per file): the server process owns the database. Every
 * database task runs through one FIFO lock (`DbLock`), shared with in-process ingest (`serve --follow`),
 * so a query never runs in the middle of an ingest batch transaction. Screening lookups read the
 * in-memory ScreeningIndex and never wait for the lock; after ingest appends blocks the index is
 * refreshed (incrementally) in the background and swapped in atomically.
 */
import { type CaseInput, CaseStore, type StoredCase } from './cases.js';
import type { Network } from '../chain/index.js';
import { LedgerhoundError, NotFoundError } from '../core/index.js';
import {
  type AddressRisk,
  type AuditEntry,
  type AuditLog,
  checkAddress,
  type NameIndex,
  openNameIndex,
  type ScreenNameRequest,
  type ScreenNameResult,
  checkTxid,
  type RuleSetInfo,
  ruleSetTag,
  type ScreeningIndex,
  screenTransaction,
  type TxRisk,
} from '../screen/index.js';
import type { Database, DuckDbStore, TxView } from '../store/index.js';
import { parseFromArg, parseMaxHops, parseUntil, type TraceResult, TraceSession } from '../trace/index.js';

/** The body of POST /v1/trace: the CLI's `trace` options as JSON. */
export interface TraceBody {
  from?: string[];
  incident?: string;
  direction?: 'forward' | 'backward';
  policy?: string;
  maxHops?: number;
  minValueSat?: number;
  maxTxs?: number;
  maxEdges?: number;
  until?: string;
  stopAt?: string[];
}

/** A FIFO async lock: one database task at a time. */
export class DbLock {
  private tail: Promise<unknown> = Promise.resolve();
  run<T>(fn: () => Promise<T>): Promise<T> {
    const next = this.tail.then(fn, fn);
    this.tail = next.catch(() => undefined);
    return next;
  }
}

export interface Caller {
  requestId: string;
  actor: string;
  actorName: string | null;
}

export interface ApiBackend {
  health(): { network: Network | null; tipHeight: number; screeningReady: boolean; screenedThroughHeight: number };
  ruleSetInfo(): RuleSetInfo | null;
  network(): Network;
  addressSummary(address: string): Promise<Record<string, unknown>>;
  addressTransactions(address: string, limit: number, offset: number): Promise<Record<string, unknown>>;
  transaction(txid: string): Promise<TxView[]>;
  cluster(id: number): Promise<Record<string, unknown>>;
  clusterAddresses(id: number, limit: number, offset: number): Promise<Record<string, unknown>>;
  screenAddress(address: string, caller: Caller, action?: string): AddressRisk;
  screenTx(txid: string, customer: string | null, direction: 'received' | 'sent' | null, caller: Caller): Promise<TxRisk>;
  labels(address: string): Promise<Record<string, unknown>>;
  actor(id: string): Promise<Record<string, unknown>>;
  searchActors(q: string, limit: number): Promise<Record<string, unknown>[]>;
  incident(id: string): Promise<Record<string, unknown>>;
  incidents(limit: number, offset: number): Promise<Record<string, unknown>>;
  sanctions(address: string, caller: Caller): Promise<{ category: string; name: string; description: string; url: string }[]>;
  trace(body: TraceBody): Promise<TraceResult>;
  screenNames(queries: ScreenNameRequest[], caller: Caller): Promise<ScreenNameResult[]>;
  audit(entry: AuditEntry): void;
  listCases(): Promise<StoredCase[]>;
  getCase(id: string): Promise<StoredCase>;
  /** Creates (id null) or replaces a case. */
  saveCase(id: string | null, input: CaseInput, createdBy: string): Promise<StoredCase>;
}

const num = (v: unknown): number => (v === null || v === undefined ? 0 : Number(v));

async function hasTable(db: Database, t: string, column?: string): Promise<boolean> {
  const r = column
    ? await db.one<{ n: bigint }>('SELECT count(*) n FROM information_schema.columns WHERE table_name = $1 AND column_name = $2', [t, column])
    : await db.one<{ n: bigint }>('SELECT count(*) n FROM information_schema.tables WHERE table_name = $1', [t]);
  return num(r?.n) > 0;
}

/** Version of the list `screen load-list` marked current, or null when none is loaded. */
async function currentListVersion(db: Database): Promise<string | null> {
  const t = await db.one<{ n: bigint }>(`select count(*) n from information_schema.tables where table_name = 'screen_lists'`);
  if (!t || Number(t.n) === 0) return null;
  const r = await db.one<{ v: string }>('select list_version v from screen_lists where is_current');
  return r?.v ?? null;
}

/** Compact form of an address risk for the audit log. */
export function riskSummary(r: AddressRisk): Record<string, unknown> {
  return {
    score: r.score,
    level: r.level,
    direct: r.direct.map((d) => ({ category: d.category, score: d.score, tags: d.labels.map((l) => l.tagId) })),
    received: r.indirect.received.categories.filter((c) => c.score > 0).map((c) => ({ category: c.category, exposure: c.exposure, score: c.score })),
    sent: r.indirect.sent.categories.filter((c) => c.score > 0).map((c) => ({ category: c.category, exposure: c.exposure, score: c.score })),
    through: r.screenedThroughHeight,
  };
}

/** The risky sides of a cluster's indirect exposure as riskSummary writes them, by the shared `indirect` object. */
const sidesJson = new WeakMap<object, string>();

/**
 * `JSON.stringify(riskSummary(r))`, with the part that depends only on the cluster (`received`, `sent`)
 * serialised once per cluster: the ScreeningIndex hands out one `indirect` object per cluster. Equal to the
 * plain form for every address of the test chain (test/api/api.test.ts).
 */
export function riskSummaryJson(r: AddressRisk): string {
  let sides = sidesJson.get(r.indirect);
  if (sides === undefined) {
    const pick = (cats: AddressRisk['indirect']['received']['categories']) =>
      cats.filter((c) => c.score > 0).map((c) => ({ category: c.category, exposure: c.exposure, score: c.score }));
    sides = `"received":${JSON.stringify(pick(r.indirect.received.categories))},"sent":${JSON.stringify(pick(r.indirect.sent.categories))}`;
    sidesJson.set(r.indirect, sides);
  }
  const direct = r.direct.length === 0 ? '[]' : JSON.stringify(r.direct.map((d) => ({ category: d.category, score: d.score, tags: d.labels.map((l) => l.tagId) })));
  return `{"score":${JSON.stringify(r.score)},"level":${JSON.stringify(r.level)},"direct":${direct},${sides},"through":${JSON.stringify(r.screenedThroughHeight)}}`;
}

/** The backend over one DuckDB database owned by this process. */
export class StoreBackend implements ApiBackend {
  /** The current screening index (swapped after refreshes). */
  index: ScreeningIndex | null = null;
  private tip = -1;
  /** Trace sessions by stop-category key; dropped when the chain changes. */
  private traceSessions = new Map<string, TraceSession>();
  private names: { index: NameIndex; checkedAt: number } | null = null;
  private namesLoading: Promise<{ index: NameIndex; checkedAt: number }> | null = null;

  constructor(
    readonly store: DuckDbStore,
    readonly lock: DbLock,
    readonly auditLog: AuditLog,
    private readonly net: Network,
  ) {}

  get db(): Database {
    return this.store.db;
  }

  /** Re-reads the tip height (after ingest). */
  async refreshTip(): Promise<void> {
    const s = await this.lock.run(() => this.store.state());
    if (s.tipHeight !== this.tip) this.traceSessions = new Map();
    this.tip = s.tipHeight;
  }

  async trace(body: TraceBody): Promise<TraceResult> {
    const from = (body.from ?? []).map(parseFromArg);
    if (from.length === 0 && !body.incident) throw new LedgerhoundError('LH_USAGE', 'give `from` (TXID or TXID:VOUT, one or more) or `incident`');
    const limits: Record<string, number | null> = {};
    if (body.maxHops !== undefined) limits.maxHops = parseMaxHops(body.maxHops);
    if (body.minValueSat !== undefined) limits.minValueSat = body.minValueSat;
    if (body.maxTxs !== undefined) limits.maxTxs = body.maxTxs;
    if (body.maxEdges !== undefined) limits.maxEdges = body.maxEdges;
    if (body.until !== undefined) {
      const u = parseUntil(body.until);
      limits.untilHeight = u.height;
      limits.untilTimeSec = u.timeSec;
    }
    const key = JSON.stringify(body.stopAt ?? null);
    return this.lock.run(async () => {
      let session = this.traceSessions.get(key);
      if (session === undefined) {
        session = await TraceSession.open(this.db, { stopAt: body.stopAt ?? null });
        if (this.traceSessions.size > 8) this.traceSessions.clear();
        this.traceSessions.set(key, session);
      }
      return session.trace({
        from,
        incident: body.incident ?? null,
        ...(body.direction === undefined ? {} : { direction: body.direction }),
        ...(body.policy === undefined ? {} : { policy: body.policy }),
        limits,
      });
    });
  }

  /**
   * The name index of the current list. Built once; afterwards, at most every 60 s, one request checks
   * the current list version (a one-row query) and the index is rebuilt only when `screen load-list`
   * loaded another list. Concurrent requests share one check/build (a rebuild per waiting request
   * would stall the event loop for seconds under load).
   */
  private async nameIndex(): Promise<NameIndex> {
    const cur = this.names;
    if (cur !== null && Date.now() - cur.checkedAt <= 60_000) return cur.index;
    this.namesLoading ??= this.lock
      .run(async () => {
        if (cur !== null) {
          const v = await currentListVersion(this.db);
          if (v === cur.index.listVersion) return { index: cur.index, checkedAt: Date.now() };
        }
        const loaded = await openNameIndex(this.db);
        if (loaded === null) {
          throw new LedgerhoundError('LH_NOT_READY', 'no sanctions list is loaded for name screening', {
            hint: 'Run `ledgerhound screen load-list FILE` first.',
          });
        }
        return { index: loaded.index, checkedAt: Date.now() };
      })
      .then((n) => {
        this.names = n;
        return n;
      })
      .finally(() => {
        this.namesLoading = null;
      });
    return (await this.namesLoading).index;
  }

  async screenNames(queries: ScreenNameRequest[], caller: Caller): Promise<ScreenNameResult[]> {
    const index = await this.nameIndex();
    return queries.map((q) => {
      const r = index.screen(q);
      this.audit({
        requestId: caller.requestId,
        channel: 'api',
        actor: caller.actor,
        actorName: caller.actorName,
        action: 'screen.names',
        subject: q.name,
        score: r.hits.length > 0 ? Math.round((r.hits[0]?.score ?? 0) * 100) : 0,
        level: null,
        ruleSet: r.listVersion === null ? null : `names:${r.listVersion}`,
        result: { threshold: r.threshold, hits: r.hits.map((h) => ({ entNum: h.entNum, name: h.listedName, score: h.score, band: h.band })) },
      });
      return r;
    });
  }

  health() {
    return {
      network: this.net,
      tipHeight: this.tip,
      screeningReady: this.index !== null,
      screenedThroughHeight: this.index?.screenedThroughHeight ?? -1,
    };
  }

  ruleSetInfo(): RuleSetInfo | null {
    return this.index?.rules.info ?? null;
  }

  network(): Network {
    return this.net;
  }

  private requireIndex(): ScreeningIndex {
    if (this.index === null) {
      throw new LedgerhoundError('LH_NOT_READY', 'screening is still being precomputed; retry in a few seconds', {
        details: { retryAfterSec: 5 },
      });
    }
    return this.index;
  }

  private lastRuleSet: RuleSetInfo | null = null;
  private lastRuleSetTag = '';
  private tagFor(info: RuleSetInfo): string {
    this.lastRuleSet = info;
    this.lastRuleSetTag = ruleSetTag(info);
    return this.lastRuleSetTag;
  }

  audit(entry: AuditEntry): void {
    this.auditLog.record(entry);
  }

  private caseStore: CaseStore | null = null;
  private get cases(): CaseStore {
    this.caseStore ??= new CaseStore(this.db);
    return this.caseStore;
  }

  listCases(): Promise<StoredCase[]> {
    return this.lock.run(() => this.cases.list());
  }

  getCase(id: string): Promise<StoredCase> {
    return this.lock.run(() => this.cases.get(id));
  }

  saveCase(id: string | null, input: CaseInput, createdBy: string): Promise<StoredCase> {
    return this.lock.run(() => (id === null ? this.cases.create(input, createdBy) : this.cases.update(id, input)));
  }

  screenAddress(address: string, caller: Caller, action = 'screen.address'): AddressRisk {
    const r = this.requireIndex().screenAddress(address);
    this.audit({
      requestId: caller.requestId,
      channel: 'api',
      actor: caller.actor,
      actorName: caller.actorName,
      action,
      subject: r.address,
      score: r.score,
      level: r.level,
      ruleSet: r.ruleSet === this.lastRuleSet ? this.lastRuleSetTag : this.tagFor(r.ruleSet),
      result: r,
      summarizeJson: riskSummaryJson as (x: unknown) => string,
    });
    return r;
  }

  async screenTx(txid: string, customer: string | null, direction: 'received' | 'sent' | null, caller: Caller): Promise<TxRisk> {
    const index = this.requireIndex();
    const t = checkTxid(txid);
    if (customer !== null) checkAddress(customer, this.net);
    const txs = await this.lock.run(() => this.store.getTx(t));
    const tx = txs[txs.length - 1];
    if (tx === undefined) throw new NotFoundError('transaction', t);
    const r = screenTransaction(index, tx, { customerAddress: customer, direction });
    this.audit({
      requestId: caller.requestId,
      channel: 'api',
      actor: caller.actor,
      actorName: caller.actorName,
      action: 'screen.tx',
      subject: customer === null ? t : `${t} ${customer}`,
      score: r.score,
      level: r.level,
      ruleSet: ruleSetTag(r.ruleSet),
      result: {
        score: r.score,
        level: r.level,
        direction: r.direction,
        counterparties: [...(r.sourceOfFunds?.counterparties ?? []), ...(r.destination?.counterparties ?? [])]
          .filter((c) => c.score > 0)
          .slice(0, 20)
          .map((c) => ({ address: c.address, score: c.score })),
      },
    });
    return r;
  }

  async addressSummary(input: string): Promise<Record<string, unknown>> {
    const address = checkAddress(input, this.net);
    const view = await this.lock.run(() => this.store.getAddress(address, 10));
    const index = this.index;
    const risk = index?.screenAddress(address) ?? null;
    const labels = await this.labels(address);
    if (view === null && (labels.tags as unknown[]).length === 0) throw new NotFoundError('address', address);
    return {
      address,
      seen: view !== null,
      addressId: view?.addressId ?? null,
      type: view?.type ?? null,
      balanceSat: view?.balance ?? 0,
      receivedSat: view?.received ?? 0,
      sentSat: view?.sent ?? 0,
      txCount: view?.txCount ?? 0,
      outputCount: view?.outputCount ?? 0,
      recentOutputs: view?.outputs ?? [],
      firstSeenHeight: view?.firstSeenHeight ?? null,
      lastSeenHeight: view?.lastSeenHeight ?? null,
      cluster: risk?.cluster ?? null,
      labels: labels.tags,
      risk,
    };
  }

  async addressTransactions(input: string, limit: number, offset: number): Promise<Record<string, unknown>> {
    const address = checkAddress(input, this.net);
    return this.lock.run(async () => {
      const a = await this.db.one<{ address_id: bigint }>('SELECT address_id FROM addresses WHERE address = $1', [address]);
      if (!a) throw new NotFoundError('address', address);
      const id = Number(a.address_id);
      const rows = await this.db.all<Record<string, unknown>>(
        `WITH io AS (
           SELECT tx_id, value received, 0::BIGINT spent FROM outputs WHERE address_id = $id
           UNION ALL SELECT tx_id, 0::BIGINT, value FROM inputs WHERE address_id = $id),
         per AS (SELECT tx_id, sum(received) received, sum(spent) spent FROM io GROUP BY tx_id)
         SELECT t.txid, t.height, strftime(t.time, '%Y-%m-%dT%H:%M:%SZ') AS "time", per.received, per.spent, count(*) OVER () total
           FROM per JOIN transactions t ON t.tx_id = per.tx_id
          ORDER BY per.tx_id DESC LIMIT $limit OFFSET $offset`,
        { id, limit, offset },
      );
      const total = rows.length > 0 ? num(rows[0]?.total) : num((await this.db.one<{ n: bigint }>(
        'SELECT count(DISTINCT tx_id) n FROM (SELECT tx_id FROM outputs WHERE address_id = $id UNION ALL SELECT tx_id FROM inputs WHERE address_id = $id)',
        { id },
      ))?.n);
      return {
        address,
        total,
        limit,
        offset,
        items: rows.map((r) => ({
          txid: String(r.txid),
          height: num(r.height),
          time: String(r.time),
          receivedSat: num(r.received),
          sentSat: num(r.spent),
          netSat: num(r.received) - num(r.spent),
        })),
      };
    });
  }

  async transaction(input: string): Promise<TxView[]> {
    const txid = checkTxid(input);
    const txs = await this.lock.run(() => this.store.getTx(txid));
    if (txs.length === 0) throw new NotFoundError('transaction', txid);
    return txs;
  }

  private async clusterRow(id: number): Promise<{ size: number; members: number }> {
    if (!(await hasTable(this.db, 'addresses', 'cluster'))) {
      throw new NotFoundError('cluster', String(id), 'Run `ledgerhound cluster` first: the database has no clusters yet.');
    }
    const r = await this.db.one<{ n: bigint }>('SELECT count(*) n FROM addresses WHERE cluster = $1', [id]);
    if (num(r?.n) === 0) throw new NotFoundError('cluster', String(id));
    return { size: num(r?.n), members: num(r?.n) };
  }

  async cluster(id: number): Promise<Record<string, unknown>> {
    return this.lock.run(async () => {
      const { size } = await this.clusterRow(id);
      const agg = await this.db.one<Record<string, unknown>>(
        `SELECT coalesce(sum(o.value), 0) received, coalesce(sum(o.value) FILTER (WHERE o.spending_input_id IS NULL), 0) balance
           FROM outputs o JOIN addresses a ON a.address_id = o.address_id WHERE a.cluster = $1`,
        [id],
      );
      const first = await this.db.one<{ address: string }>('SELECT address FROM addresses WHERE cluster = $1 ORDER BY address_id LIMIT 1', [id]);
      const labels = (await hasTable(this.db, 'label_tags'))
        ? await this.db.allJson(
            `SELECT t.tag_id "tagId", t.address, t.label, t.category, t.abuse, t.actor_id "actorId", t.confidence, t.confidence_level "confidenceLevel",
                    coalesce(s.title, s.path) AS "source", t.source_url "sourceUrl"
               FROM label_tags t JOIN addresses a ON a.address = t.address LEFT JOIN label_sources s ON s.source_id = t.source_id
              WHERE a.cluster = $1 ORDER BY t.tag_id LIMIT 500`,
            [id],
          )
        : [];
      const risk = first && this.index ? this.index.screenAddress(first.address) : null;
      return {
        id,
        size,
        receivedSat: num(agg?.received),
        balanceSat: num(agg?.balance),
        labels,
        // The cluster's risk is that of its addresses minus the address-only direct factor: shown for the first one.
        risk: risk === null ? null : { ...risk, address: undefined, ofAddress: risk.address },
      };
    });
  }

  async clusterAddresses(id: number, limit: number, offset: number): Promise<Record<string, unknown>> {
    return this.lock.run(async () => {
      const { size } = await this.clusterRow(id);
      const rows = await this.db.all<{ address: string; address_id: bigint; first_seen_height: number; last_seen_height: number }>(
        'SELECT address, address_id, first_seen_height, last_seen_height FROM addresses WHERE cluster = $1 ORDER BY address_id LIMIT $2 OFFSET $3',
        [id, limit, offset],
      );
      return {
        id,
        total: size,
        limit,
        offset,
        items: rows.map((r) => ({
          address: r.address,
          addressId: Number(r.address_id),
          firstSeenHeight: num(r.first_seen_height),
          lastSeenHeight: num(r.last_seen_height),
        })),
      };
    });
  }

  async labels(input: string): Promise<Record<string, unknown>> {
    const address = checkAddress(input, this.net);
    return this.lock.run(async () => {
      if (!(await hasTable(this.db, 'label_tags'))) return { address, tags: [] };
      const tags = await this.db.allJson(
        `SELECT t.tag_id "tagId", t.label, t.category, t.abuse, t.actor_id "actorId", t.confidence, t.confidence_level "confidenceLevel",
                coalesce(s.title, s.path) AS "source", s.kind "sourceKind", t.source_url "sourceUrl", t.tag_date "date", t.ofac_ent_num "ofacEntNum"
           FROM label_tags t LEFT JOIN label_sources s ON s.source_id = t.source_id
          WHERE t.address = $1 ORDER BY t.tag_id`,
        [address],
      );
      return { address, tags };
    });
  }

  async actor(id: string): Promise<Record<string, unknown>> {
    return this.lock.run(async () => {
      if (!(await hasTable(this.db, 'label_actors'))) throw new NotFoundError('actor', id);
      const rows = await this.db.allJson<Record<string, unknown>>(
        `SELECT a.actor_id "actorId", a.name, a.actor_type "type", a.countries, a.categories, a.uri, a.description, coalesce(s.title, s.path) AS "source"
           FROM label_actors a LEFT JOIN label_sources s ON s.source_id = a.source_id WHERE a.actor_id = $1`,
        [id],
      );
      if (rows.length === 0) throw new NotFoundError('actor', id);
      const aliases = await this.db.all<{ alias: string }>('SELECT DISTINCT alias FROM label_actor_aliases WHERE actor_id = $1 ORDER BY alias', [id]);
      const refs = await this.db.allJson(
        'SELECT DISTINCT ref_kind "kind", ref_id "refId", name, url FROM label_actor_refs WHERE actor_id = $1 ORDER BY 1, 2',
        [id],
      );
      const tags = await this.db.one<{ n: bigint }>('SELECT count(*) n FROM label_tags WHERE actor_id = $1', [id]);
      const parse = (v: unknown) => {
        try {
          return typeof v === 'string' ? JSON.parse(v) : [];
        } catch {
          return [];
        }
      };
      const first = rows[0] as Record<string, unknown>;
      return {
        actorId: id,
        name: first.name,
        type: first.type ?? null,
        countries: [...new Set(rows.flatMap((r) => parse(r.countries) as string[]))],
        categories: [...new Set(rows.flatMap((r) => parse(r.categories) as string[]))],
        uri: first.uri ?? null,
        description: first.description ?? null,
        aliases: aliases.map((a) => a.alias),
        refs,
        sources: rows.map((r) => r.source),
        tagCount: num(tags?.n),
      };
    });
  }

  async searchActors(q: string, limit: number): Promise<Record<string, unknown>[]> {
    return this.lock.run(async () => {
      if (!(await hasTable(this.db, 'label_actors'))) return [];
      return this.db.allJson(
        `SELECT a.actor_id AS "actorId", first(a.name ORDER BY a.source_id) AS "name" FROM label_actors a
           LEFT JOIN label_actor_aliases x ON x.actor_id = a.actor_id
          WHERE a.name ILIKE $1 ESCAPE '\\' OR x.alias ILIKE $1 ESCAPE '\\' OR a.actor_id = lower($2)
          GROUP BY a.actor_id ORDER BY a.actor_id LIMIT $3`,
        [`%${q.replace(/[%_\\]/g, (c) => `\\${c}`)}%`, q, limit],
      );
    });
  }

  async incident(id: string): Promise<Record<string, unknown>> {
    return this.lock.run(async () => {
      if (!(await hasTable(this.db, 'label_incidents'))) throw new NotFoundError('incident', id);
      const rows = await this.db.allJson<Record<string, unknown>>(
        `SELECT incident_id "incidentId", name, victim, incident_date "date", chain, amount, amount_unit "amountUnit", actor_id "actorId",
                attribution_confidence "attributionConfidence", description FROM label_incidents WHERE incident_id = $1`,
        [id],
      );
      if (rows.length === 0) throw new NotFoundError('incident', id);
      const refs = await this.db.all<{ url: string }>('SELECT DISTINCT url FROM label_incident_refs WHERE incident_id = $1 ORDER BY url', [id]);
      const addresses = await this.db.allJson(
        'SELECT DISTINCT currency, address, label, role FROM label_incident_addresses WHERE incident_id = $1 ORDER BY address',
        [id],
      );
      const txs = await this.db.allJson('SELECT DISTINCT chain, txid, role FROM label_incident_txs WHERE incident_id = $1 ORDER BY txid', [id]);
      return { ...(rows[0] as Record<string, unknown>), refs: refs.map((r) => r.url), addresses, txs };
    });
  }

  async incidents(limit: number, offset: number): Promise<Record<string, unknown>> {
    return this.lock.run(async () => {
      if (!(await hasTable(this.db, 'label_incidents'))) return { total: 0, limit, offset, items: [] };
      const total = await this.db.one<{ n: bigint }>('SELECT count(DISTINCT incident_id) n FROM label_incidents');
      const items = await this.db.allJson(
        `SELECT incident_id AS "incidentId", first(name ORDER BY source_id) AS "name", first(incident_date ORDER BY source_id) AS "date",
                first("chain" ORDER BY source_id) AS "chain", first(victim ORDER BY source_id) AS "victim"
           FROM label_incidents GROUP BY incident_id ORDER BY incident_id LIMIT $1 OFFSET $2`,
        [limit, offset],
      );
      return { total: num(total?.n), limit, offset, items };
    });
  }

  /**
   * Sanctions identifications in the shape of the free sanctions-screening API: only `sanctions`-category
   * labels on the address itself (that API does not look at clusters).
   */
  async sanctions(input: string, caller: Caller): Promise<{ category: string; name: string; description: string; url: string }[]> {
    const index = this.requireIndex();
    const address = checkAddress(input, this.net);
    const sanctionsCat = index.rules.categoryNames.indexOf('sanctions');
    const own = index.riskLabels(address).own.filter((l) => (index.rules.conceptCategories.get(l.concept) ?? []).includes(sanctionsCat));
    const out = own.map((l) => ({
      category: 'sanctions',
      name: `SANCTIONS: ${l.source} ${l.label}`.slice(0, 300),
      description: `${l.label} (${l.source}, confidence ${l.confidence}${l.actorId ? `, actor ${l.actorId}` : ''})`,
      url: l.sourceUrl ?? '',
    }));
    this.audit({
      requestId: caller.requestId,
      channel: 'api',
      actor: caller.actor,
      actorName: caller.actorName,
      action: 'sanctions.address',
      subject: address,
      score: out.length > 0 ? 100 : 0,
      level: out.length > 0 ? 'severe' : 'low',
      ruleSet: ruleSetTag(index.rules.info),
      result: { identifications: own.map((l) => l.tagId) },
    });
    return out;
  }
}
