import { describe, expect, it } from 'vitest';
import { handChain } from './_handChain.js';
import { parseFromArg, parseMaxHops, parseUntil } from './args.js';
import { detectCoinJoins } from './chain.js';
import { EntityIndex } from './entities.js';
import { fifo, haircut } from './policies/index.js';
import { buildResult, type TraceNamer } from './result.js';
import { TraceResultSchema, traceResultJsonSchema } from './schema.js';
import { resolveStopCategories } from './stopCategories.js';
import { walkForward } from './walkForward.js';
import { DEFAULT_LIMITS } from './walkTypes.js';

/** Names tx t as 64 hex digits of t, address a as "addr<a>". */
const namer: TraceNamer = {
  txids: async (ids) => new Map(ids.map((t) => [t, t.toString(16).padStart(64, '0')])),
  addresses: async (ids) => new Map(ids.map((a) => [a, `addr${a}`])),
};

const query = {
  from: ['x'],
  incident: null,
  maxHops: 10,
  minValueSat: 1000,
  maxTxs: 1000,
  maxEdges: 10000,
  untilHeight: null,
  untilTime: null,
  stopAt: ['exchange'],
};

describe('buildResult', () => {
  // theft 2 BTC → split 1 + 0.9999 → 1 BTC to the exchange (addr 50), rest through a 3-party CoinJoin → exchange.
  const chain = handChain([
    { inputs: [null], outputs: [{ value: 2e8, address: 1 }] },
    { inputs: [null], outputs: [{ value: 1e8, address: 2 }] },
    { inputs: [null], outputs: [{ value: 1e8, address: 3 }] },
    { inputs: [[0, 0]], outputs: [{ value: 1e8, address: 50 }, { value: 0.9999e8, address: 4 }] },
    {
      inputs: [[3, 1], [1, 0], [2, 0]],
      outputs: [{ value: 0.99e8, address: 5 }, { value: 0.99e8, address: 6 }, { value: 0.99e8, address: 7 }],
    },
    { inputs: [[4, 0]], outputs: [{ value: 0.98e8, address: 51 }] },
  ]);
  const entities = new EntityIndex();
  const x = entities.entity({ key: 'bigx', label: 'BigX', category: 'exchange', source: 'test.yaml', confidence: 'service_data', confidenceLevel: 50, stop: true });
  entities.tagAddress(50, x);
  entities.tagAddress(51, x);
  const ctx = { chain, entities, coinjoin: detectCoinJoins(chain) };

  it('groups endpoints by entity, reports mixing, and validates against the schema', async () => {
    const walk = walkForward(ctx, [chain.outputId(0, 0)], haircut, { ...DEFAULT_LIMITS, maxHops: 10 });
    const r = await buildResult(walk, ctx, namer, { query, starts: [], walkMs: 1 });
    expect(() => TraceResultSchema.parse(r)).not.toThrow();
    expect(r.policy.name).toBe('haircut');
    expect(r.endpoints).toHaveLength(1);
    const e = r.endpoints[0]!;
    expect(e.entity.label).toBe('BigX');
    expect(e.outputs).toBe(2);
    expect(e.minHops).toBe(1);
    expect(e.maxHops).toBe(3);
    expect(e.tracedSat).toBeCloseTo(1e8 + 0.98e8 * (0.9999 / 2.9999), 0);
    expect(e.mixedSat).toBeCloseTo(0.98e8 * (0.9999 / 2.9999), 0);
    expect(r.deposits.map((d) => d.address).sort()).toEqual(['addr50', 'addr51']);
    expect(r.coinjoin.txs).toEqual([(4).toString(16).padStart(64, '0')]);
    expect(r.totals.mixedSat).toBeCloseTo(0.9999e8, 0);
    expect(r.unspent.count).toBe(2);
    const t = r.totals;
    expect(t.endpointSat + t.unspentSat + t.feeSat + t.belowMinSat + t.stoppedSat).toBeCloseTo(t.startSat, 3);
    const kinds = r.graph.edges.map((g) => g.reason.kind);
    expect(kinds).toContain('spend');
    expect(kinds).toContain('label');
    expect(r.summary).toMatch(/^Forward trace of 2 BTC in 0 outputs/);
    expect(r.summary).toMatch(/BigX \(exchange\)/);
    expect(r.summary).toMatch(/passed through 1 detected CoinJoin transaction;/);
  });

  it('exports the result schema as JSON Schema for non-TypeScript consumers', () => {
    const js = traceResultJsonSchema() as { type: string; required: string[]; properties: Record<string, unknown> };
    expect(js.type).toBe('object');
    expect(js.required).toEqual(expect.arrayContaining(['schema', 'version', 'policy', 'endpoints', 'deposits', 'graph', 'summary']));
  });

  it('names the FIFO policy in the summary', async () => {
    const walk = walkForward(ctx, [chain.outputId(0, 0)], fifo, DEFAULT_LIMITS);
    const r = await buildResult(walk, ctx, namer, { query, starts: [], walkMs: 1 });
    expect(r.summary).toMatch(/under the FIFO policy/);
  });
});

describe('arguments', () => {
  it('pins the default limits', () => {
    expect(DEFAULT_LIMITS).toEqual({ maxHops: 100, minValueSat: 1000, maxTxs: 200_000, maxEdges: 1_000_000, untilHeight: null, untilTimeSec: null });
  });

  it('parses outpoints and rejects malformed ones with the reason', () => {
    expect(parseFromArg(`${'AB'.repeat(32)}:3`)).toEqual({ txid: 'ab'.repeat(32), vout: 3, text: `${'AB'.repeat(32)}:3` });
    expect(parseFromArg('ab'.repeat(32)).vout).toBeNull();
    expect(() => parseFromArg('ab'.repeat(31))).toThrow('a txid is 64 hex characters, got 62');
    expect(() => parseFromArg(`${'ab'.repeat(31)}xy`)).toThrow('txid is not hex (character "x" at position 62)');
    expect(() => parseFromArg(`${'ab'.repeat(32)}:-1`)).toThrow('output index "-1" is not a non-negative integer');
  });

  it('rejects impossible hop limits', () => {
    expect(parseMaxHops('10')).toBe(10);
    for (const bad of ['0', '-3', '1.5', 'ten', '100001']) expect(() => parseMaxHops(bad)).toThrow(/--max-hops must be an integer from 1 to 100000/);
  });

  it('reads --until as a height or a date', () => {
    expect(parseUntil('840000')).toEqual({ height: 840000, timeSec: null });
    expect(parseUntil('2024-04-20')).toEqual({ height: null, timeSec: Date.parse('2024-04-20T23:59:59Z') / 1000 });
    expect(parseUntil('2024-04-20T12:00:00Z').timeSec).toBe(Date.parse('2024-04-20T12:00:00Z') / 1000);
    expect(() => parseUntil('yesterday')).toThrow('--until "yesterday" is neither a block height nor a date');
  });

  it('resolves stop categories with their narrower concepts and synonyms', () => {
    const d = resolveStopCategories(null);
    expect(d.ids.has('exchange')).toBe(true);
    expect(d.ids.has('escrow_wallet')).toBe(true);
    expect(resolveStopCategories(['mixing service']).requested).toEqual(['mixing_service']);
    expect(resolveStopCategories(['none']).ids.size).toBe(0);
    expect(() => resolveStopCategories(['casino'])).toThrow('--stop-at: unknown category "casino"');
  });
});
