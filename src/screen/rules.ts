/**
 * The risk scoring rules: a versioned YAML file (`config/risk-rules.yaml`, documented in
 * docs/SCREENING.md) validated here. Every screening result names the rule set's id, version and SHA-256.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { LedgerhoundError } from '../core/index.js';
import { GRAPHSENSE_CONCEPTS } from '../labels/index.js';

const share = z.number().min(0).max(1);
const RuleFileSchema = z
  .object({
    id: z.string().min(1),
    version: z.string().min(1),
    hops: z.number().int().min(1).max(10),
    hopDecay: z.number().gt(0).max(1),
    levels: z.object({ medium: z.number().min(0).max(100), high: z.number().min(0).max(100), severe: z.number().min(0).max(100) }).strict(),
    direct: z
      .object({ clusterFactor: share, minConfidence: z.number().min(0).max(100), lowConfidenceFactor: share })
      .strict(),
    indirect: z.object({ fullShare: z.number().gt(0).max(1), factor: share, minShare: share, sentFactor: share }).strict(),
    coinjoinAsMixing: z.boolean(),
    categories: z.record(
      z.string().regex(/^[a-z][a-z0-9_]*$/),
      z.object({ weight: z.number().min(0).max(100), concepts: z.array(z.string()).min(1) }).strict(),
    ),
  })
  .strict();

export type RuleFile = z.infer<typeof RuleFileSchema>;

/** Names a rule set in every result. */
export interface RuleSetInfo {
  id: string;
  version: string;
  /** SHA-256 of the rules file bytes. */
  sha256: string;
}

/** A validated rule set, with its categories in a fixed order (index = category number in arrays). */
export interface RuleSet extends RuleFile {
  info: RuleSetInfo;
  /** Category names in file order; arrays of exposures use these indices. */
  categoryNames: readonly string[];
  categoryWeights: Float64Array;
  /** GraphSense concept id → category indices it belongs to. */
  conceptCategories: ReadonlyMap<string, readonly number[]>;
  /** Index of the `mixing` category (for CoinJoin exposure), -1 when not defined. */
  mixingCategory: number;
}

/** The rules file shipped with Ledgerhound (config/risk-rules.yaml at the repository root). */
export function defaultRulesPath(): string {
  return resolve(dirname(fileURLToPath(import.meta.url)), '../../config/risk-rules.yaml');
}

/**
 * Validates rule-file text.
 * @param name file name for error messages
 * @throws LedgerhoundError LH_RULES_INVALID naming the field
 */
export function parseRules(text: string, name: string): RuleSet {
  let raw: unknown;
  try {
    raw = parseYaml(text);
  } catch (cause) {
    throw new LedgerhoundError('LH_RULES_INVALID', `${name}: not valid YAML: ${(cause as Error).message}`, { cause, details: { file: name } });
  }
  const r = RuleFileSchema.safeParse(raw);
  if (!r.success) {
    const issue = r.error.issues[0];
    const field = issue?.path.join('.') || '(top level)';
    throw new LedgerhoundError('LH_RULES_INVALID', `${name} ${field}: ${issue?.message ?? 'invalid'}`, {
      details: { file: name, field },
    });
  }
  const f = r.data;
  if (!(f.levels.medium < f.levels.high && f.levels.high < f.levels.severe)) {
    throw new LedgerhoundError('LH_RULES_INVALID', `${name} levels: need medium < high < severe`, { details: { file: name, field: 'levels' } });
  }
  const known = new Map(GRAPHSENSE_CONCEPTS.map((c) => [c.id, c]));
  const categoryNames = Object.keys(f.categories);
  const conceptCategories = new Map<string, number[]>();
  categoryNames.forEach((cat, ci) => {
    const def = f.categories[cat] as { concepts: string[] };
    for (const concept of def.concepts) {
      if (!known.has(concept)) {
        throw new LedgerhoundError('LH_RULES_INVALID', `${name} categories.${cat}.concepts: unknown GraphSense concept "${concept}"`, {
          details: { file: name, field: `categories.${cat}.concepts` },
        });
      }
      // The concept and everything narrower belongs to the category.
      const todo = [concept];
      for (let i = 0; i < todo.length; i++) {
        const id = todo[i] as string;
        const list = conceptCategories.get(id) ?? [];
        if (!list.includes(ci)) list.push(ci);
        conceptCategories.set(id, list);
        for (const c of GRAPHSENSE_CONCEPTS) if (c.broader === id && !todo.includes(c.id)) todo.push(c.id);
      }
    }
  });
  return {
    ...f,
    info: { id: f.id, version: f.version, sha256: createHash('sha256').update(text).digest('hex') },
    categoryNames,
    categoryWeights: Float64Array.from(categoryNames.map((c) => (f.categories[c] as { weight: number }).weight)),
    conceptCategories,
    mixingCategory: categoryNames.indexOf('mixing'),
  };
}

/**
 * Reads and validates a rules file.
 * @throws LedgerhoundError LH_RULES_MISSING or LH_RULES_INVALID
 */
export function loadRules(path = defaultRulesPath()): RuleSet {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (cause) {
    throw new LedgerhoundError('LH_RULES_MISSING', `cannot read risk rules ${path}`, { cause, details: { file: path } });
  }
  return parseRules(text, path);
}

/** The level for a score under a rule set. */
export function levelFor(rules: RuleSet, score: number): 'low' | 'medium' | 'high' | 'severe' {
  if (score >= rules.levels.severe) return 'severe';
  if (score >= rules.levels.high) return 'high';
  if (score >= rules.levels.medium) return 'medium';
  return 'low';
}
