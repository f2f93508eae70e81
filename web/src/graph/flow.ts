/**
 * Graph-building logic of the flow view, kept free of Cytoscape and React so it can be tested
 * and timed on its own: which nodes are visible (expand/collapse, value and hop filters), and the
 * Cytoscape element definitions for them.
 */
import type { Category, FlowEdge, FlowNode, Trace } from '../api/types';
import { formatBtc, formatTime } from '../util/format';

/** Node fill per category (colour-blind-safe Okabe–Ito palette where possible). */
export const CATEGORY_COLOURS: Record<Category, string> = {
  victim: '#0072B2',
  attacker: '#D55E00',
  exchange: '#009E73',
  mixer: '#CC79A7',
  sanctioned: '#000000',
  unknown: '#999999',
};

/** Adjacency of a trace, built once per trace. */
export interface FlowIndex {
  nodes: Map<string, FlowNode>;
  edges: FlowEdge[];
  out: Map<string, FlowEdge[]>;
  /** Nodes the walk starts from: nodes nothing flows into (hop-0 nodes if there are none). */
  roots: string[];
  maxHop: number;
  maxEdgeSat: number;
}

/** Indexes a trace's nodes and edges. Edges that name a missing node are dropped (and counted). */
export function indexFlow(trace: Pick<Trace, 'nodes' | 'edges'>): FlowIndex & { danglingEdges: number } {
  const nodes = new Map<string, FlowNode>();
  for (const n of trace.nodes) nodes.set(n.id, n);
  const out = new Map<string, FlowEdge[]>();
  const hasIn = new Set<string>();
  const edges: FlowEdge[] = [];
  let danglingEdges = 0;
  let maxEdgeSat = 0;
  for (const e of trace.edges) {
    if (!nodes.has(e.source) || !nodes.has(e.target)) {
      danglingEdges++;
      continue;
    }
    edges.push(e);
    let list = out.get(e.source);
    if (list === undefined) {
      list = [];
      out.set(e.source, list);
    }
    list.push(e);
    if (e.source !== e.target) hasIn.add(e.target);
    if (e.tracedSat > maxEdgeSat) maxEdgeSat = e.tracedSat;
  }
  let maxHop = 0;
  const roots: string[] = [];
  for (const n of nodes.values()) {
    if (n.hop > maxHop) maxHop = n.hop;
    if (!hasIn.has(n.id)) roots.push(n.id);
  }
  // A graph that is all cycle has no such node: start from hop 0.
  if (roots.length === 0) for (const n of nodes.values()) if (n.hop === 0) roots.push(n.id);
  return { nodes, edges, out, roots, maxHop, maxEdgeSat, danglingEdges };
}

/** What the user chose to see. */
export interface ViewState {
  /** Nodes whose next hops are shown. */
  expanded: ReadonlySet<string>;
  /** Edges carrying less traced value than this are hidden (and what only they reach). */
  minSat: number;
  /** Nodes further than this many hops from the source are hidden. */
  maxHop: number;
}

/** Nodes expanded at first: everything closer than `depth` hops, so the first screen is readable. */
export function initialExpanded(index: FlowIndex, depth: number): Set<string> {
  const expanded = new Set<string>();
  for (const n of index.nodes.values()) if (n.hop < depth) expanded.add(n.id);
  return expanded;
}

/** Expands a collapsed node or collapses an expanded one (returns a new set). */
export function toggleExpanded(expanded: ReadonlySet<string>, id: string): Set<string> {
  const next = new Set(expanded);
  if (next.has(id)) next.delete(id);
  else next.add(id);
  return next;
}

/** The visible part of the graph. */
export interface VisibleGraph {
  nodes: FlowNode[];
  edges: FlowEdge[];
  /** Visible nodes that have hidden next hops (drawn with a "+" marker). */
  collapsed: Set<string>;
}

/**
 * Walks from the roots along edges that pass the filters, following only expanded nodes' out-edges.
 * A collapsed node stays visible but its next hops do not (unless another expanded node reaches them).
 * Linear in the size of the graph.
 */
export function visibleGraph(index: FlowIndex, view: ViewState): VisibleGraph {
  const seen = new Set<string>();
  const queue: string[] = [];
  for (const id of index.roots) {
    const n = index.nodes.get(id);
    if (n !== undefined && n.hop <= view.maxHop && !seen.has(id)) {
      seen.add(id);
      queue.push(id);
    }
  }
  const edges: FlowEdge[] = [];
  const collapsed = new Set<string>();
  for (let i = 0; i < queue.length; i++) {
    const id = queue[i] as string;
    const outs = index.out.get(id);
    if (outs === undefined) continue;
    const open = view.expanded.has(id);
    for (const e of outs) {
      if (e.tracedSat < view.minSat) continue;
      const t = index.nodes.get(e.target);
      if (t === undefined || t.hop > view.maxHop) continue;
      if (!open) {
        collapsed.add(id);
        continue;
      }
      edges.push(e);
      if (!seen.has(e.target)) {
        seen.add(e.target);
        queue.push(e.target);
      }
    }
  }
  const nodes: FlowNode[] = [];
  for (const id of queue) nodes.push(index.nodes.get(id) as FlowNode);
  return { nodes, edges, collapsed };
}

