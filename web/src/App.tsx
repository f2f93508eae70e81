/** The investigator UI: header with search, and the page for the current hash route. */
import { useEffect, useRef, useState } from 'react';
import { CasePage, IncidentPage } from './pages/IncidentPage';
import { ActorPage, AddressPage, ClusterPage, TxPage } from './pages/EntityPages';
import { HomePage, SearchPage, SyntheticPage } from './pages/Home';
import { href, type Location, useLocation } from './util/route';

function SearchBox({ initial }: { initial: string }) {
  const [q, setQ] = useState(initial);
  useEffect(() => setQ(initial), [initial]);
  return (
    <form
      aria-label="Search"
      className="searchbox"
      onSubmit={(e) => {
        e.preventDefault();
        if (q.trim() !== '') window.location.hash = href('search', undefined, { q: q.trim() });
      }}
    >
      <label htmlFor="q" className="sr-only">
        Search
      </label>
      <input
        id="q"
        type="search"
        value={q}
        onChange={(e) => setQ(e.target.value)}
        placeholder="Address, txid, cluster id, actor, incident or label"
        autoComplete="off"
        spellCheck={false}
        data-testid="search-input"
      />
      <button type="submit">Search</button>
    </form>
  );
}

function Page({ loc }: { loc: Location }) {
  const r = loc.route;
  switch (r.page) {
    case 'home':
      return <HomePage />;
    case 'search':
      return <SearchPage q={r.q} />;
    case 'incident':
      return <IncidentPage key={r.id} id={r.id} params={loc.params} />;
    case 'case':
      return <CasePage key={r.id} id={r.id} params={loc.params} />;
    case 'address':
      return <AddressPage key={r.id} id={r.id} />;
    case 'cluster':
      return <ClusterPage key={r.id} id={r.id} />;
    case 'tx':
      return <TxPage key={r.id} id={r.id} />;
    case 'actor':
      return <ActorPage key={r.id} id={r.id} />;
    case 'synthetic':
      return <SyntheticPage key={r.nodes} nodes={r.nodes} />;
    case 'notfound':
      return (
        <div className="error" role="alert">
          No page at “{r.path}”. <a href="#/">Go to the start page</a>.
        </div>
      );
  }
}

export function App() {
  const loc = useLocation();
  const main = useRef<HTMLElement>(null);
  const pageKey = window.location.hash.split('?')[0];
  // Move focus to the new page's content on navigation (keyboard and screen-reader users).
  // biome-ignore lint/correctness/useExhaustiveDependencies: runs when the page (not its query) changes.
  useEffect(() => {
    main.current?.focus({ preventScroll: true });
  }, [pageKey]);
  return (
    <>
      <button type="button" className="skip" onClick={() => main.current?.focus()}>
        Skip to content
      </button>
      <header className="top no-print">
        <a className="brand" href="#/">
          Ledgerhound
        </a>
        <SearchBox initial={loc.route.page === 'search' ? loc.route.q : ''} />
      </header>
      <main id="main" ref={main} tabIndex={-1}>
        <Page loc={loc} />
      </main>
    </>
  );
}
