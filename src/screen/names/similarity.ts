import { toJamo } from './hangul.js';
import { foldToken, type NameForm, type NameToken, type PreparedName, type TokenKind } from './normalize.js';

/**
 * Token and name similarity. Tokens are compared on their phonetic folds with a weighted
 * edit distance (vowel ↔ vowel and k/g, t/d, p/b, s/z, l/r, f/p, v/b substitutions are cheap;
 * vowels and h are cheap to insert), adjacent tokens may merge ("jong un" ↔ "jongun"), an
 * initial matches a word with that letter, and the name score is the weighted share of aligned
 * tokens in both names, order-free.
 */

const VOWEL_CHARS = 'aeiou';
const CHEAP_PAIRS = ['kg', 'td', 'pb', 'sz', 'lr', 'fp', 'vb'];
/** Substitution costs by char code (ASCII): vowel↔vowel 0.5, cheap consonant pairs 0.4, else 1. */
const SUB = new Float64Array(128 * 128).fill(1);
/** Insertion/deletion costs: vowels 0.6, h 0.5, else 1. */
const INDEL = new Float64Array(128).fill(1);
for (let i = 0; i < 128; i++) SUB[i * 128 + i] = 0;
for (const a of VOWEL_CHARS) {
  INDEL[a.charCodeAt(0)] = 0.6;
  for (const b of VOWEL_CHARS) if (a !== b) SUB[a.charCodeAt(0) * 128 + b.charCodeAt(0)] = 0.5;
}
INDEL['h'.charCodeAt(0)] = 0.5;
for (const p of CHEAP_PAIRS) {
  const x = p.charCodeAt(0);
  const y = p.charCodeAt(1);
  SUB[x * 128 + y] = 0.4;
  SUB[y * 128 + x] = 0.4;
}

const row0 = new Float64Array(64);
const row1 = new Float64Array(64);

const row2 = new Float64Array(64);
/** Cost of swapping two adjacent letters ("sepah" ↔ "seaph"). */
const TRANSPOSE = 0.5;

/**
 * Weighted edit distance (with adjacent transpositions) between two folded tokens (ASCII, ≤ 63
 * chars compared). With `strictVowels` (one-syllable tokens) every edit but a cheap consonant
 * substitution (k/g, p/b, t/d, l/r …) costs double: "mun" ≠ "min", "yong" ≠ "myong", "gi" ≈ "ki".
 */
export function weightedDistance(a: string, b: string, strictVowels = false, budget = Number.POSITIVE_INFINITY): number {
  const n = Math.min(a.length, 63);
  const m = Math.min(b.length, 63);
  let prev2 = row2;
  let prev = row0;
  let cur = row1;
  let prevRowMin = 0;
  prev[0] = 0;
  for (let j = 1; j <= m; j++) prev[j] = (prev[j - 1] as number) + (INDEL[b.charCodeAt(j - 1) & 127] as number) * (strictVowels ? 2 : 1);
  for (let i = 1; i <= n; i++) {
    const ca = a.charCodeAt(i - 1) & 127;
    const delA = (INDEL[ca] as number) * (strictVowels ? 2 : 1);
    const rowBase = ca * 128;
    cur[0] = (prev[0] as number) + delA;
    let rowMin = cur[0] as number;
    for (let j = 1; j <= m; j++) {
      const cb = b.charCodeAt(j - 1) & 127;
      const del = (prev[j] as number) + delA;
      const ins = (cur[j - 1] as number) + (INDEL[cb] as number) * (strictVowels ? 2 : 1);
      const sc = SUB[rowBase + cb] as number;
      const sub = (prev[j - 1] as number) + (strictVowels && sc !== 0.4 ? 2 * sc : sc);
      let best = Math.min(del, ins, sub);
      if (i > 1 && j > 1 && ca !== cb && ca === (b.charCodeAt(j - 2) & 127) && (a.charCodeAt(i - 2) & 127) === cb) {
        const tr = (prev2[j - 2] as number) + TRANSPOSE;
        if (tr < best) best = tr;
      }
      cur[j] = best;
      if (best < rowMin) rowMin = best;
    }
    // a path crosses this row or (by a transposition) the one before: both past the budget → stop
    if (rowMin > budget && prevRowMin > budget) return rowMin;
    prevRowMin = rowMin;
    const t = prev2;
    prev2 = prev;
    prev = cur;
    cur = t;
  }
  return prev[m] as number;
}

