/** Address, cluster, transaction and actor pages. */
import { useState } from 'react';
import { useApi } from '../api/client';
import {
  type ActorInfo,
  getActor,
  getAddress,
  getAddressTxs,
  getCluster,
  getClusterAddresses,
  getIncident,
  getLabelsOf,
  getTx,
  type IncidentSummary,
  listIncidents,
  screenTx,
  type TxIo,
  type TxRiskSide,
} from '../api/endpoints';
import type { Label } from '../api/types';
import { Facts, Labels, Pager, RiskBreakdown, TxTable } from '../components/Facts';
import { Async } from '../components/Status';
import { formatBtc, formatTime } from '../util/format';
import { href } from '../util/route';

/** The labels of an address's cluster: how an unlabelled deposit address is attributed to its exchange. */
function ClusterLabels({ id }: { id: string }) {
  const req = useApi(`cluster|${id}`, (s) => getCluster(id, s));
  return (
    <Async req={req} what="the cluster's labels">
      {(c) => <Labels labels={c.labels} caption={`Labels of its cluster (${c.size ?? '?'} addresses, attributed by clustering)`} testId="cluster-labels" />}
    </Async>
  );
}

export function AddressPage({ id }: { id: string }) {
  const req = useApi(`address|${id}`, (s) => getAddress(id, s));
  return (
    <article className="page address">
      <h1>
        Address <span className="mono">{id}</span>
      </h1>
      <Async req={req} what="the address">
        {(a) => (
          <>
            {a.seen ? null : <p className="warn">This address never appears in the stored chain; only labels match it.</p>}
            <Facts
              rows={[
                ['Type', a.type],
                ['Balance', a.balanceSat !== null ? `${formatBtc(a.balanceSat)} BTC` : null],
                ['Received', a.receivedSat !== null ? `${formatBtc(a.receivedSat)} BTC` : null],
                ['Sent', a.sentSat !== null ? `${formatBtc(a.sentSat)} BTC` : null],
                ['Transactions', a.txCount],
                ['First seen (height)', a.firstSeenHeight],
                ['Last seen (height)', a.lastSeenHeight],
                [
                  'Cluster',
                  a.cluster ? (
                    <a key="cluster" href={href('cluster', a.cluster.id)} data-testid="cluster-link">
                      cluster {a.cluster.id}
                      {a.cluster.size !== null ? ` (${a.cluster.size} addresses)` : ''}
                    </a>
                  ) : null,
                ],
              ]}
            />
            <Labels labels={a.labels} />
            {a.cluster ? <ClusterLabels id={a.cluster.id} /> : null}
            <RiskBreakdown risk={a.risk} />
          </>
        )}
      </Async>
      <TxTable keyPrefix={`address-txs|${id}`} load={(page, s) => getAddressTxs(id, page, s)} />
    </article>
  );
}

function ClusterAddresses({ id }: { id: string }) {
  const [page, setPage] = useState(1);
  const req = useApi(`cluster-addrs|${id}|${page}`, (s) => getClusterAddresses(id, page, s));
  return (
    <section aria-label="Addresses" data-testid="cluster-addresses">
      <h3>Addresses</h3>
      <Async req={req} what="the cluster's addresses">
        {(p) => (
          <>
            <table>
              <thead>
                <tr>
                  <th scope="col">Address</th>
                  <th scope="col" className="num">
                    First seen (height)
                  </th>
                  <th scope="col" className="num">
                    Last seen (height)
                  </th>
                </tr>
              </thead>
              <tbody>
                {p.items.map((a) => (
                  <tr key={a.address}>
                    <td>
                      <a className="mono" href={href('address', a.address)}>
                        {a.address}
                      </a>
                    </td>
                    <td className="num">{a.firstSeenHeight ?? '—'}</td>
                    <td className="num">{a.lastSeenHeight ?? '—'}</td>
                  </tr>
                ))}
              </tbody>
            </table>
            <Pager page={page} setPage={setPage} p={p} noun="addresses" />
          </>
        )}
      </Async>
    </section>
  );
}

export function ClusterPage({ id }: { id: string }) {
  const req = useApi(`cluster|${id}`, (s) => getCluster(id, s));
  return (
    <article className="page cluster">
      <h1 data-testid="cluster-title">Cluster {id}</h1>
      <Async req={req} what="the cluster">
        {(c) => (
          <>
            <Facts
              rows={[
                ['Addresses', c.size],
                ['Received', c.receivedSat !== null ? `${formatBtc(c.receivedSat)} BTC` : null],
                ['Balance', c.balanceSat !== null ? `${formatBtc(c.balanceSat)} BTC` : null],
              ]}
            />
            <Labels labels={c.labels} />
            <RiskBreakdown risk={c.risk} />
          </>
        )}
      </Async>
      <ClusterAddresses id={id} />
    </article>
  );
}

