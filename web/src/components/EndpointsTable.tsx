/** Where the traced coins ended up, grouped by entity; a row selects the entity's nodes. */
import type { Endpoint } from '../api/types';
import { CATEGORY_COLOURS } from '../graph/flow';
import { formatBtc, formatTime } from '../util/format';
import { href } from '../util/route';

export function EndpointsTable({ endpoints, onPick }: { endpoints: readonly Endpoint[]; onPick: (e: Endpoint) => void }) {
  if (endpoints.length === 0) return <p className="muted">No endpoints: the trace reached no exchange, service or unspent output.</p>;
  const total = endpoints.reduce((a, e) => a + e.tracedSat, 0);
  return (
    <table className="endpoints" data-testid="endpoints">
      <caption>Endpoints ({endpoints.length})</caption>
      <thead>
        <tr>
          <th scope="col">Entity</th>
          <th scope="col">Category</th>
          <th scope="col" className="num">
            Traced BTC
          </th>
          <th scope="col">First</th>
          <th scope="col">Last</th>
        </tr>
      </thead>
      <tbody>
        {endpoints.map((e) => (
          <tr key={`${e.entity}|${e.nodeIds.join(',')}`}>
            <td>
              <button type="button" className="linklike" onClick={() => onPick(e)} title="Select in the graph">
                {e.entity}
              </button>
              {e.ref && e.ref.type !== 'tx' ? (
                <a className="goto" href={href(e.ref.type, e.ref.id)} aria-label={`Open ${e.entity}`}>
                  ↗
                </a>
              ) : null}
            </td>
            <td>
              <span className="swatch" style={{ background: CATEGORY_COLOURS[e.category] }} aria-hidden="true" /> {e.rawCategory ?? e.category}
            </td>
            <td className="num">{formatBtc(e.tracedSat)}</td>
            <td>{formatTime(e.firstTime)}</td>
            <td>{formatTime(e.lastTime)}</td>
          </tr>
        ))}
      </tbody>
      <tfoot>
        <tr>
          <th scope="row" colSpan={2}>
            Total
          </th>
          <td className="num">{formatBtc(total)}</td>
          <td colSpan={2} />
        </tr>
      </tfoot>
    </table>
  );
}