function letterMask(s: string): number {
  let m = 0;
  for (let i = 0; i < s.length; i++) m |= 1 << ((s.charCodeAt(i) - 97) & 31);
  return m;
}
function popcount(x: number): number {
  let v = x - ((x >>> 1) & 0x55555555);
  v = (v & 0x33333333) + ((v >>> 2) & 0x33333333);
  return (((v + (v >>> 4)) & 0x0f0f0f0f) * 0x01010101) >>> 24;
}

/** One vowel group: a single syllable such as "jong", "hiok", "un". */
const MONOSYLLABLE = /^[^aeiou]*[aeiou]+[^aeiou]*$/;

/** Similarity in [0,1] of two folded tokens; consonant skeletons when one side is abjad (Arabic script). */
export function tokenSimilarity(a: string, b: string, abjad = false): number {
  if (a === b) return 1;
  if (abjad) {
    const sa = a.replace(/[aeiou]/g, '');
    const sb = b.replace(/[aeiou]/g, '');
    if (sa === '' || sb === '') return 0;
    return sa === sb ? 0.95 : Math.max(0, 1 - weightedDistance(sa, sb) / Math.max(sa.length, sb.length)) * 0.95;
  }
  const max = Math.max(a.length, b.length);
  if (max === 0) return 0;
  // lower bound of the distance (each extra letter costs ≥ 0.5): skip pairs that cannot align
  const lb = Math.abs(a.length - b.length) * 0.5;
  if (1 - (max <= 4 ? 2 * lb : lb) / max < ALIGN_FLOOR) return 0;
  // letters of one token absent from the other each need an edit costing ≥ 0.4
  const ma = letterMask(a);
  const mb = letterMask(b);
  const missing = Math.max(popcount(ma & ~mb), popcount(mb & ~ma));
  if (1 - (0.4 * missing) / max < ALIGN_FLOOR) return 0;
  // one-syllable tokens (Korean and Chinese given-name syllables: "jong", "un", "mun") must not
  // drift: "mun" vs "min", "yong" vs "tong" are other names, so edits other than a voiced/voiceless
  // consonant pair cost double
  const strict = MONOSYLLABLE.test(a) && MONOSYLLABLE.test(b);
  const d = weightedDistance(a, b, strict, (1 - ALIGN_FLOOR) * max);
  const sim = 1 - d / max;
  // a syllable with a letter added, lost or changed ("yong" / "myong") is another syllable
  return strict && sim < DISTINCTIVE_SIM ? 0 : Math.max(0, sim);
}

/**
 * Similarity of two Hangul words by syllables (Levenshtein over syllables, unit costs): each
 * syllable of a Korean given name is a morpheme, so a changed syllable (정 → 종, one jamo) is a
 * different name and earns no partial credit.
 */
export function hangulSimilarity(a: string, b: string): number {
  if (a === b) return 1;
  const A = [...a];
  const B = [...b];
  const prev = new Array<number>(B.length + 1).fill(0).map((_, j) => j);
  for (let i = 1; i <= A.length; i++) {
    let diag = prev[0] as number;
    prev[0] = i;
    for (let j = 1; j <= B.length; j++) {
      const tmp = prev[j] as number;
      prev[j] = Math.min((prev[j] as number) + 1, (prev[j - 1] as number) + 1, diag + (A[i - 1] === B[j - 1] ? 0 : 1));
      diag = tmp;
    }
  }
  return 1 - (prev[B.length] as number) / Math.max(A.length, B.length);
}

