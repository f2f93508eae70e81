import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type HandTx, handChain } from './_handChain.js';
import { detectCoinJoins } from './chain.js';
import { EntityIndex } from './entities.js';
import { fifo, haircut, intervalsAmount, poison } from './policies/index.js';
import { walkBackward } from './walkBackward.js';
import { walkForward } from './walkForward.js';
import { DEFAULT_LIMITS, type Walk, type WalkLimits } from './walkTypes.js';

const EXCHANGE = 900;
const NOLIMIT: WalkLimits = { ...DEFAULT_LIMITS, minValueSat: 0 };

function exchangeIndex(addresses: number[], cluster: Uint32Array | null = null): EntityIndex {
  const ix = new EntityIndex(cluster);
  const e = ix.entity({ key: 'bigx', label: 'BigX', category: 'exchange', source: 'test', confidence: null, confidenceLevel: null, stop: true });
  for (const a of addresses) ix.tagAddress(a, e);
  return ix;
}

/** A theft of 10 BTC peeled `hops` times: each hop pays 0.1 BTC to the exchange and the rest onward. */
function peelChain(hops: number): HandTx[] {
  const txs: HandTx[] = [{ inputs: [null], outputs: [{ value: 10e8, address: 1 }] }];
  let value = 10e8;
  for (let h = 0; h < hops; h++) {
    const peel = 0.001e8;
    const fee = 1000;
    value = value - peel - fee;
    txs.push({ inputs: [[h, h === 0 ? 0 : 1]], outputs: [{ value: peel, address: EXCHANGE }, { value, address: 10_000 + h }] });
  }
  return txs;
}

function terminalSum<T>(w: Walk<T>): number {
  let s = 0;
  for (const v of w.outputs.values()) if (v.fate !== 'followed') s += v.tracedSat;
  return s;
}

