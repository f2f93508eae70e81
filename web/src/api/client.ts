/**
 * HTTP access to `ledgerhound serve` (docs/API.md). Every call returns parsed JSON or throws
 * `ApiError` with the server's error code and message, so pages can show what went wrong.
 */
import { useCallback, useEffect, useRef, useState } from 'react';

/** Route prefix of the API (src/api/buildApp.ts, docs/API.md). */
export const API_BASE = '/v1';

const KEY_STORE = 'ledgerhound.apiKey';

/** The API key the user entered (kept in this browser's localStorage), or null. */
export function getApiKey(): string | null {
  try {
    return window.localStorage.getItem(KEY_STORE);
  } catch {
    return null;
  }
}

/** Stores (or with null, forgets) the API key sent as `X-API-Key`. */
export function setApiKey(key: string | null): void {
  try {
    if (key === null || key.trim() === '') window.localStorage.removeItem(KEY_STORE);
    else window.localStorage.setItem(KEY_STORE, key.trim());
  } catch {
    // Private mode without storage: the key lasts until the page is closed.
  }
  window.dispatchEvent(new Event('ledgerhound:apikey'));
}

/** A failed request: HTTP status, the server's error code and message (and hint, when it gives one). */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly hint: string | null = null,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

/** GET (or other method with a JSON body) under API_BASE. */
export async function apiJson(path: string, init: { method?: string; body?: unknown; signal?: AbortSignal } = {}): Promise<unknown> {
  let res: Response;
  const headers: Record<string, string> = { accept: 'application/json' };
  const key = getApiKey();
  if (key !== null) headers['x-api-key'] = key;
  const req: RequestInit = { method: init.method ?? 'GET', headers };
  if (init.signal) req.signal = init.signal;
  if (init.body !== undefined) {
    req.body = JSON.stringify(init.body);
    headers['content-type'] = 'application/json';
  }
  try {
    res = await fetch(`${API_BASE}${path}`, req);
  } catch (e) {
    if (e instanceof DOMException && e.name === 'AbortError') throw e;
    throw new ApiError(0, 'NETWORK', `cannot reach the server (${e instanceof Error ? e.message : String(e)})`);
  }
  const text = await res.text();
  let body: unknown = null;
  if (text !== '') {
    try {
      body = JSON.parse(text);
    } catch {
      throw new ApiError(res.status, 'BAD_RESPONSE', `${req.method} ${API_BASE}${path}: the server answered ${res.status} with non-JSON text`);
    }
  }
  if (!res.ok) {
    const err = typeof body === 'object' && body !== null ? (body as Record<string, unknown>) : {};
    const inner = typeof err.error === 'object' && err.error !== null ? (err.error as Record<string, unknown>) : err;
    const code = typeof inner.code === 'string' ? inner.code : `HTTP_${res.status}`;
    // RFC 9457 problem documents (src/api/problem.ts) carry `detail`; other shapes `message` or `error`.
    const msg =
      typeof inner.detail === 'string'
        ? inner.detail
        : typeof inner.message === 'string'
          ? inner.message
          : typeof err.error === 'string'
            ? err.error
            : res.statusText;
    const hint = typeof inner.hint === 'string' ? inner.hint : null;
    throw new ApiError(res.status, code, msg || `HTTP ${res.status}`, hint);
  }
  return body;
}

/** State of one request. */
export type Req<T> =
  | { state: 'loading'; data: T | null }
  | { state: 'error'; error: Error; data: T | null }
  | { state: 'ok'; data: T };

/**
 * Runs `load` whenever `key` changes (aborting the previous run) and returns its state plus a
 * `reload` function. `load` gets the JSON; reading it (and its contract errors) happens inside.
 */
export function useApi<T>(key: string | null, load: (signal: AbortSignal) => Promise<T>): Req<T> & { reload: () => void } {
  const [state, setState] = useState<Req<T>>({ state: 'loading', data: null });
  const [tick, setTick] = useState(0);
  const loadRef = useRef(load);
  loadRef.current = load;
  // biome-ignore lint/correctness/useExhaustiveDependencies: key and tick are the triggers; load is read from the ref.
  useEffect(() => {
    if (key === null) return;
    const ctl = new AbortController();
    setState((s) => ({ state: 'loading', data: s.data }));
    loadRef.current(ctl.signal).then(
      (data) => {
        if (!ctl.signal.aborted) setState({ state: 'ok', data });
      },
      (error: unknown) => {
        if (ctl.signal.aborted) return;
        setState((s) => ({ state: 'error', error: error instanceof Error ? error : new Error(String(error)), data: s.data }));
      },
    );
    return () => ctl.abort();
  }, [key, tick]);
  const reload = useCallback(() => setTick((t) => t + 1), []);
  return { ...state, reload };
}
