import type { AlignedPart } from './similarity.js';
import type { NameType } from './normalize.js';

/**
 * JSON shapes of name screening, shared by `ledgerhound screen name --json`,
 * `ledgerhound match --json` and the future `POST /v1/screen/names` route (which takes
 * `{ "queries": ScreenNameRequest[] }` and returns `{ "results": ScreenNameResult[] }`).
 */

/** One screening request. */
export interface ScreenNameRequest {
  name: string;
  /** Default `any`. `person` screens individuals, `organization` entities, `vessel` vessels and aircraft. */
  type?: NameType;
  /** Year of birth of the screened person: a listed DOB within ±1 year raises the score, a different one lowers it. */
  birthYear?: number;
  /** Country (name or ISO 3166 alpha-2) of the screened party: compared with listed nationality/address countries. */
  country?: string;
  /** Report hits with score ≥ threshold (default {@link DEFAULT_THRESHOLD}). */
  threshold?: number;
  /** Most hits returned (default 10, at most 100). */
  limit?: number;
}

/** Why a hit scored what it scored. */
export interface HitExplanation {
  /** How the query was read for this hit ("as written", "Hangul → McCune–Reischauer", …). */
  queryForm: string;
  /** How the listed name was read. */
  listedForm: string;
  /** Name parts aligned, with similarity and how (exact, fold, fuzzy, merged, initial, consonants, jamo). */
  aligned: AlignedPart[];
  unmatchedQuery: string[];
  unmatchedListed: string[];
  /** Normalisation applied to the query (NFKC, camel case split, honorific removed, legal form …). */
  normalisation: string[];
  /** Score changes from birth year / country, and the generic-words cap. */
  adjustments: string[];
  /** Similarity before calibration and adjustments. */
  rawSimilarity: number;
}

/** One candidate list entry. */
export interface ScreenNameHit {
  /** Calibrated match score in [0,1]. */
  score: number;
  /** certain ≥ 0.95; likely ≥ threshold; (below threshold hits are not returned). */
  band: 'certain' | 'likely';
  list: 'OFAC-SDN';
  /** OFAC ent_num (listing id). */
  entNum: number;
  listedName: string;
  entryType: 'individual' | 'entity' | 'vessel' | 'aircraft';
  programs: string[];
  /** The name of the entry that matched best (the primary name or an alias). */
  matchedName: string;
  matchedNameKind: 'primary' | 'aka' | 'fka' | 'nka';
  matchedNameQuality: 'strong' | 'weak';
  /** sha256 of the entry's content as loaded: adjudications are tied to it. */
  entryHash: string;
  explanation: HitExplanation;
}

export interface ScreenNameResult {
  query: { name: string; type: NameType; birthYear: number | null; country: string | null };
  threshold: number;
  /** Loaded list the query ran against. */
  listVersion: string | null;
  namesSearched: number;
  hits: ScreenNameHit[];
}

/** `match A B` output. */
export interface MatchResult {
  name1: string;
  name2: string;
  type: NameType;
  score: number;
  match: boolean;
  threshold: number;
  explanation: Omit<HitExplanation, 'adjustments'> & { normalisation2: string[] };
}
