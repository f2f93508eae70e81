/**
 * `ledgerhound serve [--port 8080] [--host 127.0.0.1] [--no-auth] [--follow BLOCKS_DIR]`: the HTTP API
 * (docs/API.md). The server owns the database file (DuckDB: one writing process); to keep serving while
 * new blocks arrive, let it ingest them itself with --follow (a separate `ingest` process would be
 * refused with LH_DB_LOCKED while the server runs).
 */
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Command } from 'commander';
import pino from 'pino';
import { keysPathFor, openServer } from '../../api/index.js';
import { UsageError } from '../../core/index.js';
import { globalOptions, printErr } from '../context.js';

export const LOOPBACK: ReadonlySet<string> = new Set(['127.0.0.1', '::1', 'localhost']);

/** The web UI build next to the sources (web/dist), when it exists. */
export function defaultWebDist(): string | null {
  const dir = resolve(dirname(fileURLToPath(import.meta.url)), '../../../web/dist');
  return existsSync(join(dir, 'index.html')) ? dir : null;
}

export function parsePort(v: string): number {
  if (!/^\d{1,5}$/.test(v) || Number(v) > 65535) throw new UsageError(`--port must be an integer from 0 to 65535, got ${JSON.stringify(v)}`);
  return Number(v);
}

export function register(program: Command): void {
  program
    .command('serve')
    .description('serve the HTTP API (and the web UI from web/dist when built)')
    .option('--port <port>', 'TCP port (0: any free port)', '8080')
    .option('--host <host>', 'interface to bind', '127.0.0.1')
    .option('--no-auth', 'accept requests without an API key (only allowed on a loopback host)')
    .option('--keys <file>', 'API keys file (default: <db>.apikeys.json)')
    .option('--rules <file>', 'risk rules file (default config/risk-rules.yaml)')
    .option('--web <dir>', 'folder of the built web UI (default web/dist when present)')
    .option('--follow <blocksDir>', 'ingest new blocks from this Bitcoin Core blocks directory while serving')
    .option('--follow-interval <sec>', 'seconds between --follow rounds', '30')
    .action(
      async (
        o: { port: string; host: string; auth: boolean; keys?: string; rules?: string; web?: string; follow?: string; followInterval: string },
        cmd: Command,
      ) => {
        const g = globalOptions(cmd);
        const port = parsePort(o.port);
        if (!o.auth && !LOOPBACK.has(o.host)) {
          throw new UsageError(`--no-auth is only allowed on a loopback host (127.0.0.1, ::1, localhost), not ${o.host}`, { host: o.host }, 'Create a key with `ledgerhound apikey create NAME` and drop --no-auth.');
        }
        const interval = Number(o.followInterval);
        if (!Number.isFinite(interval) || interval < 1) throw new UsageError(`--follow-interval must be a number of seconds ≥ 1, got ${JSON.stringify(o.followInterval)}`);
        const log = pino({ level: g.debug ? 'debug' : 'info' }, pino.destination(2));
        const keys = o.auth ? resolve(o.keys ?? keysPathFor(g.db)) : 'none';
        const server = await openServer({
          dbPath: g.db,
          version: program.version() ?? '0.0.0',
          keys,
          ...(o.rules === undefined ? {} : { rulesPath: o.rules }),
          webDist: o.web ?? defaultWebDist(),
          logger: g.debug ? { level: 'debug', stream: process.stderr } : false,
          ...(o.follow === undefined ? {} : { follow: { blocksDir: resolve(o.follow), intervalSec: interval } }),
          onEvent: (e) => (e.kind === 'error' ? log.error(e.detail, e.kind) : log.info(e.detail, e.kind)),
        });
        const address = await server.app.listen({ port, host: o.host });
        log.info({ address, db: g.db, auth: keys === 'none' ? 'off' : keys, follow: o.follow ?? null }, 'listening');
        printErr(`ledgerhound API on ${address} (OpenAPI at ${address}/openapi.json)${keys === 'none' ? ' — no authentication' : ''}`);
        await new Promise<void>((done) => {
          const stop = () => {
            process.off('SIGINT', stop);
            process.off('SIGTERM', stop);
            log.info('shutting down');
            server.close().then(done, (err: unknown) => {
              log.error({ err }, 'shutdown failed');
              done();
            });
          };
          process.on('SIGINT', stop);
          process.on('SIGTERM', stop);
        });
      },
    );
}
