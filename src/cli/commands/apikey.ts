/**
 * `ledgerhound apikey create NAME [--rate N] [--burst N] | list | revoke ID`: API keys for `serve`,
 * stored hashed in `<db>.apikeys.json` (or --keys FILE). A running server picks changes up within a
 * second (revocation needs no restart). See src/api/apiKeys.ts.
 */
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { createApiKey, keysPathFor, listApiKeys, revokeApiKey } from '../../api/index.js';
import { UsageError } from '../../core/index.js';
import { globalOptions, printErr, printJson, printLine } from '../context.js';

function keysFile(cmd: Command, o: { keys?: string }): string {
  return resolve(o.keys ?? keysPathFor(globalOptions(cmd).db));
}

function positive(name: string, v: string | undefined): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!/^\d+(\.\d+)?$/.test(v.trim()) || !(n > 0)) throw new UsageError(`${name} must be a positive number, got ${JSON.stringify(v)}`);
  return n;
}

export function register(program: Command): void {
  const apikey = program.command('apikey').description('create, list and revoke API keys for `serve`');
  apikey
    .command('create <name>')
    .description('create a key (printed once; only its SHA-256 is stored)')
    .option('--rate <perSec>', 'sustained requests per second (default 200)')
    .option('--burst <n>', 'requests allowed at once above the rate (default max(400, 2×rate))')
    .option('--keys <file>', 'keys file (default <db>.apikeys.json)')
    .action((name: string, o: { rate?: string; burst?: string; keys?: string }, cmd: Command) => {
      const rate = positive('--rate', o.rate);
      const burst = positive('--burst', o.burst);
      const { key, record } = createApiKey(keysFile(cmd, o), name, {
        ...(rate === undefined ? {} : { ratePerSec: rate }),
        ...(burst === undefined ? {} : { burst }),
      });
      if (globalOptions(cmd).json) printJson({ key, id: record.id, name: record.name, ratePerSec: record.ratePerSec, burst: record.burst, createdAt: record.createdAt });
      else {
        printLine(key);
        printErr(`created key ${record.id} "${record.name}" (${record.ratePerSec} req/s, burst ${record.burst}); store it now, it is not shown again`);
      }
    });
  apikey
    .command('list')
    .description('list keys (id, name, limits, created, revoked); never the keys themselves')
    .option('--keys <file>', 'keys file (default <db>.apikeys.json)')
    .action((o: { keys?: string }, cmd: Command) => {
      const keys = listApiKeys(keysFile(cmd, o)).map(({ sha256: _hash, ...k }) => k);
      if (globalOptions(cmd).json) printJson(keys);
      else if (keys.length === 0) printLine('no API keys');
      else for (const k of keys) printLine(`${k.id}  ${k.revokedAt ? `revoked ${k.revokedAt}` : 'active'}  ${k.ratePerSec}/s burst ${k.burst}  created ${k.createdAt}  ${k.name}`);
    });
  apikey
    .command('revoke <id>')
    .description('revoke a key by id (or the key itself); takes effect on a running server within a second')
    .option('--keys <file>', 'keys file (default <db>.apikeys.json)')
    .action((id: string, o: { keys?: string }, cmd: Command) => {
      const r = revokeApiKey(keysFile(cmd, o), id);
      if (globalOptions(cmd).json) printJson({ id: r.id, name: r.name, revokedAt: r.revokedAt });
      else printLine(`revoked ${r.id} "${r.name}" at ${r.revokedAt}`);
    });
}
