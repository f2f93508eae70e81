/**
 * Hash routes (`#/incident/3?policy=fifo`): the server only has to serve index.html at `/`, and
 * every page has a URL an investigator can paste into a report.
 */
import { useEffect, useState } from 'react';

export type Route =
  | { page: 'home' }
  | { page: 'search'; q: string }
  | { page: 'incident'; id: string }
  | { page: 'address'; id: string }
  | { page: 'cluster'; id: string }
  | { page: 'tx'; id: string }
  | { page: 'actor'; id: string }
  | { page: 'case'; id: string }
  | { page: 'synthetic'; nodes: number }
  | { page: 'notfound'; path: string };

export interface Location {
  route: Route;
  params: URLSearchParams;
}

/** Parses a location hash into a route and its query parameters. */
export function parseHash(hash: string): Location {
  const h = hash.replace(/^#/, '') || '/';
  const qi = h.indexOf('?');
  const path = qi < 0 ? h : h.slice(0, qi);
  const params = new URLSearchParams(qi < 0 ? '' : h.slice(qi + 1));
  const parts = path.split('/').filter(Boolean).map(decodeURIComponent);
  const [a, b] = parts;
  let route: Route;
  if (parts.length === 0) route = { page: 'home' };
  else if (a === 'search') route = { page: 'search', q: params.get('q') ?? '' };
  else if (a === 'lab' && b === 'synthetic') route = { page: 'synthetic', nodes: Math.max(2, Math.min(20_000, Number(params.get('nodes')) || 2000)) };
  else if (b !== undefined && parts.length === 2 && (a === 'incident' || a === 'address' || a === 'cluster' || a === 'tx' || a === 'actor' || a === 'case'))
    route = { page: a, id: b };
  else route = { page: 'notfound', path };
  return { route, params };
}

/** The hash of a page: `href('address', 'bc1q…')` → `#/address/bc1q…`. */
export function href(page: string, id?: string, params?: Record<string, string>): string {
  let h = `#/${page}`;
  if (id !== undefined) h += `/${encodeURIComponent(id)}`;
  if (params && Object.keys(params).length > 0) h += `?${new URLSearchParams(params).toString()}`;
  return h;
}

/** The current location, updated on hash changes. */
export function useLocation(): Location {
  const [loc, setLoc] = useState(() => parseHash(window.location.hash));
  useEffect(() => {
    const on = () => setLoc(parseHash(window.location.hash));
    window.addEventListener('hashchange', on);
    return () => window.removeEventListener('hashchange', on);
  }, []);
  return loc;
}

/** Replaces one query parameter of the current hash without adding a history entry per keystroke. */
export function setParam(name: string, value: string | null): void {
  const h = window.location.hash.replace(/^#/, '') || '/';
  const qi = h.indexOf('?');
  const path = qi < 0 ? h : h.slice(0, qi);
  const params = new URLSearchParams(qi < 0 ? '' : h.slice(qi + 1));
  if (value === null) params.delete(name);
  else params.set(name, value);
  const q = params.toString();
  window.history.replaceState(null, '', `#${path}${q ? `?${q}` : ''}`);
  window.dispatchEvent(new HashChangeEvent('hashchange'));
}
