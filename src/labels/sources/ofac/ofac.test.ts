import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ParseError } from '../../../core/index.js';
import { sharedPath } from '../../../../test/helpers/sharedData.js';
import { loadOfac, parseOfacCsv, parseRemarks, readSdnAdvancedXml, readSdnXml } from './index.js';

const VECTORS = join(import.meta.dirname, '..', '..', '..', '..', 'test', 'vectors', 'ofac');
const tmp = () => mkdtempSync(join(tmpdir(), 'lh-ofac-'));

describe('OFAC CSV set (real files)', () => {
  it('reads the complete moov bench set: LAZARUS GROUP 27307 with programme, address and remark aliases', async () => {
    const ds = await loadOfac(sharedPath('sanctions', 'ofac-moov-bench'));
    expect(ds.entries.length).toBe(8976);
    expect(ds.files.map((f) => f.kind).sort()).toEqual(['add.csv', 'alt.csv', 'sdn.csv', 'sdn_comments.csv']);
    expect(ds.files.every((f) => /^[0-9a-f]{64}$/.test(f.sha256))).toBe(true);
    const laz = ds.entries.find((e) => e.entNum === 27307);
    expect(laz?.name).toBe('LAZARUS GROUP');
    expect(laz?.type).toBe('entity');
    expect(laz?.programs).toEqual(['DPRK3']);
    expect(laz?.addresses).toEqual(['Potonggang District, Pyongyang, Korea, North']);
    expect(laz?.aliases.map((a) => a.name)).toContain('HIDDEN COBRA');
    expect(laz?.aliases.find((a) => a.name === 'APPLEWORM')).toMatchObject({ kind: 'aka', quality: 'weak', source: 'remarks', altNum: 0 });
    // ALT.CSV aliases keep their alt_num
    const bnc = ds.entries.find((e) => e.entNum === 306);
    expect(bnc?.aliases).toContainEqual({ altNum: 220, kind: 'aka', name: 'NATIONAL BANK OF CUBA', quality: 'strong', source: 'alt.csv' });
    expect(ds.warnings).toEqual([]);
  });

  it('appends SDN_COMMENTS.CSV continuations mid-word (30518: "…XBT 1Gq" + "ChmWq…")', async () => {
    const ds = await loadOfac(sharedPath('sanctions', 'ofac-moov-bench'));
    const e = ds.entries.find((x) => x.entNum === 30518);
    expect(e?.remarksTruncated).toBeUndefined();
    expect(e?.digitalCurrencyAddresses).toContainEqual({ currency: 'XBT', address: '1GqChmWqGtsaLrGbHfgdrV5Nkvahtjjuxr' });
    const tian = ds.entries.find((x) => x.entNum === 28263);
    expect(tian?.remarks.endsWith("Linked To: LAZARUS GROUP.")).toBe(true);
  });

  it('without the comments file a cut address is not reported and the entry is flagged', async () => {
    const ds = await loadOfac(sharedPath('sanctions', 'ofac-moov-bench', 'sdn.csv'));
    const e = ds.entries.find((x) => x.entNum === 30518);
    expect(e?.remarksTruncated).toBe(true);
    expect(e?.digitalCurrencyAddresses.some((d) => d.address.startsWith('1Gq'))).toBe(false);
  });

  it('every XBT address of the plain list that occurs in the 2024 SDN.CSV (+2025 continuations) is extracted', async () => {
    const list = await loadOfac(sharedPath('sanctions', 'ofac-digital-currency-addresses', 'sanctioned_addresses_XBT.txt'));
    const listed = list.listedAddresses.map((a) => a.address);
    expect(listed.length).toBe(435);
    const sdnPath = sharedPath('sanctions', 'ofac-sdn-2024-05-03', 'sdn.csv');
    const commentsPath = sharedPath('sanctions', 'ofac-moov-2025', 'sdn_comments.csv');
    const ds = await loadOfac([sdnPath, commentsPath]);
    expect(ds.entries.length).toBe(14965);
    const got = new Set(ds.entries.flatMap((e) => e.digitalCurrencyAddresses.filter((d) => d.currency === 'XBT').map((d) => d.address)));
    // source text of what was loaded: SDN.CSV plus the continuation rows that were attached
    const continued = new Set(ds.entries.filter((e) => e.remarks.length > 1000).map((e) => e.entNum));
    const commentRows = readFileSync(commentsPath, 'utf8').split('\n').filter((l) => continued.has(Number(l.split(',')[0])));
    const raw = readFileSync(sdnPath, 'utf8') + commentRows.join('\n');
    const present = listed.filter((a) => raw.includes(a));
    expect(present.length).toBeGreaterThan(380);
    expect(present.filter((a) => !got.has(a))).toEqual([]);
    // and nothing is invented: every extracted XBT address is on OFAC's own list
    expect([...got].filter((a) => !listed.includes(a))).toEqual([]);
    expect(continued.has(27307)).toBe(true);
  });

  it('reads DOB years and nationality from remarks', async () => {
    const ds = await loadOfac(sharedPath('sanctions', 'ofac-sdn-2024-05-03', 'sdn.csv'));
    const withYears = ds.entries.filter((e) => e.type === 'individual' && e.birthYears.length > 0);
    expect(withYears.length).toBeGreaterThan(4000);
    const tian = ds.entries.find((e) => e.entNum === 28263);
    expect(tian?.type).toBe('individual');
    expect(tian?.birthYears.length).toBeGreaterThan(0);
  });

  it('plain lists: txt and json of one currency agree and are deduplicated', async () => {
    const dir = sharedPath('sanctions', 'ofac-digital-currency-addresses');
    const both = await loadOfac([join(dir, 'sanctioned_addresses_XBT.txt'), join(dir, 'sanctioned_addresses_XBT.json')]);
    expect(both.listedAddresses.length).toBe(435);
    expect(both.files.map((f) => f.currency)).toEqual(['XBT', 'XBT']);
    const all = await loadOfac(dir);
    expect(new Set(all.listedAddresses.map((a) => a.currency)).has('ETH')).toBe(true);
  });
});

