/**
 * Screening routes (every answer names the rule set) and the compatibility route for clients of the free
 * sanctions-screening API (`GET /api/v1/address/{address}` → `{"identifications": [...]}`).
 * Every screening request is written to the audit log by the backend.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { LedgerhoundError } from '../../core/index.js';
import type { AddressRisk } from '../../screen/index.js';
import { traceResultJsonSchema } from '../../trace/index.js';
import type { ApiBackend, Caller } from '../backend.js';
import { addressParam, addressRiskSchema } from './schemas.js';

/** Largest batch of addresses in one request. */
export const MAX_BATCH = 1000;

export function callerOf(req: FastifyRequest): Caller {
  return { requestId: String(req.id), actor: req.principal.keyId, actorName: req.principal.name };
}

/** Serialised (UTF-8) parts of the address risk schema that many answers share (see addressRiskBody). */
const fragments = new WeakMap<object, Buffer>();
const P = addressRiskSchema.properties;
const NULL = Buffer.from('null');

/** fastify's serializer for `schema` (compiled once per schema object and cached by fastify). */
function serialize(reply: FastifyReply, value: unknown, schema: unknown): string {
  return reply.serializeInput(value as Record<string, unknown>, schema as Record<string, unknown>) as string;
}

function fragment(reply: FastifyReply, value: object | null, schema: unknown): Buffer {
  if (value === null) return NULL;
  let b = fragments.get(value);
  if (b === undefined) {
    b = Buffer.from(serialize(reply, value, schema), 'utf8');
    fragments.set(value, b);
  }
  return b;
}

/**
 * The JSON of an AddressRisk as UTF-8 bytes, byte for byte what fastify's compiled serializer makes of it
 * with `addressRiskSchema` (test/api/api.test.ts compares the two over every address of the test chain),
 * but with the parts shared by many answers serialised and encoded once: the ScreeningIndex hands out ONE
 * `indirect` and `cluster` object per cluster and one `ruleSet` object (immutable, replaced with the index
 * on a refresh; a WeakMap keyed by them forgets them with it). Those parts are most of the bytes.
 * A Buffer, not a string: fastify then takes Content-Length from its length instead of measuring the
 * UTF-8 length of a fresh string per answer (6.6 % of the serve process in the CPU profile under load),
 * and the socket write copies bytes instead of encoding. Property order is the schema's.
 */
export function addressRiskBody(reply: FastifyReply, r: AddressRisk): Buffer {
  const head = `{"address":${JSON.stringify(r.address)},"seen":${r.seen},"addressId":${r.addressId === null ? 'null' : Math.trunc(r.addressId)},"cluster":`;
  const mid = `,"score":${Math.trunc(r.score)},"level":${JSON.stringify(r.level)},"ruleSet":`;
  const direct = `,"direct":${r.direct.length === 0 ? '[]' : serialize(reply, r.direct, P.direct)},"indirect":`;
  const tail = `,"screenedThroughHeight":${Math.trunc(r.screenedThroughHeight)}}`;
  const cluster = fragment(reply, r.cluster, P.cluster);
  const ruleSet = fragment(reply, r.ruleSet, P.ruleSet);
  const indirect = fragment(reply, r.indirect, P.indirect);
  // The small per-answer pieces are measured and encoded; the shared fragments are copied.
  const nHead = Buffer.byteLength(head, 'utf8');
  const nMid = Buffer.byteLength(mid, 'utf8');
  const nDirect = Buffer.byteLength(direct, 'utf8');
  const nTail = Buffer.byteLength(tail, 'utf8');
  const out = Buffer.allocUnsafe(nHead + cluster.length + nMid + ruleSet.length + nDirect + indirect.length + nTail);
  let at = out.write(head, 0, nHead, 'utf8');
  at += cluster.copy(out, at);
  at += out.write(mid, at, nMid, 'utf8');
  at += ruleSet.copy(out, at);
  at += out.write(direct, at, nDirect, 'utf8');
  at += indirect.copy(out, at);
  out.write(tail, at, nTail, 'utf8');
  return out;
}

