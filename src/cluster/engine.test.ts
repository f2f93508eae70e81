import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type ClusterConfig, clusterPass, mergeRows } from './engine.js';
import { buildArrays, type TestTx } from './testChain.js';
import { UnionFind } from './unionFind.js';

const P2PKH = 2;
const P2WPKH = 4;

function run(txs: TestTx[], addressCount: number, config: Partial<ClusterConfig>, types?: number[]) {
  const arrays = buildArrays(txs, addressCount);
  const addressType = Uint8Array.from(types ?? Array(addressCount).fill(P2WPKH));
  const uf = new UnionFind(addressCount);
  const r = clusterPass(
    { arrays, addressType, uf, knownAddressCount: 0 },
    { heuristics: ['multi-input'], minVotes: 1, coinjoinDetection: true, ...config },
  );
  return { r, labels: Array.from(uf.labels()), uf };
}

describe('clusterPass', () => {
  it('merges co-spent inputs and logs one edge per union with its tx and heuristic', () => {
    const txs: TestTx[] = [
      { ins: [[-1, 0]], outs: [[0, 5e8]] }, // coinbase
      { ins: [[-1, 0]], outs: [[1, 5e8]] },
      { ins: [[0, 5e8], [1, 5e8]], outs: [[2, 9e8]] },
      { ins: [[2, 9e8]], outs: [[3, 4e8], [4, 4.9e8]] },
    ];
    const { r, labels } = run(txs, 5, {});
    expect(labels).toEqual([0, 0, 2, 3, 4]);
    expect(r.merges.count).toBe(1);
    expect(Array.from(r.merges.inputs)).toEqual([3]);
    const rows = mergeRows(buildArrays(txs, 5), r.merges);
    expect([rows.tx[0], rows.a[0], rows.b[0], rows.output[0]]).toEqual([2, 0, 1, 0xffffffff]);
    expect(r.merges.reasons[rows.reason[0] as number]).toBe('multi-input');
  });

  it('never merges the inputs of a detected CoinJoin, and records its pattern', () => {
    const cj: TestTx = {
      ins: [[0, 1_010_000], [1, 1_010_000], [2, 1_010_000], [3, 1_010_000], [4, 1_010_000]],
      outs: [[5, 1_000_000], [6, 1_000_000], [7, 1_000_000], [8, 1_000_000], [9, 1_000_000]],
    };
    const on = run([cj], 10, {});
    expect(on.r.coinjoinCount).toBe(1);
    expect(Array.from(on.r.coinjoinTx)).toEqual([0]);
    expect(on.r.stats.coinjoins).toEqual({ whirlpool: 1 });
    expect(new Set(on.labels.slice(0, 5)).size).toBe(5);
    const off = run([cj], 10, { coinjoinDetection: false });
    expect(new Set(off.labels.slice(0, 5)).size).toBe(1);
  });

  it('property: inputs of a detected CoinJoin from different wallets never share a cluster (multi-input)', () => {
    // Wallets own disjoint address ranges; ordinary txs spend within one wallet; CoinJoins mix wallets.
    const W = 6;
    const PER = 20;
    const txArb = fc.oneof(
      fc.record({ kind: fc.constant('own' as const), w: fc.nat(W - 1), a: fc.array(fc.nat(PER - 1), { minLength: 1, maxLength: 4 }), pay: fc.nat(W * PER - 1) }),
      fc.record({
        kind: fc.constant('cj' as const),
        parts: fc.uniqueArray(fc.tuple(fc.nat(W - 1), fc.nat(PER - 1)), { minLength: 2, maxLength: 6, selector: (p) => p[0] }),
        denom: fc.integer({ min: 100_000, max: 90_000_000 }),
      }),
    );
    let mergedWithoutDetection = 0;
    fc.assert(
      fc.property(fc.array(txArb, { minLength: 1, maxLength: 40 }), fc.boolean(), (spec, withChange) => {
        const txs: TestTx[] = spec.map((s) => {
          if (s.kind === 'own') {
            return { ins: s.a.map((k) => [s.w * PER + k, 1_000_000] as const), outs: [[s.pay, 700_000], [s.w * PER, 299_000]] };
          }
          const outs: [number, number][] = s.parts.map(([w]) => [w * PER + 1, s.denom]);
          if (withChange) for (const [w] of s.parts) outs.push([w * PER + 2, 10_000 + w]);
          return { ins: s.parts.map(([w, k]) => [w * PER + k, s.denom + 20_000] as const), outs };
        });
        const { r, uf } = run(txs, W * PER, {});
        const off = run(txs, W * PER, { coinjoinDetection: false });
        expect(r.coinjoinCount).toBe(spec.filter((s) => s.kind === 'cj').length);
        spec.forEach((s) => {
          if (s.kind !== 'cj') return;
          for (const [w1, k1] of s.parts)
            for (const [w2, k2] of s.parts) {
              if (w1 === w2) continue;
              expect(uf.find(w1 * PER + k1)).not.toBe(uf.find(w2 * PER + k2));
              if (off.uf.find(w1 * PER + k1) === off.uf.find(w2 * PER + k2)) mergedWithoutDetection++;
            }
        });
      }),
      { numRuns: 200 },
    );
    // The property is not vacuous: without detection the same chains merge CoinJoin participants.
    expect(mergedWithoutDetection).toBeGreaterThan(0);
  });

  it('property: mergeRows gives a spanning forest whose every edge is explained by its transaction', () => {
    const txArb = fc.record({
      ins: fc.array(fc.tuple(fc.integer({ min: -1, max: 29 }), fc.integer({ min: 1, max: 9e8 })), { minLength: 1, maxLength: 6 }),
      outs: fc.array(fc.tuple(fc.integer({ min: -1, max: 29 }), fc.integer({ min: 1, max: 9e8 })), { minLength: 1, maxLength: 4 }),
    });
    fc.assert(
      fc.property(fc.array(txArb, { minLength: 1, maxLength: 30 }), fc.nat(1000), fc.boolean(), (txs, base, change) => {
        // A window that does not start at id 0: global ids = window-relative + base.
        const arrays = buildArrays(txs, 30);
        const shifted = { ...arrays, txBase: base, inputBase: base * 3, outputBase: base * 2 };
        shifted.txFirstInput = arrays.txFirstInput.map((x) => x + base * 3);
        shifted.txFirstOutput = arrays.txFirstOutput.map((x) => x + base * 2);
        const uf = new UnionFind(30);
        const heuristics = change ? ['multi-input', 'optimal-change', 'non-round-amount'] : ['multi-input'];
        const r = clusterPass({ arrays: shifted, addressType: new Uint8Array(30).fill(P2WPKH), uf, knownAddressCount: 0 }, { heuristics, minVotes: 1, coinjoinDetection: true });
        const rows = mergeRows(shifted, r.merges);
        expect(rows.count).toBe(r.merges.count);
        // Replaying the rows as unions: each joins two sets (a forest), and together they give the pass's sets.
        const replay = new UnionFind(30);
        for (let k = 0; k < rows.count; k++) {
          expect(replay.union(rows.a[k] as number, rows.b[k] as number)).toBe(true);
          const t = txs[(rows.tx[k] as number) - base] as TestTx;
          const insOf = t.ins.map(([a]) => a);
          const firstKnown = insOf.find((a) => a >= 0);
          expect(rows.a[k]).toBe(firstKnown);
          if (rows.output[k] === 0xffffffff) {
            expect(r.merges.reasons[rows.reason[k] as number]).toBe('multi-input');
            expect(insOf).toContain(rows.b[k]);
          } else {
            const vout = (rows.output[k] as number) - base * 2 - (arrays.txFirstOutput[(rows.tx[k] as number) - base] as number);
            expect(t.outs[vout]?.[0]).toBe(rows.b[k]);
          }
        }
        expect(Array.from(replay.labels())).toEqual(Array.from(uf.labels()));
      }),
      { numRuns: 300 },
    );
  });

  it('change: each heuristic names its output; agreeing heuristics are recorded together', () => {
    // Inputs: addr 0 (p2wpkh). Outputs: 1 = payment (round, p2pkh, seen before), 2 = change (non-round, p2wpkh, fresh, smallest).
    const txs: TestTx[] = [
      { ins: [[-1, 0]], outs: [[0, 25_000_000], [0, 25_000_000], [1, 1_000]] },
      { ins: [[0, 25_000_000], [0, 25_000_000]], outs: [[1, 30_000_000], [2, 19_987_654]] },
    ];
    const types = [P2WPKH, P2PKH, P2WPKH];
    for (const h of ['fresh-address', 'same-script-type', 'non-round-amount', 'optimal-change']) {
      const { r, labels } = run(txs, 3, { heuristics: ['multi-input', h] }, types);
      expect(labels, h).toEqual([0, 1, 0]);
      expect(r.merges.reasons[r.merges.reason[0] as number]).toBe(h);
      expect(r.merges.edges[3]).toBe(4);
    }
    const all = run(txs, 3, { heuristics: ['multi-input', 'fresh-address', 'same-script-type', 'non-round-amount', 'optimal-change'] }, types);
    expect(all.r.merges.reasons[all.r.merges.reason[0] as number]).toBe('fresh-address+same-script-type+non-round-amount+optimal-change');
    expect(all.r.merges.confidence[0]).toBeGreaterThan(0);
  });

  it('change: conflicts, min-votes, reuse exclusion and self-change prevent merges', () => {
    const types = [P2WPKH, P2WPKH, P2PKH, P2WPKH];
    // fresh-address picks 3 (address 2 was seen), same-script-type picks 3, non-round picks 2: conflict.
    const conflict: TestTx[] = [
      { ins: [[-1, 0]], outs: [[0, 9e7], [2, 1e4]] },
      { ins: [[0, 9e7]], outs: [[2, 1_234_567], [3, 88_000_000]] },
    ];
    const c = run(conflict, 4, { heuristics: ['multi-input', 'fresh-address', 'non-round-amount'] }, types);
    expect(c.r.stats.changeConflicts).toBe(1);
    expect(c.r.merges.count).toBe(0);
    // Agreement of 2 when 2 votes are required: merged; only 1 vote: not merged.
    const two = run(conflict, 4, { heuristics: ['multi-input', 'fresh-address', 'same-script-type'], minVotes: 2 }, types);
    expect(two.labels[3]).toBe(0);
    const one = run(conflict, 4, { heuristics: ['multi-input', 'fresh-address'], minVotes: 2 }, types);
    expect(one.labels[3]).toBe(3);
    // Reuse exclusion: the picked change address receives again later -> vetoed.
    const reused: TestTx[] = [...conflict, { ins: [[-1, 0]], outs: [[3, 5e8]] }];
    const v = run(reused, 4, { heuristics: ['multi-input', 'fresh-address', 'reuse-exclusion'] }, types);
    expect(v.r.stats.changeVetoed).toBe(1);
    expect(v.labels[3]).toBe(3);
    // Self-change: an output pays an input address -> no change merge.
    const self: TestTx[] = [
      { ins: [[-1, 0]], outs: [[0, 9e7]] },
      { ins: [[0, 9e7]], outs: [[0, 1_234_567], [3, 88_000_000]] },
    ];
    expect(run(self, 4, { heuristics: ['multi-input', 'fresh-address'] }, types).labels[3]).toBe(3);
  });

  it('incremental: resuming from labels over a suffix gives the same clusters as a full pass', () => {
    fc.assert(
      fc.property(
        fc.array(fc.array(fc.nat(29), { minLength: 1, maxLength: 4 }), { minLength: 2, maxLength: 30 }),
        fc.nat(100),
        (inputs, cutSeed) => {
          // Tx k pays fresh address 30+k from inputs over addresses 0..29 (seeded by earlier coinbases).
          const txs: TestTx[] = [{ ins: [[-1, 0]], outs: Array.from({ length: 30 }, (_, a) => [a, 1e6] as const) }];
          for (const [k, ins] of inputs.entries()) txs.push({ ins: ins.map((a) => [a, 1e6] as const), outs: [[30 + k, 1e6]] });
          const n = 30 + inputs.length;
          const full = run(txs, n, {});
          const cut = 1 + (cutSeed % inputs.length);
          const head = run(txs.slice(0, cut), n, {});
          const suffix = buildArrays(txs, n);
          const sub = {
            ...suffix,
            txCount: txs.length - cut,
            txBase: cut,
            inputBase: suffix.txFirstInput[cut] as number,
            outputBase: suffix.txFirstOutput[cut] as number,
            txFirstInput: suffix.txFirstInput.subarray(cut),
            txFirstOutput: suffix.txFirstOutput.subarray(cut),
            inputAddress: suffix.inputAddress.subarray(suffix.txFirstInput[cut] as number),
            inputValue: suffix.inputValue.subarray(suffix.txFirstInput[cut] as number),
            outputAddress: suffix.outputAddress.subarray(suffix.txFirstOutput[cut] as number),
            outputValue: suffix.outputValue.subarray(suffix.txFirstOutput[cut] as number),
          };
          const uf = UnionFind.fromLabels(Uint32Array.from(head.labels));
          clusterPass({ arrays: sub, addressType: new Uint8Array(n).fill(P2WPKH), uf, knownAddressCount: 30 + cut - 1 }, {
            heuristics: ['multi-input'],
            minVotes: 1,
            coinjoinDetection: true,
          });
          expect(Array.from(uf.labels())).toEqual(full.labels);
        },
      ),
    );
  });
});
