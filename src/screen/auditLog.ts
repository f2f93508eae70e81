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
 * Nothing in Ledgerhound updates or deletes these rows. Writes are buffered and inserted (one INSERT of one JSON text, parsed by DuckDB off the JS thread) every `flushMs` (default 200 ms), when MAX_ROWS (2,000) rows wait, and on close(): screening answers
 * are never delayed by the log; a crash can lose at most the last flush interval (documented in
 * docs/SCREENING.md).
 */
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
 * Rows that trigger a flush before `flushMs` (at 10k screens/s the 200 ms timer fires first, at 2,000 rows).
 * Each flush has a fixed cost in DuckDB (statement, transaction, WAL write) besides its per-row cost, so
 * fewer, larger flushes take less CPU from the 2 cores the requests need: bench:api, server CPU per
 * screening request at saturation, 500-row flushes 78 and 81 µs vs 2,000-row 63 µs (load average 3-8,
 * 2026-11-21). The JavaScript side of a flush is sliced (SLICE), so a larger flush does not block the
 * event loop longer; with the synchronous appender used before, it did (500 was chosen then).
 */
const MAX_ROWS = 2000;

/** Rows converted per event-loop turn before a flush yields (keeps each blocking slice well under 1 ms). */
const SLICE = 250;

/**
 * One INSERT of a whole flush from ONE text parameter: a JSON array of rows (`[atMs, requestId, channel,
 * actor, actorName, action, subject, score, level, ruleSet, resultJson]`), parsed by DuckDB's JSON
 * extension on its own threads. `$2` is the first audit_id; `generate_subscripts` numbers the rows in
 * queue order. JSON null is SQL NULL.
 *
 * Why one text parameter and not one list per column (the previous version): binding list parameters
 * converts every value with a synchronous native call on the JavaScript thread (13 columns × 500 rows =
 * 6,500 calls). Measured alone (/tmp prototype, 500-row flushes): event loop blocked up to 22 ms per
 * flush (p99 14 ms) with column lists, 2.4 ms max with one JSON text; the profile of `serve` under
 * bench:api showed 15-20 % of the JavaScript thread in that binding.
 */
const INSERT_SQL = `INSERT INTO screen_audit_log
  SELECT $2::BIGINT + i - 1, make_timestamp(r[1]::BIGINT * 1000), r[2], r[3], r[4], r[5], r[6], r[7],
         r[8]::INTEGER, r[9], r[10], r[11]
  FROM (SELECT unnest(l) AS r, generate_subscripts(l, 1) AS i
        FROM (SELECT json_transform($1::VARCHAR, '[["VARCHAR"]]') AS l))`;

/**
 * A string DuckDB's JSON parser accepts: a lone UTF-16 surrogate (JSON.stringify writes it as `\udXXX`)
 * would make it reject the whole flush, so it becomes U+FFFD, as any UTF-8 encoder would write it.
 */
function wellFormed(s: string): string;
function wellFormed(s: string | null): string | null;
function wellFormed(s: string | null): string | null {
  return s === null ? null : (s as unknown as { toWellFormed(): string }).toWellFormed();
}

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
  /** Like `summarize`, but returns the stored JSON text itself (lets a caller reuse serialised parts). */
  summarizeJson?: (result: unknown) => string;
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
    private readonly maxRows: number,
  ) {}

  /** Creates the table if needed and continues its id sequence. */
  static async open(db: Database, opts: { run?: DbRunner; flushMs?: number; maxRows?: number } = {}): Promise<AuditLog> {
    const run = opts.run ?? direct;
    const log = new AuditLog(db, run, opts.flushMs ?? 200, opts.maxRows ?? MAX_ROWS);
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
    if (this.buffer.length >= this.maxRows) this.flushInBackground();
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
   * Latency: the rows are turned into JSON text in slices of `SLICE` rows with a yield to the event
   * loop between slices, and written by one `INSERT … SELECT … json_transform($1)` with two parameters,
   * which DuckDB parses and runs off the JavaScript thread (see INSERT_SQL for what the earlier column-list
   * binding and, before it, the synchronous DuckDB appender cost: 10–28 ms of blocked event loop per flush).
   */
  async flush(): Promise<void> {
    while (this.flushing) await this.flushing;
    if (this.buffer.length === 0) return;
    const rows = this.buffer;
    this.buffer = [];
    this.flushing = (async () => {
      const n = rows.length;
      const parts = new Array<string>(n);
      for (let i = 0; i < n; i++) {
        if (i > 0 && i % SLICE === 0) await new Promise<void>((ok) => setImmediate(ok));
        const r = rows[i] as AuditEntry;
        parts[i] = JSON.stringify([
          r.atMs ?? Date.now(),
          wellFormed(r.requestId),
          wellFormed(r.channel),
          wellFormed(r.actor),
          wellFormed(r.actorName),
          wellFormed(r.action),
          wellFormed(r.subject),
          r.score,
          wellFormed(r.level),
          wellFormed(r.ruleSet),
          r.summarizeJson ? r.summarizeJson(r.result) : JSON.stringify(r.summarize ? r.summarize(r.result) : r.result),
        ]);
      }
      const json = `[${parts.join(',')}]`;
      await this.run(async () => {
        // Ids are taken under the lock, in queue order, so they stay dense and increasing.
        const first = this.nextId;
        await this.db.run(INSERT_SQL, [json, BigInt(first)]);
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
