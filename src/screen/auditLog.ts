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
 * Nothing in Ledgerhound updates or deletes these rows. Writes are buffered and appended (DuckDB appender) every `flushMs` (default 200 ms), when 2,000 rows wait, and on close(): screening answers
 * are never delayed by the log; a crash can lose at most the last flush interval (documented in
 * docs/SCREENING.md).
 */
import { DuckDBTimestampValue } from '@duckdb/node-api';
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
    if (this.buffer.length >= 2000) void this.flush();
    else if (this.timer === null) {
      this.timer = setTimeout(() => {
        this.timer = null;
        void this.flush();
      }, this.flushMs);
      this.timer.unref();
    }
  }

  /** Writes every queued row now (one transaction). */
  async flush(): Promise<void> {
    while (this.flushing) await this.flushing;
    if (this.buffer.length === 0) return;
    const rows = this.buffer;
    this.buffer = [];
    this.flushing = this.run(async () => {
      // The appender writes the rows in one go (measured: far cheaper than multi-row INSERTs at 10k rows/s).
      const app = await this.db.appender('screen_audit_log');
      try {
        for (const r of rows) {
          app.appendBigInt(BigInt(this.nextId++));
          app.appendTimestamp(new DuckDBTimestampValue(BigInt(r.atMs ?? Date.now()) * 1000n));
          app.appendVarchar(r.requestId);
          app.appendVarchar(r.channel);
          app.appendVarchar(r.actor);
          if (r.actorName === null) app.appendNull();
          else app.appendVarchar(r.actorName);
          app.appendVarchar(r.action);
          app.appendVarchar(r.subject);
          if (r.score === null) app.appendNull();
          else app.appendInteger(r.score);
          if (r.level === null) app.appendNull();
          else app.appendVarchar(r.level);
          if (r.ruleSet === null) app.appendNull();
          else app.appendVarchar(r.ruleSet);
          app.appendVarchar(JSON.stringify(r.summarize ? r.summarize(r.result) : r.result));
          app.endRow();
        }
        app.flushSync();
      } finally {
        app.closeSync();
      }
      this.written += rows.length;
    }).finally(() => {
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
