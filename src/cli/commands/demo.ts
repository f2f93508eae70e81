/**
 * `ledgerhound demo [--dir DIR] [--seed N] [--port 8080] [--no-serve]`: the one-command demo. Simulates a
 * small Lazarus-style exchange hack, ingests, clusters and labels it (src/cli/demo/buildDemo.ts), then
 * serves the investigator UI on loopback and prints the URL of the incident page.
 */
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { openServer } from '../../api/index.js';
import { UsageError } from '../../core/index.js';
import { globalOptions, printErr, printJson, printLine } from '../context.js';
import { buildDemo } from '../demo/buildDemo.js';
import { defaultWebDist, LOOPBACK, parsePort } from './serve.js';

export function register(program: Command): void {
  program
    .command('demo')
    .description('simulate a Lazarus-style exchange hack, ingest, cluster and label it, and serve the UI on loopback')
    .option('--dir <dir>', 'folder for the simulated blocks, label files and the database (replaced if an earlier demo)', 'ledgerhound-demo')
    .option('--seed <n>', 'simulator seed', '1')
    .option('--port <port>', 'TCP port of the UI and API (0: any free port)', '8080')
    .option('--host <host>', 'loopback interface to bind (the demo runs without API keys)', '127.0.0.1')
    .option('--no-serve', 'build the demo database and exit')
    .action(async (o: { dir: string; seed: string; port: string; host: string; serve: boolean }, cmd: Command) => {
      const g = globalOptions(cmd);
      const seed = Number(o.seed);
      if (!Number.isSafeInteger(seed) || seed < 0) throw new UsageError(`--seed must be a non-negative integer, got ${JSON.stringify(o.seed)}`);
      const port = parsePort(o.port);
      if (!LOOPBACK.has(o.host)) throw new UsageError(`the demo serves without authentication, so only on loopback (127.0.0.1, ::1, localhost), not ${o.host}`);
      const dir = resolve(o.dir);
      printErr(`ledgerhound demo in ${dir}`);
      const demo = await buildDemo({ dir, seed, onStep: (step, ms) => printErr(`  ${step.padEnd(9)} ${(ms / 1000).toFixed(1)} s`) });
      const facts = {
        dir,
        db: demo.dbPath,
        blocksDir: demo.blocksDir,
        incident: { id: demo.incidentId, name: demo.incident.name, stolenBtc: demo.incident.stolenSat / 1e8 },
        cashOutEntities: demo.cashOutEntities,
        timings: demo.timings,
      };
      if (!o.serve) {
        if (g.json) printJson(facts);
        else {
          printLine(`demo database: ${demo.dbPath}`);
          printLine(`try: ledgerhound --db ${demo.dbPath} trace --incident ${demo.incidentId}`);
        }
        return;
      }
      const server = await openServer({ dbPath: demo.dbPath, version: program.version() ?? '0.0.0', keys: 'none', webDist: defaultWebDist(), waitForIndex: true });
      const base = await server.app.listen({ port, host: o.host });
      const url = `${base}/#/incident/${demo.incidentId}`;
      if (g.json) printJson({ ...facts, url });
      else {
        printLine(`${demo.incident.name}: ${demo.incident.stolenSat / 1e8} BTC stolen, cashed out at ${demo.cashOutEntities.join(', ')}`);
        printLine(`open ${url}`);
        printLine(`CLI: ledgerhound --db ${demo.dbPath} trace --incident ${demo.incidentId}`);
        printErr('serving on loopback without API keys; Ctrl-C stops');
      }
      await new Promise<void>((done) => {
        const stop = () => {
          process.off('SIGINT', stop);
          process.off('SIGTERM', stop);
          server.close().then(done, done);
        };
        process.on('SIGINT', stop);
        process.on('SIGTERM', stop);
      });
    });
}
