import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { sharedPath } from '../helpers/sharedData.js';
import { craft, tempDir } from './helpers.js';

// One database, built through the CLI from the real data, then queried like an investigator would.
const dir = tempDir('lh-labels-cli-');
const db = join(dir, 'cli.duckdb');
const cli = (...args: string[]) => runCli(['--db', db, ...args]);

beforeAll(() => {
  for (const args of [
    ['label', 'import', 'tagpack', sharedPath('labels', 'graphsense-tagpacks', 'packs', 'lazarus.yaml')],
    ['label', 'import', 'stix', sharedPath('threat-intel', 'mitre-attack', 'lazarus-group-G0032.stix20.json')],
    ['label', 'import', 'ofac', sharedPath('sanctions', 'ofac-sdn-2024-05-03', 'sdn.csv'), sharedPath('sanctions', 'ofac-moov-2025', 'sdn_comments.csv')],
    ['incident', 'import', sharedPath('incidents')],
    ['incident', 'import', sharedPath('labels', 'graphsense-tagpacks', 'packs', 'ronin_bridge.yaml')],
  ]) {
    const r = cli(...args);
    if (r.code !== 0) throw new Error(`${args.join(' ')} failed: ${r.stderr}`);
  }
}, 120_000);

describe('ledgerhound label/actor/incident (CLI, real data)', () => {
  it('actor show by alias merges the STIX, OFAC and TagPack views of Lazarus Group, each fact with its source', () => {
    const r = cli('--json', 'actor', 'show', 'HIDDEN COBRA');
    expect(r.code).toBe(0);
    const [a] = JSON.parse(r.stdout) as { actorId: string; names: { source: { kind: string } }[]; refs: { kind: string; refId: string; name: string }[]; tags: { total: number } }[];
    expect(a?.actorId).toBe('lazarusgroup');
    expect(a?.names.map((n) => n.source.kind).sort()).toEqual(['ofac', 'stix']);
    expect(a?.refs).toContainEqual(expect.objectContaining({ kind: 'mitre-attack', refId: 'G0032' }));
    expect(a?.refs).toContainEqual(expect.objectContaining({ kind: 'ofac-sdn', refId: '27307' }));
    expect(a?.refs).toContainEqual(expect.objectContaining({ kind: 'sanctions-program', refId: 'DPRK3' }));
    expect(a?.refs).toContainEqual(expect.objectContaining({ kind: 'malware', name: 'FALLCHILL' }));
    expect(a?.tags.total).toBe(21 + 8);
  });

  it('incident show "Bitfinex" lists the 99 addresses GraphSense tags as the 2016 hack, with sources', () => {
    const r = cli('--json', 'incident', 'show', 'Bitfinex');
    expect(r.code).toBe(0);
    const [i] = JSON.parse(r.stdout) as { incidentId: string; addresses: { source: string }[]; facts: { victim: string }[] }[];
    expect(i?.incidentId).toBe('bitfinex');
    expect(i?.facts[0]?.victim).toBe('Bitfinex');
    expect(new Set(i?.addresses.map((a) => a.source))).toEqual(new Set([sharedPath('incidents', 'btc_thefts_and_dprk_addresses_from_graphsense.csv')]));
    expect(i?.addresses.length).toBe(99);
    const h = cli('incident', 'show', 'Ronin Bridge');
    expect(h.stdout).toMatch(/incident roninbridge/);
    expect(h.stdout).toMatch(/eth_heist_and_exploit_labels_from_forta\.csv/);
    expect(h.stdout).toMatch(/ronin_bridge\.yaml/);
  });

  it('label show ADDRESS gives every tag with file:line and sha256; label list filters by synonym category and actor alias', () => {
    const r = cli('label', 'show', '134r8iHv69xdT6p5qVKTsHrcUEuBVZAYak');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/lazarus\.yaml:13 \(sha256 [0-9a-f]{12}…/);
    expect(r.stdout).toMatch(/incident lazarusgroup/);
    const l = cli('--json', 'label', 'list', '--category', 'sanctioned', '--actor', 'Guardians of Peace', '--limit', '100');
    const out = JSON.parse(l.stdout) as { total: number; tags: { actorId: string }[] };
    expect(out.total).toBe(29);
    expect(new Set(out.tags.map((t) => t.actorId))).toEqual(new Set(['lazarusgroup']));
  });

  it('errors: unknown category, invalid address, bad CSV file — message names the problem, exit code non-zero, nothing written', () => {
    expect(cli('label', 'add', '1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNb', '--label', 'x', '--category', 'exchange').stderr).toMatch(/bad Base58Check checksum/);
    const bad = cli('label', 'list', '--category', 'bank');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/unknown category "bank"/);
    const d = tempDir();
    const csv = craft(d, 'bad.csv', 'address,currency,label,category\n1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa,BTC,ok,exchange\n1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa,BTC,bad,bank\n');
    const r = cli('label', 'import', 'csv', csv);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/bad\.csv:3 category: unknown category "bank"/);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    const s = cli('--json', 'label', 'sources');
    expect((JSON.parse(s.stdout) as { path: string }[]).some((x) => x.path === csv)).toBe(false);
    const ok = cli('label', 'import', 'csv', csv, '--skip-invalid');
    expect(ok.code).toBe(0);
    expect(ok.stdout).toMatch(/1 tags; skipped 1 invalid record/);
  });
});
