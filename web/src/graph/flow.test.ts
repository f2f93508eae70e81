import { describe, expect, it } from 'vitest';
import { TraceResultSchema } from '../../../src/trace/index.js';
import { ContractError, categoryOf, readTrace } from '../api/read';
import { arrivalEdges, csvField, endpointsCsv, timeline } from './exports';
import { edgeWidth, indexFlow, initialExpanded, toElements, toggleExpanded, visibleGraph } from './flow';
import { syntheticTrace } from './synthetic';

const T = (h: number) => `2026-01-0${1 + Math.floor(h / 24)}T${String(h % 24).padStart(2, '0')}:00:00.000Z`;
const txid = (c: string) => c.repeat(64);
const reason = (kind: string, detail = kind) => ({ kind, detail, confidence: 1 });

/**
 * A small laundering flow in the tracer's JSON shape (checked against src/trace's zod schema below):
 * theft tx t0 pays attacker address A (5 BTC); A is spent by t1, which pays B (3) and C (1.99);
 * B is spent by t2 paying D (2.9) which deposits at Exchange X; C goes into CoinJoin t3 whose
 * output E deposits at Exchange X too; t2 also pays F (dust, unspent).
 */
const doc = {
  schema: 'ledgerhound.trace',
  version: 1,
  direction: 'forward',
  policy: { name: 'haircut', definition: 'haircut: pro rata', conserving: true },
  query: { from: [`${txid('0')}`], incident: 'Test hack', maxHops: 10, minValueSat: 0, maxTxs: 1000, maxEdges: 1000, untilHeight: null, untilTime: null, stopAt: ['exchange'] },
  starts: [{ txid: txid('0'), vout: 0, address: 'bc1qattackeraaaa', valueSat: 500_000_000, excluded: null }],
  totals: { startSat: 500_000_000, endpointSat: 479_000_000, unspentSat: 546, feeSat: 10_999_454, belowMinSat: 0, stoppedSat: 0, coinbaseSat: 0, mixedSat: 199_000_000, mixedEndpointSat: 189_000_000 },
  endpoints: [
    {
      entity: { key: 'exchangex', label: 'Exchange X', category: 'exchange', source: 'demo tags', confidence: 'ownership', confidenceLevel: 100 },
      tracedSat: 479_000_000,
      mixedSat: 189_000_000,
      outputs: 2,
      firstTime: T(5),
      lastTime: T(30),
      minHops: 2,
      maxHops: 3,
      via: ['address', 'cluster'],
      examples: [],
    },
  ],
  deposits: [],
  unspent: { count: 1, outputs: [] },
  stopped: { count: 0, outputs: [] },
  limits: { hit: [], complete: true },
  coinjoin: { source: 'transactions.coinjoin', txs: [txid('3')] },
  graph: {
    nodes: [
      { id: `tx:${txid('0')}`, kind: 'tx', txid: txid('0'), height: 100, time: T(0), hop: 0, coinjoin: false, mixed: false, tracedInSat: 500_000_000, tracedOutSat: 500_000_000, feeSat: 0 },
      { id: 'addr:bc1qattackeraaaa', kind: 'address', address: 'bc1qattackeraaaa', cluster: 7, entity: null },
      { id: `tx:${txid('1')}`, kind: 'tx', txid: txid('1'), height: 101, time: T(1), hop: 1, coinjoin: false, mixed: false, tracedInSat: 500_000_000, tracedOutSat: 499_000_000, feeSat: 1_000_000 },
      { id: 'addr:bc1qbbbb', kind: 'address', address: 'bc1qbbbb', cluster: 7, entity: null },
      { id: 'addr:bc1qcccc', kind: 'address', address: 'bc1qcccc', cluster: null, entity: null },
      { id: `tx:${txid('2')}`, kind: 'tx', txid: txid('2'), height: 105, time: T(5), hop: 2, coinjoin: false, mixed: false, tracedInSat: 300_000_000, tracedOutSat: 290_000_546, feeSat: 9_999_454 },
      { id: 'addr:bc1qdddd', kind: 'address', address: 'bc1qdddd', cluster: 42, entity: 'entity:exchangex' },
      { id: 'addr:bc1qffff', kind: 'address', address: 'bc1qffff', cluster: null, entity: null },
      { id: `tx:${txid('3')}`, kind: 'tx', txid: txid('3'), height: 130, time: T(30), hop: 2, coinjoin: true, mixed: true, tracedInSat: 199_000_000, tracedOutSat: 189_000_000, feeSat: 0 },
      { id: 'addr:bc1qeeee', kind: 'address', address: 'bc1qeeee', cluster: 42, entity: 'entity:exchangex' },
      { id: 'entity:exchangex', kind: 'entity', label: 'Exchange X', category: 'exchange' },
    ],
    edges: [
      { from: `tx:${txid('0')}`, to: 'addr:bc1qattackeraaaa', tracedSat: 500_000_000, txid: txid('0'), vout: 0, valueSat: 500_000_000, hop: 0, mixed: false, reason: reason('payment', 'starting output') },
      { from: 'addr:bc1qattackeraaaa', to: `tx:${txid('1')}`, tracedSat: 500_000_000, txid: txid('0'), vout: 0, valueSat: 500_000_000, hop: 1, mixed: false, reason: reason('spend') },
      { from: `tx:${txid('1')}`, to: 'addr:bc1qbbbb', tracedSat: 300_000_000, txid: txid('1'), vout: 0, valueSat: 300_000_000, hop: 1, mixed: false, reason: { kind: 'change', detail: 'peel-chain change', confidence: 0.7 } },
      { from: `tx:${txid('1')}`, to: 'addr:bc1qcccc', tracedSat: 199_000_000, txid: txid('1'), vout: 1, valueSat: 199_000_000, hop: 1, mixed: false, reason: reason('payment') },
      { from: 'addr:bc1qbbbb', to: `tx:${txid('2')}`, tracedSat: 300_000_000, txid: txid('1'), vout: 0, valueSat: 300_000_000, hop: 2, mixed: false, reason: reason('spend') },
      { from: `tx:${txid('2')}`, to: 'addr:bc1qdddd', tracedSat: 290_000_000, txid: txid('2'), vout: 0, valueSat: 290_000_000, hop: 2, mixed: false, reason: reason('payment') },
      { from: `tx:${txid('2')}`, to: 'addr:bc1qffff', tracedSat: 546, txid: txid('2'), vout: 1, valueSat: 546, hop: 2, mixed: false, reason: reason('payment') },
      { from: 'addr:bc1qdddd', to: 'entity:exchangex', tracedSat: 290_000_000, txid: null, vout: null, valueSat: null, hop: 2, mixed: false, reason: reason('label', 'address tagged Exchange X') },
      { from: 'addr:bc1qcccc', to: `tx:${txid('3')}`, tracedSat: 199_000_000, txid: txid('1'), vout: 1, valueSat: 199_000_000, hop: 2, mixed: false, reason: reason('spend') },
      { from: `tx:${txid('3')}`, to: 'addr:bc1qeeee', tracedSat: 189_000_000, txid: txid('3'), vout: 2, valueSat: 189_000_000, hop: 2, mixed: true, reason: reason('payment') },
      { from: 'addr:bc1qeeee', to: 'entity:exchangex', tracedSat: 189_000_000, txid: null, vout: null, valueSat: null, hop: 2, mixed: true, reason: { kind: 'cluster-membership', detail: 'address is in cluster 42', confidence: 0.8 } },
    ],
  },
  stats: { txsVisited: 4, outputsTraced: 7, edges: 11, walkMs: 1 },
  summary: 'Traced 5.00 BTC forward; 4.79 BTC reached Exchange X.',
};

