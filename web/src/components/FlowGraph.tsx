/**
 * The flow graph: Cytoscape.js with a left-to-right dagre layout, so money visibly flows from the
 * theft (left) to the cash-out points (right). Element changes are applied as a diff (add/remove/
 * update) and laid out again; the time of each update is reported through `onRendered`.
 */
import cytoscape from 'cytoscape';
import dagre from 'cytoscape-dagre';
import svgExt from 'cytoscape-svg';
import { type KeyboardEvent, type RefObject, useEffect, useRef, useState } from 'react';
import type { EdgeElement, NodeElement } from '../graph/flow';

cytoscape.use(dagre);
cytoscape.use(svgExt);

/** What the page can ask of the graph (exports). */
export interface FlowGraphHandle {
  png(): Blob;
  svg(): string;
}

const STYLE: cytoscape.StylesheetJson = [
  {
    selector: 'node',
    style: {
      'background-color': 'data(colour)',
      label: 'data(label)',
      'font-size': 10,
      'text-valign': 'bottom',
      'text-margin-y': 3,
      'text-wrap': 'ellipsis',
      'text-max-width': '120px',
      color: '#222',
      width: 22,
      height: 22,
      'border-width': 1,
      'border-color': '#333',
      // Labels too small to read are not drawn: on a zoomed-out 2,000-node graph this is most of a redraw.
      'min-zoomed-font-size': 7,
    },
  },
  { selector: 'node.tx', style: { shape: 'diamond', width: 16, height: 16, 'font-size': 8, color: '#555' } },
  { selector: 'node.endpoint', style: { shape: 'round-rectangle', width: 28 } },
  { selector: 'node.entity', style: { width: 34, height: 26, 'font-size': 11, 'font-weight': 'bold' } },
  { selector: 'node.collapsed', style: { 'border-width': 3, 'border-style': 'double', 'border-color': '#333' } },
  { selector: 'node.mixed', style: { 'background-blacken': -0.2, 'border-style': 'dashed' } },
  { selector: 'node.annotated', style: { 'border-color': '#E69F00', 'border-width': 4 } },
  { selector: 'node.sanctioned', style: { color: '#000', 'font-weight': 'bold' } },
  { selector: 'node:selected', style: { 'overlay-color': '#F0E442', 'overlay-opacity': 0.5, 'overlay-padding': 6 } },
  {
    selector: 'edge',
    style: {
      width: 'data(width)',
      'line-color': '#7f8c9a',
      'target-arrow-color': '#7f8c9a',
      'target-arrow-shape': 'triangle',
      'arrow-scale': 0.8,
      'curve-style': 'bezier',
      opacity: 0.75,
    },
  },
  { selector: 'edge:selected', style: { 'line-color': '#E69F00', 'target-arrow-color': '#E69F00', opacity: 1 } },
];

/** Graphs up to this many nodes are laid out again by dagre on every change. */
const FULL_LAYOUT_MAX = 250;
const RANK_GAP = 130;
const ROW_GAP = 32;

/**
 * Places new nodes to the right of their (already placed) parents, siblings stacked around the
 * parent's height; nodes whose parent is also new follow it. Linear in the new nodes and their edges.
 */
function placeNear(cy: cytoscape.Core, ids: string[]): void {
  const pending = new Set(ids);
  const byParent = new Map<string, string[]>();
  const orphans: string[] = [];
  for (const id of ids) {
    const n = cy.getElementById(id);
    const parent = n.incomers('node').filter((p) => p.id() !== id)[0];
    if (parent === undefined) orphans.push(id);
    else {
      const list = byParent.get(parent.id()) ?? [];
      list.push(id);
      byParent.set(parent.id(), list);
    }
  }
  cy.batch(() => {
    const queue = [...byParent.keys()].filter((p) => !pending.has(p));
    for (let i = 0; i < queue.length; i++) {
      const pid = queue[i] as string;
      const kids = byParent.get(pid) ?? [];
      const pp = cy.getElementById(pid).position();
      kids.forEach((k, j) => {
        cy.getElementById(k).position({ x: pp.x + RANK_GAP, y: pp.y + (j - (kids.length - 1) / 2) * ROW_GAP });
        pending.delete(k);
        if (byParent.has(k)) queue.push(k);
      });
    }
    const bb = cy.nodes().boundingBox();
    [...orphans, ...pending].forEach((id, j) => {
      cy.getElementById(id).position({ x: bb.x1, y: bb.y2 + ROW_GAP * (j + 1) });
    });
  });
}

