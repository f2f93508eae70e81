/**
 * CoinJoin detection on a real mainnet block (866342, October 2024, 4 864 transactions) with the real
 * previous outputs of its inputs (../shared/data/btc/prevouts): the typed-array detector must agree,
 * transaction by transaction, with a naive reference written from the pattern definitions in
 * docs/CLUSTERING.md, and must leave ordinary traffic alone.
 */
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { addressKey, classifyScript, parseBlock } from '../../src/chain/index.js';
import { COINJOIN_PATTERNS, CoinJoinDetector, WHIRLPOOL_DENOMINATIONS_SAT } from '../../src/cluster/index.js';
import { sharedPath } from '../helpers/sharedData.js';

/** The definitions, written the obvious way (Maps and Sets), for cross-checking. */
function reference(inputs: (string | null)[], outs: number[]): string | null {
  if (inputs.length < 2 || outs.length < 2) return null;
  const counts = new Map<number, number>();
  for (const v of outs) if (v > 2730) counts.set(v, (counts.get(v) ?? 0) + 1);
  let k = 0;
  let value = 0;
  for (const [v, c] of counts) if (c > k || (c === k && v > value)) [k, value] = [c, v];
  if (k < 2) return null;
  const known = inputs.filter((a): a is string => a !== null);
  const distinct = new Set(known).size + (inputs.length - known.length);
  if (distinct < 2) return null;
  if (inputs.length === 5 && outs.length === 5 && k === 5 && distinct === 5 && WHIRLPOOL_DENOMINATIONS_SAT.includes(value)) return 'whirlpool';
  if (k >= 10 && Math.abs(value - 1e7) <= 2e6 && distinct >= k) return 'wasabi1';
  if (inputs.length >= 50 && outs.length >= 50) return 'wasabi2';
  if (outs.length <= 2 * k + 1) return 'joinmarket';
  return null;
}

describe('CoinJoin detection on mainnet block 866342', () => {
  it('agrees with the reference definitions on every transaction and flags well under 1%', () => {
    const block = parseBlock(readFileSync(sharedPath('btc', 'blocks', 'mainnet', 'block_866342.raw')));
    const prevouts = JSON.parse(gunzipSync(readFileSync(sharedPath('btc', 'prevouts', 'block_866342_spent_utxos.json.gz'))).toString()) as {
      txout: { value: number; script_pubkey: string };
    }[];
    const nIn = block.txInputStart[block.txCount] as number;
    expect(prevouts.length).toBe(nIn - 1); // every input but the coinbase's
    const keys: (string | null)[] = [null];
    const ids = new Map<string, number>();
    const inputAddress = new Uint32Array(nIn).fill(0xffffffff);
    for (let j = 1; j < nIn; j++) {
      const s = Buffer.from((prevouts[j - 1] as { txout: { script_pubkey: string } }).txout.script_pubkey, 'hex');
      const key = addressKey(s, 0, s.length, classifyScript(s, 0, s.length));
      keys.push(key);
      if (key === null) continue;
      let id = ids.get(key);
      if (id === undefined) {
        id = ids.size;
        ids.set(key, id);
      }
      inputAddress[j] = id;
    }
    const detector = new CoinJoinDetector();
    const found: Record<string, number> = {};
    for (let t = 1; t < block.txCount; t++) {
      const i0 = block.txInputStart[t] as number;
      const i1 = block.txInputStart[t + 1] as number;
      const o0 = block.txOutputStart[t] as number;
      const o1 = block.txOutputStart[t + 1] as number;
      const code = detector.classify(inputAddress, i0, i1, block.outValue, o0, o1);
      const got = code === 0 ? null : (COINJOIN_PATTERNS[code - 1] as string);
      expect(got, `tx ${t}`).toBe(reference(keys.slice(i0, i1), Array.from(block.outValue.subarray(o0, o1))));
      if (got) found[got] = (found[got] ?? 0) + 1;
    }
    const flagged = Object.values(found).reduce((a, b) => a + b, 0);
    // October 2024: Whirlpool (seized April 2024) and the zkSNACKs Wasabi coordinator (closed June 2024)
    // are gone; what remains are multi-party equal-output transactions.
    expect(flagged).toBeGreaterThan(0);
    expect(flagged / (block.txCount - 1)).toBeLessThan(0.01);
  });
});
