/**
 * What the server offers, read once from its OpenAPI document (`GET /openapi.json`, no key needed), so
 * the UI offers only what works: a feature whose route is missing is explained, not requested (a 404
 * would also show up as a console error).
 */
import { useEffect, useState } from 'react';

/** "get /v1/cases", "post /v1/cases", "put /v1/cases/{id}" … */
export type Capabilities = ReadonlySet<string>;

let cached: Promise<Capabilities> | null = null;

/** Fetches the route list once per page load; an unreadable document means "assume nothing optional". */
export function loadCapabilities(): Promise<Capabilities> {
  cached ??= fetch('/openapi.json', { headers: { accept: 'application/json' } })
    .then((r) => (r.ok ? r.json() : { paths: {} }))
    .then((doc: unknown) => {
      const out = new Set<string>();
      const paths = typeof doc === 'object' && doc !== null ? (doc as { paths?: unknown }).paths : null;
      if (typeof paths === 'object' && paths !== null) {
        for (const [path, ops] of Object.entries(paths)) {
          if (typeof ops === 'object' && ops !== null) for (const m of Object.keys(ops)) out.add(`${m.toLowerCase()} ${path}`);
        }
      }
      return out;
    })
    .catch(() => new Set<string>());
  return cached;
}

/** The server's routes, or null while loading. */
export function useCapabilities(): Capabilities | null {
  const [caps, setCaps] = useState<Capabilities | null>(null);
  useEffect(() => {
    let live = true;
    void loadCapabilities().then((c) => {
      if (live) setCaps(c);
    });
    return () => {
      live = false;
    };
  }, []);
  return caps;
}

/** Whether the server stores cases (annotated investigations). */
export function hasCases(caps: Capabilities | null): boolean {
  return ['get /v1/cases', 'post /v1/cases', 'put /v1/cases/{id}'].every((r) => caps?.has(r) === true);
}
