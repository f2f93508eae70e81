/**
 * Tracing over a store: loads the chain arrays, clusters, CoinJoin flags and labels once (a
 * `TraceSession`), then answers any number of traces from them. Hashes and address strings are looked up
 * only to resolve the starting points and to name the result.
 */
import { listValue } from '@duckdb/node-api';
import { LedgerhoundError, NotFoundError, UsageError } from '../core/index.js';
import { type Database, loadChainArrays, vectorItems } from '../store/index.js';
import { type FromArg, parseCount, parseMaxHops } from './args.js';
import { type CoinJoinFlags, detectCoinJoins, NONE, type TraceChain } from './chain.js';
import { EntityIndex, type TraceEntity } from './entities.js';
import { ChainNames } from './names.js';
import { policyByName } from './policies/index.js';
import { buildResult, type ClusterMerge, type TraceNamer } from './result.js';
import type { TraceResult } from './schema.js';
import { resolveStopCategories } from './stopCategories.js';
import { TxidIndex } from './txidIndex.js';
import { walkBackward } from './walkBackward.js';
import { walkForward } from './walkForward.js';
import { DEFAULT_LIMITS, type Direction, type Walk, type WalkContext, type WalkLimits } from './walkTypes.js';

/** A trace request (all but `from`/`incident` optional; defaults in DEFAULT_LIMITS). */
export interface TraceRequest {
  from: FromArg[];
  incident?: string | null;
  direction?: Direction;
  policy?: string;
  limits?: Partial<WalkLimits>;
}

export interface TraceSessionOptions {
  /** `--stop-at` category names (null: the default stop set). */
  stopAt?: readonly string[] | null;
  /**
   * How results are named: 'memory' (default) loads every txid and address string in the background
   * (`ChainNames`, shared by the sessions of one Database) and names from memory once loaded, by queries
   * until then; 'query' always queries (a one-shot trace: no load, no memory).
   */
  names?: 'memory' | 'query';
}

/** Ids closer than this are looked up in one range query; more than MAX_RUNS ranges become one full join. */
const RUN_GAP = 100_000;
const MAX_RUNS = 8;
/** Names kept per kind across a session's traces (ids → txid / address never change in an append-only store). */
const NAME_CACHE_MAX = 1_000_000;

const TABLE_EXISTS = 'SELECT count(*) n FROM information_schema.tables WHERE table_name = ?';
const COLUMN_EXISTS = 'SELECT count(*) n FROM information_schema.columns WHERE table_name = ? AND column_name = ?';

async function exists(db: Database, sql: string, params: string[]): Promise<boolean> {
  const r = await db.one<{ n: bigint }>(sql, params);
  return Number(r?.n ?? 0) > 0;
}

/**
 * Streams two integer columns of a query into a callback, chunk by chunk. The query casts both to UINTEGER
 * (ids): the values are read straight from the vectors' typed arrays, not boxed per row.
 */
async function streamPairs(db: Database, sql: string, cb: (a: number, b: number) => void): Promise<void> {
  await db.eachChunk(sql, (chunk, n) => {
    const a = vectorItems(chunk, 0) as Uint32Array;
    const b = vectorItems(chunk, 1) as Uint32Array;
    for (let r = 0; r < n; r++) cb(a[r] as number, b[r] as number);
  });
}

/**
 * The BTC tags as (address id, tag variant) in tag order, with the variant's strings only on its first row:
 * thousands of tags share a handful of (label, category, actor, confidence, source) variants, so the strings
 * are decoded once per variant instead of once per tag (563,923 tags: 6.3 s as row objects, 2.7 s so).
 */