describe('remarks parser', () => {
  it('parses aliases, addresses, DOB ranges and nationality', () => {
    const f = parseRemarks("DOB 1957 to 1959; alt. DOB 12 Jun 1960; nationality Korea, North; a.k.a. 'X Y'; f.k.a. 'OLD NAME'; alt. Digital Currency Address - XBT 1ABCdefGHijk123; Digital Currency Address - ETH 0xabcdef0123456789.");
    expect(f.birthYears).toEqual([1957, 1958, 1959, 1960]);
    expect(f.countries).toEqual(['Korea, North']);
    expect(f.aliases).toEqual([
      { kind: 'aka', name: 'X Y', quality: 'weak', source: 'remarks' },
      { kind: 'fka', name: 'OLD NAME', quality: 'weak', source: 'remarks' },
    ]);
    expect(f.digitalCurrencyAddresses).toEqual([
      { currency: 'XBT', address: '1ABCdefGHijk123' },
      { currency: 'ETH', address: '0xabcdef0123456789' },
    ]);
  });
});

describe('OFAC XML (crafted files following the published schemas)', () => {
  it('SDN.XML', async () => {
    const ds = await loadOfac(join(VECTORS, 'xml'));
    expect(ds.publishDate).toBe('2024-05-03');
    const [laz, kim] = ds.entries;
    expect(laz).toMatchObject({ entNum: 27307, name: 'LAZARUS GROUP', type: 'entity', programs: ['DPRK3'], countries: ['Korea, North'] });
    expect(laz?.digitalCurrencyAddresses).toEqual([
      { currency: 'ETH', address: '0x098B716B8Aaf21512996dC57EB0615e2383E2f96' },
      { currency: 'XBT', address: '12QtD5BFwRsdNsAZY76UVE1xyCGNTojH9h' },
    ]);
    expect(laz?.aliases[0]).toEqual({ altNum: 41650, kind: 'aka', name: 'HIDDEN COBRA', quality: 'weak', source: 'sdn.xml' });
    expect(kim).toMatchObject({ entNum: 9999001, name: 'KIM, Jong Un', type: 'individual', programs: ['DPRK3', 'DPRK4'], birthYears: [1984], countries: ['Korea, North'] });
    expect(kim?.aliases).toEqual([{ altNum: 9999101, kind: 'aka', name: 'KIM, Chong-un', quality: 'strong', source: 'sdn.xml' }]);
  });

  it('SDN_ADVANCED.XML', async () => {
    const ds = await loadOfac(join(VECTORS, 'advanced'));
    expect(ds.publishDate).toBe('2024-05-03');
    const [laz, kim] = ds.entries;
    expect(laz).toMatchObject({ entNum: 27307, name: 'LAZARUS GROUP', type: 'entity', programs: ['DPRK3'], countries: ['Korea, North'] });
    expect(laz?.addresses).toEqual(['Potonggang District, Pyongyang, Korea, North']);
    expect(laz?.aliases).toEqual([{ altNum: 37271, kind: 'aka', name: 'HIDDEN COBRA', quality: 'weak', source: 'sdn_advanced.xml' }]);
    expect(laz?.digitalCurrencyAddresses).toEqual([
      { currency: 'ETH', address: '0x098B716B8Aaf21512996dC57EB0615e2383E2f96' },
      { currency: 'XBT', address: '12QtD5BFwRsdNsAZY76UVE1xyCGNTojH9h' },
    ]);
    expect(kim).toMatchObject({ entNum: 9999001, name: 'KIM, Jong Un', type: 'individual', programs: ['DPRK3', 'DPRK4'], birthYears: [1984], countries: ['Korea, North'] });
    expect(kim?.aliases).toEqual([{ altNum: 9999004, kind: 'aka', name: '김, 정은', quality: 'strong', source: 'sdn_advanced.xml' }]);
  });

  it('malformed XML names file, line and column', () => {
    const bad = readFileSync(join(VECTORS, 'xml', 'SDN.XML'), 'utf8').replace('<lastName>KIM</lastName>', '<lastName>KIM</lastNam>');
    expect(() => readSdnXml(bad, 'bad.xml')).toThrow(ParseError);
    expect(() => readSdnXml(bad, 'bad.xml')).toThrow(/bad\.xml @ 0x[0-9a-f]+ line 51 column \d+: malformed XML/);
  });

  it('an entry without uid or with an unknown type is a ParseError naming the entry', () => {
    const src = readFileSync(join(VECTORS, 'xml', 'SDN.XML'), 'utf8');
    expect(() => readSdnXml(src.replace('<uid>9999001</uid>', '<uid>x1</uid>'), 'f.xml')).toThrow(/f\.xml @ 0x[0-9a-f]+ line 48 sdnEntry\[1\]\.uid: expected a positive integer/);
    expect(() => readSdnXml(src.replace('<sdnType>Individual</sdnType>', '<sdnType>Robot</sdnType>'), 'f.xml')).toThrow(/sdnEntry\[1\]\.sdnType: unknown sdnType "robot"/);
    const adv = readFileSync(join(VECTORS, 'advanced', 'SDN_ADVANCED.XML'), 'utf8');
    expect(() => readSdnAdvancedXml(adv.replace('FixedRef="9999001">', 'FixedRef="">'), 'a.xml')).toThrow(/a\.xml @ 0x[0-9a-f]+ line \d+ DistinctParty\[1\]\.@FixedRef/);
    expect(() => readSdnAdvancedXml('<Other/>', 'a.xml')).toThrow(/root element <Sanctions> not found/);
  });
});