const roles = new Map([['bc1qattackeraaaa', 'attacker']]);
const ids = (ns: readonly { id: string }[]) => ns.map((n) => n.id);

describe('readTrace', () => {
  it('the fixture is a valid trace result of src/trace (same contract as the API)', () => {
    expect(() => TraceResultSchema.parse(doc)).not.toThrow();
    expect(() => TraceResultSchema.parse(syntheticTrace(300, 'fifo'))).not.toThrow();
  });

  it('derives hop, traced value, times and categories of address and entity nodes from the edges', () => {
    const t = readTrace(doc, { roles });
    expect(t.policy).toBe('haircut');
    expect(t.title).toBe('Test hack');
    expect(t.narrative).toContain('4.79 BTC');
    const n = new Map(t.nodes.map((x) => [x.id, x]));
    expect(n.get(`tx:${txid('0')}`)?.category).toBe('victim');
    expect(n.get('addr:bc1qattackeraaaa')?.category).toBe('attacker');
    expect(n.get(`tx:${txid('3')}`)?.category).toBe('mixer');
    expect(n.get('addr:bc1qdddd')?.category).toBe('exchange');
    expect(n.get('addr:bc1qcccc')?.category).toBe('unknown');
    const ex = n.get('entity:exchangex');
    expect(ex).toMatchObject({ category: 'exchange', tracedSat: 479_000_000, hop: 2, mixed: true, endpoint: true, firstTime: T(5), lastTime: T(30) });
    // The entity links to its cluster page; addresses to theirs.
    expect(ex?.ref).toEqual({ type: 'cluster', id: '42' });
    expect(n.get('addr:bc1qbbbb')).toMatchObject({ hop: 1, tracedSat: 300_000_000, firstTime: T(1), ref: { type: 'address', id: 'bc1qbbbb' } });
    // Unspent address: an endpoint; spent ones are not.
    expect(n.get('addr:bc1qffff')?.endpoint).toBe(true);
    expect(n.get('addr:bc1qbbbb')?.endpoint).toBe(false);
    expect(t.edges[2]?.reason).toBe('change: peel-chain change (confidence 0.7)');
    expect(t.edges[2]?.time).toBe(T(1));
    expect(t.endpoints).toEqual([
      {
        entity: 'Exchange X',
        category: 'exchange',
        rawCategory: 'exchange',
        tracedSat: 479_000_000,
        firstTime: T(5),
        lastTime: T(30),
        nodeIds: ['entity:exchangex'],
        ref: { type: 'cluster', id: '42' },
      },
    ]);
    expect(t.summary).toEqual({ sourceSat: 500_000_000, endpointSat: 479_000_000, unspentSat: 546, feeSat: 10_999_454, mixedSat: 199_000_000, nodes: 11, edges: 11 });
  });

  it('names the field that breaks the contract', () => {
    const bad = structuredClone(doc) as unknown as { graph: { nodes: Record<string, unknown>[]; edges: Record<string, unknown>[] } };
    (bad.graph.nodes[3] as Record<string, unknown>).id = { no: 1 };
    expect(() => readTrace(bad)).toThrow(new ContractError('trace.graph.nodes[3].id', 'expected a string, got object'));
    expect(() => readTrace({ ...doc, policy: { name: 'lifo' } })).toThrow(/trace.policy.name: unknown policy "lifo"/);
    expect(() => readTrace({ ...doc, version: 2 })).toThrow(/trace.version: this UI reads trace results of version 1, got 2/);
    expect(() => readTrace({ ...doc, schema: 'other' })).toThrow(/trace.schema: expected "ledgerhound.trace"/);
    expect(() => readTrace({ ...doc, graph: { nodes: [], edges: 3 } })).toThrow(/trace.graph.edges: expected an array, got number/);
    const badKind = structuredClone(doc) as unknown as { graph: { nodes: Record<string, unknown>[] } };
    (badKind.graph.nodes[0] as Record<string, unknown>).kind = 'block';
    expect(() => readTrace(badKind)).toThrow(/trace.graph.nodes\[0\].kind: expected tx, address or entity, got "block"/);
  });

  it('maps label categories onto colour classes', () => {
    expect(categoryOf('exchange')).toBe('exchange');
    expect(categoryOf('mixing_service')).toBe('mixer');
    expect(categoryOf('perpetrator')).toBe('attacker');
    expect(categoryOf('exchange', true)).toBe('sanctioned');
    expect(categoryOf('sanctioned_entity')).toBe('sanctioned');
    expect(categoryOf('miner')).toBe('unknown');
    expect(categoryOf(null)).toBe('unknown');
  });
});

