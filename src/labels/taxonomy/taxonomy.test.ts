import { describe, expect, it } from 'vitest';
import { GRAPHSENSE_CONCEPTS, GRAPHSENSE_CONFIDENCE } from './graphsenseTaxonomy.js';
import { conceptKind, conceptWithNarrower, resolveConcept, resolveConfidence } from './taxonomy.js';

describe('GraphSense taxonomy as data', () => {
  it('is a tree: unique ids, every broader concept exists, one root', () => {
    const ids = new Set(GRAPHSENSE_CONCEPTS.map((c) => c.id));
    expect(ids.size).toBe(GRAPHSENSE_CONCEPTS.length);
    for (const c of GRAPHSENSE_CONCEPTS) if (c.broader !== null) expect(ids.has(c.broader), c.id).toBe(true);
    expect(GRAPHSENSE_CONCEPTS.filter((c) => c.broader === null).map((c) => c.id)).toEqual(['concept']);
  });

  it('kinds follow the tree: abuses under abuse, services under entity', () => {
    for (const id of ['sanction', 'ransomware', 'service_hack', 'phishing', 'sextortion', 'pyramid_scheme', 'terrorism', 'black_list']) expect(conceptKind(id), id).toBe('abuse');
    for (const id of ['exchange', 'mixing_service', 'gambling', 'miner', 'defi_dex', 'wallet_service', 'organization', 'user']) expect(conceptKind(id), id).toBe('entity');
    expect(conceptKind('coinjoin')).toBe('other'); // under behaviour → gray_usage → mixing in the concepts taxonomy
    expect(conceptWithNarrower('service')).toEqual(expect.arrayContaining(['exchange', 'defi', 'defi_dex', 'escrow_wallet']));
  });

  it('synonyms of the brief resolve to GraphSense ids; anything else is unknown', () => {
    expect(resolveConcept('sanctioned')?.id).toBe('sanction');
    expect(resolveConcept('Mixing Service')?.id).toBe('mixing_service');
    expect(resolveConcept('theft/hack')?.id).toBe('service_hack');
    expect(resolveConcept('bank')).toBeUndefined();
  });

  it('confidence scale: GraphSense levels, strongest first', () => {
    expect(resolveConfidence('authority_data')?.level).toBe(60);
    expect(resolveConfidence('ledger_immanent')?.level).toBe(100);
    expect(resolveConfidence('web_crawl')?.level).toBe(20);
    const levels = GRAPHSENSE_CONFIDENCE.map((c) => c.level);
    expect([...levels].sort((a, b) => b - a)).toEqual(levels);
    expect(resolveConfidence('very_sure')).toBeUndefined();
  });
});
