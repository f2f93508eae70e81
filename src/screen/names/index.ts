/**
 * Sanctions name screening (issue 9): normalisation and transliteration (Hangul RR/MR/DPRK, Han
 * pinyin, any-ascii), the pair matcher, the in-memory list index, DuckDB persistence of loaded
 * lists, customers and adjudications, and the evaluation helpers. See docs/NAME_SCREENING.md.
 */
export { CALIBRATION, calibrate, DEFAULT_THRESHOLD } from './calibration.js';
export { bestThreshold, evaluate, fitLogistic, levenshteinSimilarity, metrics, readEvalSet, splitCsvLine } from './evaluate.js';
export type { EvalPair, EvalReport, Metrics } from './evaluate.js';
export { decomposeSyllable, koreanNameReadings, romaniseWord, toJamo } from './hangul.js';
export type { KoreanReading, KoreanSystem } from './hangul.js';
export { CERTAIN_SCORE, checkRequest, countryKey, entryHash, MAX_BATCH, NameIndex, screenBatch } from './nameIndex.js';
export { foldToken, MAX_NAME_LENGTH, NAME_TYPES, prepareName, validateName } from './normalize.js';
export type { NameForm, NameToken, NameType, PreparedName } from './normalize.js';
export { comparePrepared, tokenSimilarity } from './similarity.js';
export type { AlignedPart, PairComparison } from './similarity.js';
export type { HitExplanation, MatchResult, ScreenNameHit, ScreenNameRequest, ScreenNameResult } from './types.js';
export {
  adjudicate,
  checkCustomer,
  ensureNameScreeningSchema,
  listCustomers,
  loadList,
  NAME_SCREENING_SCHEMA_SQL,
  openNameIndex,
  rescreenAll,
  rescreenCustomer,
  screenCustomer,
  upsertCustomer,
} from './store.js';
export type { CustomerHit, CustomerHitStatus, CustomerRecord, LoadedListInfo, RescreenSummary } from './store.js';