describe('visible graph', () => {
  const t = readTrace(doc, { roles });
  const index = indexFlow(t);
  const everything = () => new Set(t.nodes.map((n) => n.id));

  it('finds the theft transaction as the only root', () => {
    expect(index.danglingEdges).toBe(0);
    expect(index.roots).toEqual([`tx:${txid('0')}`]);
    expect(index.maxHop).toBe(2);
  });

  it('shows only what expanded nodes reach, marking collapsed nodes', () => {
    const g = visibleGraph(index, { expanded: initialExpanded(index, 1), minSat: 0, maxHop: 99 });
    // Hop-0 nodes are open: theft tx → attacker → t1 (hop 1, collapsed).
    expect(ids(g.nodes)).toEqual([`tx:${txid('0')}`, 'addr:bc1qattackeraaaa', `tx:${txid('1')}`]);
    expect([...g.collapsed]).toEqual([`tx:${txid('1')}`]);
    const opened = visibleGraph(index, { expanded: toggleExpanded(initialExpanded(index, 1), `tx:${txid('1')}`), minSat: 0, maxHop: 99 });
    expect(ids(opened.nodes).slice(3)).toEqual(['addr:bc1qbbbb', 'addr:bc1qcccc']);
    expect(opened.collapsed.has(`tx:${txid('1')}`)).toBe(false);
    expect(opened.collapsed.has('addr:bc1qbbbb')).toBe(true);
  });

  it('collapsing a node hides its descendants unless another expanded node reaches them', () => {
    const full = visibleGraph(index, { expanded: everything(), minSat: 0, maxHop: 99 });
    expect(full.nodes).toHaveLength(11);
    expect(full.edges).toHaveLength(11);
    // Without the B branch, Exchange X is still reached through the CoinJoin.
    const noB = visibleGraph(index, { expanded: toggleExpanded(everything(), 'addr:bc1qbbbb'), minSat: 0, maxHop: 99 });
    expect(ids(noB.nodes)).not.toContain('addr:bc1qdddd');
    expect(ids(noB.nodes)).toContain('entity:exchangex');
    const noStart = visibleGraph(index, { expanded: toggleExpanded(everything(), 'addr:bc1qattackeraaaa'), minSat: 0, maxHop: 99 });
    expect(ids(noStart.nodes)).toEqual([`tx:${txid('0')}`, 'addr:bc1qattackeraaaa']);
  });

  it('filters by minimum value and by hop', () => {
    const big = visibleGraph(index, { expanded: everything(), minSat: 1_000_000, maxHop: 99 });
    expect(ids(big.nodes)).not.toContain('addr:bc1qffff');
    expect(big.nodes).toHaveLength(10);
    const near = visibleGraph(index, { expanded: everything(), minSat: 0, maxHop: 1 });
    expect(ids(near.nodes)).toEqual([`tx:${txid('0')}`, 'addr:bc1qattackeraaaa', `tx:${txid('1')}`, 'addr:bc1qbbbb', 'addr:bc1qcccc']);
    // Hidden by the hop filter is not "collapsed": the marker means a click would show more.
    expect(near.collapsed.size).toBe(0);
  });

  it('builds Cytoscape elements with widths by value and hover text with amounts and dates', () => {
    const els = toElements(visibleGraph(index, { expanded: everything(), minSat: 0, maxHop: 99 }), index.maxEdgeSat, new Map([['addr:bc1qdddd', 'deposit account of the thief']]));
    const d = els.find((e) => e.data.id === 'addr:bc1qdddd');
    expect(d && 'classes' in d ? d.classes : '').toBe('exchange address annotated');
    expect(d?.data.tip).toContain('note: deposit account of the thief');
    const theft = els.find((e) => e.group === 'edges' && e.data.source === `tx:${txid('0')}`);
    expect(theft?.data.tip).toBe(`5.00 BTC on 2026-01-01 00:00 UTC\ntx ${txid('0')}\nwhy: payment: starting output`);
    const dust = els.find((e) => e.group === 'edges' && e.data.target === 'addr:bc1qffff');
    expect(theft && 'width' in theft.data ? theft.data.width : 0).toBe(14);
    expect(dust && 'width' in dust.data ? dust.data.width : 99).toBeLessThan(1.2);
    // Square-root scale: a quarter of the largest flow is 1 + 13/2 px.
    expect(edgeWidth(25, 100)).toBe(7.5);
    expect(edgeWidth(0, 100)).toBe(1);
    expect(edgeWidth(50, 0)).toBe(1);
  });

  it('handles a 2,000-node generated graph', () => {
    const big = readTrace(syntheticTrace(2000));
    expect(big.nodes).toHaveLength(2000);
    const bi = indexFlow(big);
    expect(bi.danglingEdges).toBe(0);
    const g = visibleGraph(bi, { expanded: new Set(big.nodes.map((n) => n.id)), minSat: 0, maxHop: 1e9 });
    expect(g.nodes).toHaveLength(2000);
    expect(g.edges).toHaveLength(big.edges.length);
  });
});

