import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { UsageError } from '../../core/index.js';
import { sharedPath } from '../../../test/helpers/sharedData.js';
import { loadOfac } from '../../labels/sources/ofac/index.js';
import {
  CERTAIN_SCORE,
  calibrate,
  comparePrepared,
  DEFAULT_THRESHOLD,
  decomposeSyllable,
  evaluate,
  koreanNameReadings,
  NameIndex,
  prepareName,
  readEvalSet,
  romaniseWord,
  screenBatch,
  toJamo,
} from './index.js';

const score = (a: string, b: string, type: 'person' | 'organization' | 'any' = 'any') => {
  const r = comparePrepared(prepareName(a, type), prepareName(b, type));
  return { ...r, score: calibrate(r.raw) };
};

describe('Hangul', () => {
  it('decomposes syllables per Unicode §3.12', () => {
    expect(decomposeSyllable('김')).toEqual({ l: 0, v: 20, t: 16 });
    expect(decomposeSyllable('A')).toBeNull();
    expect(toJamo('김정은')).toBe('ㄱㅣㅁㅈㅓㅇㅇㅡㄴ');
  });
  it('romanises in RR, MR (breves, apostrophes, voicing), MR without breves and DPRK', () => {
    expect(romaniseWord('정은', 'rr')).toBe('jeongeun');
    expect(romaniseWord('정은', 'mr')).toBe('chŏngŭn');
    expect(romaniseWord('정은', 'mr-plain')).toBe('chongun');
    expect(romaniseWord('정은', 'dprk')).toBe('jŏngŭn');
    expect(romaniseWord('룡해', 'dprk', { hyphenate: true })).toBe('ryong-hae');
    expect(romaniseWord('태철', 'mr')).toBe('t’aech’ŏl');
    expect(romaniseWord('태철', 'dprk')).toBe('thaechŏl');
    expect(romaniseWord('대중', 'mr', { voiceMedial: true })).toBe('taejung');
    const texts = koreanNameReadings('김정은').map((r) => r.text);
    expect(texts).toEqual(expect.arrayContaining(['gim jeong-eun', 'kim jeong-eun', 'kim chŏng-ŭn', 'kim chong-un', 'kim jŏng-ŭn']));
    expect(koreanNameReadings('남궁민수')[0]?.text).toBe('namgung min-su');
  });
});

describe('pair matching', () => {
  it('aligns Kim Jong-un across scripts and romanisations', () => {
    for (const v of ['김정은', 'Kim Jong-un', 'Kim Jong Un', 'Kim Chong-un', 'Kim Jongun', 'Kim Chŏng-ŭn', 'KIM Jeong-eun']) {
      const r = score(v, 'KIM, Jong Un', 'person');
      expect(r.score, v).toBeGreaterThanOrEqual(CERTAIN_SCORE);
    }
    const h = score('김정은', 'KIM, Jong Un');
    expect(h.queryVia).toMatch(/^Hangul → /);
    expect(h.aligned.map((a) => `${a.query}/${a.candidate}`).sort()).toEqual(['eun/un', 'gim/kim', 'jeong/jong']);
    expect(score('김정은', 'Kim Jongun').aligned.map((a) => a.how)).toContain('merged');
  });
  it('a one-syllable change of a Korean given name is not a certain match', () => {
    const r = score('김정은', '김종은');
    expect(r.score).toBeLessThan(CERTAIN_SCORE);
    expect(r.score).toBeLessThan(DEFAULT_THRESHOLD);
    expect(r.unmatchedQuery).toEqual(['정은 (ㅈㅓㅇㅇㅡㄴ)']);
    expect(r.unmatchedCandidate).toEqual(['종은 (ㅈㅗㅇㅇㅡㄴ)']);
    expect(score('Kim Jong Un', 'Kim Jong Il').score).toBeLessThan(DEFAULT_THRESHOLD);
    expect(score('KIM, Yong Chol', 'KIM, Myong Chol').score).toBeLessThan(DEFAULT_THRESHOLD);
  });
  it('handles camel case, hyphens, reordering, honorifics, diacritics, Cyrillic and Arabic', () => {
    expect(score('SergeiLavrov', 'LAVROV, Sergey').score).toBeGreaterThanOrEqual(CERTAIN_SCORE);
    expect(score('Margarita-Simonyan', 'SIMONYAN, Margarita Simonovna').score).toBeGreaterThan(0.8);
    expect(score('NURISTANI, Abdul Aziz', 'Abdul Aziz Nuristani').score).toBeGreaterThanOrEqual(CERTAIN_SCORE);
    const dr = prepareName('Dr. Ayman al-Zawahiri', 'person');
    expect(dr.steps.join(';')).toMatch(/honorific\/title removed: dr/);
    expect(score('Dr. Ayman al-Zawahiri', 'AL-ZAWAHIRI, Ayman').score).toBeGreaterThanOrEqual(CERTAIN_SCORE);
    expect(score('José Müller', 'JOSE MULLER').score).toBeGreaterThanOrEqual(CERTAIN_SCORE);
    expect(score('Сергей Лавров', 'Sergei Lavrov').score).toBeGreaterThanOrEqual(CERTAIN_SCORE);
    const ar = score('أسامة بن لادن', 'Usama bin Ladin');
    expect(ar.score).toBeGreaterThan(DEFAULT_THRESHOLD);
    expect(ar.aligned.some((a) => a.how === 'consonants')).toBe(true);
    expect(score('Ali Ali Hassan', 'Ali Hassan').score).toBeGreaterThanOrEqual(CERTAIN_SCORE);
    expect(score('J. Smith', 'John Smith').aligned.some((a) => a.how === 'initial')).toBe(true);
  });
  it('organisations: legal forms, number words, generic words', () => {
    expect(score('Acme AG', 'ACME Aktiengesellschaft', 'organization').score).toBeGreaterThanOrEqual(CERTAIN_SCORE);
    expect(score('Romashka LLC', 'OOO Romashka', 'organization').score).toBeGreaterThanOrEqual(CERTAIN_SCORE);
    expect(score('Romashka Limited Liability Company', 'ROMASHKA OOO', 'organization').score).toBeGreaterThanOrEqual(CERTAIN_SCORE);
    expect(score('Blue Sea Ltd', 'BLUE SEA LIMITED', 'organization').score).toBeGreaterThanOrEqual(CERTAIN_SCORE);
    expect(score('Gazprom JSC', 'OJSC GAZPROM', 'organization').score).toBeGreaterThanOrEqual(CERTAIN_SCORE);
    expect(score('NEOBIT, OOO', 'OBSHCHESTVO S OGRANICHENNOI OTVETSTVENNOSTYU NEOBIT', 'organization').score).toBeGreaterThanOrEqual(CERTAIN_SCORE);
    expect(score('Aktsionernoe Obshchestvo Rubin', 'RUBIN JSC', 'organization').score).toBeGreaterThanOrEqual(CERTAIN_SCORE);
    expect(score('First Ocean Co.', '1st OCEAN COMPANY', 'organization').score).toBeGreaterThanOrEqual(CERTAIN_SCORE);
    expect(score('BICENTENARIO V', 'BICENTENARIO VI', 'organization').score).toBeLessThan(DEFAULT_THRESHOLD);
    for (const g of ['CORP', 'TRADING', 'INTERNATIONAL', 'TRADING CORP', 'INTERNATIONAL TRADING CO LTD']) {
      const r = score(g, 'KOREA INTERNATIONAL TRADING CORPORATION', 'organization');
      expect(r.genericOnly, g).toBe(true);
      expect(r.score, g).toBeLessThan(0.1);
    }
  });
  it('rejects bad input with clear errors, in bounded time', () => {
    expect(() => prepareName('')).toThrow(UsageError);
    expect(() => prepareName('   -- ')).toThrow(/empty name/);
    expect(() => prepareName('Kim\u0007Jong')).toThrow(/control or unassigned character U\+0007 at position 3/);
    expect(() => prepareName('x'.repeat(5000))).toThrow(/5000 characters long, the limit is 300/);
    expect(() => prepareName(42 as unknown as string)).toThrow(/expected a string/);
    const long = Array.from({ length: 60 }, (_, i) => `Name${i}`).join(' ').slice(0, 300);
    const t0 = performance.now();
    score(long, long);
    expect(performance.now() - t0).toBeLessThan(2000);
  });
});

