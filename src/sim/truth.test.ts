import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadTruth, TruthWriter, type TruthChain, type TruthIncident } from './truth.js';

const dir = mkdtempSync(join(tmpdir(), 'lh-truth-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const chain: TruthChain = {
  network: 'main',
  bestHeight: 1,
  tipHash: 'ab'.repeat(32),
  blocks: 2,
  transactions: 3,
  inputs: 3,
  coinbaseInputs: 2,
  outputs: 4,
  outputValueSat: 10e8,
  addresses: 2,
  staleBlocks: [],
  blockFiles: ['blk00000.dat'],
  xorKey: null,
};
const incident = { id: 1, name: 'x', actor: 'Lazarus Group', victim: 0, attacker: 1 } as unknown as TruthIncident;

function write(format: 'json' | 'jsonl', path: string): void {
  const w = new TruthWriter(path, format, { seed: 1 });
  w.entity({ id: 0, type: 'exchange', name: 'Ex' });
  w.entity({ id: 1, type: 'attacker', name: 'Thief, "the"' });
  w.address({ address: '1AAA', entity: 0, type: 'exchange' });
  w.coinjoin({ txid: 'cd'.repeat(32), height: 1, denominationSat: 1e6, equalOutputs: 5, inputs: [{ address: '1AAA', entity: 0, valueSat: 2e6 }] });
  w.address({ address: 'bc1qzzz', entity: 1, type: 'attacker' });
  w.finish([incident], chain);
}

describe('truth files', () => {
  it('JSON and JSONL forms load to the same truth', () => {
    write('json', join(dir, 't.json'));
    write('jsonl', join(dir, 't.jsonl'));
    const a = loadTruth(join(dir, 't.json'));
    const b = loadTruth(join(dir, 't.jsonl'));
    expect(b).toEqual(a);
    expect(a.addresses.map((x) => x.entity)).toEqual([0, 1]);
    expect(a.entities[1]!.name).toBe('Thief, "the"');
    expect(a.chain).toEqual(chain);
    expect(a.params).toEqual({ seed: 1 });
  });

  it('names the file and line of a broken record, and a truncated file', () => {
    writeFileSync(join(dir, 'bad.jsonl'), '{"kind":"header","format":"ledgerhound-sim-truth","params":{}}\n{"kind":"address","address":"1A"\n');
    expect(() => loadTruth(join(dir, 'bad.jsonl'))).toThrow(/bad\.jsonl:2: not JSON/);
    writeFileSync(join(dir, 'trunc.jsonl'), '{"kind":"header","format":"ledgerhound-sim-truth","params":{}}\n{"kind":"entity","id":0,"type":"user","name":"u"}\n');
    expect(() => loadTruth(join(dir, 'trunc.jsonl'))).toThrow(/no final "chain" record: the file is truncated/);
    writeFileSync(join(dir, 'other.json'), '{"hello":1}');
    expect(() => loadTruth(join(dir, 'other.json'))).toThrow(/not a ledgerhound simulator truth document/);
    expect(() => loadTruth(join(dir, 'missing.json'))).toThrow(/cannot read truth file/);
  });
});

describe('loadTruth onAddress', () => {
  it('streams addresses to the callback instead of the array, in both forms', () => {
    for (const name of ['t.json', 't.jsonl']) {
      const seen: string[] = [];
      const t = loadTruth(join(dir, name), { onAddress: (a) => seen.push(`${a.address}=${a.entity}`) });
      expect(seen, name).toEqual(['1AAA=0', 'bc1qzzz=1']);
      expect(t.addresses).toEqual([]);
      expect(t.chain.tipHash).toBe('ab'.repeat(32));
    }
  });
});
