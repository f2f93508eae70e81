import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { defaultRulesPath, levelFor, loadRules, parseRules } from './rules.js';

const text = readFileSync(defaultRulesPath(), 'utf8');

describe('risk rules file', () => {
  it('the shipped rules load, with pinned defaults and a content hash', () => {
    const r = loadRules();
    expect(r.info).toMatchObject({ id: 'ledgerhound-default', version: '2026.11.21-1' });
    expect(r.info.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect({ hops: r.hops, hopDecay: r.hopDecay, levels: r.levels }).toEqual({ hops: 3, hopDecay: 0.5, levels: { medium: 25, high: 50, severe: 75 } });
    expect(r.categoryNames).toEqual(['sanctions', 'terrorism_financing', 'child_abuse', 'ransomware', 'stolen_funds', 'darknet_market', 'scam', 'mixing', 'gambling']);
  });

  it('narrower GraphSense concepts belong to the category of a broader one', () => {
    const r = loadRules();
    const stolen = r.categoryNames.indexOf('stolen_funds');
    expect(r.conceptCategories.get('service_hack')).toContain(stolen); // hacking → service_hack
    expect(r.conceptCategories.get('pyramid_scheme')).toContain(r.categoryNames.indexOf('scam')); // financial_crime → … → pyramid_scheme
    expect(r.conceptCategories.get('exchange')).toBeUndefined();
  });

  it('levels follow the thresholds', () => {
    const r = loadRules();
    expect([0, 24, 25, 49, 50, 74, 75, 100].map((s) => levelFor(r, s))).toEqual(['low', 'low', 'medium', 'medium', 'high', 'high', 'severe', 'severe']);
  });

  it('invalid files fail naming the field', () => {
    expect(() => parseRules(text.replace('hops: 3', 'hops: 0'), 'r.yaml')).toThrow(/r\.yaml hops: /);
    expect(() => parseRules(text.replace('concepts: [sanction, gov_black_list]', 'concepts: [sanktion]'), 'r.yaml')).toThrow(
      /categories\.sanctions\.concepts: unknown GraphSense concept "sanktion"/,
    );
    expect(() => parseRules(text.replace('  severe: 75', '  severe: 40'), 'r.yaml')).toThrow(/levels: need medium < high < severe/);
    expect(() => parseRules(`${text}\nextra: 1\n`, 'r.yaml')).toThrow(/LH_RULES_INVALID|Unrecognized key/);
    expect(() => parseRules('{ not yaml', 'r.yaml')).toThrow(expect.objectContaining({ code: 'LH_RULES_INVALID' }));
  });

  it('the hash changes with any byte of the file', () => {
    expect(parseRules(`${text}# note\n`, 'r.yaml').info.sha256).not.toBe(loadRules().info.sha256);
  });
});
