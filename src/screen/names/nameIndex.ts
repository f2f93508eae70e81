import { createHash } from 'node:crypto';
import { UsageError } from '../../core/index.js';
import type { SdnEntry } from '../../labels/sources/ofac/index.js';
import { calibrate, DEFAULT_THRESHOLD } from './calibration.js';
import { NAME_TYPES, type NameForm, type NameToken, type NameType, type PreparedName, prepareName } from './normalize.js';
import { comparePrepared, KIND_WEIGHT, type PairComparison, type SimCache } from './similarity.js';
import type { ScreenNameHit, ScreenNameRequest, ScreenNameResult } from './types.js';

/** One searchable name: an entry's primary name or one alias. */
interface IndexedName {
  entry: number;
  name: string;
  kind: 'primary' | 'aka' | 'fka' | 'nka';
  quality: 'strong' | 'weak';
  prepared: PreparedName;
}

/** Score at and above which a hit is "certain". */
export const CERTAIN_SCORE = 0.95;
/** Most names scored in full per query (ranked by shared-key evidence). */
export const MAX_CANDIDATES = 40;
/** Candidates whose key evidence is below this share of the best candidate's are not scored. */
export const MIN_EVIDENCE_SHARE = 0.5;
const MAX_POSTING_FOR_RECALL = 4000;

/** sha256 over the fields that define an entry for screening (name, type, programmes, aliases, DOB, countries). */
export function entryHash(e: SdnEntry): string {
  const canon = JSON.stringify([e.entNum, e.name, e.type, [...e.programs].sort(), e.aliases.map((a) => [a.kind, a.name, a.quality]).sort(), [...e.birthYears].sort(), [...e.countries].sort()]);
  return createHash('sha256').update(canon).digest('hex');
}

const regionNames = new Intl.DisplayNames(['en'], { type: 'region' });
/** Canonical country key: ISO alpha-2 → English name; "Korea, North" → "north korea"; DPRK → north korea. */
export function countryKey(c: string): string {
  let s = c.trim();
  if (/^[A-Za-z]{2}$/.test(s)) {
    try {
      s = regionNames.of(s.toUpperCase()) ?? s;
    } catch {
      /* not a region code: keep as written */
    }
  }
  s = s.toLowerCase().normalize('NFKD').replace(/\p{M}/gu, '');
  const m = /^([^,]+),\s*(north|south|republic of|democratic republic of the|the)$/.exec(s);
  if (m) s = `${m[2]} ${m[1]}`;
  if (s === 'dprk' || s === "democratic people's republic of korea" || s === 'democratic peoples republic of korea') s = 'north korea';
  if (s === 'republic of korea' || s === 'rok') s = 'south korea';
  return s.replace(/[^a-z ]/g, '').replace(/\s+/g, ' ').trim();
}

const TYPE_FILTER: Record<NameType, ReadonlySet<SdnEntry['type']>> = {
  person: new Set(['individual']),
  organization: new Set(['entity']),
  vessel: new Set(['vessel', 'aircraft']),
  any: new Set(['individual', 'entity', 'vessel', 'aircraft']),
};
const ENTRY_TYPE_TO_NAME_TYPE: Record<SdnEntry['type'], NameType> = { individual: 'person', entity: 'organization', vessel: 'vessel', aircraft: 'vessel' };

/** Keys under which a token is indexed: its fold, a 3-letter prefix, its consonant skeleton. */
function tokenKeys(t: NameToken): string[] {
  if (t.kind === 'legal' || t.kind === 'particle' || t.kind === 'initial') return [];
  const keys = [`f:${t.fold}`];
  if (t.fold.length >= 4) keys.push(`p:${t.fold.slice(0, 3)}`);
  const sk = t.fold.replace(/[aeiou]/g, '');
  if (sk.length >= 2) keys.push(`c:${sk}`);
  return keys;
}

