/**
 * `openServer()`: everything `ledgerhound serve` runs, apart from listen(): the database (opened
 * read-write by this one process), the DB lock, the audit log, the screening index (built in the
 * background; screening answers 503 LH_NOT_READY until it is ready), and optionally the follower that
 * ingests new blocks in this same process and refreshes the index.
 *
 * Why one process: DuckDB allows a single writing process per file, and a read-only open in another
 * process is refused while a writer holds the file (and blocks the writer while it is open). So the
 * server cannot re-open the file read-only while `ingest` runs elsewhere; instead `serve --follow DIR`
 * ingests in-process through the same connection under the DB lock (see backend.ts).
 */
import { existsSync } from 'node:fs';
import type { FastifyInstance, FastifyServerOptions } from 'fastify';
import type { Network } from '../chain/index.js';
import { LedgerhoundError } from '../core/index.js';
import { clusterDatabase, parseHeuristics, readClusterState } from '../cluster/index.js';
import { AuditLog, loadRules, type RuleSet, ScreeningIndex } from '../screen/index.js';
import type { Database } from '../store/index.js';
import { type ChainStore, DuckDbStore, ingestBitcoin } from '../store/index.js';
import { ApiKeyStore } from './apiKeys.js';
import { DbLock, StoreBackend } from './backend.js';
import { buildApp } from './buildApp.js';

export interface OpenServerOptions {
  dbPath: string;
  version: string;
  /** Path of the keys file, or 'none' (--no-auth). */
  keys: string | 'none';
  rulesPath?: string;
  webDist?: string | null;
  logger?: FastifyServerOptions['logger'];
  /** Ingest new blocks from this Bitcoin Core blocks directory every `intervalSec`. */
  follow?: { blocksDir: string; intervalSec: number; workers?: number };
  /** Wait for the screening index before returning (tests, bench). Default false. */
  waitForIndex?: boolean;
  onEvent?: (event: { kind: 'index-ready' | 'index-refreshed' | 'ingested' | 'clustered' | 'error'; detail: Record<string, unknown> }) => void;
}

export interface ServerHandle {
  app: FastifyInstance;
  backend: StoreBackend;
  rules: RuleSet;
  /** Resolves when the first index is built. */
  indexReady: Promise<void>;
  /** Runs one follow round now (ingest + refresh); returns blocks added. */
  followOnce(): Promise<number>;
  close(): Promise<void>;
}

/** Wraps every ChainStore method in the DB lock, so in-process ingest never interleaves with queries. */
function lockedStore(store: DuckDbStore, lock: DbLock): ChainStore {
  return new Proxy(store as unknown as ChainStore, {
    get(target, prop, receiver) {
      const v = Reflect.get(target, prop, receiver) as unknown;
      if (typeof v !== 'function' || prop === 'close') return v;
      return (...args: unknown[]) => lock.run(() => (v as (...a: unknown[]) => Promise<unknown>).apply(target, args));
    },
  });
}

/**
 * After new blocks: when the database was clustered before, extend the clustering with the same settings
 * (src/cluster runs incrementally when its stored config matches), so new addresses join their clusters.
 * Returns the clustering mode, or null when the database was never clustered.
 */
async function reclusterLikeBefore(db: Database): Promise<string | null> {
  const state = await readClusterState(db);
  if (state === null) return null;
  // The stored key reads `h1,h2;min-votes=N;coinjoin-detection=true|false` (src/cluster/run.ts configKey).
  const [list, votes, cj] = state.heuristics.split(';');
  const minVotes = Number(/min-votes=(\d+)/.exec(votes ?? '')?.[1] ?? '1');
  const coinjoinDetection = !/coinjoin-detection=false/.test(cj ?? '');
  const r = await clusterDatabase(db, { heuristics: parseHeuristics(list), minVotes, coinjoinDetection });
  return r.mode;
}