export function registerScreenRoutes(app: FastifyInstance, backend: ApiBackend): void {
  app.get<{ Params: { address: string } }>(
    '/v1/screen/address/:address',
    {
      schema: {
        summary: 'Risk of one address: score, level, direct and indirect exposure',
        tags: ['screening'],
        params: addressParam,
        response: { 200: addressRiskSchema },
      },
    },
    // A Buffer is sent as is (fastify skips the response serializer).
    (req, reply) => {
      const r = backend.screenAddress(req.params.address, callerOf(req));
      reply.type('application/json; charset=utf-8').send(addressRiskBody(reply, r));
    },
  );

  app.post<{ Body: { address: string } }>(
    '/v1/screen/address',
    {
      schema: {
        summary: 'Risk of one address (POST form)',
        tags: ['screening'],
        response: { 200: addressRiskSchema },
        body: {
          type: 'object',
          additionalProperties: false,
          required: ['address'],
          properties: { address: { type: 'string', minLength: 1, maxLength: 100 } },
        },
      },
    },
    async (req) => backend.screenAddress(req.body.address, callerOf(req)),
  );

  app.post<{ Body: { addresses: string[] } }>(
    '/v1/screen/batch',
    {
      // One rate-limit token per 50 addresses (at least one).
      config: { cost: (req) => Math.max(1, Math.ceil(((req.body as { addresses?: unknown[] } | undefined)?.addresses?.length ?? 0) / 50)) },
      schema: {
        summary: `Risk of up to ${MAX_BATCH} addresses; invalid ones get a per-item error`,
        tags: ['screening'],
        body: {
          type: 'object',
          additionalProperties: false,
          required: ['addresses'],
          properties: {
            addresses: {
              type: 'array',
              minItems: 1,
              description: `at most ${MAX_BATCH} addresses (more: 413 LH_BATCH_TOO_LARGE)`,
              items: { type: 'string', maxLength: 200 },
            },
          },
        },
      },
    },
    async (req) => {
      const list = req.body.addresses;
      if (list.length > MAX_BATCH) {
        throw new LedgerhoundError('LH_BATCH_TOO_LARGE', `a batch holds at most ${MAX_BATCH} addresses, got ${list.length}`, {
          details: { limit: MAX_BATCH, got: list.length },
        });
      }
      const caller = callerOf(req);
      let ruleSet = backend.ruleSetInfo();
      const results = list.map((address) => {
        try {
          const r = backend.screenAddress(address, caller, 'screen.batch');
          ruleSet = r.ruleSet;
          return { address: r.address, ok: true, score: r.score, level: r.level, risk: r };
        } catch (err) {
          if (err instanceof LedgerhoundError && err.code === 'LH_BAD_ADDRESS') {
            return { address, ok: false, error: { code: err.code, detail: err.shortMessage } };
          }
          throw err;
        }
      });
      return { ruleSet, count: results.length, results };
    },
  );

  app.post<{ Body: { txid: string; customerAddress?: string; direction?: 'received' | 'sent' } }>(
    '/v1/screen/tx',
    {
      schema: {
        summary: 'KYT: risk of the counterparty and of the source of funds of a transfer',
        tags: ['screening'],
        body: {
          type: 'object',
          additionalProperties: false,
          required: ['txid'],
          properties: {
            txid: { type: 'string', minLength: 1, maxLength: 100 },
            customerAddress: { type: 'string', minLength: 1, maxLength: 100, description: "the customer's address in the transaction" },
            direction: { type: 'string', enum: ['received', 'sent'], description: 'deposit (received) or withdrawal (sent)' },
          },
        },
      },
    },
    async (req) => backend.screenTx(req.body.txid, req.body.customerAddress ?? null, req.body.direction ?? null, callerOf(req)),
  );

  app.get<{ Params: { address: string } }>(
    '/api/v1/address/:address',
    {
      schema: {
        summary: 'Sanctions check in the shape of the free sanctions-screening API (switch clients by changing the base URL)',
        tags: ['compatibility'],
        params: addressParam,
        response: {
          200: {
            type: 'object',
            required: ['identifications'],
            properties: {
              identifications: {
                type: 'array',
                items: {
                  type: 'object',
                  required: ['category', 'name', 'description', 'url'],
                  properties: { category: { type: 'string' }, name: { type: 'string' }, description: { type: 'string' }, url: { type: 'string' } },
                },
              },
            },
          },
        },
      },
    },
    async (req) => ({ identifications: await backend.sanctions(req.params.address, callerOf(req)) }),
  );
}

/** Trace and name-screening routes (POST). */
export function registerPostRoutes(app: FastifyInstance, backend: ApiBackend): void {
  app.post<{ Body: import('../backend.js').TraceBody }>(
    '/v1/trace',
    {
      config: { docResponse: traceResultJsonSchema() as Record<string, unknown> },
      schema: {
        summary: 'Trace funds forward or backward (same options and result schema as `ledgerhound trace --json`)',
        description: 'The result follows src/trace/schema.ts (TraceResult, versioned by TRACE_RESULT_VERSION).',
        tags: ['tracing'],
        body: {
          type: 'object',
          additionalProperties: false,
          properties: {
            from: { type: 'array', maxItems: 100, items: { type: 'string', minLength: 1, maxLength: 80 }, description: 'TXID or TXID:VOUT' },
            incident: { type: 'string', minLength: 1, maxLength: 200 },
            direction: { type: 'string', enum: ['forward', 'backward'] },
            policy: { type: 'string', enum: ['poison', 'haircut', 'fifo'] },
            maxHops: { type: 'integer', minimum: 1, maximum: 100000 },
            minValueSat: { type: 'integer', minimum: 0 },
            maxTxs: { type: 'integer', minimum: 1, maximum: 2000000 },
            maxEdges: { type: 'integer', minimum: 1, maximum: 5000000 },
            until: { type: 'string', minLength: 1, maxLength: 40, description: 'height or ISO date' },
            stopAt: { type: 'array', maxItems: 50, items: { type: 'string', minLength: 1, maxLength: 60 } },
          },
        },
      },
    },
    async (req) => backend.trace(req.body),
  );

  const nameQuery = {
    type: 'object',
    additionalProperties: false,
    required: ['name'],
    properties: {
      name: { type: 'string', minLength: 1, maxLength: 500 },
      type: { type: 'string', enum: ['person', 'organization', 'vessel', 'any'] },
      birthYear: { type: 'integer', minimum: 1800, maximum: 2100 },
      country: { type: 'string', minLength: 1, maxLength: 100 },
      threshold: { type: 'number', minimum: 0, maximum: 1 },
      limit: { type: 'integer', minimum: 1, maximum: 100 },
    },
  } as const;
  app.post<{ Body: { queries: import('../../screen/index.js').ScreenNameRequest[] } }>(
    '/v1/screen/names',
    {
      config: { cost: (req) => Math.max(1, Math.ceil(((req.body as { queries?: unknown[] } | undefined)?.queries?.length ?? 0) / 10)) },
      schema: {
        summary: 'Sanctions name screening (OFAC SDN list loaded with `screen load-list`), up to 100 names',
        tags: ['screening'],
        body: {
          type: 'object',
          additionalProperties: false,
          required: ['queries'],
          properties: { queries: { type: 'array', minItems: 1, maxItems: 100, items: nameQuery } },
        },
      },
    },
    async (req) => ({ results: await backend.screenNames(req.body.queries, callerOf(req)) }),
  );
}