/** Checks a screening request; returns it with defaults. @throws UsageError */
export function checkRequest(req: ScreenNameRequest): Required<Omit<ScreenNameRequest, 'birthYear' | 'country'>> & { birthYear: number | null; country: string | null } {
  if (req === null || typeof req !== 'object') throw new UsageError('request: expected an object with a name');
  const type = req.type ?? 'any';
  if (!NAME_TYPES.includes(type)) throw new UsageError(`type: unknown type ${JSON.stringify(type)}; expected one of ${NAME_TYPES.join(', ')}`, { field: 'type' });
  const threshold = req.threshold ?? DEFAULT_THRESHOLD;
  if (typeof threshold !== 'number' || !Number.isFinite(threshold) || threshold < 0 || threshold > 1) throw new UsageError(`threshold: expected a number in [0,1], got ${JSON.stringify(req.threshold)}`, { field: 'threshold' });
  const limit = req.limit ?? 10;
  if (!Number.isInteger(limit) || limit < 1 || limit > 100) throw new UsageError(`limit: expected an integer in 1..100, got ${JSON.stringify(req.limit)}`, { field: 'limit' });
  const by = req.birthYear ?? null;
  if (by !== null && (!Number.isInteger(by) || by < 1800 || by > 2100)) throw new UsageError(`birthYear: expected a year 1800..2100, got ${JSON.stringify(req.birthYear)}`, { field: 'birthYear' });
  const country = req.country ?? null;
  if (country !== null && (typeof country !== 'string' || country.trim() === '' || country.length > 100)) throw new UsageError('country: expected a country name or ISO alpha-2 code', { field: 'country' });
  if (typeof req.name !== 'string') throw new UsageError('name: expected a string', { field: 'name' });
  return { name: req.name, type, threshold, limit, birthYear: by, country };
}

/**
 * An in-memory search index over an SDN list (all primary names and aliases), built once at load
 * and queried in process: candidates come from an inverted index on token folds, prefixes and
 * consonant skeletons; each candidate is then scored by {@link comparePrepared} with token
 * weights = kind weight × rarity in the list.
 *
 * @example
 * const index = NameIndex.build(dataset.entries, 'sha256-of-sdn.csv');
 * index.screen({ name: 'Kim Jong Un', type: 'person' }).hits[0]?.listedName;
 */
export class NameIndex {
  private readonly names: IndexedName[] = [];
  private readonly postings = new Map<string, number[]>();
  private readonly df = new Map<string, number>();
  private readonly hashes: string[];
  /** Per-name accumulator for candidate scoring (reset after each query). */
  private acc: Float64Array = new Float64Array(0);
  private typeOf: SdnEntry['type'][] = [];

  private constructor(
    readonly entries: readonly SdnEntry[],
    readonly listVersion: string | null,
  ) {
    this.hashes = entries.map(entryHash);
  }

  /** Builds the index; names that cannot be prepared (no letters) are skipped. */
  static build(entries: readonly SdnEntry[], listVersion: string | null = null): NameIndex {
    const ix = new NameIndex(entries, listVersion);
    entries.forEach((e, ei) => {
      const type = ENTRY_TYPE_TO_NAME_TYPE[e.type];
      const add = (name: string, kind: IndexedName['kind'], quality: IndexedName['quality']) => {
        let prepared: PreparedName;
        try {
          prepared = prepareName(name.slice(0, 300), type);
        } catch {
          return;
        }
        const id = ix.names.length;
        ix.names.push({ entry: ei, name, kind, quality, prepared });
        const seen = new Set<string>();
        for (const f of prepared.forms) {
          for (const t of f.tokens) {
            if (!seen.has(`f:${t.fold}`)) ix.df.set(t.fold, (ix.df.get(t.fold) ?? 0) + 1);
            for (const k of tokenKeys(t)) {
              if (seen.has(k)) continue;
              seen.add(k);
              let p = ix.postings.get(k);
              if (!p) {
                p = [];
                ix.postings.set(k, p);
              }
              p.push(id);
            }
          }
        }
      };
      add(e.name, 'primary', 'strong');
      for (const a of e.aliases) add(a.name, a.kind, a.quality);
    });
    ix.acc = new Float64Array(ix.names.length);
    ix.typeOf = ix.names.map((n) => (entries[n.entry] as SdnEntry).type);
    return ix;
  }

  /** Number of searchable names (primary names + aliases). */
  get size(): number {
    return this.names.length;
  }

  /** Content hash of the entry with this ent_num (for adjudication). */
  hashOf(entNum: number): string | undefined {
    const i = this.entries.findIndex((e) => e.entNum === entNum);
    return i < 0 ? undefined : this.hashes[i];
  }