const TAGS_SQL = `WITH j AS (
    SELECT t.tag_id, a.address_id, t.label, t.category, t.actor_id, t.confidence, t.confidence_level, s.path,
           dense_rank() OVER (ORDER BY t.label, t.category, t.actor_id NULLS FIRST, t.confidence,
                                       t.confidence_level NULLS FIRST, s.path NULLS FIRST) - 1 AS v
      FROM label_tags t JOIN addresses a ON a.address = t.address
      LEFT JOIN label_sources s ON s.source_id = t.source_id
     WHERE upper(t.currency) = 'BTC')
  SELECT address_id::UINTEGER, v::UINTEGER, label, category, actor_id, confidence, confidence_level::DOUBLE, path
    FROM j ORDER BY tag_id`;

/** What every session of one store shares, whatever its stop set: the chain arrays, cluster ids, CoinJoin flags. */
interface ChainBase {
  arrays: Awaited<ReturnType<typeof loadChainArrays>>;
  addressCluster: Uint32Array | null;
  coinjoin: CoinJoinFlags;
}

/**
 * Per Database, the last base loaded and what it was loaded for: sessions with other stop sets (the API
 * keeps one per set) reuse it instead of holding another copy of the chain (2.7 GB at 3.65 M txs).
 */
const BASES = new WeakMap<Database, { key: string; base: Promise<ChainBase> }>();

/** The store's tip and the last clustering run: a base is reused only while both are unchanged. */
async function baseKey(db: Database): Promise<{ key: string; tipHash: string | null }> {
  const tip = (await exists(db, TABLE_EXISTS, ['meta'])) ? await db.one<{ value: string }>("SELECT value FROM meta WHERE key = 'tip_hash'") : undefined;
  const run = (await exists(db, TABLE_EXISTS, ['cluster_state']))
    ? await db.one<{ value: string }>("SELECT value FROM cluster_state WHERE key = 'run_at'")
    : undefined;
  const tipHash = tip?.value ?? null;
  return { key: `${tipHash}|${run?.value ?? ''}`, tipHash };
}

async function loadBase(db: Database): Promise<ChainBase> {
  const arrays = await loadChainArrays(db, {
    columns: ['txFirstInput', 'txFirstOutput', 'txHeight', 'txTime', 'inputSpentOutput', 'outputTx', 'outputValue', 'outputAddress', 'outputSpendingTx'],
  });
  let addressCluster: Uint32Array | null = null;
  if (await exists(db, COLUMN_EXISTS, ['addresses', 'cluster'])) {
    const arr = new Uint32Array(arrays.addressCount).fill(NONE);
    let any = false;
    await streamPairs(db, 'SELECT address_id::UINTEGER, cluster::UINTEGER FROM addresses WHERE cluster IS NOT NULL', (a, c) => {
      if (a < arr.length) {
        arr[a] = c;
        any = true;
      }
    });
    if (any) addressCluster = arr;
  }
  let coinjoin: CoinJoinFlags;
  if (await exists(db, COLUMN_EXISTS, ['transactions', 'coinjoin'])) {
    const flags = new Uint8Array(arrays.txCount);
    await streamPairs(db, 'SELECT tx_id::UINTEGER, 1::UINTEGER FROM transactions WHERE coinjoin IS NOT NULL', (t) => {
      if (t < flags.length) flags[t] = 1;
    });
    coinjoin = { flags, source: 'transactions.coinjoin' };
  } else {
    coinjoin = detectCoinJoins(arrays);
  }
  return { arrays, addressCluster, coinjoin };
}

export class TraceSession {
  private constructor(
    readonly db: Database,
    readonly ctx: WalkContext,
    readonly stopAt: string[],
    /** Tags loaded, for reports. */
    readonly taggedAddresses: number,
    /** Whether the store records clustering merges (cluster_merges), cited on cluster-membership edges. */
    private readonly hasClusterMerges: boolean,
  ) {}

  /** The txid index, built on the session's second txid lookup (a one-shot CLI trace pays one scan, not a build). */
  private txidIndex: Promise<TxidIndex> | null = null;
  private txidLookups = 0;
  /** Names looked up by earlier traces of this session: a re-run (another policy, more hops) scans only for new ids. */
  private readonly names = { txids: new Map<number, string>(), addresses: new Map<number, string>() };

