/**
 * The simulated economy must be realistic enough that naive heuristics are NOT perfect. Here the
 * plain multi-input heuristic (Meiklejohn et al. 2013: all inputs of a transaction share an owner),
 * with no CoinJoin detection, runs over the chain as the chain module reads it, and is scored with
 * the evaluation code against the truth: CoinJoins must make it merge distinct entities, and fresh
 * change must keep its recall well below 1.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  addressKey,
  BlkReader,
  BlockIndex,
  classifyScript,
  encodeAddressKey,
  listBlkFiles,
  NETWORKS,
  parseBlock,
  scanBlkFile,
} from '../../src/chain/index.js';
import { loadTruth, scoreClustering, simulateBitcoin } from '../../src/sim/index.js';

const dir = mkdtempSync(join(tmpdir(), 'lh-sim-naive-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function find(parent: Map<string, string>, a: string): string {
  let r = a;
  while (parent.get(r) !== r) r = parent.get(r)!;
  let x = a;
  while (x !== r) {
    const n = parent.get(x)!;
    parent.set(x, r);
    x = n;
  }
  return r;
}

describe('naive multi-input clustering on the simulated chain', () => {
  it('merges CoinJoin participants (precision < 1) and misses fresh change (recall far below 1)', () => {
    const r = simulateBitcoin({ outDir: dir, seed: 3, scale: 0.05 });
    const truth = loadTruth(r.truthPath);
    const files = listBlkFiles(join(dir, 'blocks'));
    const index = new BlockIndex();
    for (const f of files) scanBlkFile(f, NETWORKS.main.magic, null, (loc, h) => index.add(h, loc));
    const reader = new BlkReader(files, null);
    const outAddr = new Map<string, string | null>();
    const parent = new Map<string, string>();
    for (const b of index.select().best) {
      const pb = parseBlock(Buffer.from(reader.read(b.loc)));
      for (let i = 0; i < pb.txCount; i++) {
        const txid = pb.txids.subarray(32 * i, 32 * i + 32).toString('hex');
        const ins: string[] = [];
        for (let j = pb.txInputStart[i]!; i > 0 && j < pb.txInputStart[i + 1]!; j++) {
          const o = pb.inPrevTxidOffset[j]!;
          const a = outAddr.get(`${pb.buf.subarray(o, o + 32).toString('hex')}:${pb.inPrevVout[j]}`);
          if (a) ins.push(a);
        }
        for (let k = pb.txOutputStart[i]!; k < pb.txOutputStart[i + 1]!; k++) {
          const off = pb.outScriptOffset[k]!;
          const len = pb.outScriptLength[k]!;
          const key = addressKey(pb.buf, off, len, classifyScript(pb.buf, off, len));
          const a = key === null ? null : encodeAddressKey(key, 'main');
          outAddr.set(`${txid}:${k - pb.txOutputStart[i]!}`, a);
          if (a !== null && !parent.has(a)) parent.set(a, a);
        }
        for (const a of ins.slice(1)) parent.set(find(parent, a), find(parent, ins[0]!));
      }
    }
    reader.close();
    const predicted = new Map([...parent.keys()].map((a) => [a, find(parent, a)]));
    const s = scoreClustering(new Map(truth.addresses.map((a) => [a.address, a.entity])), predicted, truth.coinjoins);
    expect(s.addresses).toBe(truth.addresses.length);
    expect(s.coinjoinsWithMergedParticipants).toBe(s.coinjoins);
    expect(s.wronglyMergedEntities).toBeGreaterThan(10);
    // Seed 3 at this scale measured: B-cubed 0.990 / 0.057, pairwise 0.892 / 0.036, 134 entities wrongly merged.
    expect(s.bcubedPrecision).toBeLessThan(1);
    expect(s.pairwisePrecision).toBeLessThan(0.97);
    expect(s.bcubedRecall).toBeLessThan(0.5);
    expect(s.bcubedRecall).toBeGreaterThan(0.02);
  });
});