/**
 * Edge width in pixels: 1 px plus up to 13 px by the square root of the share of the largest edge, so
 * a half-size flow is visibly thinner and dust stays a hairline.
 */
export function edgeWidth(sat: number, maxSat: number): number {
  if (!(sat > 0) || !(maxSat > 0)) return 1;
  const w = 1 + 13 * Math.sqrt(Math.min(1, sat / maxSat));
  return Math.round(w * 10) / 10;
}

/** Element definitions (Cytoscape's plain-object format) for a visible graph. */
export interface NodeElement {
  group: 'nodes';
  data: { id: string; label: string; category: Category; colour: string; collapsed: 0 | 1; tip: string; hop: number };
  classes: string;
}
export interface EdgeElement {
  group: 'edges';
  data: { id: string; source: string; target: string; width: number; tip: string; label: string };
}

// Hover texts are the costly part of building elements (number and date formatting): keep them per
// node/edge object, so expanding one node in a 2,000-node graph formats only the new ones.
const nodeTips = new WeakMap<FlowNode, { note: string | undefined; tip: string }>();
const edgeTexts = new WeakMap<FlowEdge, { tip: string; label: string }>();

function cachedNodeTip(n: FlowNode, note: string | undefined): string {
  const c = nodeTips.get(n);
  if (c !== undefined && c.note === note) return c.tip;
  const tip = nodeTip(n, note);
  nodeTips.set(n, { note, tip });
  return tip;
}

function cachedEdgeTexts(e: FlowEdge): { tip: string; label: string } {
  let c = edgeTexts.get(e);
  if (c === undefined) {
    c = { tip: edgeTip(e), label: formatBtc(e.tracedSat) };
    edgeTexts.set(e, c);
  }
  return c;
}

/** Builds the Cytoscape elements of a visible graph; `annotations` add a note marker to nodes. */
export function toElements(
  g: VisibleGraph,
  maxEdgeSat: number,
  annotations: ReadonlyMap<string, string> = new Map(),
): (NodeElement | EdgeElement)[] {
  const els: (NodeElement | EdgeElement)[] = [];
  for (const n of g.nodes) {
    const note = annotations.get(n.id);
    const classes: string[] = [n.category, n.kind];
    if (g.collapsed.has(n.id)) classes.push('collapsed');
    if (n.endpoint) classes.push('endpoint');
    if (n.mixed) classes.push('mixed');
    if (note) classes.push('annotated');
    els.push({
      group: 'nodes',
      data: {
        id: n.id,
        label: (g.collapsed.has(n.id) ? '⊕ ' : '') + n.label + (note ? ' ✎' : ''),
        category: n.category,
        colour: CATEGORY_COLOURS[n.category],
        collapsed: g.collapsed.has(n.id) ? 1 : 0,
        tip: cachedNodeTip(n, note),
        hop: n.hop,
      },
      classes: classes.join(' '),
    });
  }
  for (const e of g.edges) {
    const t = cachedEdgeTexts(e);
    els.push({
      group: 'edges',
      data: {
        id: e.id,
        source: e.source,
        target: e.target,
        width: edgeWidth(e.tracedSat, maxEdgeSat),
        tip: t.tip,
        label: t.label,
      },
    });
  }
  return els;
}

/** Hover text of a node: what it is, how much traced value reached it, and when. */
export function nodeTip(n: FlowNode, note?: string): string {
  const lines = [
    `${n.label} (${n.rawCategory ?? n.category})`,
    `hop ${n.hop} · traced ${formatBtc(n.tracedSat)} BTC`,
    `first ${formatTime(n.firstTime)} · last ${formatTime(n.lastTime)}`,
  ];
  if (n.mixed) lines.push('passed through a mixer');
  if (n.endpoint) lines.push('endpoint');
  if (note) lines.push(`note: ${note}`);
  return lines.join('\n');
}

/** Hover text of an edge: amount, date, transaction and the tracer's reason. */
export function edgeTip(e: FlowEdge): string {
  const lines = [`${formatBtc(e.tracedSat)} BTC on ${formatTime(e.time)}`];
  if (e.txid) lines.push(`tx ${e.txid}`);
  if (e.reason) lines.push(`why: ${e.reason}`);
  return lines.join('\n');
}
