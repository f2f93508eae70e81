/** Start page (incidents and cases), search results, and the synthetic-graph lab. */
import { useMemo, useState } from 'react';
import { hasCases, useCapabilities } from '../api/capabilities';
import { useApi } from '../api/client';
import { listCases, listIncidents, search } from '../api/endpoints';
import { readTrace } from '../api/read';
import type { Policy, SearchHit } from '../api/types';
import { Async } from '../components/Status';
import { TraceView } from '../components/TraceView';
import { syntheticTrace } from '../graph/synthetic';
import { href } from '../util/route';

function CaseList() {
  const cases = useApi('cases', listCases);
  return (
    <Async req={cases} what="cases">
      {(list) =>
        list.length === 0 ? (
          <p className="muted">No saved cases yet: annotate a trace and press “Save as case”.</p>
        ) : (
          <ul>
            {list.map((c) => (
              <li key={c.id}>
                <a href={href('case', c.id)}>{c.title}</a> · {Object.keys(c.notes).length} notes · {c.policy}
              </li>
            ))}
          </ul>
        )
      }
    </Async>
  );
}

export function HomePage() {
  const incidents = useApi('incidents', listIncidents);
  const caps = useCapabilities();
  return (
    <article className="page home">
      <h1>Investigations</h1>
      <section aria-label="Incidents">
        <h2>Incidents</h2>
        <Async req={incidents} what="incidents">
          {(list) =>
            list.length === 0 ? (
              <p className="muted">No incidents loaded. Import incident labels (ledgerhound labels import) to trace a theft.</p>
            ) : (
              <ul className="incident-list" data-testid="incident-list">
                {list.map((i) => (
                  <li key={i.id}>
                    <a href={href('incident', i.id)}>{i.name}</a>
                    {i.date ? ` · ${i.date}` : ''}
                    {i.amount ? ` · ${i.amount}` : ''}
                    {i.actor ? (
                      <>
                        {' · '}
                        <a href={href('actor', i.actor.id)}>{i.actor.name}</a>
                      </>
                    ) : null}
                  </li>
                ))}
              </ul>
            )
          }
        </Async>
      </section>
      <section aria-label="Cases">
        <h2>Saved cases</h2>
        {caps === null ? null : hasCases(caps) ? (
          <CaseList />
        ) : (
          <p className="muted">This server does not store cases (no /v1/cases routes); notes stay in this page until it is closed.</p>
        )}
      </section>
    </article>
  );
}

const HIT_LABEL: Record<SearchHit['type'], string> = {
  address: 'Address',
  tx: 'Transaction',
  cluster: 'Cluster',
  actor: 'Actor',
  incident: 'Incident',
  label: 'Label',
};

function hitHref(h: SearchHit): string {
  return h.type === 'label' ? href('search', undefined, { q: h.id }) : href(h.type, h.id);
}

export function SearchPage({ q }: { q: string }) {
  const req = useApi(q.trim() === '' ? null : `search|${q}`, (s) => search(q.trim(), s));
  if (q.trim() === '') return <p className="muted">Type an address, transaction id, cluster id, actor, incident or label in the search box.</p>;
  return (
    <article className="page search">
      <h1>Results for “{q}”</h1>
      <Async req={req} what="search results">
        {(hits) =>
          hits.length === 0 ? (
            <p className="muted">Nothing matches “{q}”.</p>
          ) : (
            <ul className="hits" data-testid="search-results">
              {hits.map((h) => (
                <li key={`${h.type}|${h.id}`}>
                  <span className="hit-type">{HIT_LABEL[h.type]}</span> <a href={hitHref(h)}>{h.title}</a>
                  {h.detail ? <span className="muted"> · {h.detail}</span> : null}
                </li>
              ))}
            </ul>
          )
        }
      </Async>
    </article>
  );
}

/** A generated trace of N nodes, drawn in the browser (no server involved): for measuring the flow view. */
export function SyntheticPage({ nodes }: { nodes: number }) {
  const [policy, setPolicy] = useState<Policy>('poison');
  const trace = useMemo(() => readTrace(syntheticTrace(nodes, policy)), [nodes, policy]);
  const [notes, setNotes] = useState<Record<string, string>>({});
  const [filter, setFilter] = useState<{ min: number; hop: number | null }>({ min: 0, hop: null });
  return (
    <article className="page synthetic">
      <h1>{trace.title}</h1>
      <p className="muted">Generated in the browser to measure the flow view on large graphs; not chain data.</p>
      <TraceView
        trace={trace}
        policy={policy}
        onPolicy={setPolicy}
        switching={false}
        notes={notes}
        onNote={(id, t) => setNotes((n) => ({ ...n, [id]: t }))}
        minBtc={filter.min}
        maxHop={filter.hop}
        onFilter={(min, hop) => setFilter({ min, hop })}
      />
    </article>
  );
}
