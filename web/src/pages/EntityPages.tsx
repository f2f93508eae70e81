/** Address, cluster, transaction and actor pages. */
import { useApi } from '../api/client';
import { getActor, getAddress, getAddressTxs, getCluster, getClusterTxs, getTx, type TxIo } from '../api/endpoints';
import { Facts, Labels, RiskBreakdown, TxTable } from '../components/Facts';
import { Async } from '../components/Status';
import { formatBtc, formatTime } from '../util/format';
import { href } from '../util/route';

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
            <Facts
              rows={[
                ['Balance', a.balanceSat !== null ? `${formatBtc(a.balanceSat)} BTC` : null],
                ['Received', a.receivedSat !== null ? `${formatBtc(a.receivedSat)} BTC` : null],
                ['Sent', a.sentSat !== null ? `${formatBtc(a.sentSat)} BTC` : null],
                ['Transactions', a.txCount],
                ['First seen', formatTime(a.firstTime)],
                ['Last seen', formatTime(a.lastTime)],
                [
                  'Cluster',
                  a.cluster ? (
                    <a key="cluster" href={href('cluster', a.cluster.id)} data-testid="cluster-link">
                      {a.cluster.name ?? `cluster ${a.cluster.id}`}
                      {a.cluster.size !== null ? ` (${a.cluster.size} addresses)` : ''}
                    </a>
                  ) : null,
                ],
              ]}
            />
            <Labels labels={a.labels} />
            <RiskBreakdown risk={a.risk} />
          </>
        )}
      </Async>
      <TxTable keyPrefix={`address-txs|${id}`} load={(page, s) => getAddressTxs(id, page, s)} />
    </article>
  );
}

export function ClusterPage({ id }: { id: string }) {
  const req = useApi(`cluster|${id}`, (s) => getCluster(id, s));
  return (
    <article className="page cluster">
      <Async req={req} what="the cluster">
        {(c) => (
          <>
            <h1 data-testid="cluster-title">{c.name ? `${c.name} (cluster ${c.id})` : `Cluster ${c.id}`}</h1>
            <Facts
              rows={[
                ['Addresses', c.size],
                ['Balance', c.balanceSat !== null ? `${formatBtc(c.balanceSat)} BTC` : null],
                ['Transactions', c.txCount],
                ['Heuristics', c.heuristics.join(', ')],
              ]}
            />
            <Labels labels={c.labels} />
            <RiskBreakdown risk={c.risk} />
            {c.addresses.length > 0 ? (
              <section aria-label="Addresses">
                <h3>Addresses{c.size !== null && c.size > c.addresses.length ? ` (first ${c.addresses.length} of ${c.size})` : ''}</h3>
                <ul className="addr-list">
                  {c.addresses.map((a) => (
                    <li key={a}>
                      <a className="mono" href={href('address', a)}>
                        {a}
                      </a>
                    </li>
                  ))}
                </ul>
              </section>
            ) : null}
          </>
        )}
      </Async>
      <TxTable keyPrefix={`cluster-txs|${id}`} load={(page, s) => getClusterTxs(id, page, s)} />
    </article>
  );
}

function IoList({ items, title }: { items: TxIo[]; title: string }) {
  return (
    <section aria-label={title}>
      <h3>{title}</h3>
      <ul className="io">
        {items.map((io, i) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: inputs/outputs are positional.
          <li key={i}>
            {io.address ? (
              <a className="mono" href={href('address', io.address)}>
                {io.address}
              </a>
            ) : (
              <span className="muted">(no address)</span>
            )}{' '}
            <span className="num">{formatBtc(io.valueSat)} BTC</span>
            {io.labels.map((l) => (
              <span key={l.label} className="tag">
                {l.label}
              </span>
            ))}
          </li>
        ))}
      </ul>
    </section>
  );
}

export function TxPage({ id }: { id: string }) {
  const req = useApi(`tx|${id}`, (s) => getTx(id, s));
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
              ]}
            />
            <div className="cols">
              <IoList items={t.inputs} title={`Inputs (${t.inputs.length})`} />
              <IoList items={t.outputs} title={`Outputs (${t.outputs.length})`} />
            </div>
            <RiskBreakdown risk={t.risk} />
          </>
        )}
      </Async>
    </article>
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
                ['Total attributed value', a.totalAttributedSat !== null ? `${formatBtc(a.totalAttributedSat)} BTC` : null],
              ]}
            />
            {a.description ? <p>{a.description}</p> : null}
            <section aria-label="Sanctions">
              <h3>Sanctions listings</h3>
              {a.sanctions.length === 0 ? (
                <p className="muted">None recorded.</p>
              ) : (
                <ul>
                  {a.sanctions.map((s) => (
                    <li key={`${s.program}|${s.listing}`}>
                      {s.url ? (
                        <a href={s.url} target="_blank" rel="noreferrer noopener">
                          {s.listing}
                        </a>
                      ) : (
                        s.listing
                      )}
                      {s.program ? ` (${s.program})` : ''}
                    </li>
                  ))}
                </ul>
              )}
            </section>
            <section aria-label="Incidents">
              <h3>Attributed incidents</h3>
              {a.incidents.length === 0 ? (
                <p className="muted">None recorded.</p>
              ) : (
                <ul>
                  {a.incidents.map((i) => (
                    <li key={i.id}>
                      <a href={href('incident', i.id)}>{i.name}</a>
                      {i.date ? ` · ${i.date}` : ''}
                      {i.amountSat !== null ? ` · ${formatBtc(i.amountSat)} BTC` : ''}
                    </li>
                  ))}
                </ul>
              )}
            </section>
            <section aria-label="Clusters">
              <h3>Attributed clusters</h3>
              {a.clusters.length === 0 ? (
                <p className="muted">None recorded.</p>
              ) : (
                <ul>
                  {a.clusters.map((c) => (
                    <li key={c.id}>
                      <a href={href('cluster', c.id)}>{c.name ?? `cluster ${c.id}`}</a>
                      {c.size !== null ? ` (${c.size} addresses)` : ''}
                    </li>
                  ))}
                </ul>
              )}
            </section>
            {a.refs.length > 0 ? (
              <section aria-label="References">
                <h3>References</h3>
                <ul>
                  {a.refs.map((r, i) => (
                    // biome-ignore lint/suspicious/noArrayIndexKey: references may repeat names.
                    <li key={i}>
                      {r.kind}:{' '}
                      {r.url ? (
                        <a href={r.url} target="_blank" rel="noreferrer noopener">
                          {r.name ?? r.url}
                        </a>
                      ) : (
                        (r.name ?? '—')
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