function IoList({ items, title, linkLabel, labels }: { items: TxIo[]; title: string; linkLabel: string; labels: ReadonlyMap<string, Label[]> | null }) {
  return (
    <section aria-label={title}>
      <h3>{title}</h3>
      <ul className="io">
        {items.map((io, i) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: inputs/outputs are positional.
          <li key={i}>
            <span className="muted">#{i}</span>{' '}
            {io.address ? (
              <a className="mono" href={href('address', io.address)}>
                {io.address}
              </a>
            ) : (
              <span className="muted">(no address)</span>
            )}{' '}
            <span className="num">{io.valueSat !== null ? `${formatBtc(io.valueSat)} BTC` : '—'}</span>
            {io.link ? (
              <a className="goto" href={href('tx', io.link)} title={`${linkLabel} ${io.link}`}>
                {linkLabel} ↗
              </a>
            ) : null}
            {(io.address ? (labels?.get(io.address) ?? []) : []).map((l) => (
              <span key={`${l.label}|${l.source}`} className="tag" title={`${l.category ?? ''} · source: ${l.source ?? 'unknown'}${l.confidence ? ` · ${l.confidence}` : ''}`}>
                {l.label}
              </span>
            ))}
          </li>
        ))}
      </ul>
    </section>
  );
}

function RiskSide({ title, side }: { title: string; side: TxRiskSide | null }) {
  if (side === null) return null;
  return (
    <div>
      <h4>
        {title}: weighted score {side.weightedScore.toFixed(1)}, max {side.maxScore.toFixed(1)}
      </h4>
      {side.risky.length === 0 ? (
        <p className="muted">No risky counterparty.</p>
      ) : (
        <ul>
          {side.risky.map((c) => (
            <li key={c.address}>
              <a className="mono" href={href('address', c.address)}>
                {c.address}
              </a>{' '}
              {formatBtc(c.valueSat)} BTC · score {c.score.toFixed(1)} ({c.level})
              {c.risk && c.risk.items.length > 0 ? <span className="muted"> · {c.risk.items.map((r) => r.rule).join(', ')}</span> : null}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

/** Transaction screening on demand (each run is recorded in the server's audit log). */
function TxScreening({ txid }: { txid: string }) {
  const [run, setRun] = useState(0);
  const req = useApi(run === 0 ? null : `screen-tx|${txid}|${run}`, (s) => screenTx(txid, s));
  return (
    <section className="risk" aria-label="Transaction risk" data-testid="tx-risk">
      <h3>Risk</h3>
      {run === 0 ? (
        <button type="button" onClick={() => setRun(1)}>
          Screen this transaction (recorded in the audit log)
        </button>
      ) : (
        <Async req={req} what="the transaction's risk">
          {(r) => (
            <>
              <p>
                Score <span className="score">{r.score.toFixed(1)}</span> <span className={`level level-${r.level}`}>{r.level}</span>
              </p>
              <RiskSide title="Source of funds (inputs)" side={r.sourceOfFunds} />
              <RiskSide title="Destination (outputs)" side={r.destination} />
            </>
          )}
        </Async>
      )}
    </section>
  );
}

export function TxPage({ id }: { id: string }) {
  const req = useApi(`tx|${id}`, (s) => getTx(id, s));
  const addrs = req.data ? [...req.data.inputs, ...req.data.outputs].map((io) => io.address).filter((a): a is string => a !== null) : null;
  const labels = useApi(addrs === null ? null : `tx-labels|${id}`, (s) => getLabelsOf(addrs ?? [], s));
  return (
    <article className="page tx">
      <h1>
        Transaction <span className="mono">{id}</span>
      </h1>
      <Async req={req} what="the transaction">
        {(t) => (
          <>
            <Facts
              rows={[
                ['Height', t.height],
                ['Time', formatTime(t.time)],
                ['Fee', t.feeSat !== null ? `${formatBtc(t.feeSat)} BTC` : null],
                ['Virtual size', t.vsize !== null ? `${t.vsize} vB` : null],
                ['Coinbase', t.coinbase ? 'yes' : 'no'],
              ]}
            />
            {labels.state === 'error' ? <p className="warn">Labels could not be loaded: {labels.error.message}</p> : null}
            <div className="cols">
              <IoList items={t.inputs} title={`Inputs (${t.inputs.length})`} linkLabel="spent tx" labels={labels.data} />
              <IoList items={t.outputs} title={`Outputs (${t.outputs.length})`} linkLabel="spending tx" labels={labels.data} />
            </div>
            <TxScreening txid={t.txid} />
          </>
        )}
      </Async>
    </article>
  );
}

/** What is attributed to an actor: from the server when it says, else from the incident records. */
interface Attribution {
  incidents: IncidentSummary[];
  clusters: { id: string; size: number | null }[];
  totalAttributed: string | null;
}

async function attribution(a: ActorInfo, signal: AbortSignal): Promise<Attribution> {
  const list = await listIncidents(signal);
  // The incident list carries no actor: read each record (incidents are few).
  const details = await Promise.all(list.slice(0, 100).map((i) => getIncident(i.id, signal)));
  const mine = details.filter((i) => i.actor?.id === a.id);
  let clusters = a.clusters;
  if (clusters === null) {
    const seen = new Map<string, { id: string; size: number | null }>();
    const addrs = mine.flatMap((i) => i.addresses.filter((x) => !/victim/i.test(x.role)).map((x) => x.address)).slice(0, 50);
    const infos = await Promise.all(addrs.map((x) => getAddress(x, signal).catch(() => null)));
    for (const info of infos) if (info?.cluster) seen.set(info.cluster.id, info.cluster);
    clusters = [...seen.values()];
  }
  const btc = mine.map((i) => /^([\d.]+)\s*BTC$/i.exec(i.amount ?? '')).filter((m): m is RegExpExecArray => m !== null);
  const total =
    a.totalAttributedSat !== null
      ? `${formatBtc(a.totalAttributedSat)} BTC`
      : btc.length > 0
        ? `${formatBtc(Math.round(btc.reduce((s, m) => s + Number(m[1]), 0) * 1e8))} BTC (sum of ${btc.length} incident record${btc.length > 1 ? 's' : ''})`
        : null;
  return { incidents: mine, clusters, totalAttributed: total };
}

function ActorAttribution({ actor }: { actor: ActorInfo }) {
  const req = useApi(`actor-attr|${actor.id}`, (s) => attribution(actor, s));
  return (
    <Async req={req} what="attributed incidents and clusters">
      {(at) => (
        <>
          <Facts rows={[['Total attributed value', at.totalAttributed]]} />
          <section aria-label="Incidents">
            <h3>Attributed incidents</h3>
            {at.incidents.length === 0 ? (
              <p className="muted">None recorded.</p>
            ) : (
              <ul data-testid="actor-incidents">
                {at.incidents.map((i) => (
                  <li key={i.id}>
                    <a href={href('incident', i.id)}>{i.name}</a>
                    {i.date ? ` · ${i.date}` : ''}
                    {i.amount ? ` · ${i.amount}` : ''}
                  </li>
                ))}
              </ul>
            )}
          </section>
          <section aria-label="Clusters">
            <h3>Attributed clusters</h3>
            {at.clusters.length === 0 ? (
              <p className="muted">None recorded.</p>
            ) : (
              <ul>
                {at.clusters.map((c) => (
                  <li key={c.id}>
                    <a href={href('cluster', c.id)}>cluster {c.id}</a>
                    {c.size !== null ? ` (${c.size} addresses)` : ''}
                  </li>
                ))}
              </ul>
            )}
          </section>
        </>
      )}
    </Async>
  );
}

export function ActorPage({ id }: { id: string }) {
  const req = useApi(`actor|${id}`, (s) => getActor(id, s));
  return (
    <article className="page actor">
      <Async req={req} what="the actor">
        {(a) => (
          <>
            <h1 data-testid="actor-name">{a.name}</h1>
            <Facts
              rows={[
                ['Type', a.type],
                ['Aliases', a.aliases.join(', ')],
                ['Countries', a.countries.join(', ')],
                ['Categories', a.categories.join(', ')],
                ['Labelled addresses', a.tagCount],
                ['Sources', a.sources.join(', ')],
              ]}
            />
            {a.description ? <p>{a.description}</p> : null}
            <section aria-label="Sanctions">
              <h3>Sanctions listings</h3>
              {a.sanctions.length === 0 ? (
                <p className="muted">None recorded.</p>
              ) : (
                <ul data-testid="actor-sanctions">
                  {a.sanctions.map((s) => (
                    <li key={`${s.kind}|${s.name}`}>
                      {s.kind}:{' '}
                      {s.url ? (
                        <a href={s.url} target="_blank" rel="noreferrer noopener">
                          {s.name}
                        </a>
                      ) : (
                        s.name
                      )}
                    </li>
                  ))}
                </ul>
              )}
            </section>
            <ActorAttribution actor={a} />
            {a.refs.length > 0 ? (
              <section aria-label="References">
                <h3>References</h3>
                <ul>
                  {a.refs.map((r) => (
                    <li key={`${r.kind}|${r.name}|${r.url}`}>
                      {r.kind}:{' '}
                      {r.url ? (
                        <a href={r.url} target="_blank" rel="noreferrer noopener">
                          {r.name}
                        </a>
                      ) : (
                        r.name
                      )}
                    </li>
                  ))}
                </ul>
              </section>
            ) : null}
          </>
        )}
      </Async>
    </article>
  );
}