  /** All names in memory, once their background load is done (see TraceSessionOptions.names). */
  private chainNames: ChainNames | null = null;
  private chainNamesLoad: Promise<ChainNames | null> = Promise.resolve(null);

  /**
   * Waits for the in-memory names (null when the session queries names, or their load failed: then the
   * session keeps naming by queries, and `namesError` says why).
   */
  async namesReady(): Promise<ChainNames | null> {
    return this.chainNamesLoad;
  }

  /** Why the in-memory names could not be loaded, if they could not. */
  namesError: Error | null = null;

  /** Drops the cached names (the benchmark's cold runs; memory). */
  forgetNames(): void {
    this.names.txids.clear();
    this.names.addresses.clear();
  }

  /**
   * Tx ids of display-hex txids (absent: not in the store); the later of two BIP30 duplicates wins. The first
   * call scans the txid column once; later calls use an in-memory prefix index (built once, ~1 scan) and
   * confirm candidates by tx_id. A txid the index misses is looked up by a scan, so a store that grew since
   * the session opened still answers (and resolveStarts says so).
   */
  async findTxids(txids: readonly string[]): Promise<Map<string, number>> {
    const unique = [...new Set(txids)];
    if (unique.length === 0) return new Map();
    const scan = async (want: string[]) => {
      const out = new Map<string, number>();
      const rows = await this.db.all<{ txid: string; t: bigint }>(
        'SELECT txid, max(tx_id) t FROM transactions WHERE txid IN (SELECT unnest($1::VARCHAR[])) GROUP BY txid',
        [listValue(want)],
      );
      for (const r of rows) out.set(r.txid, Number(r.t));
      return out;
    };
    if (this.txidIndex === null && this.txidLookups++ === 0) return scan(unique);
    this.txidIndex ??= TxidIndex.build(this.db, this.ctx.chain.txCount);
    let index: TxidIndex;
    try {
      index = await this.txidIndex;
    } catch (e) {
      this.txidIndex = null;
      throw e;
    }
    const found = await index.resolve(this.db, unique);
    const missing = unique.filter((x) => !found.has(x));
    if (missing.length > 0) for (const [x, t] of await scan(missing)) found.set(x, t);
    return found;
  }

  /**
   * Loads everything a trace needs from `db`.
   * @throws LedgerhoundError LH_DB_EMPTY when nothing is ingested; UsageError for an unknown stop category.
   */
  static async open(db: Database, opts: TraceSessionOptions = {}): Promise<TraceSession> {
    const stop = resolveStopCategories(opts.stopAt ?? null);
    const { key, tipHash } = await baseKey(db);
    let shared = BASES.get(db);
    if (shared === undefined || shared.key !== key) {
      shared = { key, base: loadBase(db) };
      BASES.set(db, shared);
      const mine = shared;
      mine.base.catch(() => {
        if (BASES.get(db) === mine) BASES.delete(db);
      });
    }
    const { arrays, addressCluster, coinjoin } = await shared.base;
    const chain: TraceChain = arrays;

    const entities = new EntityIndex(addressCluster);
    if (await exists(db, TABLE_EXISTS, ['label_tags'])) {
      // Same calls, in the same tag order, as one `entity()` + `tagAddress()` per tag row.
      const variants: TraceEntity[] = [];
      await db.eachChunk(TAGS_SQL, (chunk, n) => {
        const aid = vectorItems(chunk, 0) as Uint32Array;
        const vid = vectorItems(chunk, 1) as Uint32Array;
        for (let r = 0; r < n; r++) {
          const v = vid[r] as number;
          let e = variants[v];
          if (e === undefined) {
            const str = (c: number) => chunk.getColumnVector(c).getItem(r) as string | null;
            const label = str(2) as string;
            const category = str(3) as string;
            e = {
              key: (str(4) ?? label).toLowerCase(),
              label,
              category,
              source: str(7) ?? 'unknown',
              confidence: str(5) as string,
              confidenceLevel: chunk.getColumnVector(6).getItem(r) as number,
              stop: stop.ids.has(category),
            };
            variants[v] = e;
          }
          entities.tagAddress(aid[r] as number, entities.entity(e));
        }
      });
    }
    const hasClusterMerges = await exists(db, TABLE_EXISTS, ['cluster_merges']);
    const session = new TraceSession(db, { chain, entities, coinjoin }, stop.requested, entities.taggedAddresses, hasClusterMerges);
    if ((opts.names ?? 'memory') === 'memory') {
      session.chainNamesLoad = ChainNames.shared(db, chain.txCount, arrays.addressCount, tipHash).then(
        (names) => {
          session.chainNames = names;
          return names;
        },
        (e: unknown) => {
          session.namesError = e instanceof Error ? e : new Error(String(e));
          return null;
        },
      );
    }
    return session;
  }