  /** Token weight: kind weight × rarity (0.35 for the most common token … 1 for a unique one). */
  readonly weigh = (t: NameToken): number => {
    const base = KIND_WEIGHT[t.kind];
    if (t.kind !== 'word') return base;
    const df = this.df.get(t.fold) ?? 0;
    if (df <= 1) return base;
    const n = Math.max(2, this.names.length);
    return base * (0.35 + 0.65 * Math.min(1, Math.log(n / df) / Math.log(n)));
  };

  /** Compares two free names with this list's token weights (used by `match` and the eval). */
  compare(a: string, b: string, type: NameType = 'any'): PairComparison & { prepared1: PreparedName; prepared2: PreparedName } {
    const pa = prepareName(a, type);
    const pb = prepareName(b, type);
    return { ...comparePrepared(pa, pb, this.weigh), prepared1: pa, prepared2: pb };
  }

  /** Candidate limits (tunable for benchmarks; defaults {@link MAX_CANDIDATES}, {@link MIN_EVIDENCE_SHARE}). */
  candidateLimits = { max: MAX_CANDIDATES, minShare: MIN_EVIDENCE_SHARE };

  private candidates(q: PreparedName, allowed: ReadonlySet<SdnEntry['type']>): number[] {
    const keyLists: { w: number; ids: number[] }[] = [];
    const seenKeys = new Set<string>();
    const addForm = (f: NameForm) => {
      for (const t of f.tokens) {
        const w = this.weigh(t);
        const keys = f.script === 'arabic' ? (t.fold.replace(/[aeiou]/g, '').length >= 2 ? [`c:${t.fold.replace(/[aeiou]/g, '')}`] : []) : tokenKeys(t);
        for (const k of keys) {
          if (seenKeys.has(k)) continue;
          seenKeys.add(k);
          const ids = this.postings.get(k);
          if (ids) keyLists.push({ w: k.startsWith('f:') ? w * 1.5 : w, ids });
        }
      }
      // merged pairs of neighbours ("jong un" → "jongun")
      for (let i = 0; i + 1 < f.tokens.length; i++) {
        const a = f.tokens[i] as NameToken;
        const b = f.tokens[i + 1] as NameToken;
        if (a.kind !== 'word' || b.kind !== 'word') continue;
        const k = `p:${(a.fold + b.fold).slice(0, 3)}`;
        if (seenKeys.has(k)) continue;
        seenKeys.add(k);
        const ids = this.postings.get(k);
        if (ids) keyLists.push({ w: 0.5, ids });
      }
    };
    for (const f of q.forms) addForm(f);
    const rare = keyLists.filter((k) => k.ids.length <= MAX_POSTING_FOR_RECALL);
    const acc = this.acc;
    const touched: number[] = [];
    for (const { w, ids } of rare.length > 0 ? rare : keyLists) {
      for (let k = 0; k < ids.length; k++) {
        const id = ids[k] as number;
        if (acc[id] === 0) touched.push(id);
        acc[id] = (acc[id] as number) + w;
      }
    }
    const out: number[] = [];
    let top = 0;
    for (const id of touched) if ((acc[id] as number) > top) top = acc[id] as number;
    // candidates sharing much less evidence than the best one cannot outscore it
    const floor = top * this.candidateLimits.minShare;
    for (const id of touched) if ((acc[id] as number) >= floor && allowed.has(this.typeOf[id] as SdnEntry['type'])) out.push(id);
    out.sort((x, y) => (acc[y] as number) - (acc[x] as number));
    for (const id of touched) acc[id] = 0;
    return out.length > this.candidateLimits.max ? out.slice(0, this.candidateLimits.max) : out;
  }