describe('bad CSV input', () => {
  it('malformed rows name file, line and field', () => {
    expect(() => parseOfacCsv('36,"A",-0- ,"CUBA",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \r\n37,"B",-0- \r\n', 'sdn.csv', 'sdn.csv')).toThrow(
      /sdn\.csv @ 0x3c line 2 Program: expected 12 columns \(sdn\.csv\), found 3/,
    );
    expect(() => parseOfacCsv('36,"unterminated,-0-\r\n', 'alt.csv', 'alt.csv')).toThrow(/line 1 alt_num: unterminated quoted field/);
    expect(() => parseOfacCsv('36,"x"y,"aka","N",-0- \r\n', 'alt.csv', 'alt.csv')).toThrow(/line 1 alt_num: unexpected "y" after closing quote/);
  });

  it('bad ent_num and unknown types through loadOfac', async () => {
    const d = tmp();
    writeFileSync(join(d, 'SDN.CSV'), '36,"A",-0- ,"CUBA",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \r\nX7,"B",-0- ,"CUBA",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \r\n\x1a');
    await expect(loadOfac(d)).rejects.toThrow(/SDN\.CSV @ 0x[0-9a-f]+ line 2 ent_num: expected a positive integer, found "X7"/);
    writeFileSync(join(d, 'SDN.CSV'), '36,"A","robot","CUBA",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \r\n');
    await expect(loadOfac(d)).rejects.toThrow(/line 1 SDN_Type: unknown SDN_Type "robot"/);
    writeFileSync(join(d, 'SDN.CSV'), '36,"A",-0- ,"CUBA",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \r\n');
    writeFileSync(join(d, 'alt.csv'), '36,1,"aka","X",-0- \r\n36,2,"xyz","Y",-0- \r\n');
    await expect(loadOfac(d)).rejects.toThrow(/alt\.csv @ 0x[0-9a-f]+ line 2 alt_type: unknown alt_type "xyz"/);
  });

  it('bad address lists and unknown paths', async () => {
    const d = tmp();
    writeFileSync(join(d, 'sanctioned_addresses_XBT.txt'), '1BoatSLRHtKNngkdXEeobR76b53LETtpyT\nnot an address\n');
    await expect(loadOfac(d)).rejects.toThrow(/sanctioned_addresses_XBT\.txt @ 0x23 line 2: expected one address per line/);
    writeFileSync(join(d, 'sanctioned_addresses_XBT.txt'), '');
    writeFileSync(join(d, 'sanctioned_addresses_ETH.json'), '["0x098B716B8Aaf21512996dC57EB0615e2383E2f96", 7]');
    await expect(loadOfac(d)).rejects.toThrow(/sanctioned_addresses_ETH\.json @ 0x0 \[1\]: expected an address string/);
    await expect(loadOfac(join(d, 'nope'))).rejects.toThrow(/not found/);
    writeFileSync(join(d, 'other.csv'), 'x');
    await expect(loadOfac(join(d, 'other.csv'))).rejects.toThrow(/not an OFAC file name/);
    await expect(loadOfac(tmp())).rejects.toThrow(/no OFAC files found/);
  });
});