/** Base weight of a token kind (before rarity weighting). */
export const KIND_WEIGHT: Record<TokenKind, number> = { word: 1, number: 0.8, initial: 0.35, legal: 0.15, generic: 0.3, particle: 0.2, patronymic: 0.4 };

/** Similarity from which an aligned word counts as distinctive evidence (else: generic-only cap). */
export const DISTINCTIVE_SIM = 0.75;
/** Minimum similarity for two tokens to be aligned at all. */
export const ALIGN_FLOOR = 0.55;
/** Similarity credited to an initial against a word starting with that letter. */
export const INITIAL_SIM = 0.9;
/**
 * Weight given to tokens left unaligned (1 = full Dice penalty, 0 = ignored): a query part missing
 * from the listed name counts more than a listed part (middle name, patronymic) the query omits.
 */
export const UNMATCHED_QUERY_PENALTY = 0.7;
export const UNMATCHED_LISTED_PENALTY = 0.4;

/** One aligned group of tokens, for the explanation. */
export interface AlignedPart {
  query: string;
  candidate: string;
  similarity: number;
  how: 'exact' | 'fold' | 'fuzzy' | 'merged' | 'initial' | 'consonants' | 'hangul';
}

export interface NameScore {
  /** Raw similarity in [0,1] (before calibration). */
  raw: number;
  aligned: AlignedPart[];
  unmatchedQuery: string[];
  unmatchedCandidate: string[];
  /** True when only generic words, legal forms or particles aligned: the score is capped. */
  genericOnly: boolean;
}

/** Cap applied when nothing distinctive aligned ("TRADING CORP" vs "KOREA TRADING CORP"). */
export const GENERIC_ONLY_CAP = 0.3;

type Weigher = (t: NameToken) => number;
export const defaultWeigher: Weigher = (t) => KIND_WEIGHT[t.kind];

/** Two-level cache of token similarities: query fold → listed fold → similarity. */
export type SimCache = Map<string, Map<string, number>>;

// Scratch buffers for candidate pairs (names are capped at 300 characters, so ≤ ~150 tokens a side;
// pairs beyond the buffer are dropped, which only lowers the score of absurd inputs).
const MAX_PAIRS = 4096;
const pSim = new Float64Array(MAX_PAIRS);
const pW = new Float64Array(MAX_PAIRS);
const pQ0 = new Int16Array(MAX_PAIRS);
const pQ1 = new Int16Array(MAX_PAIRS);
const pC0 = new Int16Array(MAX_PAIRS);
const pC1 = new Int16Array(MAX_PAIRS);
const pHow = new Uint8Array(MAX_PAIRS);
const order = new Int32Array(MAX_PAIRS);
const HOW: AlignedPart['how'][] = ['exact', 'fold', 'fuzzy', 'merged', 'initial', 'consonants', 'hangul'];

/**
 * Scores two token lists (one form of each name).
 *
 * @param q query tokens; @param c candidate tokens
 * @param wq / wc weights per token (rarity × kind)
 * @param abjad compare consonant skeletons (one side came from Arabic script)
 * @param simCache optional cache of token-pair similarities
 * @param explain build the aligned/unmatched lists (skipped while ranking candidates)
 */
