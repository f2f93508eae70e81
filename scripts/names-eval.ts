/**
 * Name-matching accuracy on the labelled set, beside a plain Levenshtein baseline in the same run.
 *
 *   npx tsx scripts/names-eval.ts             # table of precision/recall/F1 (markdown)
 *   npx tsx scripts/names-eval.ts --fit       # also fit the calibration on the even rows
 *   npx tsx scripts/names-eval.ts --failures  # list misclassified pairs
 */
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadOfac } from '../src/labels/sources/ofac/index.js';
import { evaluate, fitLogistic, NameIndex, readEvalSet } from '../src/screen/names/index.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const pairs = readEvalSet(join(ROOT, 'test', 'vectors', 'names', 'eval.csv'));
const ds = await loadOfac(join(ROOT, '..', 'shared', 'data', 'sanctions', 'ofac-moov-bench'));
const index = NameIndex.build(ds.entries);
const r = evaluate(pairs, index);
const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
const out = (s: string) => process.stdout.write(`${s}\n`);
out(`pairs: ${r.pairs} (token rarity from the moov-bench SDN set, ${index.size} names); default threshold ${r.threshold}; calibration a=${r.calibration.a} b=${r.calibration.b}`);
out('');
out('| method | threshold | precision | recall | F1 | DPRK recall |');
out('|---|---|---|---|---|---|');
out(`| ledgerhound matcher | ${r.threshold} (default) | ${pct(r.matcher.precision)} | ${pct(r.matcher.recall)} | ${r.matcher.f1.toFixed(3)} | ${pct(r.dprkRecall)} |`);
out(`| ledgerhound matcher, held-out odd rows only (${r.matcherHeldOut.n} pairs) | ${r.threshold} (default) | ${pct(r.matcherHeldOut.precision)} | ${pct(r.matcherHeldOut.recall)} | ${r.matcherHeldOut.f1.toFixed(3)} | |`);
out(`| Levenshtein baseline | ${r.baseline.threshold} (best F1 on this set) | ${pct(r.baseline.precision)} | ${pct(r.baseline.recall)} | ${r.baseline.f1.toFixed(3)} | ${pct(r.baselineDprkRecall)} |`);
out('');
out('| category | pairs | matcher correct | baseline correct |');
out('|---|---|---|---|');
for (const c of r.byCategory) out(`| ${c.category} | ${c.n} | ${pct(c.matcherCorrect / c.n)} | ${pct(c.baselineCorrect / c.n)} |`);
out('');
out('| calibrated score (held-out odd rows) | pairs | mean score | share that are matches |');
out('|---|---|---|---|');
for (const b of r.reliability) out(`| ${b.bin} | ${b.n} | ${b.meanScore.toFixed(2)} | ${pct(b.positiveRate)} |`);
if (process.argv.includes('--fit')) {
  const even = pairs.map((p, i) => ({ p, i })).filter(({ p }) => p.row % 2 === 0);
  const fit = fitLogistic(even.map(({ i }) => r.raw[i] as number), even.map(({ p }) => p.label));
  out(`\nfitted calibration on ${even.length} even rows: a=${fit.a} b=${fit.b} (put into src/screen/names/calibration.ts)`);
}
if (process.argv.includes('--failures')) {
  for (const f of r.failures) out(`${f.label ? 'FN' : 'FP'} ${f.score.toFixed(3)} [${f.category}] ${f.name1} | ${f.name2}`);
}
