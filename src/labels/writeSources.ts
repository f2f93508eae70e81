import type { Database } from '../store/index.js';
import { LabelInputError } from './errors.js';
import type { SourceBatch, SourceImportResult, TagInput } from './model.js';
import { ensureLabelSchema, SOURCE_OWNED_TABLES } from './schema.js';
import { conceptKind, resolveConfidence } from './taxonomy/taxonomy.js';

type Appender = Awaited<ReturnType<Database['appender']>>;
type Cell = string | number | boolean | bigint | null;

/** Column type codes for appendRow: v varchar, i integer, s smallint, b bigint, d double, o boolean. */
function appendRow(ap: Appender, types: string, row: readonly Cell[]): void {
  for (let i = 0; i < types.length; i++) {
    const v = row[i] ?? null;
    if (v === null) {
      ap.appendNull();
      continue;
    }
    switch (types[i]) {
      case 'v':
        ap.appendVarchar(String(v));
        break;
      case 'i':
        ap.appendInteger(Number(v));
        break;
      case 's':
        ap.appendSmallInt(Number(v));
        break;
      case 'b':
        ap.appendBigInt(BigInt(v));
        break;
      case 'd':
        ap.appendDouble(Number(v));
        break;
      case 'o':
        ap.appendBoolean(Boolean(v));
        break;
      default:
        throw new RangeError(`appendRow: unknown column type code ${types[i]}`);
    }
  }
  ap.endRow();
}

/** Options of every label import. */
export interface ImportOptions {
  /** Import the valid records of a file that also has invalid ones (which are then reported as skipped). */
  skipInvalid?: boolean;
}

/** Running state of one import (ids handed out so far). */
interface ImportState {
  nextSourceId: number;
  nextTagId: bigint;
}

/**
 * Imports label sources in ONE transaction: either every batch is written, or (on any error: an invalid
 * record without `skipInvalid`, a malformed file, a database error) nothing is.
 * A batch whose (path, kind) was imported before replaces that source's rows (same source_id), so re-importing
 * never duplicates (the same file may be one source as a TagPack and another as an incident list). Batches are produced lazily by `produce`, so a directory of large files is never
 * held in memory at once.
 *
 * @throws LabelInputError for the first invalid record of a file when `skipInvalid` is not set.
 */
export async function importSources(
  db: Database,
  produce: (write: (batch: SourceBatch) => Promise<SourceImportResult>) => Promise<void>,
  options: ImportOptions = {},
): Promise<SourceImportResult[]> {
  await ensureLabelSchema(db);
  const results: SourceImportResult[] = [];
  await db.transaction(async () => {
    const state = await initialState(db);
    await produce(async (batch) => {
      const r = await writeBatch(db, batch, state, options);
      results.push(r);
      return r;
    });
  });
  return results;
}

async function initialState(db: Database): Promise<ImportState> {
  const s = await db.one<{ n: number | null }>('SELECT max(source_id) AS n FROM label_sources');
  const t = await db.one<{ n: bigint | null }>('SELECT max(tag_id) AS n FROM label_tags');
  return { nextSourceId: (s?.n ?? 0) + 1, nextTagId: (t?.n ?? 0n) + 1n };
}

async function writeBatch(db: Database, b: SourceBatch, state: ImportState, options: ImportOptions): Promise<SourceImportResult> {
  const first = b.problems[0];
  if (first !== undefined && options.skipInvalid !== true) {
    throw new LabelInputError(first, first.problem, {
      more: b.problems.length - 1,
      hint: 'Nothing was imported. Fix the file, or pass --skip-invalid to import its valid records and report the others as skipped.',
    });
  }
  const existing = await db.one<{ source_id: number }>('SELECT source_id FROM label_sources WHERE path = $1 AND kind = $2', [b.path, b.kind]);
  if (existing !== undefined) await deleteSourceRows(db, existing.source_id);
  const sourceId = existing?.source_id ?? state.nextSourceId++;
  const skipped = { ...b.skipped };
  if (b.problems.length > 0) skipped['invalid record'] = (skipped['invalid record'] ?? 0) + b.problems.length;

  await writeTags(db, sourceId, b.tags, state);
  await writeActors(db, sourceId, b);
  await writeIncidents(db, sourceId, b);
  await db.run(
    `INSERT INTO label_sources VALUES ($1, $2, $3, $4, $5, now()::TIMESTAMP, $6, $7, $8, $9, $10, $11, $12)`,
    [
      sourceId, b.kind, b.path, b.sha256, b.bytes, b.title, b.creator, b.tags.length, b.actors.length, b.incidents.length, JSON.stringify(skipped),
      b.files === null ? null : JSON.stringify(b.files),
    ],
  );
  return {
    path: b.path,
    kind: b.kind,
    sha256: b.sha256,
    sourceId,
    replaced: existing !== undefined,
    tags: b.tags.length,
    actors: b.actors.length,
    incidents: b.incidents.length,
    skipped,
    invalid: b.problems,
    notes: b.notes,
  };
}

async function deleteSourceRows(db: Database, sourceId: number): Promise<void> {
  for (const t of SOURCE_OWNED_TABLES) await db.run(`DELETE FROM ${t} WHERE source_id = $1`, [sourceId]);
  await db.run('DELETE FROM label_sources WHERE source_id = $1', [sourceId]);
}

const TAG_TYPES = 'bivvvvvovvvvvsovii';

/** The label_tags row of a tag (column order of the table). */
function tagRow(tagId: bigint, sourceId: number, t: TagInput): Cell[] {
  const level = resolveConfidence(t.confidence)?.level ?? 0;
  const isAbuse = t.abuse !== null || conceptKind(t.category) === 'abuse';
  return [
    tagId, sourceId, t.currency, t.address, t.label, t.category, t.abuse, isAbuse, t.actorId, t.sourceUrl, t.creator, t.date,
    t.confidence, level, t.isClusterDefiner, t.context, t.line, t.ofacEntNum,
  ];
}

