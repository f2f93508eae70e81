import { readFileSync } from 'node:fs';
import { ParseError } from '../../core/index.js';
import { CALIBRATION, calibrate, DEFAULT_THRESHOLD } from './calibration.js';
import type { NameIndex } from './nameIndex.js';
import type { NameType } from './normalize.js';

/** One labelled pair of `test/vectors/names/eval.csv`. */
export interface EvalPair {
  name1: string;
  name2: string;
  schema: NameType;
  label: 0 | 1;
  category: string;
  /** OFAC ent_num of name2's entry, when the set gives it. */
  entNum2: number | null;
  row: number;
}

/** Splits one CSV line (RFC 4180 quotes). */
export function splitCsvLine(line: string): string[] {
  const out: string[] = [];
  let cur = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i] as string;
    if (quoted) {
      if (ch === '"' && line[i + 1] === '"') {
        cur += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else cur += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      out.push(cur);
      cur = '';
    } else cur += ch;
  }
  out.push(cur);
  return out;
}

/** Reads the labelled set. @throws ParseError naming the line of a malformed row */
export function readEvalSet(path: string): EvalPair[] {
  const lines = readFileSync(path, 'utf8').split('\n').filter((l) => l.trim() !== '');
  const header = splitCsvLine(lines[0] ?? '');
  const idx = (n: string) => header.indexOf(n);
  return lines.slice(1).map((line, i) => {
    const f = splitCsvLine(line);
    const label = f[idx('label')];
    if (label !== '0' && label !== '1') throw new ParseError({ file: path, offset: 0, field: `line ${i + 2} label` }, `expected 0 or 1, found ${JSON.stringify(label)}`);
    return { name1: f[idx('name1')] ?? '', name2: f[idx('name2')] ?? '', schema: (f[idx('schema')] || 'any') as NameType, label: label === '1' ? 1 : 0, category: f[idx('category')] ?? '', entNum2: /^\d+$/.test(f[idx('ent_num2')] ?? '') ? Number(f[idx('ent_num2')]) : null, row: i + 2 } as EvalPair;
  });
}

/** Plain Levenshtein similarity of lower-cased strings: the baseline. */
export function levenshteinSimilarity(a: string, b: string): number {
  const x = a.toLowerCase();
  const y = b.toLowerCase();
  if (x === y) return 1;
  const prev = Array.from({ length: y.length + 1 }, (_, j) => j);
  for (let i = 1; i <= x.length; i++) {
    let diag = prev[0] as number;
    prev[0] = i;
    for (let j = 1; j <= y.length; j++) {
      const t = prev[j] as number;
      prev[j] = Math.min((prev[j] as number) + 1, (prev[j - 1] as number) + 1, diag + (x[i - 1] === y[j - 1] ? 0 : 1));
      diag = t;
    }
  }
  return 1 - (prev[y.length] as number) / Math.max(x.length, y.length, 1);
}

export interface Metrics {
  n: number;
  tp: number;
  fp: number;
  fn: number;
  tn: number;
  precision: number;
  recall: number;
  f1: number;
}

export function metrics(scores: number[], labels: number[], threshold: number): Metrics {
  let tp = 0;
  let fp = 0;
  let fn = 0;
  let tn = 0;
  scores.forEach((s, i) => {
    const pos = s >= threshold;
    if (labels[i] === 1) pos ? tp++ : fn++;
    else pos ? fp++ : tn++;
  });
  const precision = tp + fp === 0 ? 1 : tp / (tp + fp);
  const recall = tp + fn === 0 ? 1 : tp / (tp + fn);
  const f1 = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
  return { n: scores.length, tp, fp, fn, tn, precision, recall, f1 };
}

/** Threshold maximising F1 over a set of scores (the baseline gets its best threshold). */
export function bestThreshold(scores: number[], labels: number[]): number {
  let best = 0.5;
  let bestF1 = -1;
  for (let t = 0.3; t <= 0.99; t += 0.01) {
    const m = metrics(scores, labels, t);
    if (m.f1 > bestF1) {
      bestF1 = m.f1;
      best = Math.round(t * 100) / 100;
    }
  }
  return best;
}

