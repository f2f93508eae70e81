/**
 * Builds the labelled name-matching evaluation set `test/vectors/names/eval.csv` from the real
 * OFAC data in ../shared/data/sanctions (see test/vectors/names/README.md for the method).
 *
 *   npx tsx scripts/names-eval-build.ts            # writes test/vectors/names/eval.csv
 *
 * Deterministic: a fixed-seed PRNG picks the samples, so re-running gives the same file.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadOfac, type SdnEntry } from '../src/labels/sources/ofac/index.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const DATA = join(ROOT, '..', 'shared', 'data', 'sanctions');
const OUT = join(ROOT, 'test', 'vectors', 'names', 'eval.csv');

/** mulberry32: small deterministic PRNG. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const rand = rng(20261121);
function sample<T>(xs: T[], n: number): T[] {
  const a = [...xs];
  for (let i = a.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [a[i], a[j]] = [a[j] as T, a[i] as T];
  }
  return a.slice(0, n);
}

/** Plain tokens for selecting pairs (independent of the matcher: lower-case ASCII letters only). */
const STOP = new Set(['the', 'of', 'and', 'de', 'la', 'el', 'al', 'co', 'ltd', 'llc', 'inc', 'corp', 'sa', 'limited', 'company', 'corporation', 'trading', 'international', 'group', 'general', 'bank', 'for', 'bin', 'ibn', 'abu', 'del', 'los', 'las', 'y', 'cv', 'sas', 'srl', 'gmbh', 'ag', 'jsc', 'ooo', 'industrial', 'industries', 'services', 'investment', 'holding', 'holdings', 'enterprises', 'commercial', 'import', 'export', 'a', 'c', 'sociedad', 'compania', 'comercial', 'shipping', 'organization', 'national', 'foundation', 'trust', 'society', 'charitable', 'committee', 'association', 'fund', 'institute', 'center', 'centre', 'office', 'ministry', 'state', 'republic', 'islamic', 'people', 'peoples', 'democratic', 'korea', 'iran', 'cuba']);
function plainTokens(s: string): string[] {
  return s.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase().replace(/[^a-z0-9]+/g, ' ').trim().split(' ').filter((t) => t.length >= 3 && !STOP.has(t));
}
const plainKey = (s: string) => s.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase().replace(/[^a-z0-9]+/g, ' ').trim().split(' ').sort().join(' ');
const schemaOf = (e: SdnEntry) => (e.type === 'individual' ? 'person' : e.type === 'entity' ? 'organization' : 'vessel');

interface Row {
  name1: string;
  name2: string;
  schema: string;
  label: 0 | 1;
  category: string;
  ent1: number | '';
  ent2: number | '';
  note: string;
}
const rows: Row[] = [];

const bench = await loadOfac(join(DATA, 'ofac-moov-bench'));
const entries = bench.entries;

// 1. aliases as positives: ALT.CSV / remark aliases sharing a content token with the primary name
const aliasPairs: Row[] = [];
for (const e of entries) {
  const pt = new Set(plainTokens(e.name));
  for (const a of e.aliases) {
    if (plainKey(a.name) === plainKey(e.name)) continue;
    // spelling variants, not translations: at least half of the shorter name's content tokens shared
    const at = new Set(plainTokens(a.name));
    const shared = [...at].filter((t) => pt.has(t)).length;
    if (shared === 0 || shared * 2 <= Math.min(at.size, pt.size)) continue;
    aliasPairs.push({ name1: a.name, name2: e.name, schema: schemaOf(e), label: 1, category: 'alias', ent1: e.entNum, ent2: e.entNum, note: `${a.kind} (${a.source ?? ''}, ${a.quality}) of the primary name` });
  }
}
rows.push(...sample(aliasPairs, 1200));

// 2. primary names as a customer would type them: "LAST, First" → "First Last", mixed case, no punctuation
const indiv = entries.filter((e) => e.type === 'individual' && e.name.includes(','));
for (const e of sample(indiv, 250)) {
  const [last, first] = e.name.split(/,\s*/, 2) as [string, string];
  const typed = `${first} ${last}`.toLowerCase().replace(/\b\p{L}/gu, (c) => c.toUpperCase()).replace(/[.,]/g, '');
  rows.push({ name1: typed, name2: e.name, schema: 'person', label: 1, category: 'reordered', ent1: e.entNum, ent2: e.entNum, note: 'primary name reordered first-last, title case, punctuation removed' });
}
// 3. one typing error in the longest part (drop, double or swap one letter)
for (const e of sample(entries.filter((x) => x.name.length >= 8), 250)) {
  const parts = e.name.split(' ');
  let li = 0;
  parts.forEach((p, i) => {
    if (p.length > (parts[li] as string).length) li = i;
  });
  const p = parts[li] as string;
  const k = 1 + Math.floor(rand() * (p.length - 2));
  const op = Math.floor(rand() * 3);
  parts[li] = op === 0 ? p.slice(0, k) + p.slice(k + 1) : op === 1 ? p.slice(0, k) + (p[k] as string) + p.slice(k) : p.slice(0, k - 1) + (p[k] as string) + (p[k - 1] as string) + p.slice(k + 1);
  rows.push({ name1: parts.join(' '), name2: e.name, schema: schemaOf(e), label: 1, category: 'typo', ent1: e.entNum, ent2: e.entNum, note: ['letter dropped', 'letter doubled', 'letters swapped'][op] as string });
}

