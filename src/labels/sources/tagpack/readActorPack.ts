import { type ActorInput, type ActorRefInput, actorIdFor, countSkip, emptyBatch, type SourceBatch } from '../../model.js';
import { resolveConcept } from '../../taxonomy/taxonomy.js';
import type { SourceFile } from '../readSourceFile.js';
import { str, strList, type YamlSource } from '../yamlSource.js';

/**
 * Reads a GraphSense ActorPack (`actors:` list of {id, label, uri, categories, jurisdictions, aliases, context})
 * into actors. `categories` are checked against the GraphSense taxonomy; aliases come from `aliases` and
 * `context.aliases`; `uri`, `uris` and `context.refs` become url references; the rest of `context` is kept as JSON.
 * Actors repeated under the same id are skipped and counted.
 */
export function actorPackBatch(file: SourceFile, y: YamlSource): SourceBatch {
  const b = emptyBatch('actorpack', file.path, file.sha256, file.bytes);
  b.title = str(y.root.title);
  b.creator = str(y.root.creator);
  const list = y.list('actors');
  const seen = new Set<string>();
  for (let i = 0; i < list.items.length; i++) {
    const raw = list.items[i];
    const fail = (field: string, problem: string): void => {
      b.problems.push({ file: file.path, line: list.fieldLine(i, field), field: `actors[${i}].${field}`, problem });
    };
    if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
      b.problems.push({ file: file.path, line: list.itemLine(i), field: `actors[${i}]`, problem: 'an actor must be a mapping' });
      continue;
    }
    const a = raw as Record<string, unknown>;
    const id = str(a.id);
    if (id === null) {
      fail('id', 'missing actor id');
      continue;
    }
    const name = str(a.label) ?? id;
    const categories: string[] = [];
    let ok = true;
    for (const [j, c] of strList(a.categories).entries()) {
      const concept = resolveConcept(c);
      if (concept === undefined) {
        fail(`categories[${j}]`, `unknown category ${JSON.stringify(c)} (not a GraphSense taxonomy concept)`);
        ok = false;
      } else categories.push(concept.id);
    }
    if (!ok) continue;
    const actorId = actorIdFor(id);
    if (seen.has(actorId)) {
      countSkip(b.skipped, 'actor id repeated in the same file');
      continue;
    }
    seen.add(actorId);
    const ctx = a.context !== null && typeof a.context === 'object' && !Array.isArray(a.context) ? (a.context as Record<string, unknown>) : {};
    const refs: ActorRefInput[] = [];
    for (const u of [...strList(a.uri), ...strList(a.uris), ...strList(ctx.uris), ...strList(ctx.refs)]) refs.push({ kind: 'url', refId: null, name: null, url: u });
    refs.push({ kind: 'graphsense', refId: id, name, url: null });
    const actor: ActorInput = {
      actorId,
      name: name.trim(),
      type: null,
      aliases: [...strList(a.aliases), ...strList(ctx.aliases)].filter((x) => x !== name),
      countries: strList(a.jurisdictions),
      categories,
      uri: str(a.uri),
      description: null,
      refs,
      context: Object.keys(ctx).length === 0 ? null : JSON.stringify(ctx),
      line: list.itemLine(i),
    };
    b.actors.push(actor);
  }
  return b;
}

/** Whether a parsed YAML file is an ActorPack (has `actors:`) rather than a TagPack. */
export function isActorPack(y: YamlSource): boolean {
  return Array.isArray(y.root.actors) && y.root.tags === undefined;
}

