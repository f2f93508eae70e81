/**
 * Errors as RFC 9457 problem documents (`application/problem+json`), from ONE place: every LedgerhoundError
 * code maps to an HTTP status here, fastify's own errors (validation, body parsing, media type, size) are
 * translated, and anything unexpected becomes a 500 that names no stack, file or internal message.
 */
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { LedgerhoundError } from '../core/index.js';

/** The body of every error response. */
export interface Problem {
  /** A URI naming the problem type (`about:blank` style; ours point into docs/API.md). */
  type: string;
  title: string;
  status: number;
  detail: string;
  /** The request path. */
  instance: string;
  /** Stable Ledgerhound code (LH_…), the same the CLI prints. */
  code: string;
  /** Structured facts (field, value, limit…); never paths or stacks. */
  details?: Record<string, unknown>;
}

/** LedgerhoundError code → HTTP status. Codes not listed: prefix rules in `statusForCode`, else 500. */
export const STATUS_BY_CODE: Readonly<Record<string, number>> = {
  LH_USAGE: 400,
  LH_VALIDATION: 400,
  LH_BAD_JSON: 400,
  LH_BAD_ADDRESS: 400,
  LH_BAD_TXID: 400,
  LH_BATCH_TOO_LARGE: 413,
  LH_BODY_TOO_LARGE: 413,
  LH_MEDIA_TYPE: 415,
  LH_AUTH_MISSING: 401,
  LH_AUTH_INVALID: 401,
  LH_AUTH_REVOKED: 401,
  LH_NOT_FOUND: 404,
  LH_ROUTE_NOT_FOUND: 404,
  LH_METHOD_NOT_ALLOWED: 405,
  LH_RATE_LIMITED: 429,
  LH_DB_LOCKED: 503,
  LH_DB_MISSING: 503,
  LH_DB_EMPTY: 503,
  LH_NOT_READY: 503,
  LH_SCREEN_NOT_PRECOMPUTED: 503,
};

const TITLES: Readonly<Record<number, string>> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  413: 'Content Too Large',
  415: 'Unsupported Media Type',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

/** The HTTP status for a Ledgerhound error code. Parse and label-input errors are the client's (400). */
export function statusForCode(code: string): number {
  const s = STATUS_BY_CODE[code];
  if (s !== undefined) return s;
  if (code.startsWith('LH_PARSE') || code.startsWith('LH_LABEL_INPUT') || code.startsWith('LH_BAD_')) return 400;
  if (code.endsWith('_NOT_FOUND')) return 404;
  return 500;
}

/** Builds a problem document for a status, code and message. */
export function problem(
  status: number,
  code: string,
  detail: string,
  instance: string,
  details?: Record<string, unknown>,
): Problem {
  const p: Problem = {
    type: `https://ledgerhound.dev/problems/${code.toLowerCase().replace(/^lh_/, '').replace(/_/g, '-')}`,
    title: TITLES[status] ?? 'Error',
    status,
    detail,
    instance,
    code,
  };
  if (details !== undefined && Object.keys(details).length > 0) p.details = details;
  return p;
}

/** Sends a problem document. */
export function sendProblem(reply: FastifyReply, p: Problem): FastifyReply {
  return reply.code(p.status).type('application/problem+json; charset=utf-8').send(p);
}

/** Strips anything that could leak the server's file system from structured details. */
function safeDetails(details: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(details)) {
    if (k === 'path' || k === 'file' || k === 'stack' || k === 'cause') continue;
    if (v === undefined) continue;
    if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean' || v === null) out[k] = v;
    else if (Array.isArray(v) && v.every((x) => typeof x === 'string' || typeof x === 'number')) out[k] = v.slice(0, 20);
  }
  return out;
}

/** fastify error codes (FST_ERR_*) → our code and status. */
function translateFastify(err: FastifyError): { status: number; code: string; detail: string; details?: Record<string, unknown> } | null {
  if (err.validation) {
    const first = err.validation[0];
    const where = err.validationContext ?? 'request';
    const field = first?.instancePath ? `${where}${first.instancePath.replace(/\//g, '.')}` : where;
    let detail = `${field} ${first?.message ?? 'is invalid'}`;
    const params = (first?.params ?? {}) as Record<string, unknown>;
    if (typeof params.additionalProperty === 'string') detail = `${field}: unknown field "${params.additionalProperty}"`;
    return { status: 400, code: 'LH_VALIDATION', detail, details: { field, rule: first?.keyword ?? 'schema' } };
  }
  switch (err.code) {
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return { status: 415, code: 'LH_MEDIA_TYPE', detail: 'the request body must be application/json' };
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return { status: 400, code: 'LH_BAD_JSON', detail: 'the request body is empty; send a JSON document' };
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
      return { status: 400, code: 'LH_BAD_JSON', detail: `the request body is not valid JSON: ${err.message}` };
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return { status: 413, code: 'LH_BODY_TOO_LARGE', detail: 'the request body is larger than the limit (1 MiB)' };
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return { status: 400, code: 'LH_BAD_REQUEST', detail: 'the Content-Length header does not match the body' };
    case 'FST_ERR_BAD_URL':
    case 'FST_ERR_ASYNC_CONSTRAINT':
      return { status: 400, code: 'LH_BAD_REQUEST', detail: 'the request URL is malformed' };
    default:
      break;
  }
  if (err instanceof SyntaxError || err.name === 'SyntaxError') {
    return { status: 400, code: 'LH_BAD_JSON', detail: `the request body is not valid JSON: ${err.message}` };
  }
  if (typeof err.statusCode === 'number' && err.statusCode >= 400 && err.statusCode < 500) {
    return { status: err.statusCode, code: 'LH_BAD_REQUEST', detail: err.message };
  }
  return null;
}

/**
 * Installs the one error handler and the 404 handler. Unexpected errors are logged once (with the stack,
 * server side) and answered with a 500 problem that says nothing about internals.
 */
export function installProblemHandlers(app: FastifyInstance): void {
  app.setErrorHandler((err: FastifyError, request: FastifyRequest, reply: FastifyReply) => {
    const instance = request.url.split('?')[0] ?? request.url;
    if (err instanceof LedgerhoundError) {
      const status = statusForCode(err.code);
      if (status >= 500) request.log.error({ err, code: err.code }, 'request failed');
      if (err.code === 'LH_RATE_LIMITED' && typeof err.details.retryAfterSec === 'number') {
        reply.header('retry-after', String(err.details.retryAfterSec));
      }
      if (status === 401) reply.header('www-authenticate', 'Bearer realm="ledgerhound"');
      const detail = status >= 500 && !(err.code in STATUS_BY_CODE) ? 'internal error (logged on the server)' : err.shortMessage;
      return sendProblem(reply, problem(status, err.code, detail, instance, status >= 500 ? undefined : safeDetails(err.details)));
    }
    const t = translateFastify(err);
    if (t) return sendProblem(reply, problem(t.status, t.code, t.detail, instance, t.details));
    request.log.error({ err }, 'unexpected error');
    return sendProblem(reply, problem(500, 'LH_INTERNAL', 'internal error (logged on the server)', instance));
  });
  app.setNotFoundHandler((request, reply) => {
    const instance = request.url.split('?')[0] ?? request.url;
    return sendProblem(reply, problem(404, 'LH_ROUTE_NOT_FOUND', `no route ${request.method} ${instance}`, instance));
  });
}