describe('walkForward', () => {
  it('follows a 1,000-hop peel chain to the end and records 1,000 endpoint deposits', () => {
    const chain = handChain(peelChain(1000));
    const ctx = { chain, entities: exchangeIndex([EXCHANGE]), coinjoin: null };
    const w = walkForward(ctx, [chain.outputId(0, 0)], haircut, { ...NOLIMIT, maxHops: 2000 });
    expect(w.txs.size).toBe(1000);
    const endpoints = [...w.outputs.values()].filter((v) => v.fate === 'endpoint');
    expect(endpoints).toHaveLength(1000);
    expect(endpoints.reduce((s, v) => s + v.tracedSat, 0)).toBeCloseTo(1000 * 0.001e8, 3);
    expect(w.feeSat).toBeCloseTo(1000 * 1000, 3);
    const tail = w.outputs.get(chain.outputId(1000, 1))!;
    expect(tail.fate).toBe('unspent');
    expect(tail.hop).toBe(1000);
    expect(tail.change).toBeNull();
    // The larger output of an inner hop is re-spent by a 2-output tx: flagged as peel-chain change.
    expect(w.outputs.get(chain.outputId(5, 1))!.change).toBe('peel-chain');
    expect(terminalSum(w) + w.feeSat).toBeCloseTo(10e8, 3);
  });

  it('follows a starting output even when it sits at an exchange, and stops at the next deposit', () => {
    const chain = handChain([
      { inputs: [null], outputs: [{ value: 1e8, address: EXCHANGE }] },
      { inputs: [[0, 0]], outputs: [{ value: 0.5e8, address: 7 }, { value: 0.4999e8, address: EXCHANGE }] },
    ]);
    const w = walkForward({ chain, entities: exchangeIndex([EXCHANGE]), coinjoin: null }, [chain.outputId(0, 0)], fifo, NOLIMIT);
    expect(w.outputs.get(chain.outputId(0, 0))!.fate).toBe('followed');
    expect(w.outputs.get(chain.outputId(1, 1))!.fate).toBe('endpoint');
  });

  it('stops at --max-hops and says so', () => {
    const chain = handChain(peelChain(50));
    const w = walkForward({ chain, entities: exchangeIndex([EXCHANGE]), coinjoin: null }, [chain.outputId(0, 0)], fifo, { ...NOLIMIT, maxHops: 10 });
    expect(w.txs.size).toBe(10);
    expect(w.limitsHit.has('max-hops')).toBe(true);
    expect(w.outputs.get(chain.outputId(10, 1))!.fate).toBe('hop-limit');
  });

  it('stops at the node limit instead of running away', () => {
    const chain = handChain(peelChain(50));
    const w = walkForward({ chain, entities: exchangeIndex([EXCHANGE]), coinjoin: null }, [chain.outputId(0, 0)], poison, { ...NOLIMIT, maxTxs: 5 });
    expect(w.txs.size).toBe(5);
    expect(w.limitsHit.has('max-nodes')).toBe(true);
    expect([...w.outputs.values()].some((v) => v.fate === 'node-limit')).toBe(true);
  });

  it('stops at the edge limit and marks what was waiting', () => {
    const chain = handChain(peelChain(50));
    const w = walkForward({ chain, entities: exchangeIndex([EXCHANGE]), coinjoin: null }, [chain.outputId(0, 0)], haircut, { ...NOLIMIT, maxEdges: 20 });
    expect(w.limitsHit.has('max-edges')).toBe(true);
    expect(w.edges).toBeLessThanOrEqual(20);
    expect([...w.outputs.values()].filter((v) => v.fate === 'edge-limit')).toHaveLength(1);
    expect([...w.outputs.values()].some((v) => v.fate === 'followed' && !w.txs.has(chain.outputSpendingTx[v.outputId]!))).toBe(false);
  });

  it('splits a merge once, with both traced inputs known (haircut and FIFO)', () => {
    // tx1 and tx2 each carry 1 BTC stolen; tx3 merges them with 2 BTC clean and pays 3 + 0.9999 BTC.
    const chain = handChain([
      { inputs: [null], outputs: [{ value: 2e8, address: 1 }] },
      { inputs: [[0, 0]], outputs: [{ value: 1e8, address: 2 }, { value: 1e8, address: 3 }] },
      { inputs: [null], outputs: [{ value: 2e8, address: 4 }] },
      { inputs: [[1, 0], [2, 0], [1, 1]], outputs: [{ value: 3e8, address: 5 }, { value: 0.9999e8, address: 6 }] },
    ]);
    const ctx = { chain, entities: new EntityIndex(), coinjoin: null };
    const h = walkForward(ctx, [chain.outputId(0, 0)], haircut, NOLIMIT);
    expect(h.txs.get(3)!.tracedInSat).toBe(2e8);
    expect(h.outputs.get(chain.outputId(3, 0))!.tracedSat).toBeCloseTo(1.5e8, 3);
    const f = walkForward(ctx, [chain.outputId(0, 0)], fifo, NOLIMIT);
    // input line: stolen [0,1e8), clean [1e8,3e8), stolen [3e8,4e8); output 0 = [0,3e8) -> 1 BTC; output 1 = [3e8, 3.9999e8) -> all.
    expect(f.outputs.get(chain.outputId(3, 0))!.tracedSat).toBe(1e8);
    expect(f.outputs.get(chain.outputId(3, 1))!.tracedSat).toBe(0.9999e8);
    expect(f.feeSat).toBe(0.0001e8);
  });

  it('flags every hop after a detected CoinJoin as mixed and counts the value that entered it', () => {
    const chain = handChain([
      { inputs: [null], outputs: [{ value: 1e8, address: 1 }] },
      { inputs: [null], outputs: [{ value: 1e8, address: 2 }] },
      { inputs: [null], outputs: [{ value: 1e8, address: 3 }] },
      {
        inputs: [[0, 0], [1, 0], [2, 0]],
        outputs: [{ value: 0.99e8, address: 11 }, { value: 0.99e8, address: 12 }, { value: 0.99e8, address: 13 }],
      },
      { inputs: [[3, 0]], outputs: [{ value: 0.98e8, address: EXCHANGE }] },
    ]);
    const coinjoin = detectCoinJoins(chain);
    expect([...coinjoin.flags]).toEqual([0, 0, 0, 1, 0]);
    const w = walkForward({ chain, entities: exchangeIndex([EXCHANGE]), coinjoin }, [chain.outputId(0, 0)], haircut, NOLIMIT);
    expect(w.mixedInSat).toBe(1e8);
    expect(w.txs.get(3)!.coinjoin).toBe(true);
    const dep = w.outputs.get(chain.outputId(4, 0))!;
    expect(dep.fate).toBe('endpoint');
    expect(dep.mixed).toBe(true);
    expect(dep.tracedSat).toBeCloseTo(0.98e8 / 3, 0);
  });

  it('reaches an exchange through cluster membership when only another address of the cluster is tagged', () => {
    const chain = handChain([
      { inputs: [null], outputs: [{ value: 1e8, address: 1 }] },
      { inputs: [[0, 0]], outputs: [{ value: 0.99e8, address: 7 }] },
    ]);
    const cluster = new Uint32Array(10).fill(0xffffffff);
    cluster[7] = 3;
    cluster[8] = 3;
    const w = walkForward({ chain, entities: exchangeIndex([8], cluster), coinjoin: null }, [chain.outputId(0, 0)], poison, NOLIMIT);
    const dep = w.outputs.get(chain.outputId(1, 0))!;
    expect(dep.fate).toBe('endpoint');
    expect(dep.entityVia).toBe('cluster');
  });

  it('honours --until: spends after the horizon are not followed', () => {
    const chain = handChain(peelChain(20));
    const w = walkForward({ chain, entities: exchangeIndex([EXCHANGE]), coinjoin: null }, [chain.outputId(0, 0)], haircut, {
      ...NOLIMIT,
      untilHeight: 5,
    });
    expect(w.txs.size).toBe(5);
    expect(w.outputs.get(chain.outputId(5, 1))!.fate).toBe('horizon');
  });
});