const LAYOUT = { name: 'dagre', rankDir: 'LR', nodeSep: 18, rankSep: 90, edgeSep: 6, animate: false, fit: true, padding: 20 } as cytoscape.LayoutOptions;

interface Props {
  elements: (NodeElement | EdgeElement)[];
  selected: string | null;
  onSelect: (id: string | null) => void;
  onToggle: (id: string) => void;
  /** Called after each layout with the time since the change was requested (ms) and the node count. */
  onRendered?: (ms: number, nodes: number) => void;
  handle: RefObject<FlowGraphHandle | null>;
  /** performance.now() of the user action that caused this render (expand click, filter...). */
  requestedAt: number;
  /** Changes when the whole graph should be laid out again (new trace, filters, expand all...). */
  layoutKey: number;
}

interface Tip {
  x: number;
  y: number;
  text: string;
}

export function FlowGraph({ elements, selected, onSelect, onToggle, onRendered, handle, requestedAt, layoutKey }: Props) {
  const box = useRef<HTMLDivElement>(null);
  const cyRef = useRef<cytoscape.Core | null>(null);
  const cb = useRef({ onSelect, onToggle, onRendered });
  cb.current = { onSelect, onToggle, onRendered };
  const [tip, setTip] = useState<Tip | null>(null);

  // Create Cytoscape once.
  useEffect(() => {
    if (!box.current) return;
    const cy = cytoscape({
      container: box.current,
      style: STYLE,
      minZoom: 0.05,
      maxZoom: 4,
      boxSelectionEnabled: false,
    });
    cyRef.current = cy;
    cy.on('tap', 'node', (e) => {
      const id = e.target.id() as string;
      cb.current.onSelect(id);
      cb.current.onToggle(id);
    });
    cy.on('tap', (e) => {
      if (e.target === cy) cb.current.onSelect(null);
    });
    cy.on('mouseover', 'node, edge', (e) => {
      const p = e.renderedPosition ?? { x: 0, y: 0 };
      setTip({ x: p.x, y: p.y, text: e.target.data('tip') as string });
    });
    cy.on('mouseout', 'node, edge', () => setTip(null));
    cy.on('viewport', () => setTip(null));
    handle.current = {
      png: () => cy.png({ output: 'blob', full: true, scale: 2, bg: '#ffffff' }) as unknown as Blob,
      svg: () => (cy as unknown as { svg(o: object): string }).svg({ full: true, scale: 1, bg: '#ffffff' }),
    };
    return () => {
      handle.current = null;
      cy.destroy();
      cyRef.current = null;
    };
  }, [handle]);

  // Apply element changes as a diff, then lay out: dagre for the first drawing, after a filter or
  // policy change (layoutKey), and for small graphs; on a large graph an expansion places only the
  // new nodes next to their parents and a collapse moves nothing, so the picture stays put.
  const laidOutKey = useRef<number | null>(null);
  useEffect(() => {
    const cy = cyRef.current;
    if (!cy) return;
    const want = new Map(elements.map((e) => [e.data.id, e]));
    const added: string[] = [];
    cy.batch(() => {
      cy.elements().forEach((el) => {
        if (!want.has(el.id())) el.remove();
      });
      const add: cytoscape.ElementDefinition[] = [];
      for (const e of elements) {
        const have = cy.getElementById(e.data.id);
        if (have.empty()) {
          add.push(e.group === 'nodes' ? { ...e, data: { ...e.data, _cls: e.classes } } : (e as cytoscape.ElementDefinition));
          if (e.group === 'nodes') added.push(e.data.id);
        } else {
          // Touch only what changed: every data() or classes() call restyles the element.
          const d = have.data() as Record<string, unknown>;
          const nd = e.data as unknown as Record<string, unknown>;
          for (const k in nd) {
            if (d[k] !== nd[k]) {
              have.data(e.data);
              break;
            }
          }
          if (e.group === 'nodes' && (have.data('_cls') as string | undefined) !== e.classes) {
            have.classes(e.classes);
            have.data('_cls', e.classes);
          }
        }
      }
      // Nodes before edges: an edge needs both ends.
      add.sort((a, b) => (a.group === b.group ? 0 : a.group === 'nodes' ? -1 : 1));
      cy.add(add);
    });
    const done = () =>
      requestAnimationFrame(() => cb.current.onRendered?.(performance.now() - requestedAt, cy.nodes().length));
    if (laidOutKey.current !== layoutKey || cy.nodes().length <= FULL_LAYOUT_MAX) {
      laidOutKey.current = layoutKey;
      const layout = cy.layout(LAYOUT);
      layout.one('layoutstop', done);
      layout.run();
    } else {
      if (added.length > 0) placeNear(cy, added);
      done();
    }
  }, [elements, requestedAt, layoutKey]);

  // Keep Cytoscape's selection in step with the page's.
  useEffect(() => {
    const cy = cyRef.current;
    if (!cy) return;
    cy.$(':selected').unselect();
    if (selected) {
      const n = cy.getElementById(selected);
      if (n.nonempty()) {
        n.select();
        if (!cy.extent() || !n.renderedBoundingBox()) return;
        const bb = n.renderedBoundingBox();
        if (bb.x2 < 0 || bb.y2 < 0 || bb.x1 > cy.width() || bb.y1 > cy.height()) cy.center(n);
      }
    }
  }, [selected]);

  /** Keyboard: arrows move the selection along the visible nodes, Enter/Space expands or collapses. */
  function onKey(e: KeyboardEvent<HTMLDivElement>) {
    const nodes = elements.filter((x): x is NodeElement => x.group === 'nodes');
    if (nodes.length === 0) return;
    const i = selected ? nodes.findIndex((n) => n.data.id === selected) : -1;
    let next: number | null = null;
    if (e.key === 'ArrowRight' || e.key === 'ArrowDown') next = (i + 1) % nodes.length;
    else if (e.key === 'ArrowLeft' || e.key === 'ArrowUp') next = i <= 0 ? nodes.length - 1 : i - 1;
    else if ((e.key === 'Enter' || e.key === ' ') && selected) {
      e.preventDefault();
      onToggle(selected);
      return;
    } else if (e.key === 'Escape') {
      onSelect(null);
      return;
    }
    if (next !== null) {
      e.preventDefault();
      const n = nodes[next];
      if (n) onSelect(n.data.id);
    }
  }

  const sel = selected ? elements.find((e) => e.data.id === selected) : undefined;
  return (
    <div className="graph-wrap">
      <div
        ref={box}
        className="graph"
        data-testid="flow-graph"
        // biome-ignore lint/a11y/noNoninteractiveTabindex: the canvas is operated with the arrow keys (see onKey).
        tabIndex={0}
        role="application"
        aria-label="Flow graph. Arrow keys select nodes, Enter expands or collapses the selected node."
        onKeyDown={onKey}
      />
      <div className="sr-only" aria-live="polite">
        {sel ? sel.data.tip : ''}
      </div>
      {tip ? (
        <div className="tooltip" role="tooltip" style={{ left: tip.x + 12, top: tip.y + 12 }}>
          {tip.text}
        </div>
      ) : null}
    </div>
  );
}
