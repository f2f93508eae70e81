import type { LabelInputProblem } from './errors.js';

/** What kind of file a label source is. */
export type LabelSourceKind = 'tagpack' | 'actorpack' | 'ofac' | 'csv' | 'stix' | 'incidents' | 'manual';

/** One attribution of one address, as read from a source (before it gets a tag id). */
export interface TagInput {
  /** Currency code as the source writes it, upper-cased: BTC, ETH, USDT, ... */
  currency: string;
  /** Normalised lookup key (see normalizeAddress). */
  address: string;
  label: string;
  /** GraphSense concept id (validated against the taxonomy). */
  category: string;
  /** GraphSense abuse concept id, or null. */
  abuse: string | null;
  /** Actor id (see actorIdFor), or null. */
  actorId: string | null;
  /** Where the source says the fact comes from (URL or citation). */
  sourceUrl: string | null;
  creator: string | null;
  /** Date of the fact as the source gives it (ISO yyyy-mm-dd when known). */
  date: string | null;
  /** GraphSense confidence id. */
  confidence: string;
  isClusterDefiner: boolean | null;
  /** Free-form JSON text the source attaches (GraphSense `context`, OFAC remarks...). */
  context: string | null;
  /** 1-based line in the source file (0 when not line-oriented). */
  line: number;
  /** OFAC SDN entry number when the tag comes from an SDN listing. */
  ofacEntNum: number | null;
}

/** A reference from an actor to the outside world. */
export interface ActorRefInput {
  /** mitre-attack | ofac-sdn | sanctions-program | malware | tool | campaign | url | graphsense */
  kind: string;
  refId: string | null;
  name: string | null;
  url: string | null;
}

/** A named party (Lazarus Group, an exchange, a sanctioned person) as one source describes it. */
export interface ActorInput {
  actorId: string;
  name: string;
  /** individual | entity | group | service | ... (as the source says), or null. */
  type: string | null;
  aliases: string[];
  countries: string[];
  categories: string[];
  uri: string | null;
  description: string | null;
  refs: ActorRefInput[];
  context: string | null;
  line: number;
}

/** A theft or hack as one source describes it. */
export interface IncidentInput {
  incidentId: string;
  name: string;
  victim: string | null;
  date: string | null;
  chain: string | null;
  amount: number | null;
  amountUnit: string | null;
  actorId: string | null;
  attributionConfidence: string | null;
  description: string | null;
  refs: string[];
  addresses: { currency: string; address: string; label: string | null; role: string; line: number }[];
  txs: { chain: string; txid: string; role: string }[];
}

/** Everything one source file contributes, plus what was left out and why. */
export interface SourceBatch {
  kind: LabelSourceKind;
  /** Absolute path (identity of the source: re-importing the same path replaces its rows). */
  path: string;
  sha256: string;
  bytes: number;
  title: string | null;
  creator: string | null;
  tags: TagInput[];
  actors: ActorInput[];
  incidents: IncidentInput[];
  /** For a source made of several files (OFAC CSV set): each file's provenance. */
  files: { path: string; kind: string; sha256: string; bytes: number }[] | null;
  /** Invalid records (the import fails on them unless --skip-invalid). */
  problems: LabelInputProblem[];
  /** Records left out for a reason that is not an error (duplicates, ...), by reason. */
  skipped: Record<string, number>;
  /** Remarks on records taken with a caveat (e.g. an OFAC address kept as listed although invalid for its currency). */
  notes: string[];
}

/** What an import did to one source. */
export interface SourceImportResult {
  path: string;
  kind: LabelSourceKind;
  sha256: string;
  sourceId: number;
  replaced: boolean;
  tags: number;
  actors: number;
  incidents: number;
  skipped: Record<string, number>;
  invalid: LabelInputProblem[];
  notes: string[];
}

/** Stable actor id from a name: lower-case letters and digits only ("Lazarus Group" → "lazarusgroup", as GraphSense ids). */
export function actorIdFor(name: string): string {
  return name
    .normalize('NFKD')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '');
}

/** Adds one to a reason counter. */
export function countSkip(skipped: Record<string, number>, reason: string, n = 1): void {
  skipped[reason] = (skipped[reason] ?? 0) + n;
}

/** A new empty batch for a source file. */
export function emptyBatch(kind: LabelSourceKind, path: string, sha256: string, bytes: number): SourceBatch {
  return { kind, path, sha256, bytes, title: null, creator: null, tags: [], actors: [], incidents: [], files: null, problems: [], skipped: {}, notes: [] };
}