describe('walkBackward', () => {
  it('traces a deposit back through a peel chain to the coinbase', () => {
    const chain = handChain(peelChain(30));
    const w = walkBackward({ chain, entities: new EntityIndex(), coinjoin: null }, [chain.outputId(30, 0)], haircut, NOLIMIT);
    expect(w.txs.size).toBe(31);
    const cb = w.outputs.get(chain.outputId(0, 0))!;
    expect(cb.fate).toBe('coinbase');
    expect(cb.tracedSat).toBeCloseTo(0.001e8, 3);
  });

  it('honours --until backward: coins created before the horizon are not followed', () => {
    const chain = handChain(peelChain(20));
    const w = walkBackward({ chain, entities: new EntityIndex(), coinjoin: null }, [chain.outputId(20, 0)], haircut, { ...NOLIMIT, untilHeight: 15 });
    expect([...w.txs.keys()].every((t) => t >= 15)).toBe(true);
    expect(w.outputs.get(chain.outputId(14, 1))!.fate).toBe('horizon');
  });

  it('flags every hop upstream of a CoinJoin as mixed', () => {
    const chain = handChain([
      { inputs: [null], outputs: [{ value: 1e8, address: 1 }] },
      { inputs: [[0, 0]], outputs: [{ value: 0.999e8, address: 2 }] },
      { inputs: [null], outputs: [{ value: 1e8, address: 3 }] },
      { inputs: [null], outputs: [{ value: 1e8, address: 4 }] },
      {
        inputs: [[1, 0], [2, 0], [3, 0]],
        outputs: [{ value: 0.99e8, address: 11 }, { value: 0.99e8, address: 12 }, { value: 0.99e8, address: 13 }],
      },
      { inputs: [[4, 0]], outputs: [{ value: 0.98e8, address: 20 }] },
    ]);
    const w = walkBackward({ chain, entities: new EntityIndex(), coinjoin: detectCoinJoins(chain) }, [chain.outputId(5, 0)], haircut, NOLIMIT);
    expect(w.mixedInSat).toBeCloseTo(0.98e8, 0);
    const far = w.outputs.get(chain.outputId(0, 0))!;
    expect(far.mixed).toBe(true);
    expect(far.mixedSat).toBeCloseTo(far.tracedSat, 3);
  });

  it('stops at a labelled exchange upstream (a withdrawal is a source)', () => {
    const chain = handChain([
      { inputs: [null], outputs: [{ value: 5e8, address: EXCHANGE }] },
      { inputs: [[0, 0]], outputs: [{ value: 1e8, address: 1 }, { value: 3.99e8, address: EXCHANGE }] },
      { inputs: [[1, 0]], outputs: [{ value: 0.99e8, address: 2 }] },
    ]);
    const w = walkBackward({ chain, entities: exchangeIndex([EXCHANGE]), coinjoin: null }, [chain.outputId(2, 0)], fifo, NOLIMIT);
    const src = w.outputs.get(chain.outputId(0, 0))!;
    expect(src.fate).toBe('endpoint');
    expect(src.tracedSat).toBe(0.99e8);
  });
});

