#!/usr/bin/env node
/**
 * Builds the optional native accelerator (native/ledgerhound.c → native/build/Release/ledgerhound.node)
 * with node-gyp: run by `npm install` (the package's install script) and by `npm run build:native`.
 *
 * Headers: Node's own (`<prefix>/include/node`, where Debian's and the official tarballs put them), so
 * nothing is downloaded; only where they are missing does node-gyp fetch them as it always does.
 *
 * A failed build does not fail the install: ingest then hashes in WebAssembly and JavaScript (the same
 * bytes, about 6 CPU-seconds slower per 2 GB of blocks). This prints why, and how to retry.
 * Exit code: 0, or 1 with `--strict` when the build failed.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const strict = process.argv.includes('--strict');
const prefix = dirname(dirname(process.execPath));
const gyp = [
  process.env.npm_config_node_gyp,
  join(prefix, 'lib', 'node_modules', 'npm', 'node_modules', 'node-gyp', 'bin', 'node-gyp.js'),
].find((p) => p !== undefined && p !== '' && existsSync(p));

function fail(why) {
  process.stderr.write(
    `ledgerhound: the native accelerator was not built (${why}).\n` +
      'Everything works without it; ingest hashes in WebAssembly instead (about 6 CPU-seconds slower per 2 GB of blocks).\n' +
      'To build it: a C compiler, make and python3, then `npm run build:native`.\n',
  );
  process.exit(strict ? 1 : 0);
}

if (gyp === undefined) fail('node-gyp not found (it comes with npm)');
const args = [gyp, 'rebuild', '--directory', join(root, 'native')];
if (!process.env.npm_config_nodedir && existsSync(join(prefix, 'include', 'node', 'node_api.h'))) args.push(`--nodedir=${prefix}`);
const r = spawnSync(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8', timeout: 300_000 });
if (r.error || r.status !== 0) {
  const log = `${r.stdout ?? ''}${r.stderr ?? ''}`
    .split('\n')
    .filter((l) => /error|ERR!/i.test(l))
    .slice(0, 8)
    .join('\n');
  if (log) process.stderr.write(`${log}\n`);
  fail(r.error ? r.error.message : `node-gyp exited with ${r.status}`);
}
process.stderr.write('ledgerhound: native accelerator built (native/build/Release/ledgerhound.node)\n');
