import { describe, expect, it } from 'vitest';
import { ContractError, categoryOf, readTrace } from '../api/read';
import { csvField, endpointsCsv, timeline } from './exports';
import { edgeWidth, indexFlow, initialExpanded, toElements, toggleExpanded, visibleGraph } from './flow';
import { syntheticTrace } from './synthetic';

/**
 * A small laundering flow in the trace JSON shape: theft → attacker → peel chain (a → b) and a split
 * into a mixer; the mixer pays an exchange, b pays the same exchange (two deposit addresses) and an
 * OTC desk; one dust edge to an innocent payee.
 */
const doc = {
  schemaVersion: 1,
  policy: 'haircut',
  title: 'Test hack',
  graph: {
    nodes: [
      { id: 'victim', kind: 'address', label: 'Victim hot wallet', category: 'victim', hop: 0, tracedSat: 500_000_000 },
      { id: 'att', kind: 'cluster', label: 'Attacker', category: 'perpetrator', hop: 1, tracedSat: 500_000_000, clusterId: '42' },
      { id: 'a', kind: 'address', label: 'bc1qaaaa', category: null, hop: 2, tracedSat: 300_000_000, address: 'bc1qaaaa' },
      { id: 'b', kind: 'address', label: 'bc1qbbbb', hop: 3, tracedSat: 290_000_000 },
      { id: 'mix', kind: 'entity', label: 'Mixer', category: 'mixing_service', hop: 2, tracedSat: 199_000_000, mixed: true },
      { id: 'x1', kind: 'address', label: 'Exchange X', category: 'exchange', hop: 3, tracedSat: 190_000_000, endpoint: true, firstTime: '2026-01-02T00:00:00Z', lastTime: '2026-01-02T00:00:00Z' },
      { id: 'x2', kind: 'address', label: 'Exchange X', category: 'exchange', hop: 4, tracedSat: 200_000_000, endpoint: true, firstTime: '2026-01-03T00:00:00Z', lastTime: '2026-01-04T00:00:00Z' },
      { id: 'otc', kind: 'address', label: 'OTC desk', category: 'otc', hop: 4, tracedSat: 89_000_000, endpoint: true, sanctioned: true },
      { id: 'dust', kind: 'address', label: 'payee', hop: 4, tracedSat: 546, endpoint: true },
    ],
    edges: [
      { source: 'victim', target: 'att', tracedSat: 500_000_000, time: '2026-01-01T00:00:00Z', txid: 't0', reason: 'theft' },
      { source: 'att', target: 'a', tracedSat: 300_000_000, time: '2026-01-01T01:00:00Z', reason: 'haircut share' },
      { source: 'att', target: 'mix', tracedSat: 199_000_000, time: '2026-01-01T02:00:00Z' },
      { source: 'a', target: 'b', tracedSat: 290_000_000, time: '2026-01-01T03:00:00Z' },
      { source: 'mix', target: 'x1', tracedSat: 190_000_000, time: '2026-01-02T00:00:00Z' },
      { source: 'b', target: 'x2', tracedSat: 200_000_000, time: '2026-01-03T00:00:00Z' },
      { source: 'b', target: 'otc', tracedSat: 89_000_000, time: '2026-01-04T00:00:00Z' },
      { source: 'b', target: 'dust', tracedSat: 546, time: '2026-01-04T00:00:00Z' },
      { source: 'b', target: 'ghost', tracedSat: 1 },
    ],
  },
};

const all = (n: number) => ({ expanded: new Set(['victim', 'att', 'a', 'b', 'mix', 'x1', 'x2', 'otc', 'dust'].slice(0, n)), minSat: 0, maxHop: 99 });

