import type { LabelInputProblem } from '../../errors.js';
import { actorIdFor, countSkip, emptyBatch, type SourceBatch, type TagInput } from '../../model.js';
import { normalizeAddress } from '../../normalizeAddress.js';
import { conceptKind, resolveConcept, resolveConfidence } from '../../taxonomy/taxonomy.js';
import type { SourceFile } from '../readSourceFile.js';
import { bool, parseYamlSource, str, strList, type YamlSource } from '../yamlSource.js';

/**
 * Fields a TagPack header passes down to every tag that does not set them itself (GraphSense TagPack schema,
 * `graphsense/graphsense-tagpack-tool:src/tagpack/conf/tagpack_schema.yaml`: header fields other than
 * title/creator/description/is_public/tags are tag defaults).
 */
const INHERITED = ['label', 'source', 'currency', 'network', 'context', 'confidence', 'category', 'abuse', 'actor', 'is_cluster_definer', 'lastmod', 'concepts'] as const;

/** Confidence of a TagPack that states none: GraphSense's own `unknown` level (5/100). */
export const DEFAULT_TAGPACK_CONFIDENCE = 'unknown';

/**
 * Reads a GraphSense TagPack (YAML, optionally gzipped) into tags with provenance.
 * Each tag gets: its address validated and normalised for its currency; category = `category`, else the first
 * entity concept of `concepts`, else `abuse`, else `unknown`; every concept id checked against the GraphSense
 * taxonomy; confidence checked against the GraphSense scale. Invalid tags become problems (file, line, field);
 * exact duplicates within the file are skipped and counted.
 *
 * @throws LabelInputError for malformed YAML or a file that is not a TagPack.
 */
export function readTagPack(file: SourceFile): SourceBatch {
  const y = parseYamlSource(file);
  return tagPackBatch(file, y);
}

/** Reads a TagPack already parsed (used when a directory mixes TagPacks and ActorPacks). */
export function tagPackBatch(file: SourceFile, y: YamlSource): SourceBatch {
  const b = emptyBatch('tagpack', file.path, file.sha256, file.bytes);
  const h = y.root;
  b.title = str(h.title);
  b.creator = str(h.creator);
  const tags = y.list('tags');
  if (!Array.isArray(h.tags)) {
    b.problems.push({ file: file.path, line: y.keyLine('tags') || 1, field: 'tags', problem: 'a TagPack needs a `tags` list' });
    return b;
  }
  const headerProblems: LabelInputProblem[] = [];
  const checkHeaderConcept = (key: 'category' | 'abuse'): void => {
    const v = str(h[key]);
    if (v !== null && resolveConcept(v) === undefined) {
      headerProblems.push({ file: file.path, line: y.keyLine(key), field: key, problem: `unknown ${key} ${JSON.stringify(v)} (not a GraphSense taxonomy concept)` });
    }
  };
  checkHeaderConcept('category');
  checkHeaderConcept('abuse');
  const hc = str(h.confidence);
  if (hc !== null && resolveConfidence(hc) === undefined) {
    headerProblems.push({ file: file.path, line: y.keyLine('confidence'), field: 'confidence', problem: `unknown confidence ${JSON.stringify(hc)} (not a GraphSense confidence level)` });
  }
  if (headerProblems.length > 0) {
    b.problems.push(...headerProblems);
    countSkip(b.skipped, 'tag of a TagPack whose header is invalid', tags.items.length);
    return b;
  }

  const seen = new Set<string>();
  for (let i = 0; i < tags.items.length; i++) {
    const raw = tags.items[i];
    const line = tags.itemLine(i);
    const fail = (field: string, problem: string): void => {
      b.problems.push({ file: file.path, line: tags.fieldLine(i, field), field: `tags[${i}].${field}`, problem });
    };
    if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
      b.problems.push({ file: file.path, line, field: `tags[${i}]`, problem: 'a tag must be a mapping' });
      continue;
    }
    const t = raw as Record<string, unknown>;
    const get = (k: (typeof INHERITED)[number]): unknown => (t[k] !== undefined ? t[k] : h[k]);
    const tag = buildTag(t, get, line, b.creator, fail);
    if (tag === null) continue;
    const key = `${tag.currency}\u0000${tag.address}\u0000${tag.label}\u0000${tag.category}\u0000${tag.abuse}\u0000${tag.actorId}`;
    if (seen.has(key)) {
      countSkip(b.skipped, 'duplicate of an earlier tag in the same file');
      continue;
    }
    seen.add(key);
    b.tags.push(tag);
  }
  return b;
}

function buildTag(
  t: Record<string, unknown>,
  get: (k: (typeof INHERITED)[number]) => unknown,
  line: number,
  creator: string | null,
  fail: (field: string, problem: string) => void,
): TagInput | null {
  const address = str(t.address);
  if (address === null) {
    fail('address', 'missing address');
    return null;
  }
  const currency = str(get('currency')) ?? str(get('network'));
  if (currency === null) {
    fail('currency', 'missing currency (neither the tag nor the header gives one)');
    return null;
  }
  const norm = normalizeAddress(currency, address);
  if (!norm.ok) {
    fail('address', norm.problem);
    return null;
  }
  const label = str(get('label'));
  if (label === null) {
    fail('label', 'missing label (neither the tag nor the header gives one)');
    return null;
  }
  let ok = true;
  const concept = (field: string, v: string | null): string | null => {
    if (v === null) return null;
    const c = resolveConcept(v);
    if (c === undefined) {
      fail(field, `unknown ${field.replace(/\[\d+\]$/, '')} ${JSON.stringify(v)} (not a GraphSense taxonomy concept)`);
      ok = false;
      return null;
    }
    return c.id;
  };
  const category = concept('category', str(get('category')));
  const abuse = concept('abuse', str(get('abuse')));
  const concepts = strList(get('concepts')).map((c, j) => concept(`concepts[${j}]`, c));
  const confidence = str(get('confidence')) ?? DEFAULT_TAGPACK_CONFIDENCE;
  if (resolveConfidence(confidence) === undefined) {
    fail('confidence', `unknown confidence ${JSON.stringify(confidence)} (not a GraphSense confidence level)`);
    ok = false;
  }
  const icd = bool(get('is_cluster_definer'));
  if (icd === undefined) {
    fail('is_cluster_definer', `expected true or false, got ${JSON.stringify(str(get('is_cluster_definer')))}`);
    ok = false;
  }
  if (!ok) return null;
  const known = concepts.filter((c): c is string => c !== null);
  const abuseFromConcepts = known.find((c) => conceptKind(c) === 'abuse') ?? null;
  const chosenCategory = category ?? known.find((c) => conceptKind(c) === 'entity') ?? known[0] ?? abuse ?? 'unknown';
  const actor = str(get('actor'));
  const ctx = get('context');
  return {
    currency: norm.currency,
    address: norm.address,
    label,
    category: chosenCategory,
    abuse: abuse ?? abuseFromConcepts,
    actorId: actor === null ? null : actorIdFor(actor),
    sourceUrl: str(get('source')),
    creator,
    date: str(get('lastmod')),
    confidence: resolveConfidence(confidence)?.id ?? confidence,
    isClusterDefiner: icd ?? null,
    context: ctx === undefined || ctx === null ? null : typeof ctx === 'string' ? ctx : JSON.stringify(ctx),
    line,
    ofacEntNum: null,
  };
}
