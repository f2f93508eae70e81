/** Traced value over time: bars per time bucket and the running total as a line (plain SVG). */
import type { FlowEdge } from '../api/types';
import { timeline } from '../graph/exports';
import { formatBtc } from '../util/format';

const W = 560;
const H = 150;
const PAD = { l: 76, r: 10, t: 10, b: 28 };

export function Timeline({ edges }: { edges: readonly FlowEdge[] }) {
  const buckets = timeline(edges, 30);
  if (buckets.length === 0) return <p className="muted">No dated arrivals to chart.</p>;
  const maxBar = Math.max(...buckets.map((b) => b.sat), 1);
  const maxCum = Math.max(buckets[buckets.length - 1]?.cumulativeSat ?? 1, 1);
  const iw = W - PAD.l - PAD.r;
  const ih = H - PAD.t - PAD.b;
  const bw = iw / buckets.length;
  const x = (i: number) => PAD.l + i * bw;
  const line = buckets.map((b, i) => `${i === 0 ? 'M' : 'L'}${(x(i) + bw).toFixed(1)},${(PAD.t + ih - (b.cumulativeSat / maxCum) * ih).toFixed(1)}`).join(' ');
  const first = buckets[0];
  const last = buckets[buckets.length - 1];
  const day = (t: number) => new Date(t).toISOString().slice(0, 16).replace('T', ' ');
  return (
    <svg className="timeline" viewBox={`0 0 ${W} ${H}`} role="img" aria-label={`Traced value over time, ${formatBtc(maxCum)} BTC in total`}>
      <title>Traced value arriving per period (bars) and running total (line)</title>
      <line x1={PAD.l} y1={PAD.t + ih} x2={W - PAD.r} y2={PAD.t + ih} stroke="#555" />
      <line x1={PAD.l} y1={PAD.t} x2={PAD.l} y2={PAD.t + ih} stroke="#555" />
      <text x={PAD.l - 4} y={PAD.t + 8} textAnchor="end" fontSize="9">
        {formatBtc(maxBar)}
      </text>
      <text x={PAD.l - 4} y={PAD.t + ih} textAnchor="end" fontSize="9">
        0
      </text>
      {buckets.map((b, i) => {
        const h = (b.sat / maxBar) * ih;
        return (
          <rect key={b.start} x={x(i) + 1} y={PAD.t + ih - h} width={Math.max(1, bw - 2)} height={h} fill="#56B4E9">
            <title>{`${day(b.start)} – ${day(b.end)}: ${formatBtc(b.sat)} BTC arrived, ${formatBtc(b.cumulativeSat)} BTC so far`}</title>
          </rect>
        );
      })}
      <path d={line} fill="none" stroke="#D55E00" strokeWidth="2" />
      <text x={PAD.l} y={H - 8} fontSize="9">
        {first ? day(first.start) : ''}
      </text>
      <text x={W - PAD.r} y={H - 8} fontSize="9" textAnchor="end">
        {last ? day(last.end) : ''}
      </text>
      <text x={W - PAD.r} y={PAD.t + 8} fontSize="9" textAnchor="end" fill="#D55E00">
        total {formatBtc(maxCum)} BTC
      </text>
    </svg>
  );
}