  /** Output ids for the `--from` arguments (a whole transaction: its outputs minus change returned to the sender). */
  async resolveStarts(from: readonly FromArg[], direction: Direction): Promise<{ outputs: number[]; starts: TraceResult['starts'] }> {
    const { chain } = this.ctx;
    const outputs: number[] = [];
    const starts: TraceResult['starts'] = [];
    // The later of two BIP30 duplicates wins.
    const found = await this.findTxids(from.map((f) => f.txid));
    for (const f of from) {
      const t = found.get(f.txid);
      if (t === undefined) {
        throw new NotFoundError('transaction', f.txid, 'check the txid, or ingest the blocks that contain it (ledgerhound ingest bitcoin)');
      }
      if (t >= chain.txCount) throw new NotFoundError('transaction', f.txid, 'the store changed since the trace session was opened; retry');
      const o0 = chain.txFirstOutput[t]!;
      const n = chain.txFirstOutput[t + 1]! - o0;
      if (f.vout !== null) {
        if (f.vout >= n) {
          throw new LedgerhoundError('LH_NOT_FOUND', `output ${f.txid}:${f.vout} not found: the transaction has ${n} output${n === 1 ? '' : 's'} (vout 0..${n - 1})`, {
            details: { txid: f.txid, vout: f.vout, outputs: n },
          });
        }
        const o = o0 + f.vout;
        if (direction === 'backward' && chain.outputSpendingTx[o] === NONE) {
          throw new UsageError(
            `output ${f.txid}:${f.vout} is unspent: a backward trace starts from a spent output (a deposit that moved on)`,
            { txid: f.txid, vout: f.vout },
            `to see where the coins of an unspent output came from, trace its whole transaction backward: --from ${f.txid}`,
          );
        }
        if (chain.outputValue[o]! <= 0) {
          throw new UsageError(`output ${f.txid}:${f.vout} carries no value (0 sats): nothing to trace`, { txid: f.txid, vout: f.vout });
        }
        outputs.push(o);
        starts.push({ txid: f.txid, vout: f.vout, address: null, valueSat: chain.outputValue[o]!, excluded: null });
        continue;
      }
      const sender = this.senderOf(t);
      for (let k = 0; k < n; k++) {
        const o = o0 + k;
        const v = chain.outputValue[o]!;
        let excluded: string | null = v <= 0 ? 'carries no value' : null;
        if (excluded === null && direction === 'forward') excluded = this.returnsToSender(o, sender);
        if (excluded === null) outputs.push(o);
        starts.push({ txid: f.txid, vout: k, address: null, valueSat: v, excluded });
      }
    }
    if (outputs.length === 0) {
      throw new UsageError('nothing to trace: every starting output was excluded (no value, or change returned to the sender)', {
        from: from.map((f) => f.text),
      });
    }
    return { outputs, starts };
  }

