/**
 * The incident / trace view: flow graph, filters, policy switch, endpoints table, timeline,
 * node notes and exports. Used by the incident page, the case page and the synthetic-graph lab.
 */
import { type ReactNode, useEffect, useMemo, useRef, useState } from 'react';
import type { Endpoint, Policy, Trace } from '../api/types';
import { POLICIES } from '../api/types';
import { arrivalEdges, endpointsCsv } from '../graph/exports';
import { CATEGORY_COLOURS, indexFlow, initialExpanded, nodeTip, toElements, toggleExpanded, visibleGraph } from '../graph/flow';
import { formatBtc } from '../util/format';
import { href } from '../util/route';
import { download, slug } from './Download';
import { EndpointsTable } from './EndpointsTable';
import { FlowGraph, type FlowGraphHandle } from './FlowGraph';
import { Timeline } from './Timeline';

/** Below this many nodes the whole trace is shown at once; above, the first hops only. */
const SHOW_ALL_BELOW = 150;
const INITIAL_DEPTH = 3;

const POLICY_HELP: Record<Policy, string> = {
  poison: 'any tainted input taints every output in full (upper bound)',
  haircut: 'outputs carry the tainted share of the inputs, pro rata',
  fifo: 'first in, first out: satoshis keep their order through each transaction',
};

interface Props {
  trace: Trace;
  /** The policy asked for (the radio buttons); the figures are those of `trace.policy`. */
  policy: Policy;
  onPolicy: (p: Policy) => void;
  /** True while a new policy's trace is loading (the old one stays on screen). */
  switching: boolean;
  notes: Record<string, string>;
  onNote: (nodeId: string, text: string) => void;
  /** Extra controls in the toolbar (save case...). */
  actions?: ReactNode;
  minBtc: number;
  maxHop: number | null;
  onFilter: (minBtc: number, maxHop: number | null) => void;
}