describe('readTrace', () => {
  it('reads nodes, edges, categories, and derives endpoints grouped by entity', () => {
    const t = readTrace(doc);
    expect(t.policy).toBe('haircut');
    expect(t.nodes).toHaveLength(9);
    expect(t.nodes.map((n) => n.category)).toEqual(['victim', 'attacker', 'unknown', 'unknown', 'mixer', 'exchange', 'exchange', 'sanctioned', 'unknown']);
    expect(t.nodes[1]?.ref).toEqual({ type: 'cluster', id: '42' });
    // Exchange X's two deposit nodes become one row; the largest first.
    expect(t.endpoints.map((e) => [e.entity, e.tracedSat, e.nodeIds])).toEqual([
      ['Exchange X', 390_000_000, ['x1', 'x2']],
      ['OTC desk', 89_000_000, ['otc']],
      ['payee', 546, ['dust']],
    ]);
    expect(t.endpoints[0]?.firstTime).toBe('2026-01-02T00:00:00Z');
    expect(t.endpoints[0]?.lastTime).toBe('2026-01-04T00:00:00Z');
    expect(t.summary.endpointSat).toBe(390_000_000 + 89_000_000 + 546);
  });

  it('names the field that breaks the contract', () => {
    const bad = structuredClone(doc);
    (bad.graph.nodes[3] as Record<string, unknown>).id = { no: 1 };
    expect(() => readTrace(bad)).toThrow(new ContractError('trace.graph.nodes[3].id', 'expected a string, got object'));
    expect(() => readTrace({ ...doc, policy: 'lifo' })).toThrow(/trace.policy: unknown policy "lifo"/);
    expect(() => readTrace({ policy: 'fifo', nodes: 3, edges: [] })).toThrow(/trace.nodes: expected an array, got number/);
    expect(() => readTrace({ ...doc, graph: { ...doc.graph, edges: [{ source: 'a', target: 'b', time: 'yesterday' }] } })).toThrow(
      /trace.graph.edges\[0\].time: expected an ISO time, got "yesterday"/,
    );
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
  const t = readTrace(doc);
  const index = indexFlow(t);

  it('drops edges to unknown nodes and finds the roots', () => {
    expect(index.danglingEdges).toBe(1);
    expect(index.roots).toEqual(['victim']);
    expect(index.maxHop).toBe(4);
  });

  it('shows only what expanded nodes reach, marking collapsed nodes', () => {
    const g = visibleGraph(index, { expanded: initialExpanded(index, 2), minSat: 0, maxHop: 99 });
    expect(g.nodes.map((n) => n.id)).toEqual(['victim', 'att', 'a', 'mix']);
    expect([...g.collapsed].sort()).toEqual(['a', 'mix']);
    const opened = visibleGraph(index, { expanded: toggleExpanded(initialExpanded(index, 2), 'a'), minSat: 0, maxHop: 99 });
    expect(opened.nodes.map((n) => n.id)).toEqual(['victim', 'att', 'a', 'mix', 'b']);
    expect(opened.collapsed.has('a')).toBe(false);
    expect(opened.collapsed.has('b')).toBe(true);
  });

  it('collapsing a node hides its descendants unless another expanded node reaches them', () => {
    const full = visibleGraph(index, all(9));
    expect(full.nodes).toHaveLength(9);
    expect(full.edges).toHaveLength(8);
    const noB = visibleGraph(index, { ...all(9), expanded: toggleExpanded(all(9).expanded, 'a') });
    expect(noB.nodes.map((n) => n.id).sort()).toEqual(['a', 'att', 'mix', 'victim', 'x1']);
    const noAtt = visibleGraph(index, { ...all(9), expanded: toggleExpanded(all(9).expanded, 'att') });
    expect(noAtt.nodes.map((n) => n.id)).toEqual(['victim', 'att']);
  });

  it('filters by minimum value and by hop', () => {
    const big = visibleGraph(index, { ...all(9), minSat: 100_000_000 });
    expect(big.nodes.map((n) => n.id).sort()).toEqual(['a', 'att', 'b', 'mix', 'victim', 'x1', 'x2']);
    const near = visibleGraph(index, { ...all(9), maxHop: 2 });
    expect(near.nodes.map((n) => n.id)).toEqual(['victim', 'att', 'a', 'mix']);
    // Hidden by the hop filter is not "collapsed": the marker means a click would show more.
    expect(near.collapsed.size).toBe(0);
  });

  it('builds Cytoscape elements with widths by value and hover text with amounts and dates', () => {
    const els = toElements(visibleGraph(index, all(9)), index.maxEdgeSat, new Map([['otc', 'known Lazarus OTC']]));
    const otc = els.find((e) => e.data.id === 'otc');
    expect(otc?.group).toBe('nodes');
    expect(otc && 'classes' in otc ? otc.classes : '').toContain('annotated');
    expect(otc?.data.tip).toContain('note: known Lazarus OTC');
    const theft = els.find((e) => e.group === 'edges' && e.data.source === 'victim');
    expect(theft?.data.tip).toBe('5.00 BTC on 2026-01-01 00:00 UTC\ntx t0\nwhy: theft');
    const dust = els.find((e) => e.group === 'edges' && e.data.target === 'dust');
    expect(theft && 'width' in theft.data ? theft.data.width : 0).toBe(14);
    expect(dust && 'width' in dust.data ? dust.data.width : 0).toBeLessThan(6);
    expect(edgeWidth(0, 100)).toBe(1);
    expect(edgeWidth(50, 0)).toBe(1);
  });

  it('stays linear on a 2,000-node generated graph', () => {
    const big = readTrace(syntheticTrace(2000));
    expect(big.nodes).toHaveLength(2000);
    const bi = indexFlow(big);
    expect(bi.danglingEdges).toBe(0);
    const everything = new Set(big.nodes.map((n) => n.id));
    const g = visibleGraph(bi, { expanded: everything, minSat: 0, maxHop: 1e9 });
    expect(g.nodes).toHaveLength(2000);
    expect(g.edges).toHaveLength(1999);
  });
});

describe('exports', () => {
  it('writes endpoints CSV with RFC 4180 quoting and formula guard', () => {
    const t = readTrace(doc);
    const csv = endpointsCsv(t.endpoints, t.policy);
    const lines = csv.split('\r\n');
    expect(lines[0]).toBe('entity,category,label_category,traced_sat,traced_btc,first_time,last_time,policy,nodes');
    expect(lines[1]).toBe('Exchange X,exchange,exchange,390000000,3.90000000,2026-01-02T00:00:00Z,2026-01-04T00:00:00Z,haircut,x1 x2');
    expect(lines).toHaveLength(5);
    expect(csvField('a,"b"')).toBe('"a,""b"""');
    expect(csvField('=HYPERLINK("x")')).toBe(`"'=HYPERLINK(""x"")"`);
    expect(csvField('-12.5')).toBe('-12.5');
    expect(csvField(null)).toBe('');
  });

  it('buckets traced value over time', () => {
    const t = readTrace(doc);
    const b = timeline(t.edges, 3);
    expect(b).toHaveLength(3);
    expect(b.reduce((a, x) => a + x.sat, 0)).toBe(t.edges.filter((e) => e.time).reduce((a, e) => a + e.tracedSat, 0));
    expect(b[2]?.cumulativeSat).toBe(b.reduce((a, x) => a + x.sat, 0));
    expect(b[0]?.sat).toBe(500_000_000 + 300_000_000 + 199_000_000 + 290_000_000);
    expect(timeline([], 5)).toEqual([]);
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
