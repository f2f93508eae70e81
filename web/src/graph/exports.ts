/** Export formats of the flow view: endpoints CSV and the timeline of traced value. */
import type { Endpoint, FlowEdge, Trace } from '../api/types';

/**
 * One CSV field (RFC 4180): quoted when it holds a comma, quote or line break. A field that a
 * spreadsheet would run as a formula (=, +, -, @, tab, CR at the start) gets a leading apostrophe
 * (OWASP "CSV injection"); plain negative numbers are left alone.
 */
export function csvField(v: string | number | null): string {
  if (v === null) return '';
  let s = String(v);
  if (typeof v === 'string' && /^[=+\-@\t\r]/.test(s) && !/^-?\d+(\.\d+)?$/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** The endpoints table as CSV (header line first, CRLF line ends as RFC 4180 says). */
export function endpointsCsv(endpoints: readonly Endpoint[], policy: string): string {
  const rows: (string | number | null)[][] = [
    ['entity', 'category', 'label_category', 'traced_sat', 'traced_btc', 'first_time', 'last_time', 'policy', 'nodes'],
  ];
  for (const e of endpoints) {
    rows.push([
      e.entity,
      e.category,
      e.rawCategory,
      Math.round(e.tracedSat),
      (Math.round(e.tracedSat) / 1e8).toFixed(8),
      e.firstTime,
      e.lastTime,
      policy,
      e.nodeIds.join(' '),
    ]);
  }
  return `${rows.map((r) => r.map(csvField).join(',')).join('\r\n')}\r\n`;
}

/** One bar of the timeline. */
export interface TimeBucket {
  start: number;
  end: number;
  sat: number;
  /** Running total of traced value up to the end of this bucket. */
  cumulativeSat: number;
}

/**
 * Traced value moved per time bucket (edges with a time only), `count` equal buckets between the
 * first and the last dated edge. Empty when no edge has a time.
 */
export function timeline(edges: readonly FlowEdge[], count: number): TimeBucket[] {
  const pts: { t: number; sat: number }[] = [];
  for (const e of edges) {
    if (e.time === null) continue;
    const t = Date.parse(e.time);
    if (!Number.isNaN(t)) pts.push({ t, sat: e.tracedSat });
  }
  if (pts.length === 0 || count < 1) return [];
  let lo = Number.POSITIVE_INFINITY;
  let hi = Number.NEGATIVE_INFINITY;
  for (const p of pts) {
    if (p.t < lo) lo = p.t;
    if (p.t > hi) hi = p.t;
  }
  // One instant: one bucket of a minute, so the chart still has a width.
  const span = hi > lo ? hi - lo : 60_000;
  const step = span / count;
  const buckets: TimeBucket[] = [];
  for (let i = 0; i < count; i++) buckets.push({ start: lo + i * step, end: lo + (i + 1) * step, sat: 0, cumulativeSat: 0 });
  for (const p of pts) {
    const i = Math.min(count - 1, Math.floor((p.t - lo) / step));
    (buckets[i] as TimeBucket).sat += p.sat;
  }
  let run = 0;
  for (const b of buckets) {
    run += b.sat;
    b.cumulativeSat = run;
  }
  return buckets;
}

/**
 * The edges that bring traced value to where the trace ends (entities such as exchanges, and
 * addresses the walk did not follow further): each traced satoshi is counted once, when it arrives,
 * unlike the sum over all edges, which counts the same coins again at every hop.
 */
export function arrivalEdges(trace: Pick<Trace, 'nodes' | 'edges'>): FlowEdge[] {
  const ends = new Set(trace.nodes.filter((n) => n.endpoint).map((n) => n.id));
  return trace.edges.filter((e) => ends.has(e.target));
}
