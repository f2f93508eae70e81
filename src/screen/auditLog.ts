/**
 * The append-only audit log of screening requests (who, what, when, result), in the DuckDB table
 * `screen_audit_log`, because compliance teams must prove what they checked and what the answer was.
 *
 * Table (one row per screened subject; a batch of 1,000 addresses writes 1,000 rows with one request_id):
 * - audit_id BIGINT: dense, increasing (max+1 at open); never reused
 * - screened_at TIMESTAMP (UTC), request_id VARCHAR (the HTTP request id or `cli-<pid>-<n>`)
 * - channel VARCHAR (`api` | `cli`), actor VARCHAR (API key id, `anonymous`, or `cli:<user>`), actor_name VARCHAR
 * - action VARCHAR (`screen.address`, `screen.tx`, `screen.batch`, `screen.names`, `sanctions.address`)
 * - subject VARCHAR (the address, txid or name screened)
 * - score INTEGER, level VARCHAR (null for name screening), rule_set VARCHAR (`id@version#sha256[0:12]`)
 * - result VARCHAR: compact JSON of the answer (categories and scores that made it)
 *
 * Nothing in Ledgerhound updates or deletes these rows. Writes are buffered and inserted (one INSERT of column lists, run by DuckDB off the JS thread) every `flushMs` (default 200 ms), when MAX_ROWS (500) rows wait, and on close(): screening answers
 * are never delayed by the log; a crash can lose at most the last flush interval (documented in
 * docs/SCREENING.md).
 */
import { DuckDBTimestampValue, listValue } from '@duckdb/node-api';
import type { Database } from '../store/index.js';

export const AUDIT_SCHEMA_SQL = `
CREATE TABLE IF NOT EXISTS screen_audit_log (
  audit_id BIGINT NOT NULL,
  screened_at TIMESTAMP NOT NULL,
  request_id VARCHAR NOT NULL,
  channel VARCHAR NOT NULL,
  actor VARCHAR NOT NULL,
  actor_name VARCHAR,
  action VARCHAR NOT NULL,
  subject VARCHAR NOT NULL,
  score INTEGER,
  level VARCHAR,
  rule_set VARCHAR,
  result VARCHAR NOT NULL
);`;

/**
 * Rows that trigger a flush before `flushMs`. Smaller inserts keep DuckDB's share of the 2 cores short:
 * bench:api A/B in one session (load average 2.4-2.9), screening at 32 connections: p99 11/11/11 ms at
 * 500 rows vs 14/16 ms at 2,000; paced at 10k req/s p99 8/10/12 ms vs 24/20 ms.
 */
const MAX_ROWS = 500;

/** Rows converted per event-loop turn before a flush yields (keeps each blocking slice well under 1 ms). */
const SLICE = 250;

/**
 * One INSERT of a whole flush: each parameter is one column as a list, zipped back into rows by unnest.
 * The driver infers a list parameter's type from its first item (a null first item would null the whole
 * column), so nullable columns travel as non-null placeholders plus one null mask per row (bit 1
 * actor_name, 2 score, 4 level, 8 rule_set).
 */
const INSERT_SQL = `INSERT INTO screen_audit_log
  SELECT c1, c2, c3, c4, c5, CASE WHEN m & 1 = 0 THEN c6 END, c7, c8,
         CASE WHEN m & 2 = 0 THEN c9 END, CASE WHEN m & 4 = 0 THEN c10 END, CASE WHEN m & 8 = 0 THEN c11 END, c12
  FROM (SELECT unnest($1::BIGINT[]) AS c1, unnest($2::TIMESTAMP[]) AS c2, unnest($3::VARCHAR[]) AS c3,
               unnest($4::VARCHAR[]) AS c4, unnest($5::VARCHAR[]) AS c5, unnest($6::VARCHAR[]) AS c6,
               unnest($7::VARCHAR[]) AS c7, unnest($8::VARCHAR[]) AS c8, unnest($9::INTEGER[]) AS c9,
               unnest($10::VARCHAR[]) AS c10, unnest($11::VARCHAR[]) AS c11, unnest($12::VARCHAR[]) AS c12,
               unnest($13::INTEGER[]) AS m)`;

export interface AuditEntry {
  requestId: string;
  channel: 'api' | 'cli';
  actor: string;
  actorName: string | null;
  action: string;
  subject: string;
  score: number | null;
  level: string | null;
  ruleSet: string | null;
  /** The answer, or what `summarize` turns into the stored JSON (done at flush time, off the request path). */
  result: unknown;
  summarize?: (result: unknown) => unknown;
  /** Unix milliseconds; set by record() when absent. */
  atMs?: number;
}

/** Runs a database task under the caller's lock (the server serialises DuckDB use with ingest). */
export type DbRunner = <T>(fn: () => Promise<T>) => Promise<T>;

const direct: DbRunner = (fn) => fn();

export class AuditLog {
  private buffer: AuditEntry[] = [];
  private nextId = 0;
  private timer: NodeJS.Timeout | null = null;
  private flushing: Promise<void> | null = null;
  /** Rows written since open. */
  written = 0;

  private constructor(
    private readonly db: Database,
    private readonly run: DbRunner,
    private readonly flushMs: number,
  ) {}

