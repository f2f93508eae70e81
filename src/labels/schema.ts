import { LedgerhoundError } from '../core/index.js';
import type { Database } from '../store/index.js';

/**
 * The attribution tables, in the same DuckDB file as the chain data. Every row carries `source_id`, the
 * label source it came from, so a fact can always be traced to its file (path, sha256, import time) and
 * removing or re-importing a source touches exactly its rows.
 *
 * - label_sources: one row per imported file (or `manual:` pseudo-source for `label add`; an OFAC import of several
 *   files that only make sense together, e.g. SDN.CSV + SDN_COMMENTS.CSV, is one source whose `files` column lists each
 *   file's path, kind, size and sha256 as JSON; `skipped` is a JSON object reason → count).
 *   source_id is dense, assigned at first import and kept on re-import of the same path.
 * - label_tags: one row per (address, attribution). `address` is the normalised key (EVM lower-case, bech32
 *   lower-case, others as written); `category`/`abuse` are GraphSense concept ids; `confidence` a GraphSense
 *   confidence id with its `confidence_level` (0..100); `line` the line in the source file.
 *   tag_id is dense over the whole table (max+1 at each import), never reused within one import.
 * - label_actors / label_actor_aliases / label_actor_refs: actors as each source describes them, keyed by
 *   actor_id (lower-case alphanumerics of the name, as GraphSense actor ids), merged at query time;
 *   countries and categories are JSON arrays of strings.
 * - label_incidents / _refs / _addresses / _txs: thefts and hacks with their defining addresses and txs.
 */
export const LABEL_SCHEMA_SQL = `
CREATE TABLE IF NOT EXISTS label_sources (
  source_id INTEGER NOT NULL,
  kind VARCHAR NOT NULL,
  path VARCHAR NOT NULL,
  sha256 VARCHAR NOT NULL,
  bytes BIGINT NOT NULL,
  imported_at TIMESTAMP NOT NULL,
  title VARCHAR,
  creator VARCHAR,
  tags INTEGER NOT NULL,
  actors INTEGER NOT NULL,
  incidents INTEGER NOT NULL,
  skipped VARCHAR NOT NULL,
  files VARCHAR
);
CREATE TABLE IF NOT EXISTS label_tags (
  tag_id BIGINT NOT NULL,
  source_id INTEGER NOT NULL,
  currency VARCHAR NOT NULL,
  address VARCHAR NOT NULL,
  label VARCHAR NOT NULL,
  category VARCHAR NOT NULL,
  abuse VARCHAR,
  is_abuse BOOLEAN NOT NULL,
  actor_id VARCHAR,
  source_url VARCHAR,
  creator VARCHAR,
  tag_date VARCHAR,
  confidence VARCHAR NOT NULL,
  confidence_level SMALLINT NOT NULL,
  is_cluster_definer BOOLEAN,
  context VARCHAR,
  line INTEGER NOT NULL,
  ofac_ent_num INTEGER
);
CREATE TABLE IF NOT EXISTS label_actors (
  actor_id VARCHAR NOT NULL,
  source_id INTEGER NOT NULL,
  name VARCHAR NOT NULL,
  actor_type VARCHAR,
  countries VARCHAR,
  categories VARCHAR,
  uri VARCHAR,
  description VARCHAR,
  context VARCHAR,
  line INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS label_actor_aliases (
  actor_id VARCHAR NOT NULL,
  source_id INTEGER NOT NULL,
  alias VARCHAR NOT NULL
);
CREATE TABLE IF NOT EXISTS label_actor_refs (
  actor_id VARCHAR NOT NULL,
  source_id INTEGER NOT NULL,
  ref_kind VARCHAR NOT NULL,
  ref_id VARCHAR,
  name VARCHAR,
  url VARCHAR
);
CREATE TABLE IF NOT EXISTS label_incidents (
  incident_id VARCHAR NOT NULL,
  source_id INTEGER NOT NULL,
  name VARCHAR NOT NULL,
  victim VARCHAR,
  incident_date VARCHAR,
  chain VARCHAR,
  amount DOUBLE,
  amount_unit VARCHAR,
  actor_id VARCHAR,
  attribution_confidence VARCHAR,
  description VARCHAR
);
CREATE TABLE IF NOT EXISTS label_incident_refs (
  incident_id VARCHAR NOT NULL,
  source_id INTEGER NOT NULL,
  url VARCHAR NOT NULL
);
CREATE TABLE IF NOT EXISTS label_incident_addresses (
  incident_id VARCHAR NOT NULL,
  source_id INTEGER NOT NULL,
  currency VARCHAR NOT NULL,
  address VARCHAR NOT NULL,
  label VARCHAR,
  role VARCHAR NOT NULL,
  line INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS label_incident_txs (
  incident_id VARCHAR NOT NULL,
  source_id INTEGER NOT NULL,
  chain VARCHAR NOT NULL,
  txid VARCHAR NOT NULL,
  role VARCHAR NOT NULL
);
`;

/** Tables that hold rows of a source (every one has a source_id column). */
export const SOURCE_OWNED_TABLES = [
  'label_tags',
  'label_actors',
  'label_actor_aliases',
  'label_actor_refs',
  'label_incidents',
  'label_incident_refs',
  'label_incident_addresses',
  'label_incident_txs',
] as const;

/**
 * Creates the attribution tables when missing (idempotent). On a read-only database it only checks they exist.
 * @throws LedgerhoundError LH_LABELS_MISSING when a read-only database has no label tables.
 */
export async function ensureLabelSchema(db: Database): Promise<void> {
  if (!db.readOnly) {
    await db.run(LABEL_SCHEMA_SQL);
    return;
  }
  const r = await db.one<{ n: bigint }>("SELECT count(*) AS n FROM information_schema.tables WHERE table_name = 'label_tags'");
  if ((r?.n ?? 0n) === 0n) {
    throw new LedgerhoundError('LH_LABELS_MISSING', `no labels in database ${db.path}`, {
      details: { path: db.path },
      hint: 'Import some first: `ledgerhound label import tagpack|ofac|csv|stix ...` or `ledgerhound incident import ...`.',
    });
  }
}
