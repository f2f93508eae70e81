import { describe, expect, it } from 'vitest';
import { craft, tempDir } from '../../../../test/labels/helpers.js';
import { sharedPath } from '../../../../test/helpers/sharedData.js';
import { LabelInputError } from '../../errors.js';
import { readSourceFile } from '../readSourceFile.js';
import { readTagPack } from './readTagPack.js';

const pack = (name: string) => readTagPack(readSourceFile(sharedPath('labels', 'graphsense-tagpacks', 'packs', name)));

describe('readTagPack on real GraphSense TagPacks', () => {
  it('lazarus.yaml: header fields are inherited by every tag', () => {
    const b = pack('lazarus.yaml');
    expect(b.problems).toEqual([]);
    expect(b.title).toBe('OFAC Tagpack');
    expect(b.tags.length).toBe(21);
    const t = b.tags.find((x) => x.address === '134r8iHv69xdT6p5qVKTsHrcUEuBVZAYak');
    expect(t).toMatchObject({
      currency: 'BTC',
      label: 'Lazarus group',
      category: 'user',
      abuse: 'sanction',
      actorId: 'lazarusgroup',
      confidence: 'authority_data',
      creator: 'GraphSense Core Team',
      date: '2022-04-15',
      isClusterDefiner: false,
      sourceUrl: 'https://www.treasury.gov/resource-center/sanctions/OFAC-Enforcement/Pages/20200302.aspx',
    });
    expect(t?.line).toBeGreaterThan(12);
  });

  it('ronin_bridge.yaml: EIP-55 checksummed Ethereum addresses become lower-case keys; tag fields override the header', () => {
    const b = pack('ronin_bridge.yaml');
    expect(b.problems).toEqual([]);
    expect(b.tags.map((t) => t.address)).toContain('0x098b716b8aaf21512996dc57eb0615e2383e2f96');
    const first = b.tags[0];
    expect(first).toMatchObject({ label: 'Ronin bridge exploiter', abuse: 'service_hack', confidence: 'service_data', currency: 'ETH', isClusterDefiner: true });
    expect(first?.context).toContain('original address');
  });

  it('hacks.yaml: per-tag category/actor, and category falls back to the abuse concept', () => {
    const b = pack('hacks.yaml');
    expect(b.problems).toEqual([]);
    const bitstamp = b.tags.find((t) => t.address === '1JoktQJhCzuCQkt3GnQ8Xddcq4mUgNyXEa');
    expect(bitstamp).toMatchObject({ category: 'exchange', actorId: 'bitstamp', confidence: 'web_crawl' });
    const bitfinexHack = b.tags.filter((t) => t.label === 'Bitfinex hack');
    expect(bitfinexHack.length).toBe(99);
    expect(bitfinexHack[0]).toMatchObject({ abuse: 'service_hack', category: 'service_hack' });
  });

  it('ofac.yaml: the one Tron address filed as BTC is reported with file, line and field', () => {
    const b = pack('ofac.yaml');
    expect(b.problems).toHaveLength(1);
    expect(b.problems[0]).toMatchObject({ field: 'tags[530].address', line: 1069 });
    expect(b.problems[0]?.problem).toMatch(/invalid Bitcoin address "TUCsTq7TofTCJRRoHk6RvhMoS2mJLm5Yzq"/);
    expect(b.tags.length).toBe(571);
  });
});

describe('readTagPack on crafted bad files', () => {
  const dir = tempDir();
  const read = (name: string, text: string) => readTagPack(readSourceFile(craft(dir, name, text)));
  const header = 'title: t\ncreator: me\nconfidence: web_crawl\ncurrency: BTC\n';

  it('malformed YAML: error names file, line and column', () => {
    let err: unknown;
    try {
      read('bad.yaml', `${header}tags:\n- address: 1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa\n  label: "unterminated\n`);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(LabelInputError);
    expect((err as LabelInputError).message).toMatch(/bad\.yaml:\d+ yaml \(column \d+\): malformed YAML/);
  });

  it('a YAML alias bomb is refused, not expanded', () => {
    const bomb = ['a: &a ["x","x","x","x","x","x","x","x","x"]', ...'bcdefghij'.split('').map((k, i) => `${k}: &${k} [${Array(9).fill(`*${'abcdefghij'[i]}`).join(',')}]`), 'tags: [*j]'].join('\n');
    expect(() => read('bomb.yaml', bomb)).toThrow(/bomb\.yaml .*cannot expand YAML|bomb\.yaml:\d+ yaml/);
  });

  it('unknown category on a tag: problem names the tag line and field', () => {
    const b = read('cat.yaml', `${header}tags:\n- address: 1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa\n  label: x\n  category: bank\n`);
    expect(b.problems).toEqual([
      expect.objectContaining({ line: 8, field: 'tags[0].category', problem: expect.stringMatching(/unknown category "bank"/) }),
    ]);
  });

  it('unknown header confidence invalidates every tag of the file', () => {
    const b = read('conf.yaml', 'title: t\nconfidence: very_sure\ncurrency: BTC\nlabel: x\ntags:\n- address: 1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa\n');
    expect(b.problems[0]).toMatchObject({ line: 2, field: 'confidence' });
    expect(b.tags).toEqual([]);
  });

  it('invalid address, bad EIP-55 checksum, missing label', () => {
    const b = read(
      'addr.yaml',
      [
        'title: t',
        'confidence: web_crawl',
        'tags:',
        '- address: 1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNb',
        '  currency: BTC',
        '  label: bad checksum',
        '- address: "0x52908400098527886E0F7030069857D2E4169Ee7"',
        '  currency: ETH',
        '  label: bad eip55',
        '- address: bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq',
        '  currency: BTC',
        '',
      ].join('\n'),
    );
    expect(b.problems.map((p) => [p.line, p.field])).toEqual([
      [4, 'tags[0].address'],
      [7, 'tags[1].address'],
      [10, 'tags[2].label'],
    ]);
    expect(b.problems[1]?.problem).toMatch(/EIP-55 checksum mismatch/);
  });

  it('unquoted 0x addresses stay strings (failsafe schema), exact duplicates are skipped and counted', () => {
    const b = read(
      'dup.yaml',
      `title: t\nconfidence: web_crawl\ncurrency: ETH\nlabel: l\ntags:\n- address: 0x52908400098527886E0F7030069857D2E4169EE7\n- address: 0x52908400098527886e0f7030069857d2e4169ee7\n`,
    );
    expect(b.problems).toEqual([]);
    expect(b.tags.map((t) => t.address)).toEqual(['0x52908400098527886e0f7030069857d2e4169ee7']);
    expect(b.skipped).toEqual({ 'duplicate of an earlier tag in the same file': 1 });
  });
});