describe('exports', () => {
  it('writes endpoints CSV with RFC 4180 quoting and formula guard', () => {
    const t = readTrace(doc);
    const csv = endpointsCsv(t.endpoints, t.policy);
    const lines = csv.split('\r\n');
    expect(lines[0]).toBe('entity,category,label_category,traced_sat,traced_btc,first_time,last_time,policy,nodes');
    expect(lines[1]).toBe(`Exchange X,exchange,exchange,479000000,4.79000000,${T(5)},${T(30)},haircut,entity:exchangex`);
    expect(lines).toHaveLength(3);
    expect(csvField('a,"b"')).toBe('"a,""b"""');
    expect(csvField('=HYPERLINK("x")')).toBe(`"'=HYPERLINK(""x"")"`);
    expect(csvField('-12.5')).toBe('-12.5');
    expect(csvField(null)).toBe('');
  });

  it('buckets traced value over time', () => {
    const t = readTrace(doc);
    const b = timeline(t.edges, 3);
    expect(b).toHaveLength(3);
    const dated = t.edges.filter((e) => e.time).reduce((a, e) => a + e.tracedSat, 0);
    expect(b.reduce((a, x) => a + x.sat, 0)).toBe(dated);
    expect(b[2]?.cumulativeSat).toBe(dated);
    expect(timeline([], 5)).toEqual([]);
  });

  it('charts arrivals at endpoints once, not every hop', () => {
    const t = readTrace(doc);
    const arrivals = arrivalEdges(t);
    expect(arrivals.map((e) => e.target).sort()).toEqual(['addr:bc1qffff', 'entity:exchangex', 'entity:exchangex']);
    const b = timeline(arrivals, 10);
    // Exchange X's 4.79 BTC plus the 546-sat unspent output; first arrivals at hour 5 (t2), the CoinJoin's at hour 30.
    expect(b[b.length - 1]?.cumulativeSat).toBe(479_000_546);
    expect(b[0]?.start).toBe(Date.parse(T(5)));
    expect(b[9]?.end).toBe(Date.parse(T(30)));
  });
});

describe('format', () => {
  it('prints satoshi as BTC with separators', async () => {
    const { formatBtc, formatTime, shortId } = await import('../util/format');
    expect(formatBtc(123_456_789_012_345)).toBe('1,234,567.89012345');
    expect(formatBtc(150_000_000)).toBe('1.50');
    expect(formatBtc(-546)).toBe('-0.00000546');
    expect(formatBtc(Number.NaN)).toBe('—');
    expect(formatTime('2026-01-01T00:00:00Z')).toBe('2026-01-01 00:00 UTC');
    expect(formatTime(null)).toBe('—');
    expect(shortId('bc1qxy2kgdygjrsqtzq2n0yrf2493p83kkfjhx0wlh')).toBe('bc1qxy…0wlh');
  });
});