describe('screening index and evaluation on the real OFAC list', async () => {
  const ds = await loadOfac(sharedPath('sanctions', 'ofac-moov-bench'));
  const index = NameIndex.build(ds.entries, 'moov-bench');
  it('screens with explanations; filters by type; birth year and country adjust', () => {
    const r = index.screen({ name: '김정은' });
    expect(r.namesSearched).toBeGreaterThan(20000);
    const laz = index.screen({ name: 'Hidden Cobra', type: 'organization' });
    expect(laz.hits[0]).toMatchObject({ entNum: 27307, listedName: 'LAZARUS GROUP', matchedName: 'HIDDEN COBRA', matchedNameKind: 'aka', matchedNameQuality: 'weak' });
    expect(laz.hits[0]?.explanation.adjustments.join(' ')).toMatch(/weak/);
    expect(index.screen({ name: 'Hidden Cobra', type: 'person' }).hits).toEqual([]);
    expect(index.screen({ name: 'TRADING CORP' }).hits).toEqual([]);
    const bin = index.screen({ name: 'Osama bin Laden', type: 'person', birthYear: 1957, country: 'SA' });
    expect(bin.hits[0]?.listedName).toMatch(/^BIN LADIN, Usama/);
    expect(() => index.screen({ name: 'x', type: 'robot' as 'person' })).toThrow(/unknown type "robot"/);
    expect(() => index.screen({ name: 'x', threshold: 2 })).toThrow(/threshold/);
  });
  it('batch entry point for the API route: same shapes, errors name the query', () => {
    const r = screenBatch(index, { queries: [{ name: 'Kim Chong-un', type: 'person' }, { name: 'LAZARUS GROUP' }] });
    expect(r.results.map((x) => x.hits[0]?.entNum)).toEqual([20157, 27307]);
    expect(r.results[0]).toEqual(index.screen({ name: 'Kim Chong-un', type: 'person' }));
    expect(() => screenBatch(index, { queries: [{ name: 'ok' }, { name: '' }] })).toThrow(/^queries\[1\]\.name: empty name/);
    expect(() => screenBatch(index, { queries: [] })).toThrow(/1\.\.100 queries/);
    expect(() => screenBatch(index, [])).toThrow(/expected \{"queries"/);
  });
  it('eval set: F1 ≥ 0.9 and DPRK recall ≥ 0.95 at the default threshold, above the Levenshtein baseline', () => {
    const pairs = readEvalSet(join(import.meta.dirname, '..', '..', '..', 'test', 'vectors', 'names', 'eval.csv'));
    expect(pairs.length).toBeGreaterThan(3000);
    const r = evaluate(pairs, index);
    expect(r.matcher.f1).toBeGreaterThanOrEqual(0.9);
    expect(r.dprkRecall).toBeGreaterThanOrEqual(0.95);
    expect(r.matcher.f1).toBeGreaterThan(r.baseline.f1);
    expect(r.byCategory.find((c) => c.category === 'generic')?.matcherCorrect).toBe(72);
  });
});