export function scoreTokens(
  q: NameToken[],
  c: NameToken[],
  wq: ArrayLike<number>,
  wc: ArrayLike<number>,
  abjad = false,
  simCache?: SimCache,
  qMerged?: string[],
  cMerged?: string[],
  explain = true,
): NameScore {
  nPairs = 0;
  for (let i = 0; i < q.length; i++) {
    const a = q[i] as NameToken;
    for (let j = 0; j < c.length; j++) {
      const b = c[j] as NameToken;
      if (a.kind === 'initial' || b.kind === 'initial') {
        if (a.kind === 'initial' && b.kind === 'initial') {
          if (a.fold === b.fold) pushPair(1, i, -1, j, -1, 0, wq, wc);
        } else if ((a.kind === 'initial' ? b.text : a.text).startsWith(a.kind === 'initial' ? a.text : b.text)) {
          pushPair(INITIAL_SIM, i, -1, j, -1, 4, wq, wc);
        }
        continue;
      }
      if ((a.kind === 'number') !== (b.kind === 'number')) continue;
      const s = a.fold === b.fold ? 1 : simCached(a.fold, b.fold, abjad, simCache);
      if (s >= ALIGN_FLOOR) pushPair(s, i, -1, j, -1, a.text === b.text ? 0 : abjad ? 5 : s === 1 ? 1 : 2, wq, wc);
    }
  }
  // merged neighbours: "jong un" ↔ "jongun", "abd al aziz" ↔ "abdalaziz"
  for (let i = 0; i + 1 < q.length; i++) {
    const merged = qMerged?.[i] ?? foldToken((q[i] as NameToken).text + (q[i + 1] as NameToken).text);
    for (let j = 0; j < c.length; j++) {
      const b = c[j] as NameToken;
      if (b.kind !== 'word' || b.fold.length < 3 || Math.abs(b.fold.length - merged.length) > 3) continue;
      const s = simCached(merged, b.fold, abjad, simCache);
      if (s >= 0.8) pushPair(s, i, i + 1, j, -1, 3, wq, wc);
    }
  }
  for (let j = 0; j + 1 < c.length; j++) {
    const merged = cMerged?.[j] ?? foldToken((c[j] as NameToken).text + (c[j + 1] as NameToken).text);
    for (let i = 0; i < q.length; i++) {
      const a = q[i] as NameToken;
      if (a.kind !== 'word' || a.fold.length < 3 || Math.abs(a.fold.length - merged.length) > 3) continue;
      const s = simCached(a.fold, merged, abjad, simCache);
      if (s >= 0.8) pushPair(s, i, -1, j, j + 1, 3, wq, wc);
    }
  }
  const n = nPairs;
  // order by similarity, then weight (insertion sort: n is small)
  for (let k = 0; k < n; k++) {
    let m = k;
    const s = pSim[k] as number;
    const w = pW[k] as number;
    while (m > 0) {
      const o = order[m - 1] as number;
      const so = pSim[o] as number;
      if (so > s || (so === s && (pW[o] as number) >= w)) break;
      order[m] = o;
      m--;
    }
    order[m] = k;
  }
  usedQ.fill(0, 0, q.length);
  usedC.fill(0, 0, c.length);
  let matched = 0;
  let matchedWeight = 0;
  let distinctive = false;
  const aligned: AlignedPart[] = explain ? [] : NONE_ALIGNED;
  for (let k = 0; k < n; k++) {
    const p = order[k] as number;
    const q0 = pQ0[p] as number;
    const q1 = pQ1[p] as number;
    const c0 = pC0[p] as number;
    const c1 = pC1[p] as number;
    if (usedQ[q0] || (q1 >= 0 && usedQ[q1]) || usedC[c0] || (c1 >= 0 && usedC[c1])) continue;
    usedQ[q0] = 1;
    if (q1 >= 0) usedQ[q1] = 1;
    usedC[c0] = 1;
    if (c1 >= 0) usedC[c1] = 1;
    const s = pSim[p] as number;
    const w = pW[p] as number;
    matched += s * w;
    matchedWeight += w;
    if (s >= DISTINCTIVE_SIM && !distinctive && pHow[p] !== 4) {
      distinctive = isDistinctive(q[q0] as NameToken) || (q1 >= 0 && isDistinctive(q[q1] as NameToken)) || isDistinctive(c[c0] as NameToken) || (c1 >= 0 && isDistinctive(c[c1] as NameToken));
    }
    if (explain) {
      aligned.push({
        query: q1 >= 0 ? `${(q[q0] as NameToken).text} ${(q[q1] as NameToken).text}` : (q[q0] as NameToken).text,
        candidate: c1 >= 0 ? `${(c[c0] as NameToken).text} ${(c[c1] as NameToken).text}` : (c[c0] as NameToken).text,
        similarity: Math.round(s * 1000) / 1000,
        how: HOW[pHow[p] as number] as AlignedPart['how'],
      });
    }
  }
  // Unaligned parts. A part only one side has is an omission (middle name, patronymic) and costs
  // little; distinctive parts left over on BOTH sides are a conflict (Jong Man vs Man Chun) and
  // cost fully, as do numbers (BICENTENARIO V vs VI). A repeated part costs nothing ("Ali Ali").
  let qLeft = false;
  let cLeft = false;
  for (let i = 0; i < q.length; i++) if (!usedQ[i] && isDistinctive(q[i] as NameToken) && !isRepeat(q, i)) qLeft = true;
  for (let j = 0; j < c.length; j++) if (!usedC[j] && isDistinctive(c[j] as NameToken) && !isRepeat(c, j)) cLeft = true;
  const conflict = qLeft && cLeft;
  let unmatched = 0;
  const unmatchedQuery: string[] = explain ? [] : NONE;
  const unmatchedCandidate: string[] = explain ? [] : NONE;
  for (let i = 0; i < q.length; i++) {
    if (usedQ[i]) continue;
    const t = q[i] as NameToken;
    if (isRepeat(q, i)) continue;
    unmatched += (conflict || t.kind === 'number' ? 1 : UNMATCHED_QUERY_PENALTY) * (wq[i] as number);
    if (explain) unmatchedQuery.push(t.text);
  }
  for (let j = 0; j < c.length; j++) {
    if (usedC[j]) continue;
    const t = c[j] as NameToken;
    if (isRepeat(c, j)) continue;
    unmatched += (conflict && isDistinctive(t)) || t.kind === 'number' ? wc[j] as number : UNMATCHED_LISTED_PENALTY * (wc[j] as number);
    if (explain) unmatchedCandidate.push(t.text);
  }
  const denom = matchedWeight + unmatched;
  let raw = denom > 0 ? matched / denom : 0;
  const genericOnly = !distinctive;
  if (genericOnly) raw = Math.min(raw, GENERIC_ONLY_CAP);
  return { raw, aligned, unmatchedQuery, unmatchedCandidate, genericOnly };
}