export async function openServer(opts: OpenServerOptions): Promise<ServerHandle> {
  const rules = loadRules(opts.rulesPath);
  // Opening read-write would create an empty file: refuse a missing database instead.
  if (!existsSync(opts.dbPath)) {
    throw new LedgerhoundError('LH_DB_MISSING', `database ${opts.dbPath} does not exist`, {
      details: { path: opts.dbPath },
      hint: 'Run `ledgerhound ingest bitcoin --blocks-dir DIR` first, or pass --db.',
    });
  }
  const store = await DuckDbStore.open(opts.dbPath);
  const lock = new DbLock();
  let backend: StoreBackend | null = null;
  try {
    const state = await store.state();
    if (state.network === null) {
      throw new LedgerhoundError('LH_DB_EMPTY', `database ${opts.dbPath} holds no ingested chain`, {
        details: { path: opts.dbPath },
        hint: 'Run `ledgerhound ingest bitcoin --blocks-dir DIR` first, or pass --db.',
      });
    }
    const network: Network = state.network;
    const audit = await AuditLog.open(store.db, { run: (fn) => lock.run(fn) });
    // A failed audit write keeps its rows queued and is retried; the operator sees it in the log.
    audit.onError = (err) =>
      opts.onEvent?.({ kind: 'error', detail: { where: 'audit log (rows kept, retrying)', message: err instanceof Error ? err.message : String(err) } });
    backend = new StoreBackend(store, lock, audit, network);
    await backend.refreshTip();
    const keys = opts.keys === 'none' ? 'none' : new ApiKeyStore(opts.keys);
    const app = await buildApp({
      version: opts.version,
      backend,
      auth: keys,
      webDist: opts.webDist ?? null,
      logger: opts.logger ?? false,
    });
    const b = backend;
    const indexReady = lock
      .run(() => ScreeningIndex.build(store.db, rules))
      .then((index) => {
        b.index = index;
        opts.onEvent?.({ kind: 'index-ready', detail: { ...index.timings, txs: index.txCount, through: index.screenedThroughHeight } });
      });
    indexReady.catch((err: unknown) => opts.onEvent?.({ kind: 'error', detail: { stage: 'index', message: (err as Error).message } }));
    if (opts.waitForIndex) await indexReady;

    let following = false;
    const followOnce = async (): Promise<number> => {
      if (!opts.follow || following) return 0;
      following = true;
      try {
        const r = await ingestBitcoin({
          blocksDir: opts.follow.blocksDir,
          network,
          store: lockedStore(store, lock),
          workers: opts.follow.workers ?? 1,
        });
        await b.refreshTip();
        if (r.newBlocks > 0 || r.rolledBack > 0) {
          opts.onEvent?.({ kind: 'ingested', detail: { newBlocks: r.newBlocks, rolledBack: r.rolledBack, tip: r.bestHeight } });
          const clusterMode = await lock.run(() => reclusterLikeBefore(store.db));
          if (clusterMode !== null) opts.onEvent?.({ kind: 'clustered', detail: { mode: clusterMode } });
          await indexReady;
          const current = b.index;
          if (current) {
            const { index, mode } = await lock.run(() => current.refresh(store.db));
            b.index = index;
            opts.onEvent?.({ kind: 'index-refreshed', detail: { mode, ...index.timings, through: index.screenedThroughHeight } });
          }
        }
        return r.newBlocks;
      } finally {
        following = false;
      }
    };
    let timer: NodeJS.Timeout | null = null;
    if (opts.follow) {
      const tick = () => {
        followOnce()
          .catch((err: unknown) => opts.onEvent?.({ kind: 'error', detail: { stage: 'follow', message: (err as Error).message } }))
          .finally(() => {
            if (timer !== null) timer = setTimeout(tick, (opts.follow as { intervalSec: number }).intervalSec * 1000);
          });
      };
      timer = setTimeout(tick, opts.follow.intervalSec * 1000);
    }
    let closed = false;
    return {
      app,
      backend,
      rules,
      indexReady,
      followOnce,
      async close() {
        if (closed) return;
        closed = true;
        if (timer !== null) clearTimeout(timer);
        timer = null;
        await app.close();
        await indexReady.catch(() => undefined);
        await audit.close();
        await lock.run(async () => store.close());
      },
    };
  } catch (err) {
    if (backend === null) store.close();
    throw err;
  }
}