/** Logistic regression p = σ(a·x + b) by gradient descent (for calibration fitting). */
export function fitLogistic(xs: number[], ys: number[]): { a: number; b: number } {
  let a = 10;
  let b = -8;
  for (let it = 0; it < 20000; it++) {
    let ga = 0;
    let gb = 0;
    for (let i = 0; i < xs.length; i++) {
      const p = 1 / (1 + Math.exp(-(a * (xs[i] as number) + b)));
      const e = p - (ys[i] as number);
      ga += e * (xs[i] as number);
      gb += e;
    }
    a -= (0.5 * ga) / xs.length * 10;
    b -= (0.5 * gb) / xs.length * 10;
  }
  return { a: Math.round(a * 100) / 100, b: Math.round(b * 100) / 100 };
}

export interface EvalReport {
  pairs: number;
  threshold: number;
  calibration: { a: number; b: number };
  matcher: Metrics;
  /** The matcher on the held-out odd rows only (the calibration was fitted on the even rows). */
  matcherHeldOut: Metrics;
  baseline: Metrics & { threshold: number };
  byCategory: { category: string; n: number; matcherCorrect: number; baselineCorrect: number }[];
  dprkRecall: number;
  baselineDprkRecall: number;
  /** Held-out half (odd rows): calibration reliability, mean predicted vs observed positive rate per bin. */
  reliability: { bin: string; n: number; meanScore: number; positiveRate: number }[];
  failures: { row: number; name1: string; name2: string; label: number; score: number; category: string }[];
}

/**
 * Runs the matcher and the Levenshtein baseline on a labelled set.
 * @param index list index whose token rarity weights the matcher (as in screening)
 */
export function evaluate(pairs: EvalPair[], index: NameIndex, threshold = DEFAULT_THRESHOLD): EvalReport & { raw: number[] } {
  const raw = pairs.map((p) => index.compare(p.name1, p.name2, p.schema).raw);
  const scores = raw.map(calibrate);
  const labels = pairs.map((p) => p.label);
  const base = pairs.map((p) => levenshteinSimilarity(p.name1, p.name2));
  const bt = bestThreshold(base, labels);
  const cats = [...new Set(pairs.map((p) => p.category))];
  const dprk = pairs.map((p, i) => ({ p, i })).filter(({ p }) => p.category === 'dprk');
  const reliability: EvalReport['reliability'] = [];
  const held = pairs.map((p, i) => ({ p, i })).filter(({ p }) => p.row % 2 === 1);
  for (let lo = 0; lo < 1; lo += 0.2) {
    const inBin = held.filter(({ i }) => (scores[i] as number) >= lo && ((scores[i] as number) < lo + 0.2 || (lo >= 0.79 && (scores[i] as number) <= 1)));
    if (inBin.length === 0) continue;
    reliability.push({
      bin: `${lo.toFixed(1)}–${(lo + 0.2).toFixed(1)}`,
      n: inBin.length,
      meanScore: inBin.reduce((s, { i }) => s + (scores[i] as number), 0) / inBin.length,
      positiveRate: inBin.filter(({ p }) => p.label === 1).length / inBin.length,
    });
  }
  return {
    pairs: pairs.length,
    threshold,
    calibration: { a: CALIBRATION.a, b: CALIBRATION.b },
    matcher: metrics(scores, labels, threshold),
    matcherHeldOut: metrics(
      held.map(({ i }) => scores[i] as number),
      held.map(({ p }) => p.label),
      threshold,
    ),
    baseline: { ...metrics(base, labels, bt), threshold: bt },
    byCategory: cats.map((c) => {
      const ix = pairs.map((p, i) => ({ p, i })).filter(({ p }) => p.category === c);
      return {
        category: c,
        n: ix.length,
        matcherCorrect: ix.filter(({ p, i }) => ((scores[i] as number) >= threshold ? 1 : 0) === p.label).length,
        baselineCorrect: ix.filter(({ p, i }) => ((base[i] as number) >= bt ? 1 : 0) === p.label).length,
      };
    }),
    dprkRecall: dprk.filter(({ i }) => (scores[i] as number) >= threshold).length / Math.max(1, dprk.length),
    baselineDprkRecall: dprk.filter(({ i }) => (base[i] as number) >= bt).length / Math.max(1, dprk.length),
    reliability,
    failures: pairs
      .map((p, i) => ({ row: p.row, name1: p.name1, name2: p.name2, label: p.label, score: scores[i] as number, category: p.category }))
      .filter((f) => (f.score >= threshold ? 1 : 0) !== f.label),
    raw,
  };
}