const NONE: string[] = [];
const NONE_ALIGNED: AlignedPart[] = [];
const usedQ = new Uint8Array(1024);
const usedC = new Uint8Array(1024);
let nPairs = 0;

/** True when token k repeats an earlier token of the same name (duplicated part). */
function isRepeat(ts: NameToken[], k: number): boolean {
  const f = (ts[k] as NameToken).fold;
  for (let i = 0; i < k; i++) if ((ts[i] as NameToken).fold === f) return true;
  return false;
}

function isDistinctive(t: NameToken): boolean {
  return t.kind === 'word' || t.kind === 'number';
}

function simCached(a: string, b: string, abjad: boolean, cache: SimCache | undefined): number {
  if (!cache) return tokenSimilarity(a, b, abjad);
  let m = cache.get(a);
  if (m === undefined) {
    m = new Map();
    cache.set(a, m);
  }
  let v = m.get(b);
  if (v === undefined) {
    v = tokenSimilarity(a, b, abjad);
    m.set(b, v);
  }
  return v;
}

function pushPair(s: number, q0: number, q1: number, c0: number, c1: number, how: number, wq: ArrayLike<number>, wc: ArrayLike<number>): void {
  const n = nPairs;
  if (n >= MAX_PAIRS) return;
  pSim[n] = s;
  pQ0[n] = q0;
  pQ1[n] = q1;
  pC0[n] = c0;
  pC1[n] = c1;
  pHow[n] = how;
  pW[n] = (wq[q0] as number) + (q1 >= 0 ? (wq[q1] as number) : 0) + (wc[c0] as number) + (c1 >= 0 ? (wc[c1] as number) : 0);
  nPairs = n + 1;
}

/** Result of comparing two prepared names: the best pair of forms. */
export interface PairComparison extends NameScore {
  queryVia: string;
  candidateVia: string;
}