  /** Addresses, clusters and labelled entities of the inputs of tx `t`. */
  private senderOf(t: number): { addresses: Set<number>; clusters: Set<number>; entities: Set<number> } {
    const { chain, entities } = this.ctx;
    const s = { addresses: new Set<number>(), clusters: new Set<number>(), entities: new Set<number>() };
    for (let i = chain.txFirstInput[t]!; i < chain.txFirstInput[t + 1]!; i++) {
      const so = chain.inputSpentOutput[i]!;
      if (so === NONE) continue;
      const a = chain.outputAddress[so]!;
      if (a === NONE) continue;
      s.addresses.add(a);
      const c = entities.clusterOf(a);
      if (c !== null) s.clusters.add(c);
      const e = entities.lookup(a);
      if (e) s.entities.add(e.entity);
    }
    return s;
  }

  /** Why output `o` is change returned to the sender of its transaction, or null. */
  private returnsToSender(o: number, sender: ReturnType<TraceSession['senderOf']>): string | null {
    const { chain, entities } = this.ctx;
    const a = chain.outputAddress[o]!;
    if (a === NONE) return null;
    if (sender.addresses.has(a)) return 'change returned to an input address of the sender';
    const c = entities.clusterOf(a);
    if (c !== null && sender.clusters.has(c)) return `change returned to the sender's cluster ${c} (cluster membership)`;
    const e = entities.lookup(a);
    if (e && sender.entities.has(e.entity)) return `change returned to the sender, ${entities.entities[e.entity]!.label} (label)`;
    return null;
  }

  /**
   * The `--from` arguments of an incident recorded by the labels (label_incidents with their txs and
   * addresses): every recorded transaction, restricted to the outputs paying the incident's recorded
   * addresses when it lists any (roles other than victim); an incident that records only addresses starts
   * from every output those addresses received.
   * @throws NotFoundError when no incident has this id or name.
   */
  async incidentStarts(name: string): Promise<{ outputs: number[]; starts: TraceResult['starts'] }> {
    if (!(await exists(this.db, TABLE_EXISTS, ['label_incidents']))) {
      throw new NotFoundError('incident', name, 'import incident records first (ledgerhound label import)');
    }
    const inc = await this.db.all<{ incident_id: string }>(
      'SELECT DISTINCT incident_id FROM label_incidents WHERE lower(incident_id) = lower(?) OR lower(name) = lower(?)',
      [name, name],
    );
    if (inc.length === 0) throw new NotFoundError('incident', name, 'list incidents with `ledgerhound label incidents`');
    const id = inc[0]!.incident_id;
    const txRows = await this.db.all<{ txid: string }>(
      "SELECT DISTINCT lower(txid) txid FROM label_incident_txs WHERE incident_id = ? AND lower(role) <> 'victim' AND upper(chain) IN ('BTC', 'BITCOIN')",
      [id],
    );
    const addrRows = await this.db.all<{ address_id: bigint }>(
      `SELECT DISTINCT a.address_id FROM label_incident_addresses i JOIN addresses a ON a.address = i.address
        WHERE i.incident_id = ? AND lower(i.role) <> 'victim' AND upper(i.currency) = 'BTC'`,
      [id],
    );
    const incidentAddrs = new Set(addrRows.map((r) => Number(r.address_id)));
    if (txRows.length === 0) {
      if (incidentAddrs.size === 0) {
        throw new LedgerhoundError('LH_TRACE_INCIDENT', `incident ${name} records no Bitcoin transaction or address found in this store`, {
          details: { incident: id },
          hint: 'pass the theft transactions with --from TXID[:VOUT]',
        });
      }
      // Only addresses recorded (e.g. the thief's addresses in a TagPack): start from every output they received.
      const rows = await this.db.all<{ o: bigint; txid: string; vout: number; value: bigint }>(
        `SELECT o.output_id o, t.txid, o.vout, o.value FROM outputs o JOIN transactions t ON t.tx_id = o.tx_id
          JOIN (SELECT unnest($1::BIGINT[]) x) q ON o.address_id = q.x
         WHERE o.value > 0 ORDER BY o.output_id`,
        [listValue([...incidentAddrs])],
      );
      return {
        outputs: rows.map((r) => Number(r.o)),
        starts: rows.map((r) => ({ txid: r.txid, vout: r.vout, address: null, valueSat: Number(r.value), excluded: null })),
      };
    }
    const all = await this.resolveStarts(
      txRows.map((r) => ({ txid: r.txid, vout: null, text: r.txid })),
      'forward',
    );
    if (incidentAddrs.size === 0) return all;
    const { chain } = this.ctx;
    const outputs = all.outputs.filter((o) => incidentAddrs.has(chain.outputAddress[o]!));
    if (outputs.length === 0) return all;
    const keep = new Set(outputs);
    const starts = all.starts;
    let idx = 0;
    for (const s of starts) {
      if (s.excluded !== null) continue;
      const o = all.outputs[idx++]!;
      if (!keep.has(o)) s.excluded = 'does not pay an address recorded for the incident';
    }
    return { outputs, starts };
  }

