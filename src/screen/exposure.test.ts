/**
 * The exposure sweeps on hand-built chains whose answers are derived by hand in the comments.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type ExposureChain, ExposureState, NONE, type RiskTopology } from './exposure.js';

interface TxSpec {
  /** Output ids spent (global). */
  ins: number[];
  /** [address id, value] per output. */
  outs: [number, number][];
}

/** Builds chain arrays from tx specs (inputs carry the spent output's address and value, as the store does). */
function chainOf(txs: TxSpec[], addressCount: number): ExposureChain {
  const txFirstInput = [0];
  const txFirstOutput = [0];
  const inputSpentOutput: number[] = [];
  const inputAddress: number[] = [];
  const inputValue: number[] = [];
  const outputTx: number[] = [];
  const outputValue: number[] = [];
  const outputAddress: number[] = [];
  txs.forEach((t, ti) => {
    for (const o of t.ins) {
      inputSpentOutput.push(o);
      inputAddress.push(outputAddress[o] as number);
      inputValue.push(outputValue[o] as number);
    }
    for (const [a, v] of t.outs) {
      outputTx.push(ti);
      outputAddress.push(a);
      outputValue.push(v);
    }
    txFirstInput.push(inputSpentOutput.length);
    txFirstOutput.push(outputTx.length);
  });
  return {
    txCount: txs.length,
    addressCount,
    txFirstInput: Uint32Array.from(txFirstInput),
    txFirstOutput: Uint32Array.from(txFirstOutput),
    inputSpentOutput: Uint32Array.from(inputSpentOutput),
    inputAddress: Uint32Array.from(inputAddress),
    inputValue: Float64Array.from(inputValue),
    outputTx: Uint32Array.from(outputTx),
    outputValue: Float64Array.from(outputValue),
    outputAddress: Uint32Array.from(outputAddress),
  };
}

/** Addresses: A=0 (stolen), B=1, C=2, D=3, E=4, F=5 (mixing), G=6 = same cluster as B. */
const STOLEN = 0;
const MIXING = 1;
const H = 3;
const txs: TxSpec[] = [
  { ins: [], outs: [[0, 100]] }, // tx0: coinbase → o0 A 100
  { ins: [], outs: [[3, 60]] }, // tx1: coinbase → o1 D 60
  { ins: [0], outs: [[1, 60], [2, 40]] }, // tx2: A pays B 60 (o2), C 40 (o3)
  { ins: [2, 1], outs: [[4, 120]] }, // tx3: B 60 + D 60 → E 120 (o4)
  { ins: [4], outs: [[5, 120]] }, // tx4: E → F (mixing) 120 (o5)
];

function topo(clusterOf: number[]): RiskTopology {
  const clusterRisk = new Uint32Array(7);
  clusterRisk[clusterOf[0] as number] = 1 << STOLEN;
  clusterRisk[clusterOf[5] as number] = 1 << MIXING;
  return { clusterOf: Uint32Array.from(clusterOf), clusterRisk, coinjoin: null };
}

const at = (v: Float64Array | undefined, c: number, h: number) => (v === undefined ? 0 : (v[c * H + h - 1] as number));

