import { resolve } from 'node:path';
import type { Command } from 'commander';

/** Options every command accepts (declared once on the root program). */
export interface GlobalOptions {
  db: string;
  json: boolean;
  debug: boolean;
}

/** Default database path: `--db`, else `LEDGERHOUND_DB`, else `./ledgerhound.duckdb`. */
export function defaultDbPath(): string {
  return process.env.LEDGERHOUND_DB ?? './ledgerhound.duckdb';
}

/** The global options as seen from any (sub)command. */
export function globalOptions(cmd: Command): GlobalOptions {
  const o = cmd.optsWithGlobals<{ db?: string; json?: boolean; debug?: boolean }>();
  return { db: resolve(o.db ?? defaultDbPath()), json: o.json === true, debug: o.debug === true };
}

/** Machine-readable output: one JSON document on stdout. */
export function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, jsonReplacer, 2)}\n`);
}

function jsonReplacer(_key: string, value: unknown): unknown {
  return typeof value === 'bigint' ? value.toString() : value;
}

/** Human output on stdout. */
export function printLine(line = ''): void {
  process.stdout.write(`${line}\n`);
}

/** Progress and logs go to stderr so stdout stays parseable. */
export function printErr(line: string): void {
  process.stderr.write(`${line}\n`);
}
