/** Building blocks of the address, cluster, transaction and actor pages. */
import { useState } from 'react';
import { useApi } from '../api/client';
import type { Label, Page, Risk, TxRow } from '../api/types';
import { formatBtc, formatTime } from '../util/format';
import { href } from '../util/route';
import { Async } from './Status';

/** Labels with where each comes from. */
export function Labels({ labels, caption = 'Labels', testId = 'labels' }: { labels: readonly Label[]; caption?: string; testId?: string }) {
  if (labels.length === 0) return <p className="muted" data-testid={`${testId}-none`}>No {caption.toLowerCase()}.</p>;
  return (
    <table className="labels" data-testid={testId}>
      <caption>{caption}</caption>
      <thead>
        <tr>
          <th scope="col">Label</th>
          <th scope="col">Category</th>
          <th scope="col">Actor</th>
          <th scope="col">Source</th>
          <th scope="col">Confidence</th>
        </tr>
      </thead>
      <tbody>
        {labels.map((l, i) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: the same label may come from two sources; order is the server's.
          <tr key={i}>
            <td>{l.label}</td>
            <td>{l.category ?? '—'}</td>
            <td>{l.actor ? <a href={href('actor', l.actor.id)}>{l.actor.name}</a> : '—'}</td>
            <td>
              {l.sourceUrl ? (
                <a href={l.sourceUrl} target="_blank" rel="noreferrer noopener">
                  {l.source ?? l.sourceUrl}
                </a>
              ) : (
                (l.source ?? '—')
              )}
            </td>
            <td>{l.confidence ?? '—'}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** A risk score and the rules behind it. */
export function RiskBreakdown({ risk }: { risk: Risk | null }) {
  if (risk === null) return <p className="muted">No risk assessment.</p>;
  return (
    <section className="risk" data-testid="risk" aria-label="Risk">
      <h3>
        Risk {risk.score !== null ? <span className="score">{risk.score}</span> : null} {risk.level ? <span className={`level level-${risk.level.toLowerCase()}`}>{risk.level}</span> : null}
      </h3>
      {risk.items.length === 0 ? (
        <p className="muted">No risk rules matched.</p>
      ) : (
        <ul>
          {risk.items.map((r, i) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: rules may repeat with different details.
            <li key={i}>
              <strong>{r.rule}</strong> (+{r.score}) {r.detail}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

/** Paginated transactions of an address or cluster. */
export function TxTable({ load, keyPrefix }: { load: (page: number, signal: AbortSignal) => Promise<Page<TxRow>>; keyPrefix: string }) {
  const [page, setPage] = useState(1);
  const req = useApi(`${keyPrefix}|${page}`, (s) => load(page, s));
  return (
    <section aria-label="Transactions" data-testid="txs">
      <h3>Transactions</h3>
      <Async req={req} what="transactions">
        {(p) => {
          return (
            <>
              {p.items.length === 0 ? (
                <p className="muted">No transactions.</p>
              ) : (
                <table className="txs">
                  <thead>
                    <tr>
                      <th scope="col">Transaction</th>
                      <th scope="col">Time</th>
                      <th scope="col" className="num">
                        Height
                      </th>
                      <th scope="col" className="num">
                        BTC
                      </th>
                    </tr>
                  </thead>
                  <tbody>
                    {p.items.map((t) => (
                      <tr key={t.txid}>
                        <td>
                          <a className="mono" href={href('tx', t.txid)}>
                            {t.txid.slice(0, 16)}…
                          </a>
                        </td>
                        <td>{formatTime(t.time)}</td>
                        <td className="num">{t.height ?? '—'}</td>
                        <td className={`num ${t.deltaSat !== null && t.deltaSat < 0 ? 'neg' : ''}`}>
                          {t.deltaSat !== null ? formatBtc(t.deltaSat) : t.valueSat !== null ? formatBtc(t.valueSat) : '—'}
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              )}
              <Pager page={page} setPage={setPage} p={p} noun="transactions" />
            </>
          );
        }}
      </Async>
    </section>
  );
}

/** Previous/next page controls with the page count when the total is known. */
export function Pager<T>({ page, setPage, p, noun }: { page: number; setPage: (n: number) => void; p: Page<T>; noun: string }) {
  const pages = p.total !== null && p.pageSize > 0 ? Math.max(1, Math.ceil(p.total / p.pageSize)) : null;
  return (
    <nav className="pager" aria-label={`Pages of ${noun}`}>
      <button type="button" disabled={page <= 1} onClick={() => setPage(page - 1)}>
        ← Previous
      </button>
      <span>
        Page {page}
        {pages !== null ? ` of ${pages}` : ''}
        {p.total !== null ? ` (${p.total} ${noun})` : ''}
      </span>
      <button type="button" disabled={pages !== null ? page >= pages : p.items.length < p.pageSize} onClick={() => setPage(page + 1)}>
        Next →
      </button>
    </nav>
  );
}

/** A definition list of facts, skipping unknown values. */
export function Facts({ rows }: { rows: [string, React.ReactNode][] }) {
  return (
    <dl className="facts">
      {rows.map(([k, v]) => (
        <div key={k}>
          <dt>{k}</dt>
          <dd>{v === null || v === undefined || v === '' ? '—' : v}</dd>
        </div>
      ))}
    </dl>
  );
}