export function TraceView({ trace, policy, onPolicy, switching, notes, onNote, actions, minBtc, maxHop, onFilter }: Props) {
  const index = useMemo(() => indexFlow(trace), [trace]);
  const [expanded, setExpanded] = useState<Set<string>>(() =>
    trace.nodes.length < SHOW_ALL_BELOW ? new Set(trace.nodes.map((n) => n.id)) : initialExpanded(index, INITIAL_DEPTH),
  );
  const [selected, setSelected] = useState<string | null>(null);
  const [requestedAt, setRequestedAt] = useState(() => performance.now());
  const [layoutKey, setLayoutKey] = useState(0);
  /** A change that needs the whole graph laid out again. */
  function relayout() {
    setRequestedAt(performance.now());
    setLayoutKey((k) => k + 1);
  }
  const [render, setRender] = useState<{ ms: number; nodes: number; first: boolean; count: number } | null>(null);
  const firstDone = useRef(false);
  const graph = useRef<FlowGraphHandle | null>(null);

  // A new trace (policy switch): keep what was expanded where the node still exists.
  const prevTrace = useRef(trace);
  useEffect(() => {
    if (prevTrace.current === trace) return;
    prevTrace.current = trace;
    setExpanded((old) => {
      if (trace.nodes.length < SHOW_ALL_BELOW) return new Set(trace.nodes.map((n) => n.id));
      const keep = new Set([...old].filter((id) => index.nodes.has(id)));
      return keep.size > 0 ? keep : initialExpanded(index, INITIAL_DEPTH);
    });
    setRequestedAt(performance.now());
    setLayoutKey((k) => k + 1);
  }, [trace, index]);

  const hopLimit = maxHop ?? index.maxHop;
  const visible = useMemo(
    () => visibleGraph(index, { expanded, minSat: Math.round(minBtc * 1e8), maxHop: hopLimit }),
    [index, expanded, minBtc, hopLimit],
  );
  const noteMap = useMemo(() => new Map(Object.entries(notes)), [notes]);
  const elements = useMemo(() => toElements(visible, index.maxEdgeSat, noteMap), [visible, index, noteMap]);

  function toggle(id: string) {
    setRequestedAt(performance.now());
    setExpanded((s) => toggleExpanded(s, id));
  }

  function onRendered(ms: number, nodes: number) {
    const first = !firstDone.current;
    if (first) {
      firstDone.current = true;
      performance.mark('lh:graph-ready');
    }
    setRender((r) => ({ ms, nodes, first, count: (r?.count ?? 0) + 1 }));
  }

  function pickEndpoint(e: Endpoint) {
    const id = e.nodeIds.find((n) => visible.nodes.some((v) => v.id === n)) ?? e.nodeIds[0];
    if (id) setSelected(id);
  }

  const [find, setFind] = useState('');
  const [findMsg, setFindMsg] = useState('');
  /** Selects the first visible node whose label, id or address contains the text. */
  function onFind() {
    const q = find.trim().toLowerCase();
    if (q === '') return;
    const match = (n: (typeof trace.nodes)[number]) =>
      n.label.toLowerCase().includes(q) || n.id.toLowerCase() === q || (n.ref?.id.toLowerCase().includes(q) ?? false);
    const hit = visible.nodes.find(match);
    if (hit) {
      setSelected(hit.id);
      setFindMsg('');
    } else setFindMsg(trace.nodes.some(match) ? 'in the trace but hidden (collapsed or filtered)' : 'not in this trace');
  }

  const arrivals = useMemo(() => arrivalEdges(trace), [trace]);
  const sel = selected ? index.nodes.get(selected) : undefined;
  const base = slug(`${trace.title}-${trace.policy}`);
  const s = trace.summary;

  return (
    <div className="trace" data-testid="trace-view" aria-busy={switching}>
      <section className="summary" aria-label="Summary" data-testid="summary">
        <div>
          <span className="k">Policy</span>
          <span className="v" data-testid="summary-policy">
            {trace.policy}
          </span>
        </div>
        <div>
          <span className="k">Source</span>
          <span className="v">{formatBtc(s.sourceSat)} BTC</span>
        </div>
        <div>
          <span className="k">Traced to endpoints</span>
          <span className="v" data-testid="summary-endpoints">
            {formatBtc(s.endpointSat)} BTC
          </span>
        </div>
        <div>
          <span className="k">Unspent</span>
          <span className="v">{formatBtc(s.unspentSat)} BTC</span>
        </div>
        {s.mixedSat > 0 ? (
          <div>
            <span className="k">Through mixers</span>
            <span className="v">{formatBtc(s.mixedSat)} BTC</span>
          </div>
        ) : null}
        <div>
          <span className="k">Graph</span>
          <span className="v">
            {s.nodes} nodes · {s.edges} edges
          </span>
        </div>
      </section>

      {trace.narrative ? (
        <p className="narrative" data-testid="narrative">
          {trace.narrative}
        </p>
      ) : null}
      {trace.complete ? null : <p className="warn">A limit (hops, transactions or edges) stopped part of this trace: figures are a lower bound.</p>}
      {trace.policyDefinition ? <p className="muted policy-def">{trace.policyDefinition}</p> : null}

      <div className="toolbar no-print">
        <fieldset className="policy">
          <legend>Policy</legend>
          {POLICIES.map((p) => (
            <label key={p} title={POLICY_HELP[p]}>
              <input type="radio" name="policy" value={p} checked={policy === p} onChange={() => onPolicy(p)} /> {p}
            </label>
          ))}
          {switching ? (
            <span className="spinner" role="status" aria-label="Loading the trace for the new policy" />
          ) : null}
        </fieldset>
        <fieldset className="filters">
          <legend>Filters</legend>
          <label>
            Min value (BTC){' '}
            <input
              type="number"
              min={0}
              step="0.001"
              value={minBtc}
              data-testid="min-value"
              onChange={(e) => {
                relayout();
                onFilter(Math.max(0, Number(e.target.value) || 0), maxHop);
              }}
            />
          </label>
          <label>
            Max hop{' '}
            <input
              type="range"
              min={1}
              max={Math.max(1, index.maxHop)}
              value={hopLimit}
              data-testid="max-hop"
              onChange={(e) => {
                relayout();
                const h = Number(e.target.value);
                onFilter(minBtc, h >= index.maxHop ? null : h);
              }}
            />{' '}
            <output>{hopLimit}</output>
          </label>
          <button
            type="button"
            onClick={() => {
              relayout();
              setExpanded(new Set(trace.nodes.map((n) => n.id)));
            }}
          >
            Expand all
          </button>
          <button
            type="button"
            onClick={() => {
              relayout();
              setExpanded(initialExpanded(index, 1));
            }}
          >
            Collapse all
          </button>
        </fieldset>
        <form
          className="find"
          onSubmit={(e) => {
            e.preventDefault();
            onFind();
          }}
        >
          <fieldset>
            <legend>Find in graph</legend>
            <input
              type="search"
              value={find}
              onChange={(e) => setFind(e.target.value)}
              placeholder="label or address"
              aria-label="Find a node by label or address"
              data-testid="find-node"
            />
            <button type="submit">Find</button>
            <span role="status">{findMsg}</span>
          </fieldset>
        </form>
        <fieldset className="exports">
          <legend>Export</legend>
          <button type="button" onClick={() => graph.current && download(`${base}.png`, graph.current.png())}>
            PNG
          </button>
          <button type="button" onClick={() => graph.current && download(`${base}.svg`, graph.current.svg(), 'image/svg+xml')}>
            SVG
          </button>
          <button type="button" data-testid="export-csv" onClick={() => download(`${base}-endpoints.csv`, endpointsCsv(trace.endpoints, trace.policy), 'text/csv')}>
            Endpoints CSV
          </button>
          <button type="button" onClick={() => download(`${base}.json`, JSON.stringify(trace.raw, null, 2), 'application/json')}>
            Trace JSON
          </button>
          <button type="button" onClick={() => window.print()}>
            Print report
          </button>
          <button type="button" onClick={relayout} title="Lay the whole graph out again (dagre, left to right)">
            Re-layout
          </button>
        </fieldset>
        {actions}
      </div>

      <div className="legend">
        {Object.entries(CATEGORY_COLOURS).map(([k, c]) => (
          <span key={k}>
            <span className="swatch" style={{ background: c }} aria-hidden="true" /> {k}
          </span>
        ))}
        <span>⊕ = more hops hidden (click or Enter)</span>
        <span className="render-status" data-testid="render-status" data-ms={render?.ms.toFixed(1)} data-nodes={render?.nodes} data-count={render?.count ?? 0}>
          {render ? `${render.nodes} nodes drawn in ${render.ms.toFixed(0)} ms` : 'drawing…'}
        </span>
      </div>

      <div className="trace-main">
        <FlowGraph
          elements={elements}
          selected={selected}
          onSelect={setSelected}
          onToggle={toggle}
          onRendered={onRendered}
          handle={graph}
          requestedAt={requestedAt}
          layoutKey={layoutKey}
        />
        <aside className="side">
          {sel ? (
            <section className="node-panel" aria-label="Selected node" data-testid="node-panel">
              <h3>{sel.label}</h3>
              <pre className="tip">{nodeTip(sel)}</pre>
              <div className="row">
                {index.out.has(sel.id) ? (
                  <button type="button" onClick={() => toggle(sel.id)}>
                    {expanded.has(sel.id) ? 'Collapse next hops' : 'Expand next hops'}
                  </button>
                ) : null}
                {sel.ref && sel.ref.type !== 'actor' ? <a href={href(sel.ref.type, sel.ref.id)}>Open {sel.ref.type} page</a> : null}
                {sel.ref && sel.ref.type === 'actor' ? <a href={href('actor', sel.ref.id)}>Open actor page</a> : null}
              </div>
              <NoteEditor key={sel.id} nodeId={sel.id} text={notes[sel.id] ?? ''} onSave={onNote} />
            </section>
          ) : (
            <p className="muted no-print">Select a node (click, or focus the graph and use the arrow keys) to see it, expand it, or annotate it.</p>
          )}
          <EndpointsTable endpoints={trace.endpoints} onPick={pickEndpoint} />
        </aside>
      </div>

      <section aria-label="Timeline" className="timeline-box">
        <h3>Traced value reaching endpoints over time</h3>
        <Timeline edges={arrivals} />
      </section>

      {Object.keys(notes).length > 0 ? (
        <section className="notes" aria-label="Notes">
          <h3>Notes</h3>
          <ul>
            {Object.entries(notes).map(([id, text]) => (
              <li key={id}>
                <button type="button" className="linklike" onClick={() => setSelected(id)}>
                  {index.nodes.get(id)?.label ?? id}
                </button>
                : {text}
              </li>
            ))}
          </ul>
        </section>
      ) : null}
    </div>
  );
}

function NoteEditor({ nodeId, text, onSave }: { nodeId: string; text: string; onSave: (id: string, t: string) => void }) {
  const [draft, setDraft] = useState(text);
  return (
    <form
      className="note"
      onSubmit={(e) => {
        e.preventDefault();
        onSave(nodeId, draft.trim());
      }}
    >
      <label>
        Note
        <textarea value={draft} rows={3} maxLength={2000} onChange={(e) => setDraft(e.target.value)} data-testid="note-text" />
      </label>
      <button type="submit">Save note</button>
    </form>
  );
}
