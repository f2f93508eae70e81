/**
 * Tracing accuracy per policy over several simulator seeds (the table in docs/TRACING.md): for each seed,
 * `sim bitcoin --preset demo` → `ingest bitcoin` → `cluster` → exchanges labelled from truth (TagPack) →
 * forward trace from each incident's theft outputs, scored with the simulator's truth (test/trace/accuracy.ts).
 * Accuracy, not speed: the walk time is printed only for reference.
 *
 * Usage: npx tsx bench/traceAccuracy.ts [--seeds 21,22,23] [--preset demo | --scale 0.1]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadTruth } from '../src/sim/index.js';
import { Database } from '../src/store/index.js';
import { TraceSession } from '../src/trace/index.js';
import { runCli } from '../test/helpers/cli.js';
import { type IncidentAccuracy, scoreIncidents } from '../test/trace/accuracy.js';
import { writeSimTagPack } from '../test/trace/simLabels.js';

const arg = (name: string, dflt: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] !== undefined ? process.argv[i + 1]! : dflt;
};
const seeds = arg('seeds', '21,22,23').split(',').map(Number);
const scale = arg('scale', '');
const size = scale ? ['--scale', scale] : ['--preset', 'demo'];

function run(args: string[]): void {
  const r = runCli(args);
  if (r.code !== 0) throw new Error(`${args.join(' ')}: ${r.stderr}`);
}

const all: (IncidentAccuracy & { seed: number })[] = [];
for (const seed of seeds) {
  const dir = mkdtempSync(join(tmpdir(), 'lh-trace-acc-'));
  try {
    const db = join(dir, 'db.duckdb');
    run(['sim', 'bitcoin', '--out', join(dir, 'sim'), ...size, '--seed', String(seed), '--truth-format', 'json']);
    run(['--db', db, 'ingest', 'bitcoin', '--blocks-dir', join(dir, 'sim', 'blocks')]);
    run(['--db', db, 'cluster']);
    const truth = loadTruth(join(dir, 'sim', 'truth.json'));
    writeSimTagPack(truth, join(dir, 'x.yaml'));
    run(['--db', db, 'label', 'import', 'tagpack', join(dir, 'x.yaml')]);
    const handle = await Database.open(db, { readOnly: true });
    try {
      const session = await TraceSession.open(handle);
      for (const p of ['poison', 'haircut', 'fifo']) for (const a of await scoreIncidents(session, truth, p)) all.push({ ...a, seed });
    } finally {
      handle.close();
    }
    console.error(`seed ${seed} done`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const f = (x: number) => x.toFixed(3);
const btc = (s: number) => (s / 1e8).toFixed(2);
console.log('| seed | policy | recall | precision | no-CoinJoin recall | no-CoinJoin precision | CoinJoin recall | CoinJoin precision | innocent flagged (BTC) | stolen (BTC) | through CoinJoin (BTC) |');
console.log('|---|---|---|---|---|---|---|---|---|---|---|');
for (const a of all) {
  console.log(
    `| ${a.seed} | ${a.policy} | ${f(a.recall)} | ${f(a.precision)} | ${f(a.noCoinJoin.recall)} | ${f(a.noCoinJoin.precision)} | ${f(a.coinJoin.recall)} | ${f(a.coinJoin.precision)} | ${btc(a.innocentFlaggedSat)} | ${btc(a.stolenSat)} | ${btc(a.mixedSat)} |`,
  );
}
for (const p of ['poison', 'haircut', 'fifo']) {
  const xs = all.filter((a) => a.policy === p);
  const mean = (g: (a: IncidentAccuracy) => number) => f(xs.reduce((s, a) => s + g(a), 0) / xs.length);
  console.log(
    `| mean | ${p} | ${mean((a) => a.recall)} | ${mean((a) => a.precision)} | ${mean((a) => a.noCoinJoin.recall)} | ${mean((a) => a.noCoinJoin.precision)} | ${mean((a) => a.coinJoin.recall)} | ${mean((a) => a.coinJoin.precision)} | ${btc(xs.reduce((s, a) => s + a.innocentFlaggedSat, 0) / xs.length)} | | |`,
  );
}