  /** Creates the table if needed and continues its id sequence. */
  static async open(db: Database, opts: { run?: DbRunner; flushMs?: number } = {}): Promise<AuditLog> {
    const run = opts.run ?? direct;
    const log = new AuditLog(db, run, opts.flushMs ?? 200);
    await run(async () => {
      await db.run(AUDIT_SCHEMA_SQL);
      const r = await db.one<{ n: bigint | null }>('SELECT max(audit_id) n FROM screen_audit_log');
      log.nextId = r?.n === null || r?.n === undefined ? 0 : Number(r.n) + 1;
    });
    return log;
  }

  /** Queues one row (written within flushMs). The entry object is kept as is: pass a fresh one. */
  record(entry: AuditEntry): void {
    entry.atMs ??= Date.now();
    this.buffer.push(entry);
    if (this.buffer.length >= MAX_ROWS) this.flushInBackground();
    else this.schedule();
  }

  /** The error of the last background flush that failed (its rows are kept and retried), or null. */
  lastError: unknown = null;
  /** Told about each failed background flush (the server logs it); the rows stay queued for the next try. */
  onError: ((err: unknown) => void) | null = null;

  private schedule(): void {
    if (this.timer !== null) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      this.flushInBackground();
    }, this.flushMs);
    this.timer.unref();
  }

  /** A flush nobody awaits: a failure must neither crash the process nor lose rows. */
  private flushInBackground(): void {
    this.flush().then(
      () => {
        this.lastError = null;
      },
      (err: unknown) => {
        this.lastError = err;
        this.onError?.(err);
        this.schedule();
      },
    );
  }

  /**
   * Writes every queued row now (one INSERT, one transaction).
   *
   * Latency: the rows are turned into column lists in slices of `SLICE` rows with a yield to the event
   * loop between slices, and written by one parameterised `INSERT … SELECT unnest(…)`, which DuckDB runs
   * off the JavaScript thread. (The DuckDB appender this replaced appends and commits synchronously:
   * measured 10–28 ms of blocked event loop per 2,000 rows, which was the 13 ms HTTP p99 of screening
   * while the median was 1 ms.)
   */
  async flush(): Promise<void> {
    while (this.flushing) await this.flushing;
    if (this.buffer.length === 0) return;
    const rows = this.buffer;
    this.buffer = [];
    this.flushing = (async () => {
      const n = rows.length;
      const cols = {
        id: new Array<bigint>(n),
        at: new Array<DuckDBTimestampValue>(n),
        requestId: new Array<string>(n),
        channel: new Array<string>(n),
        actor: new Array<string>(n),
        actorName: new Array<string>(n),
        action: new Array<string>(n),
        subject: new Array<string>(n),
        score: new Array<number>(n),
        level: new Array<string>(n),
        ruleSet: new Array<string>(n),
        result: new Array<string>(n),
        nullMask: new Array<number>(n),
      };
      for (let i = 0; i < n; i++) {
        if (i > 0 && i % SLICE === 0) await new Promise<void>((ok) => setImmediate(ok));
        const r = rows[i] as AuditEntry;
        cols.at[i] = new DuckDBTimestampValue(BigInt(r.atMs ?? Date.now()) * 1000n);
        cols.requestId[i] = r.requestId;
        cols.channel[i] = r.channel;
        cols.actor[i] = r.actor;
        cols.actorName[i] = r.actorName ?? '';
        cols.action[i] = r.action;
        cols.subject[i] = r.subject;
        cols.score[i] = r.score ?? 0;
        cols.level[i] = r.level ?? '';
        cols.ruleSet[i] = r.ruleSet ?? '';
        cols.nullMask[i] = (r.actorName === null ? 1 : 0) | (r.score === null ? 2 : 0) | (r.level === null ? 4 : 0) | (r.ruleSet === null ? 8 : 0);
        cols.result[i] = JSON.stringify(r.summarize ? r.summarize(r.result) : r.result);
      }
      await this.run(async () => {
        // Ids are taken under the lock, in queue order, so they stay dense and increasing.
        const first = this.nextId;
        for (let i = 0; i < n; i++) cols.id[i] = BigInt(first + i);
        await this.db.run(INSERT_SQL, [
          listValue(cols.id),
          listValue(cols.at),
          listValue(cols.requestId),
          listValue(cols.channel),
          listValue(cols.actor),
          listValue(cols.actorName),
          listValue(cols.action),
          listValue(cols.subject),
          listValue(cols.score),
          listValue(cols.level),
          listValue(cols.ruleSet),
          listValue(cols.result),
          listValue(cols.nullMask),
        ]);
        this.nextId = first + n;
      });
      this.written += n;
    })()
      .catch((err: unknown) => {
        // Nothing was written (one INSERT, one transaction): put the rows back, ahead of newer ones.
        this.buffer = rows.concat(this.buffer);
        throw err;
      })
      .finally(() => {
        this.flushing = null;
      });
    await this.flushing;
  }

  /** Flushes and stops the timer. */
  async close(): Promise<void> {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    await this.flush();
  }
}

/** `id@version#sha256-prefix`, the rule set as the audit log names it. */
export function ruleSetTag(info: { id: string; version: string; sha256: string }): string {
  return `${info.id}@${info.version}#${info.sha256.slice(0, 12)}`;
}