  /**
   * Screens one name against the list.
   * @throws UsageError for a bad request (empty/over-long/control characters, unknown type, bad threshold)
   */
  screen(request: ScreenNameRequest): ScreenNameResult {
    const req = checkRequest(request);
    const q = prepareName(req.name, req.type);
    const allowed = TYPE_FILTER[req.type];
    const simCache: SimCache = new Map();
    const best = new Map<number, { cmp: PairComparison; name: IndexedName }>();
    for (const id of this.candidates(q, allowed)) {
      const n = this.names[id] as IndexedName;
      const cmp = comparePrepared(q, n.prepared, this.weigh, simCache, false);
      const prev = best.get(n.entry);
      if (!prev || cmp.raw > prev.cmp.raw || (cmp.raw === prev.cmp.raw && n.kind === 'primary')) best.set(n.entry, { cmp, name: n });
    }
    const hits: ScreenNameHit[] = [];
    const qCountry = req.country === null ? null : countryKey(req.country);
    for (const [ei, { cmp, name }] of best) {
      const e = this.entries[ei] as SdnEntry;
      const adjustments: string[] = [];
      let score = calibrate(cmp.raw);
      if (cmp.genericOnly) adjustments.push('only generic words, legal forms or particles aligned: score capped');
      if (name.quality === 'weak') {
        score *= 0.95;
        adjustments.push('matched a low-quality ("weak") alias: ×0.95');
      }
      if (req.birthYear !== null && e.birthYears.length > 0) {
        const by = req.birthYear;
        if (e.birthYears.some((y) => Math.abs(y - by) <= 1)) {
          score = Math.min(1, score + 0.05);
          adjustments.push(`birth year ${by} matches listed ${e.birthYears.join('/')}: +0.05`);
        } else {
          score *= 0.8;
          adjustments.push(`birth year ${by} differs from listed ${e.birthYears.join('/')}: ×0.8`);
        }
      }
      if (qCountry !== null && e.countries.length > 0) {
        const listed = e.countries.map(countryKey);
        if (listed.includes(qCountry)) {
          score = Math.min(1, score + 0.03);
          adjustments.push(`country ${req.country} is listed: +0.03`);
        } else {
          score *= 0.9;
          adjustments.push(`country ${req.country} not among listed ${e.countries.join('; ')}: ×0.9`);
        }
      }
      score = Math.round(score * 10000) / 10000;
      if (score < req.threshold) continue;
      const ex = comparePrepared(q, name.prepared, this.weigh, simCache, true);
      hits.push({
        score,
        band: score >= CERTAIN_SCORE ? 'certain' : 'likely',
        list: 'OFAC-SDN',
        entNum: e.entNum,
        listedName: e.name,
        entryType: e.type,
        programs: e.programs,
        matchedName: name.name,
        matchedNameKind: name.kind,
        matchedNameQuality: name.quality,
        entryHash: this.hashes[ei] as string,
        explanation: {
          queryForm: ex.queryVia,
          listedForm: ex.candidateVia,
          aligned: ex.aligned,
          unmatchedQuery: ex.unmatchedQuery,
          unmatchedListed: ex.unmatchedCandidate,
          normalisation: q.steps,
          adjustments,
          rawSimilarity: Math.round(cmp.raw * 10000) / 10000,
        },
      });
    }
    hits.sort((a, b) => b.score - a.score || a.entNum - b.entNum);
    return {
      query: { name: req.name, type: req.type, birthYear: req.birthYear, country: req.country },
      threshold: req.threshold,
      listVersion: this.listVersion,
      namesSearched: this.names.length,
      hits: hits.slice(0, req.limit),
    };
  }
}

/** Most queries in one batch request. */
export const MAX_BATCH = 100;

/**
 * The batch entry point for `POST /v1/screen/names`: validates `{ "queries": ScreenNameRequest[] }`
 * (1..{@link MAX_BATCH} queries) and returns `{ "results": ScreenNameResult[] }` in the same order.
 * @throws UsageError naming the offending query (`queries[3].name: …`)
 */
export function screenBatch(index: NameIndex, body: unknown): { results: ScreenNameResult[] } {
  if (body === null || typeof body !== 'object' || !Array.isArray((body as { queries?: unknown }).queries)) {
    throw new UsageError('body: expected {"queries": [{"name": "…", "type": "person"}, …]}');
  }
  const queries = (body as { queries: unknown[] }).queries;
  if (queries.length === 0 || queries.length > MAX_BATCH) throw new UsageError(`queries: expected 1..${MAX_BATCH} queries, got ${queries.length}`);
  return {
    results: queries.map((q, i) => {
      try {
        return index.screen(q as ScreenNameRequest);
      } catch (err) {
        if (err instanceof UsageError) throw new UsageError(`queries[${i}].${err.shortMessage}`, { ...err.details, index: i });
        throw err;
      }
    }),
  };
}