/** Weights of a form's tokens, cached on the form (weights depend only on the weigher). */
function formWeights(f: NameForm, weigh: Weigher): Float64Array {
  const cached = weightCache.get(f);
  if (cached && cached.weigh === weigh) return cached.w;
  const w = new Float64Array(f.tokens.length);
  f.tokens.forEach((t, i) => {
    w[i] = weigh(t);
  });
  weightCache.set(f, { weigh, w });
  return w;
}
const weightCache = new WeakMap<NameForm, { weigh: Weigher; w: Float64Array }>();

/**
 * Compares two prepared names: Hangul against Hangul by jamo; otherwise every Latin form of one
 * against every form of the other, keeping the best.
 */
export function comparePrepared(a: PreparedName, b: PreparedName, weigh: Weigher = defaultWeigher, simCache?: SimCache, explain = true): PairComparison {
  if (a.hangulWords && b.hangulWords) return compareJamo(a.hangulWords, b.hangulWords);
  let best: PairComparison | null = null;
  let bestA: NameForm | null = null;
  let bestB: NameForm | null = null;
  for (const fa of a.forms) {
    for (const fb of b.forms) {
      const r = compareForms(fa, fb, weigh, simCache, false);
      if (!best || r.raw > best.raw) {
        best = r;
        bestA = fa;
        bestB = fb;
      }
      if (best.raw >= 1) break;
    }
    if (best && best.raw >= 1) break;
  }
  if (explain && bestA && bestB) return compareForms(bestA, bestB, weigh, simCache, true);
  return best as PairComparison;
}

/** One form against one form. */
export function compareForms(fa: NameForm, fb: NameForm, weigh: Weigher = defaultWeigher, simCache?: SimCache, explain = true): PairComparison {
  const abjad = (fa.script === 'arabic') !== (fb.script === 'arabic');
  const r = scoreTokens(fa.tokens, fb.tokens, formWeights(fa, weigh), formWeights(fb, weigh), abjad, abjad ? undefined : simCache, fa.merged, fb.merged, explain);
  return { raw: r.raw, aligned: r.aligned, unmatchedQuery: r.unmatchedQuery, unmatchedCandidate: r.unmatchedCandidate, genericOnly: r.genericOnly, queryVia: fa.via, candidateVia: fb.via };
}

function compareJamo(a: string[], b: string[]): PairComparison {
  const toks = (ws: string[]): NameToken[] => ws.map((w) => ({ text: w, fold: w, kind: 'word' as const }));
  const qa = toks(a);
  const cb = toks(b);
  const pairs: { i: number; j: number; s: number }[] = [];
  a.forEach((x, i) => {
    b.forEach((y, j) => {
      pairs.push({ i, j, s: hangulSimilarity(x, y) });
    });
  });
  pairs.sort((x, y) => y.s - x.s);
  const uq = new Set<number>();
  const uc = new Set<number>();
  let m = 0;
  let mw = 0;
  const aligned: AlignedPart[] = [];
  for (const p of pairs) {
    if (uq.has(p.i) || uc.has(p.j) || p.s < ALIGN_FLOOR) continue;
    uq.add(p.i);
    uc.add(p.j);
    const s = p.s;
    m += 2 * s;
    mw += 2;
    aligned.push({ query: a[p.i] as string, candidate: b[p.j] as string, similarity: Math.round(s * 1000) / 1000, how: 'hangul' });
  }
  const unq = qa.filter((_, i) => !uq.has(i)).map((t) => `${t.text} (${toJamo(t.text)})`);
  const unc = cb.filter((_, j) => !uc.has(j)).map((t) => `${t.text} (${toJamo(t.text)})`);
  const denom = mw + UNMATCHED_QUERY_PENALTY * unq.length + UNMATCHED_LISTED_PENALTY * unc.length;
  return { raw: denom > 0 ? m / denom : 0, aligned, unmatchedQuery: unq, unmatchedCandidate: unc, genericOnly: false, queryVia: 'Hangul (by syllable)', candidateVia: 'Hangul (by syllable)' };
}