  /** Runs one trace and names its result. */
  async trace(req: TraceRequest): Promise<TraceResult> {
    const direction = req.direction ?? 'forward';
    const policy = policyByName(req.policy ?? 'haircut');
    const limits: WalkLimits = { ...DEFAULT_LIMITS, ...req.limits };
    // The same checks as the CLI's, for callers that build the request themselves (the API).
    limits.maxHops = parseMaxHops(limits.maxHops);
    limits.minValueSat = parseCount('minValueSat', limits.minValueSat);
    limits.maxTxs = parseCount('maxTxs', limits.maxTxs, 1);
    limits.maxEdges = parseCount('maxEdges', limits.maxEdges, 1);
    let resolved: { outputs: number[]; starts: TraceResult['starts'] };
    if (req.incident) {
      if (direction !== 'forward') throw new UsageError('--incident traces forward from the theft; drop --direction backward', { incident: req.incident });
      resolved = await this.incidentStarts(req.incident);
      if (req.from.length > 0) {
        const extra = await this.resolveStarts(req.from, direction);
        resolved = { outputs: [...resolved.outputs, ...extra.outputs], starts: [...resolved.starts, ...extra.starts] };
      }
    } else {
      if (req.from.length === 0) throw new UsageError('nothing to trace from: pass --from TXID[:VOUT] or --incident NAME', {});
      resolved = await this.resolveStarts(req.from, direction);
    }
    const t0 = performance.now();
    const walk = this.walk(direction, resolved.outputs, policy, limits);
    const walkMs = performance.now() - t0;
    return buildResult(walk, this.ctx, this.namer(), {
      query: {
        from: req.from.map((f) => f.text),
        incident: req.incident ?? null,
        maxHops: limits.maxHops,
        minValueSat: limits.minValueSat,
        maxTxs: limits.maxTxs,
        maxEdges: limits.maxEdges,
        untilHeight: limits.untilHeight,
        untilTime: limits.untilTimeSec === null ? null : new Date(limits.untilTimeSec * 1000).toISOString(),
        stopAt: this.stopAt,
      },
      starts: resolved.starts,
      walkMs,
    });
  }

  /** The integer-level walk (no naming): what the benchmark times. */
  walk(direction: Direction, outputs: readonly number[], policy: ReturnType<typeof policyByName>, limits: WalkLimits): Walk<unknown> {
    return direction === 'forward' ? walkForward(this.ctx, outputs, policy, limits) : walkBackward(this.ctx, outputs, policy, limits);
  }