/** Random DAGs of transactions over a few coinbase outputs. */
const dagArb = fc.integer({ min: 1, max: 2 ** 31 - 1 }).map((seed) => {
  let s = seed;
  const rnd = () => {
    s = (s * 1103515245 + 12345) & 0x7fffffff;
    return s / 0x80000000;
  };
  const txs: HandTx[] = [];
  const unspent: { ref: [number, number]; value: number }[] = [];
  for (let i = 0; i < 4; i++) {
    txs.push({ inputs: [null], outputs: [{ value: 1e6 + Math.floor(rnd() * 1e8), address: i }] });
    unspent.push({ ref: [i, 0], value: txs[i]!.outputs[0]!.value });
  }
  for (let i = 0; i < 40 && unspent.length > 0; i++) {
    const nIn = 1 + Math.floor(rnd() * Math.min(3, unspent.length));
    const ins = [];
    let total = 0;
    for (let k = 0; k < nIn; k++) {
      const u = unspent.splice(Math.floor(rnd() * unspent.length), 1)[0]!;
      ins.push(u.ref);
      total += u.value;
    }
    const nOut = 1 + Math.floor(rnd() * 3);
    const fee = Math.floor(total * 0.01 * rnd());
    const outs = [];
    let left = total - fee;
    for (let k = 0; k < nOut; k++) {
      const v = k === nOut - 1 ? left : Math.floor(left * rnd());
      left -= v;
      outs.push({ value: v, address: 100 + txs.length * 4 + k });
    }
    const id = txs.length;
    txs.push({ inputs: ins, outputs: outs });
    outs.forEach((o, k) => {
      if (o.value > 0) unspent.push({ ref: [id, k], value: o.value });
    });
  }
  return txs;
});

describe('walk properties', () => {
  it('haircut and FIFO walks conserve value: start = terminal outputs + fees; poison ≥ haircut on every output', () => {
    fc.assert(
      fc.property(dagArb, (txs) => {
        const chain = handChain(txs);
        const ctx = { chain, entities: new EntityIndex(), coinjoin: null };
        const start = [chain.outputId(0, 0)];
        const h = walkForward(ctx, start, haircut, NOLIMIT);
        expect(terminalSum(h) + h.feeSat).toBeCloseTo(h.startSat, 2);
        const f = walkForward(ctx, start, fifo, NOLIMIT);
        expect(terminalSum(f) + f.feeSat).toBe(f.startSat);
        for (const v of f.outputs.values()) expect(v.tracedSat).toBe(intervalsAmount(v.taint));
        const p = walkForward(ctx, start, poison, NOLIMIT);
        for (const [o, v] of h.outputs) expect(p.outputs.get(o)?.tracedSat ?? 0).toBeGreaterThanOrEqual(v.tracedSat - 1e-6);
      }),
      { numRuns: 200 },
    );
  });
});
