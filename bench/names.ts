/**
 * Name screening latency: one name against the full SDN list with all aliases, in process.
 * Lists: the 2024-05-03 SDN.CSV (+2025 SDN_COMMENTS continuations; 14,965 entries, remark
 * a.k.a.s ≈ 18.6k names) and the complete ~2021 moov bench set (SDN+ALT, ≈ 23k names).
 * Queries: every name1 of test/vectors/names/eval.csv (variants, typos, Hangul, Cyrillic, hard
 * negatives, generic words), each screened once per round after a warm-up round.
 * Baseline, same run: a linear scan with plain Levenshtein similarity over every listed name
 * (what a naive screener does), on a sample of the same queries.
 * Usage: npm run bench:names [-- --rounds 3]
 */
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { loadOfac } from '../src/labels/sources/ofac/index.js';
import { levenshteinSimilarity, NameIndex, readEvalSet } from '../src/screen/names/index.js';
import { REPO_ROOT } from '../test/helpers/cli.js';
import { sharedPath } from '../test/helpers/sharedData.js';

const rounds = Number(process.argv[process.argv.indexOf('--rounds') + 1]) || 3;
const evalPairs = readEvalSet(join(REPO_ROOT, 'test', 'vectors', 'names', 'eval.csv'));
const queries = [...new Set(evalPairs.map((p) => p.name1))];

function pct(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] as number;
}

const lists: [string, string[]][] = [
  ['OFAC SDN 2024-05-03 (+2025 comments)', [sharedPath('sanctions', 'ofac-sdn-2024-05-03', 'sdn.csv'), sharedPath('sanctions', 'ofac-moov-2025', 'sdn_comments.csv')]],
  ['OFAC moov bench set (SDN+ALT, ~2021)', [sharedPath('sanctions', 'ofac-moov-bench')]],
];
for (const [label, paths] of lists) {
  const ds = await loadOfac(paths);
  const t0 = performance.now();
  const index = NameIndex.build(ds.entries, label);
  const buildMs = performance.now() - t0;
  const allNames = ds.entries.flatMap((e) => [e.name, ...e.aliases.map((a) => a.name)]);
  console.log(`\n${label}: ${ds.entries.length} entries, ${index.size} names; index built in ${buildMs.toFixed(0)} ms; ${queries.length} distinct queries × ${rounds} rounds`);
  for (const q of queries) index.screen({ name: q }); // warm-up
  const lat: number[] = [];
  const cpu: number[] = [];
  let hits = 0;
  for (let r = 0; r < rounds; r++) {
    for (const q of queries) {
      const c0 = process.cpuUsage();
      const s = performance.now();
      const res = index.screen({ name: q });
      lat.push(performance.now() - s);
      const c = process.cpuUsage(c0);
      cpu.push((c.user + c.system) / 1000);
      hits += res.hits.length;
    }
  }
  const med = pct(lat, 50);
  const p99 = pct(lat, 99);
  console.log(`  ledgerhound index   median ${(med * 1000).toFixed(0).padStart(6)} µs   p99 ${(p99 * 1000).toFixed(0).padStart(6)} µs   wall clock (${(hits / rounds / queries.length).toFixed(2)} hits/query)`);
  console.log(`                      median ${(pct(cpu, 50) * 1000).toFixed(0).padStart(6)} µs   p99 ${(pct(cpu, 99) * 1000).toFixed(0).padStart(6)} µs   process CPU time (less sensitive to other load on the machine)`);
  // screening recall: a positive pair's name1 must bring its entry (ent_num2) among the hits
  // (only pairs whose name2 is that entry's primary name or alias in this list: ent_nums are stable across vintages, names may not be)
  const byNum = new Map(ds.entries.map((e) => [e.entNum, e]));
  const positives = evalPairs.filter((p) => {
    const e = p.label === 1 && p.entNum2 !== null ? byNum.get(p.entNum2) : undefined;
    return e !== undefined && (e.name === p.name2 || e.aliases.some((a) => a.name === p.name2));
  });
  const found = positives.filter((p) => index.screen({ name: p.name1, type: p.schema }).hits.some((h) => h.entNum === p.entNum2)).length;
  console.log(`  screening recall on the eval set's positive pairs whose entry is in this list: ${((100 * found) / Math.max(1, positives.length)).toFixed(1)}% (${found}/${positives.length})`);
  // baseline: linear Levenshtein scan (sampled: it is ~1000× slower)
  const sample = queries.filter((_, i) => i % 25 === 0);
  const base: number[] = [];
  for (const q of sample) {
    const s = performance.now();
    let best = 0;
    for (const n of allNames) {
      const v = levenshteinSimilarity(q, n);
      if (v > best) best = v;
    }
    base.push(performance.now() - s);
  }
  const bmed = pct(base, 50);
  const bp99 = pct(base, 99);
  console.log(`  Levenshtein scan    median ${(bmed * 1000).toFixed(0).padStart(6)} µs   p99 ${(bp99 * 1000).toFixed(0).padStart(6)} µs   (${sample.length} queries)`);
  console.log(`  ratio (baseline / index): median ${(bmed / med).toFixed(0)}×, p99 ${(bp99 / p99).toFixed(0)}×; target p99 < 1000 µs (wall clock): ${p99 < 1 ? 'met' : 'NOT met'}`);
}
console.log(`\nmachine load average (1/5/15 min): ${loadavg().map((x) => x.toFixed(1)).join(' / ')} on ${cpus().length} CPUs`);
