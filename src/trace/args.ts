/**
 * Checks of trace arguments shared by the CLI and the API: outpoints, hop limits, values, horizons.
 * Each failure is a UsageError naming the argument and what was wrong with it.
 */
import { UsageError } from '../core/index.js';
import { MAX_HOPS_LIMIT } from './walkTypes.js';

/** A `--from` argument: a txid, optionally with one output index. */
export interface FromArg {
  txid: string;
  vout: number | null;
  /** The argument as given (for messages). */
  text: string;
}

/**
 * Parses `TXID[:VOUT]`.
 * @throws UsageError when the txid is not 64 hex characters or the vout is not a non-negative integer.
 * @example parseFromArg('4a5e…da33b:0') // { txid: '4a5e…da33b', vout: 0 }
 */
export function parseFromArg(text: string): FromArg {
  const s = text.trim();
  const colon = s.indexOf(':');
  const txid = (colon < 0 ? s : s.slice(0, colon)).toLowerCase();
  if (txid.length !== 64) {
    throw new UsageError(`--from ${text}: a txid is 64 hex characters, got ${txid.length}`, { from: text, field: 'txid' }, 'pass TXID or TXID:VOUT');
  }
  const bad = txid.search(/[^0-9a-f]/);
  if (bad >= 0) {
    throw new UsageError(`--from ${text}: txid is not hex (character "${txid[bad]}" at position ${bad})`, { from: text, field: 'txid', position: bad });
  }
  if (colon < 0) return { txid, vout: null, text };
  const v = s.slice(colon + 1);
  if (!/^\d{1,10}$/.test(v) || Number(v) > 0xffffffff) {
    throw new UsageError(`--from ${text}: output index "${v}" is not a non-negative integer`, { from: text, field: 'vout' });
  }
  return { txid, vout: Number(v), text };
}

/**
 * Parses `--max-hops`.
 * @throws UsageError unless it is an integer from 1 to MAX_HOPS_LIMIT.
 */
export function parseMaxHops(text: string | number): number {
  const n = typeof text === 'number' ? text : /^\s*-?\d+\s*$/.test(text) ? Number(text) : Number.NaN;
  if (!Number.isInteger(n) || n < 1 || n > MAX_HOPS_LIMIT) {
    throw new UsageError(
      `--max-hops must be an integer from 1 to ${MAX_HOPS_LIMIT}, got ${JSON.stringify(String(text))}`,
      { maxHops: String(text) },
      'a hop is one transaction; 10 covers a typical laundering path, 1000 a long peel chain',
    );
  }
  return n;
}

/** Parses a non-negative integer option (sats, counts). @throws UsageError naming the option. */
export function parseCount(option: string, text: string | number, min = 0): number {
  const n = typeof text === 'number' ? text : /^\s*\d+\s*$/.test(text) ? Number(text) : Number.NaN;
  if (!Number.isSafeInteger(n) || n < min) {
    throw new UsageError(`${option} must be an integer ≥ ${min}, got ${JSON.stringify(String(text))}`, { option, value: String(text) });
  }
  return n;
}

/**
 * Parses `--until DATE|HEIGHT`: a block height (digits) or a date/time (YYYY-MM-DD, ISO-8601; UTC when no zone).
 * @throws UsageError when it is neither.
 */
export function parseUntil(text: string): { height: number | null; timeSec: number | null } {
  const s = text.trim();
  if (/^\d{1,9}$/.test(s)) return { height: Number(s), timeSec: null };
  if (/^\d{4}-\d{2}-\d{2}([T ][\d:.]+(Z|[+-]\d{2}:?\d{2})?)?$/.test(s)) {
    const iso = s.length === 10 ? `${s}T23:59:59Z` : /Z|[+-]\d{2}:?\d{2}$/.test(s) ? s.replace(' ', 'T') : `${s.replace(' ', 'T')}Z`;
    const ms = Date.parse(iso);
    if (Number.isFinite(ms)) return { height: null, timeSec: Math.floor(ms / 1000) };
  }
  throw new UsageError(`--until ${JSON.stringify(text)} is neither a block height nor a date`, { until: text }, 'use a height (e.g. 840000) or a date (e.g. 2024-04-20 or 2024-04-20T12:00:00Z)');
}