async function writeTags(db: Database, sourceId: number, tags: readonly TagInput[], state: ImportState): Promise<void> {
  if (tags.length === 0) return;
  const ap = await db.appender('label_tags');
  try {
    for (const t of tags) appendRow(ap, TAG_TYPES, tagRow(state.nextTagId++, sourceId, t));
    ap.flushSync();
  } finally {
    ap.closeSync();
  }
}

async function writeActors(db: Database, sourceId: number, b: SourceBatch): Promise<void> {
  if (b.actors.length === 0) return;
  const actors = await db.appender('label_actors');
  const aliases = await db.appender('label_actor_aliases');
  const refs = await db.appender('label_actor_refs');
  try {
    for (const a of b.actors) {
      appendRow(actors, 'vivvvvvvvi', [
        a.actorId, sourceId, a.name, a.type, JSON.stringify(a.countries), JSON.stringify(a.categories), a.uri, a.description, a.context, a.line,
      ]);
      for (const alias of new Set(a.aliases)) appendRow(aliases, 'viv', [a.actorId, sourceId, alias]);
      for (const r of a.refs) appendRow(refs, 'vivvvv', [a.actorId, sourceId, r.kind, r.refId, r.name, r.url]);
    }
    actors.flushSync();
    aliases.flushSync();
    refs.flushSync();
  } finally {
    actors.closeSync();
    aliases.closeSync();
    refs.closeSync();
  }
}

async function writeIncidents(db: Database, sourceId: number, b: SourceBatch): Promise<void> {
  if (b.incidents.length === 0) return;
  const inc = await db.appender('label_incidents');
  const refs = await db.appender('label_incident_refs');
  const addrs = await db.appender('label_incident_addresses');
  const txs = await db.appender('label_incident_txs');
  try {
    for (const i of b.incidents) {
      appendRow(inc, 'vivvvvdvvvv', [
        i.incidentId, sourceId, i.name, i.victim, i.date, i.chain, i.amount, i.amountUnit, i.actorId, i.attributionConfidence, i.description,
      ]);
      for (const u of new Set(i.refs)) appendRow(refs, 'viv', [i.incidentId, sourceId, u]);
      for (const a of i.addresses) appendRow(addrs, 'vivvvvi', [i.incidentId, sourceId, a.currency, a.address, a.label, a.role, a.line]);
      for (const t of i.txs) appendRow(txs, 'vivvv', [i.incidentId, sourceId, t.chain, t.txid, t.role]);
    }
    for (const ap of [inc, refs, addrs, txs]) ap.flushSync();
  } finally {
    for (const ap of [inc, refs, addrs, txs]) ap.closeSync();
  }
}

/** What `label remove-source` removed. */
export interface RemovedSource {
  sourceId: number;
  path: string;
  kind: string;
  tags: number;
  actors: number;
  incidents: number;
}

/**
 * Removes a source and every row it contributed, in one transaction. `pathOrId` is the source path as stored
 * (absolute; every kind imported from that path), or a numeric source_id.
 * @returns the sources removed (empty when none matched).
 */
export async function removeSource(db: Database, pathOrId: string): Promise<RemovedSource[]> {
  await ensureLabelSchema(db);
  const rows = /^\d+$/.test(pathOrId)
    ? await db.all<{ source_id: number; path: string; kind: string }>('SELECT source_id, path, kind FROM label_sources WHERE source_id = $1', [Number(pathOrId)])
    : await db.all<{ source_id: number; path: string; kind: string }>('SELECT source_id, path, kind FROM label_sources WHERE path = $1 ORDER BY source_id', [pathOrId]);
  const removed: RemovedSource[] = [];
  await db.transaction(async () => {
    for (const row of rows) {
      const count = async (table: string): Promise<number> =>
        Number((await db.one<{ n: bigint }>(`SELECT count(*) AS n FROM ${table} WHERE source_id = $1`, [row.source_id]))?.n ?? 0n);
      removed.push({
        sourceId: row.source_id,
        path: row.path,
        kind: row.kind,
        tags: await count('label_tags'),
        actors: await count('label_actors'),
        incidents: await count('label_incidents'),
      });
      await deleteSourceRows(db, row.source_id);
    }
  });
  return removed;
}

/**
 * Adds one tag to the manual source `manual:<name>` (created on first use; `label add` never replaces
 * earlier manual tags). Runs in its own transaction.
 */
export async function addManualTag(db: Database, sourceName: string, tag: TagInput): Promise<{ sourceId: number; tagId: bigint }> {
  await ensureLabelSchema(db);
  const path = `manual:${sourceName}`;
  return db.transaction(async () => {
    const state = await initialState(db);
    const existing = await db.one<{ source_id: number }>('SELECT source_id FROM label_sources WHERE path = $1', [path]);
    const sourceId = existing?.source_id ?? state.nextSourceId;
    if (existing === undefined) {
      await db.run(`INSERT INTO label_sources VALUES ($1, 'manual', $2, '', 0, now()::TIMESTAMP, $3, $4, 0, 0, 0, '{}', NULL)`, [
        sourceId, path, `manual tags (${sourceName})`, tag.creator,
      ]);
    }
    const tagId = state.nextTagId;
    await writeTags(db, sourceId, [tag], state);
    await db.run('UPDATE label_sources SET tags = tags + 1, imported_at = now()::TIMESTAMP WHERE source_id = $1', [sourceId]);
    return { sourceId, tagId };
  });
}
