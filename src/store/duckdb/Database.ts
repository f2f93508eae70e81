import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import {
  type DuckDBAppender,
  type DuckDBConnection,
  type DuckDBDataChunk,
  DuckDBInstance,
  type DuckDBValue,
} from '@duckdb/node-api';
import { LedgerhoundError } from '../../core/index.js';

/** Bind parameters for a statement: positional (`?`, `$1`) or named (`$name`). */
export type SqlParams = DuckDBValue[] | Record<string, DuckDBValue>;

/**
 * A DuckDB database file and one connection to it: the embedded default store.
 * DuckDB allows one writing process per file; a second writer gets a clear LH_DB_LOCKED error.
 *
 * @example
 * const db = await Database.open('./ledgerhound.duckdb');
 * const rows = await db.all<{ n: bigint }>('select count(*) n from blocks');
 * db.close();
 */
export class Database {
  private constructor(
    readonly path: string,
    private readonly instance: DuckDBInstance,
    readonly connection: DuckDBConnection,
    readonly readOnly: boolean,
  ) {}

  /** Opens (creating when writable) the database file; `:memory:` gives an in-memory database. */
  static async open(path: string, options: { readOnly?: boolean } = {}): Promise<Database> {
    const readOnly = options.readOnly === true;
    if (path !== ':memory:' && !readOnly) mkdirSync(dirname(path), { recursive: true });
    let instance: DuckDBInstance;
    try {
      instance = await DuckDBInstance.create(path, readOnly ? { access_mode: 'READ_ONLY' } : {});
    } catch (cause) {
      const msg = cause instanceof Error ? cause.message : String(cause);
      if (/lock/i.test(msg)) {
        throw new LedgerhoundError('LH_DB_LOCKED', `database ${path} is in use by another process`, {
          cause,
          details: { path },
          hint: 'Stop the other ledgerhound process (ingest, serve) or use another --db.',
        });
      }
      if (readOnly && /not exist|No such file|Cannot open/i.test(msg)) {
        throw new LedgerhoundError('LH_DB_MISSING', `database ${path} does not exist`, {
          cause,
          details: { path },
          hint: 'Run `ledgerhound ingest bitcoin --blocks-dir DIR` first, or pass --db.',
        });
      }
      throw new LedgerhoundError('LH_DB_OPEN', `cannot open database ${path}: ${msg}`, { cause, details: { path } });
    }
    const connection = await instance.connect();
    return new Database(path, instance, connection, readOnly);
  }

  /** Runs one or more statements that return nothing of interest. */
  async run(sql: string, params?: SqlParams): Promise<void> {
    await this.connection.run(sql, params);
  }

  /** Runs a query and returns its rows as plain objects (BIGINT columns come back as bigint). */
  async all<T = Record<string, DuckDBValue>>(sql: string, params?: SqlParams): Promise<T[]> {
    const reader = await this.connection.runAndReadAll(sql, params);
    return reader.getRowObjects() as T[];
  }

  /** Like all() but JSON-friendly values (bigint → number when safe, else string). */
  async allJson<T = Record<string, unknown>>(sql: string, params?: SqlParams): Promise<T[]> {
    const reader = await this.connection.runAndReadAll(sql, params);
    return reader.getRowObjectsJson() as T[];
  }

  /** First row or undefined. */
  async one<T = Record<string, DuckDBValue>>(sql: string, params?: SqlParams): Promise<T | undefined> {
    const rows = await this.all<T>(sql, params);
    return rows[0];
  }

  /** Runs fn inside BEGIN/COMMIT; rolls back on any error so nothing is half-written. */
  async transaction<T>(fn: () => Promise<T>): Promise<T> {
    await this.connection.run('BEGIN TRANSACTION');
    try {
      const out = await fn();
      await this.connection.run('COMMIT');
      return out;
    } catch (err) {
      await this.connection.run('ROLLBACK').catch(() => undefined);
      throw err;
    }
  }

  /** A bulk-load appender for a table (use it instead of row INSERTs). */
  async appender(table: string): Promise<DuckDBAppender> {
    return this.connection.createAppender(table);
  }

  /**
   * Streams a query's result chunk by chunk (DuckDB's vectors, up to 2,048 rows each) into `each`, without
   * materialising the result; on `connection` when given (another one from `connect()`), else this one.
   */
  async eachChunk(
    sql: string,
    each: (chunk: DuckDBDataChunk, rows: number) => void,
    connection: DuckDBConnection = this.connection,
  ): Promise<void> {
    const result = await connection.stream(sql);
    for (;;) {
      const chunk = await result.fetchChunk();
      const rows = chunk?.rowCount ?? 0;
      if (chunk === null || chunk === undefined || rows === 0) return;
      each(chunk, rows);
    }
  }

  /**
   * Another connection to the same database, for work that runs beside this connection's queries (a
   * background load streaming while requests are answered: one connection runs one query at a time and a
   * new query invalidates its streaming result). The caller closes it (`closeSync()`) before `close()`.
   */
  async connect(): Promise<DuckDBConnection> {
    return this.instance.connect();
  }

  /** Closes the connection and the instance (flushes the WAL on the last close). */
  close(): void {
    this.connection.closeSync();
    this.instance.closeSync();
  }
}