// 4. hard negatives: different entries of the same type sharing a content token, names not equal
const byToken = new Map<string, SdnEntry[]>();
for (const e of entries) for (const t of new Set(plainTokens(e.name))) byToken.set(t, [...(byToken.get(t) ?? []), e]);
const names = (e: SdnEntry) => new Set([e.name, ...e.aliases.map((a) => a.name)].map(plainKey));
const negs: Row[] = [];
const seenPair = new Set<string>();
for (const [, es] of byToken) {
  if (es.length < 2 || es.length > 400) continue;
  for (let k = 0; k < Math.min(6, es.length); k++) {
    const a = es[Math.floor(rand() * es.length)] as SdnEntry;
    const b = es[Math.floor(rand() * es.length)] as SdnEntry;
    if (a.entNum === b.entNum || a.type !== b.type) continue;
    const key = a.entNum < b.entNum ? `${a.entNum}-${b.entNum}` : `${b.entNum}-${a.entNum}`;
    if (seenPair.has(key)) continue;
    const na = names(a);
    if ([...names(b)].some((n) => na.has(n))) continue; // same name listed twice: not a negative
    seenPair.add(key);
    negs.push({ name1: a.name, name2: b.name, schema: schemaOf(a), label: 0, category: 'hard-negative', ent1: a.entNum, ent2: b.entNum, note: 'different entries sharing a name part' });
  }
}
rows.push(...sample(negs, 1500));

// 5. generic words alone vs real entity names containing them
const generic = ['TRADING CORP', 'INTERNATIONAL GROUP LTD', 'GENERAL TRADING LLC', 'GLOBAL INVESTMENT CO', 'INTERNATIONAL TRADING COMPANY LIMITED', 'CORP', 'TRADING', 'INTERNATIONAL', 'HOLDING COMPANY', 'SHIPPING CO LTD', 'COMMERCIAL BANK', 'IMPORT EXPORT COMPANY'];
const ents = entries.filter((e) => e.type === 'entity');
for (const g of generic) {
  const gt = g.toLowerCase().split(' ').filter((t) => t.length >= 4);
  const hits = ents.filter((e) => gt.some((t) => e.name.toLowerCase().includes(t)));
  for (const e of sample(hits, 6)) rows.push({ name1: g, name2: e.name, schema: 'organization', label: 0, category: 'generic', ent1: '', ent2: e.entNum, note: 'generic words only' });
}

// 6. DPRK: hand-written romanisations and Hangul (test/vectors/names/dprk_variants.csv)
const current = await loadOfac([join(DATA, 'ofac-sdn-2024-05-03', 'sdn.csv')]);
const byName = new Map(current.entries.map((e) => [e.name, e]));
const parseCsv = (text: string): string[][] =>
  text.trim().split('\n').slice(1).map((line) => [...line.matchAll(/"([^"]*)"|([^,]+)|(?<=,)(?=,|$)/g)].map((m) => m[1] ?? m[2] ?? ''));
for (const [ofac, variant, system, note] of parseCsv(readFileSync(join(ROOT, 'test', 'vectors', 'names', 'dprk_variants.csv'), 'utf8'))) {
  const e = byName.get(ofac as string);
  if (!e) throw new Error(`dprk_variants.csv: ${ofac} is not a primary name in the 2024-05-03 SDN list`);
  rows.push({ name1: variant as string, name2: ofac as string, schema: 'person', label: 1, category: 'dprk', ent1: '', ent2: e.entNum, note: `${system}; ${note}` });
}
for (const [a, b, note] of parseCsv(readFileSync(join(ROOT, 'test', 'vectors', 'names', 'dprk_negatives.csv'), 'utf8'))) {
  rows.push({ name1: a as string, name2: b as string, schema: 'person', label: 0, category: 'dprk-negative', ent1: '', ent2: '', note: note as string });
}
// DPRK hard negatives from the list: same surname, one given-name part shared, different entries
const dprk = current.entries.filter((e) => e.type === 'individual' && e.programs.some((p) => p.startsWith('DPRK')) && e.name.includes(','));
const dprkNegs: Row[] = [];
for (let i = 0; i < dprk.length; i++) {
  for (let j = i + 1; j < dprk.length; j++) {
    const a = dprk[i] as SdnEntry;
    const b = dprk[j] as SdnEntry;
    const [sa, ga] = a.name.toLowerCase().split(/,\s*/) as [string, string];
    const [sb, gb] = b.name.toLowerCase().split(/,\s*/) as [string, string];
    if (sa !== sb || ga.replace(/[\s-]+/g, ' ') === gb.replace(/[\s-]+/g, ' ')) continue;
    const pa = ga.split(/[\s-]+/);
    const pb = gb.split(/[\s-]+/);
    if (!pa.some((p) => pb.includes(p))) continue;
    dprkNegs.push({ name1: a.name, name2: b.name, schema: 'person', label: 0, category: 'dprk-negative', ent1: a.entNum, ent2: b.entNum, note: 'DPRK individuals: same surname, one given-name syllable shared' });
  }
}
rows.push(...sample(dprkNegs, 150));

const q = (s: string | number) => (typeof s === 'number' ? String(s) : /[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);
const out = ['name1,name2,schema,label,category,ent_num1,ent_num2,note', ...rows.map((r) => [r.name1, r.name2, r.schema, r.label, r.category, r.ent1, r.ent2, r.note].map(q).join(','))];
writeFileSync(OUT, `${out.join('\n')}\n`);
const count = (c: string, l: number) => rows.filter((r) => r.category === c && r.label === l).length;
process.stdout.write(`${OUT}: ${rows.length} pairs (alias ${count('alias', 1)}, reordered ${count('reordered', 1)}, typo ${count('typo', 1)}, dprk ${count('dprk', 1)}, hard-negative ${count('hard-negative', 0)}, generic ${count('generic', 0)}, dprk-negative ${count('dprk-negative', 0)})\n`);
