import { type ConfidenceLevel, GRAPHSENSE_CONCEPTS, GRAPHSENSE_CONFIDENCE, type TaxonomyConcept } from './graphsenseTaxonomy.js';

/** Where a concept sits: under `abuse`, under `entity`, or elsewhere (behaviour, source, item). */
export type ConceptKind = 'abuse' | 'entity' | 'other';

const CONCEPTS = new Map<string, TaxonomyConcept>(GRAPHSENSE_CONCEPTS.map((x) => [x.id, x]));
const CONFIDENCE = new Map<string, ConfidenceLevel>(GRAPHSENSE_CONFIDENCE.map((x) => [x.id, x]));

/**
 * Words of the project brief and of other sources that name a GraphSense concept under another spelling.
 * Only exact synonyms: `sanctioned` (OFAC, the issue text) is GraphSense `sanction`; `mixer` is `mixing_service`;
 * `hack`/`theft` are `service_hack` (the GraphSense concept for stolen funds).
 */
export const CATEGORY_SYNONYMS: Readonly<Record<string, string>> = {
  sanctioned: 'sanction',
  mixer: 'mixing_service',
  'mixing service': 'mixing_service',
  hack: 'service_hack',
  theft: 'service_hack',
  'theft/hack': 'service_hack',
};

/** The concept for an id or synonym (case-insensitive, spaces as underscores), or undefined. */
export function resolveConcept(value: string): TaxonomyConcept | undefined {
  const v = value.trim().toLowerCase();
  const syn = CATEGORY_SYNONYMS[v];
  return CONCEPTS.get(syn ?? v) ?? CONCEPTS.get(v.replace(/[\s-]+/g, '_'));
}

/** The kind of a concept id (walks `broader` up to `abuse` or `entity`). */
export function conceptKind(id: string): ConceptKind {
  let cur = CONCEPTS.get(id);
  for (let hops = 0; cur !== undefined && hops < 32; hops++) {
    if (cur.id === 'abuse') return 'abuse';
    if (cur.id === 'entity') return 'entity';
    cur = cur.broader === null ? undefined : CONCEPTS.get(cur.broader);
  }
  return 'other';
}

/** The id itself and every narrower concept below it (for `label list --category service` to find exchanges). */
export function conceptWithNarrower(id: string): string[] {
  const out = [id];
  for (let i = 0; i < out.length; i++) {
    for (const x of GRAPHSENSE_CONCEPTS) if (x.broader === out[i] && !out.includes(x.id)) out.push(x.id);
  }
  return out;
}

/** The confidence level for a GraphSense confidence id, or undefined when the id is not in the scale. */
export function resolveConfidence(id: string): ConfidenceLevel | undefined {
  return CONFIDENCE.get(id.trim().toLowerCase());
}

/** All concept ids, for error hints. */
export function conceptIds(): string[] {
  return GRAPHSENSE_CONCEPTS.map((x) => x.id);
}

/** All confidence ids, for error hints. */
export function confidenceIds(): string[] {
  return GRAPHSENSE_CONFIDENCE.map((x) => x.id);
}
