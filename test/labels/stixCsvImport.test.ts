import { describe, expect, it } from 'vitest';
import { importLabelCsv, importStix, LabelInputError, readLabelCsv, readSourceFile, readStixBundle } from '../../src/labels/index.js';
import { sharedPath } from '../helpers/sharedData.js';
import { craft, tempDb, tempDir } from './helpers.js';

describe('label import stix (MITRE ATT&CK Lazarus Group bundle)', () => {
  it('intrusion set → actor with aliases, ATT&CK id G0032, malware and campaign references', async () => {
    const { db } = await tempDb();
    const r = await importStix(db, sharedPath('threat-intel', 'mitre-attack', 'lazarus-group-G0032.stix20.json'));
    expect(r[0]).toMatchObject({ kind: 'stix', actors: 1 });
    const a = await db.one<{ name: string; actor_type: string }>("SELECT name, actor_type FROM label_actors WHERE actor_id = 'lazarusgroup'");
    expect(a).toEqual({ name: 'Lazarus Group', actor_type: 'intrusion-set' });
    const aliases = (await db.all<{ alias: string }>("SELECT alias FROM label_actor_aliases WHERE actor_id = 'lazarusgroup'")).map((x) => x.alias);
    expect(aliases).toEqual(expect.arrayContaining(['HIDDEN COBRA', 'Guardians of Peace', 'ZINC', 'Labyrinth Chollima', 'Diamond Sleet']));
    const refs = await db.all<{ ref_kind: string; ref_id: string | null; name: string | null }>(
      "SELECT ref_kind, ref_id, name FROM label_actor_refs WHERE actor_id = 'lazarusgroup' AND ref_kind <> 'url'",
    );
    expect(refs).toContainEqual({ ref_kind: 'mitre-attack', ref_id: 'G0032', name: 'Lazarus Group' });
    const malware = refs.filter((x) => x.ref_kind === 'malware').map((x) => x.name?.replace(/ \(via .*\)$/, ''));
    expect(malware).toEqual(expect.arrayContaining(['FALLCHILL', 'AppleJeus', 'Bankshot', 'RATANKBA', 'WannaCry']));
    expect(malware.length).toBe(24);
    expect(refs.filter((x) => x.ref_kind === 'tool')).toHaveLength(4);
    expect(refs).toContainEqual({ ref_kind: 'campaign', ref_id: 'C0022', name: 'Operation Dream Job' });
    db.close();
  });

  it('crafted bad bundles: malformed JSON (line), not a bundle, object without id', () => {
    const dir = tempDir();
    const read = (name: string, text: string) => readStixBundle(readSourceFile(craft(dir, name, text)));
    expect(() => read('bad.json', '{\n  "type": "bundle",\n  "objects": [\n    {"type": "intrusion-set",, }\n  ]\n}')).toThrow(/bad\.json:4 json \(column \d+\): malformed JSON/);
    expect(() => read('notbundle.json', '{"type": "indicator"}')).toThrow(/notbundle\.json:1 type: not a STIX 2\.x bundle/);
    const b = read('noid.json', '{"type":"bundle","objects":[{"type":"intrusion-set","name":"X"}]}');
    expect(b.problems[0]).toMatchObject({ field: 'objects[0].id' });
  });
});

describe('label import csv', () => {
  const header = 'address,currency,label,category,abuse,actor,source,confidence,date';

  it('imports a documented-header CSV with per-row provenance and line numbers', async () => {
    const { db } = await tempDb();
    const dir = tempDir();
    const csv = craft(
      dir,
      'ok.csv',
      `${header}\n1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa,BTC,Genesis,user,,satoshi,https://en.bitcoin.it/wiki/Genesis_block,ownership,2009-01-03\n0x52908400098527886E0F7030069857D2E4169EE7,ETH,EIP-55 vector,user,,,https://eips.ethereum.org/EIPS/eip-55,unknown,\n`,
    );
    const r = await importLabelCsv(db, csv);
    expect(r[0]).toMatchObject({ tags: 2, kind: 'csv' });
    const rows = await db.all<{ address: string; line: number; confidence_level: number }>('SELECT address, line, confidence_level FROM label_tags ORDER BY line');
    expect(rows).toEqual([
      { address: '1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa', line: 2, confidence_level: 100 },
      { address: '0x52908400098527886e0f7030069857d2e4169ee7', line: 3, confidence_level: 5 },
    ]);
    db.close();
  });

  it('crafted bad CSVs: unclosed quote, missing column, unknown category, invalid address, unknown confidence', () => {
    const dir = tempDir();
    const read = (name: string, text: string) => readLabelCsv(readSourceFile(craft(dir, name, text)));
    expect(() => read('quote.csv', `${header}\n1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa,BTC,"unclosed,user,,,,,\n`)).toThrow(/quote\.csv:\d+ csv: malformed CSV/);
    expect(() => read('cols.csv', 'address,currency,label\nx,BTC,y\n')).toThrow(/cols\.csv:1 header: missing required column "category"/);
    expect(() => read('extra.csv', `${header},colour\n`)).toThrow(LabelInputError);
    const b = read(
      'rows.csv',
      `${header}\n1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa,BTC,x,bank,,,,,\n1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNb,BTC,x,exchange,,,,,\n1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa,BTC,x,exchange,,,,very_sure,\n`,
    );
    expect(b.problems.map((p) => [p.line, p.field])).toEqual([
      [2, 'category'],
      [3, 'address'],
      [4, 'confidence'],
    ]);
    expect(b.problems[0]?.problem).toMatch(/unknown category "bank"/);
  });

  it('`sanctioned` (the brief’s word) is the GraphSense concept `sanction`', () => {
    const dir = tempDir();
    const b = readLabelCsv(readSourceFile(craft(dir, 's.csv', 'address,currency,label,category\n1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa,BTC,x,sanctioned\n')));
    expect(b.tags[0]?.category).toBe('sanction');
  });
});