  /** Looks txids and addresses up by id, in chunks. */
  namer(): TraceNamer {
    const db = this.db;
    // One join against the ids bound as a list parameter (no SQL text with thousands of literals to parse),
    // per run of nearby ids: ids are dense in chain order, so a trace's ids sit in a few narrow ranges and
    // the BETWEEN lets DuckDB skip row groups by their min/max instead of scanning the whole column.
    const lookup = async (table: string, idCol: string, valCol: string, ids: readonly number[], cache: Map<number, string>): Promise<Map<number, string>> => {
      const out = new Map<number, string>();
      const sorted: number[] = [];
      for (const x of new Set(ids.map((i) => Math.trunc(i)))) {
        const known = cache.get(x);
        if (known === undefined) sorted.push(x);
        else out.set(x, known);
      }
      sorted.sort((a, b) => a - b);
      if (sorted.length === 0) return out;
      if (cache.size + sorted.length > NAME_CACHE_MAX) cache.clear();
      const runs: number[][] = [];
      for (const id of sorted) {
        const last = runs[runs.length - 1];
        if (last !== undefined && id - last[last.length - 1]! < RUN_GAP && last.length < 10_000) last.push(id);
        else runs.push([id]);
      }
      // Many scattered ids: one join over the whole table costs less than many range queries.
      const groups = runs.length > MAX_RUNS ? [sorted] : runs;
      for (const part of groups) {
        const rows = await db.all<{ id: bigint; s: string }>(
          `SELECT t.${idCol} id, t.${valCol} s FROM ${table} t JOIN (SELECT unnest($1::BIGINT[]) x) q ON t.${idCol} = q.x
            WHERE t.${idCol} BETWEEN ${part[0]} AND ${part[part.length - 1]}`,
          [listValue(part)],
        );
        for (const r of rows) {
          out.set(Number(r.id), r.s);
          cache.set(Number(r.id), r.s);
        }
      }
      return out;
    };
    // From memory when the names are loaded (ids past them, i.e. blocks ingested since, by query).
    const named = async (ids: readonly number[], get: (id: number) => string | undefined, query: (rest: number[]) => Promise<Map<number, string>>) => {
      const out = new Map<number, string>();
      const rest: number[] = [];
      for (const id of ids) {
        const s = get(id);
        if (s === undefined) rest.push(id);
        else out.set(id, s);
      }
      if (rest.length > 0) for (const [id, s] of await query(rest)) out.set(id, s);
      return out;
    };
    return {
      txids: (ids) => {
        const m = this.chainNames;
        const query = (rest: readonly number[]) => lookup('transactions', 'tx_id', 'txid', rest, this.names.txids);
        return m === null ? query(ids) : named(ids, (id) => m.txid(id), query);
      },
      addresses: (ids) => {
        const m = this.chainNames;
        const query = (rest: readonly number[]) => lookup('addresses', 'address_id', 'address', rest, this.names.addresses);
        return m === null ? query(ids) : named(ids, (id) => m.address(id), query);
      },
      clusterMerges: async (ids) => {
        const out = new Map<number, ClusterMerge>();
        if (!this.hasClusterMerges) return out;
        const want = [...new Set(ids.map((x) => Math.trunc(x)))];
        for (let i = 0; i < want.length; i += 10_000) {
          const rows = await db.all<{ a: bigint; heuristic: string; confidence: number; txid: string }>(
            `WITH q AS (SELECT unnest($1::BIGINT[]) x),
                  m AS (SELECT q.x a, c.tx_id, c.heuristic, c.confidence FROM cluster_merges c JOIN q ON c.address_a = q.x
                        UNION ALL
                        SELECT q.x a, c.tx_id, c.heuristic, c.confidence FROM cluster_merges c JOIN q ON c.address_b = q.x)
             SELECT m.a, m.heuristic, m.confidence, t.txid FROM m JOIN transactions t ON t.tx_id = m.tx_id ORDER BY m.tx_id`,
            [listValue(want.slice(i, i + 10_000))],
          );
          for (const r of rows) {
            const a = Number(r.a);
            if (!out.has(a)) out.set(a, { heuristic: r.heuristic, confidence: Number(r.confidence), txid: r.txid });
          }
        }
        return out;
      },
    };
  }
}
