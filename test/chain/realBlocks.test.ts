import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import {
  addressKey,
  classifyScript,
  decodeBlock,
  encodeAddressKey,
  hashToHex,
  merkleRoot,
  parseBlock,
  SCRIPT_TYPES,
} from '../../src/chain/index.js';
import { REPO_ROOT } from '../helpers/cli.js';
import { sharedPath } from '../helpers/sharedData.js';

interface Golden {
  source: string;
  hash: string;
  merkleRoot: string;
  computedMerkleRoot: string;
  time: number;
  txCount: number;
  transactions: { txid: string; wtxid: string; size: number; inputs: [string, number, number][]; outputs: [number, string, string | null][] }[];
}

const goldenDir = join(REPO_ROOT, 'test', 'golden', 'btc');
const goldens = readdirSync(goldenDir).filter((f) => f.endsWith('.json.gz'));

describe('real mainnet blocks 2012–2024 decode as python-bitcoinlib decodes them', () => {
  it('has a golden file for every real block', () => {
    const raws = readdirSync(sharedPath('btc', 'blocks', 'mainnet')).filter((f) => f.endsWith('.raw'));
    expect(goldens.map((g) => g.replace('.json.gz', '.raw')).sort()).toEqual(raws.sort());
  });

  for (const g of goldens) {
    it(g.replace('.json.gz', ''), () => {
      const golden = JSON.parse(gunzipSync(readFileSync(join(goldenDir, g))).toString()) as Golden;
      const raw = readFileSync(sharedPath('btc', 'blocks', 'mainnet', golden.source));
      const b = parseBlock(raw, { file: golden.source });
      const d = decodeBlock(b, 'main');
      expect(d.hash).toBe(golden.hash);
      expect(d.merkleRoot).toBe(golden.merkleRoot);
      expect(hashToHex(merkleRoot(b.txids, b.txCount))).toBe(golden.computedMerkleRoot);
      expect(d.time).toBe(golden.time);
      expect(d.transactions.length).toBe(golden.txCount);
      for (let i = 0; i < golden.txCount; i++) {
        const want = golden.transactions[i]!;
        const got = d.transactions[i]!;
        expect(got.txid, `tx[${i}].txid`).toBe(want.txid);
        expect(got.wtxid, `tx[${i}].wtxid`).toBe(want.wtxid);
        expect(got.size, `tx[${i}].size`).toBe(want.size);
        expect(got.inputs.map((x) => [x.prevTxid, x.prevVout, x.sequence]), `tx[${i}].inputs`).toEqual(want.inputs);
        expect(got.outputs.map((o) => [o.value, o.scriptType, o.address]), `tx[${i}].outputs`).toEqual(want.outputs);
      }
    });
  }
});

describe('fees from the real spent-output files', () => {
  // Coinbase = subsidy + fees of the block, so summing our per-tx fees must reproduce it.
  const cases = [
    { height: 367891, subsidy: 25 * 1e8 },
    { height: 866342, subsidy: 3.125 * 1e8 },
  ];
  for (const c of cases) {
    it(`block ${c.height}: every fee is positive and fees + subsidy = coinbase value`, () => {
      const b = parseBlock(readFileSync(sharedPath('btc', 'blocks', 'mainnet', `block_${c.height}.raw`)));
      const prev = JSON.parse(gunzipSync(readFileSync(sharedPath('btc', 'prevouts', `block_${c.height}_spent_utxos.json.gz`))).toString()) as {
        txout: { value: number; script_pubkey: string };
      }[];
      expect(prev.length).toBe(b.txInputStart[b.txCount]! - 1);
      let fees = 0;
      for (let i = 1; i < b.txCount; i++) {
        let inSum = 0;
        for (let j = b.txInputStart[i]!; j < b.txInputStart[i + 1]!; j++) inSum += prev[j - 1]!.txout.value;
        let outSum = 0;
        for (let k = b.txOutputStart[i]!; k < b.txOutputStart[i + 1]!; k++) outSum += b.outValue[k]!;
        expect(inSum - outSum, `tx[${i}] fee`).toBeGreaterThanOrEqual(0);
        fees += inSum - outSum;
      }
      let coinbase = 0;
      for (let k = b.txOutputStart[0]!; k < b.txOutputStart[1]!; k++) coinbase += b.outValue[k]!;
      expect(coinbase).toBe(c.subsidy + fees);
      // The spent scripts classify and encode like any output script (checks the P2PK/P2SH/segwit paths on old coins).
      for (const p of prev.slice(0, 500)) {
        const s = Buffer.from(p.txout.script_pubkey, 'hex');
        const t = classifyScript(s, 0, s.length);
        const key = addressKey(s, 0, s.length, t);
        if (key !== null) expect(encodeAddressKey(key, 'main')).toMatch(/^(1|3|bc1)/);
        expect(SCRIPT_TYPES[t]).toBeDefined();
      }
    });
  }
});