describe('ExposureState sweeps (hand-derived)', () => {
  const chain = chainOf(txs, 7);
  const state = new ExposureState({ categories: 2, hops: H, coinjoinCategory: -1 }, 7);
  state.extend(chain, topo([0, 1, 2, 3, 4, 5, 1]));

  it('received: B and C are paid directly by the stolen cluster (hop 1); E gets half its value at hop 2', () => {
    expect(state.recv[1]).toBe(60);
    expect(at(state.recvTaint.get(1), STOLEN, 1)).toBe(60);
    expect(at(state.recvTaint.get(2), STOLEN, 1)).toBe(40);
    // tx3 mixes B's 60 (stolen at hop 1) with D's clean 60: E's 120 is 50% stolen, one hop further.
    expect(state.recv[4]).toBe(120);
    expect(at(state.recvTaint.get(4), STOLEN, 2)).toBe(60);
    expect(at(state.recvTaint.get(4), STOLEN, 1)).toBe(0);
    // F is 3 hops from A: tx4 carries E's taint to hop 3.
    expect(at(state.recvTaint.get(5), STOLEN, 3)).toBe(60);
    // The stolen cluster's own coinbase is not exposure.
    expect(state.recvTaint.get(0)).toBeUndefined();
  });

  it('sent: E pays the mixer directly; B and D two hops before it; A three hops (only B’s 60%)', () => {
    expect(state.sent[4]).toBe(120);
    expect(at(state.sentTaint.get(4), MIXING, 1)).toBe(120);
    expect(at(state.sentTaint.get(1), MIXING, 2)).toBe(60);
    expect(at(state.sentTaint.get(3), MIXING, 2)).toBe(60);
    expect(at(state.sentTaint.get(0), MIXING, 3)).toBe(60);
    expect(at(state.sentTaint.get(2), MIXING, 1)).toBe(0);
  });

  it('a move inside one cluster keeps the hop (hops count between clusters)', () => {
    // B (cluster 1) sends to G (also cluster 1) first, then G pays E: E is still 2 hops from A.
    const viaChange: TxSpec[] = [
      txs[0] as TxSpec,
      txs[1] as TxSpec,
      txs[2] as TxSpec,
      { ins: [2], outs: [[6, 60]] }, // tx3: B → G (same cluster) o4
      { ins: [4, 1], outs: [[4, 120]] }, // tx4: G 60 + D 60 → E
    ];
    const s = new ExposureState({ categories: 2, hops: H, coinjoinCategory: -1 }, 7);
    s.extend(chainOf(viaChange, 7), topo([0, 1, 2, 3, 4, 5, 1]));
    expect(at(s.recvTaint.get(4), STOLEN, 2)).toBe(60);
    // G received from its own cluster only: no external receipt, no exposure counted.
    expect(s.recv[6]).toBe(0);
    expect(s.recvTaint.get(6)).toBeUndefined();
  });

  it('exposure past the hop limit is dropped', () => {
    const s = new ExposureState({ categories: 2, hops: 1, coinjoinCategory: -1 }, 7);
    s.extend(chain, topo([0, 1, 2, 3, 4, 5, 1]));
    expect(s.recvTaint.get(1)?.[STOLEN]).toBe(60);
    expect(s.recvTaint.get(4)).toBeUndefined();
  });

  it('CoinJoin outputs are hop-1 mixing exposure when the rules ask for it', () => {
    const s = new ExposureState({ categories: 2, hops: H, coinjoinCategory: MIXING }, 7);
    const t = topo([0, 1, 2, 3, 4, 5, 1]);
    const flags = new Uint8Array(5);
    flags[3] = 1; // tx3 flagged as a CoinJoin
    s.extend(chain, { ...t, coinjoin: flags });
    expect(at(s.recvTaint.get(4), MIXING, 1)).toBe(120);
  });
});

describe('incremental extension equals one full sweep', () => {
  /** A random chain: each tx spends 1–3 random unspent outputs and pays 1–3 random addresses. */
  const chainArb = fc.record({
    seed: fc.integer({ min: 1, max: 1e9 }),
    txs: fc.integer({ min: 5, max: 60 }),
    split: fc.integer({ min: 1, max: 59 }),
  });
  it('for random chains, clusters and labels', () => {
    fc.assert(
      fc.property(chainArb, ({ seed, txs: n, split }) => {
        let r = seed;
        const rand = (k: number) => {
          r = (Math.imul(r, 1103515245) + 12345) >>> 0;
          return r % k;
        };
        const A = 12;
        const specs: TxSpec[] = [];
        const unspent: number[] = [];
        let nextOut = 0;
        for (let t = 0; t < n; t++) {
          const ins: number[] = [];
          const k = unspent.length === 0 || rand(4) === 0 ? 0 : 1 + rand(Math.min(3, unspent.length));
          for (let i = 0; i < k; i++) ins.push(unspent.splice(rand(unspent.length), 1)[0] as number);
          const outs: [number, number][] = [];
          const m = 1 + rand(3);
          for (let o = 0; o < m; o++) {
            outs.push([rand(5) === 0 ? NONE : rand(A), 1 + rand(1000)]);
            unspent.push(nextOut++);
          }
          specs.push({ ins, outs });
        }
        const full = chainOf(specs, A);
        const clusterOf = Array.from({ length: A }, (_, a) => a % 7);
        const clusterRisk = new Uint32Array(7);
        clusterRisk[0] = 1;
        clusterRisk[3] = 2;
        const tp: RiskTopology = { clusterOf: Uint32Array.from(clusterOf), clusterRisk, coinjoin: null };
        const params = { categories: 2, hops: 3, coinjoinCategory: -1 };
        const once = new ExposureState(params, A);
        once.extend(full, tp);
        const cut = Math.min(split, n - 1);
        const inc = new ExposureState(params, A);
        inc.extend(chainOf(specs.slice(0, cut), A), tp);
        inc.extend(full, tp);
        for (let a = 0; a < A; a++) {
          expect(inc.recv[a]).toBeCloseTo(once.recv[a] as number, 6);
          expect(inc.sent[a]).toBeCloseTo(once.sent[a] as number, 6);
          for (const [x, y] of [
            [inc.recvTaint.get(a), once.recvTaint.get(a)],
            [inc.sentTaint.get(a), once.sentTaint.get(a)],
          ] as const) {
            const xs = Array.from(x ?? new Float64Array(6));
            const ys = Array.from(y ?? new Float64Array(6));
            for (let i = 0; i < xs.length; i++) expect(xs[i]).toBeCloseTo(ys[i] as number, 3);
          }
        }
      }),
      { numRuns: 200, seed: 7 },
    );
  });
});
