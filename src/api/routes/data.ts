/**
 * Read routes: addresses, transactions, clusters, labels, actors, incidents. Thin: validate, call the
 * backend, return. Errors go to the one problem handler (problem.ts).
 */
import type { FastifyInstance } from 'fastify';
import { traceResultJsonSchema } from '../../trace/index.js';
import type { ApiBackend } from '../backend.js';
import { addressParam, pageQuery, txidParam } from './schemas.js';

interface Page {
  limit: number;
  offset: number;
}

export function registerDataRoutes(app: FastifyInstance, backend: ApiBackend): void {
  app.get<{ Params: { address: string } }>(
    '/v1/addresses/:address',
    { schema: { summary: 'Address summary: balance, transactions, cluster, labels, risk', tags: ['addresses'], params: addressParam } },
    async (req) => backend.addressSummary(req.params.address),
  );

  app.get<{ Params: { address: string }; Querystring: Page }>(
    '/v1/addresses/:address/transactions',
    {
      schema: { summary: 'Transactions of an address, newest first (paginated)', tags: ['addresses'], params: addressParam, querystring: pageQuery },
    },
    async (req) => backend.addressTransactions(req.params.address, req.query.limit, req.query.offset),
  );

  app.get<{ Params: { txid: string } }>(
    '/v1/transactions/:txid',
    { schema: { summary: 'A transaction with resolved inputs and outputs', tags: ['transactions'], params: txidParam } },
    async (req) => {
      const txs = await backend.transaction(req.params.txid);
      // Two transactions share a txid only for the BIP30 duplicates; the latest is the one that counts.
      return { ...(txs[txs.length - 1] as object), duplicates: txs.length - 1 };
    },
  );

  const clusterParam = {
    type: 'object',
    additionalProperties: false,
    required: ['id'],
    properties: { id: { type: 'integer', minimum: 0, maximum: 4294967295 } },
  } as const;
  app.get<{ Params: { id: number } }>(
    '/v1/clusters/:id',
    { schema: { summary: 'Cluster summary: size, value, labels, risk', tags: ['clusters'], params: clusterParam } },
    async (req) => backend.cluster(req.params.id),
  );
  app.get<{ Params: { id: number }; Querystring: Page }>(
    '/v1/clusters/:id/addresses',
    { schema: { summary: 'Addresses of a cluster (paginated)', tags: ['clusters'], params: clusterParam, querystring: pageQuery } },
    async (req) => backend.clusterAddresses(req.params.id, req.query.limit, req.query.offset),
  );

  app.get<{ Params: { address: string } }>(
    '/v1/labels/:address',
    { schema: { summary: 'Labels (tags) of an address with their sources and confidence', tags: ['labels'], params: addressParam } },
    async (req) => backend.labels(req.params.address),
  );

  app.get<{ Querystring: { q: string; limit: number } }>(
    '/v1/actors',
    {
      schema: {
        summary: 'Search actors by name or alias',
        tags: ['labels'],
        querystring: {
          type: 'object',
          additionalProperties: false,
          required: ['q'],
          properties: { q: { type: 'string', minLength: 1, maxLength: 200 }, limit: { type: 'integer', minimum: 1, maximum: 200, default: 20 } },
        },
      },
    },
    async (req) => ({ items: await backend.searchActors(req.query.q, req.query.limit) }),
  );
  app.get<{ Params: { id: string } }>(
    '/v1/actors/:id',
    {
      schema: {
        summary: 'An actor (merged over label sources)',
        tags: ['labels'],
        params: { type: 'object', additionalProperties: false, required: ['id'], properties: { id: { type: 'string', minLength: 1, maxLength: 200 } } },
      },
    },
    async (req) => backend.actor(req.params.id),
  );
  app.get<{ Querystring: Page }>(
    '/v1/incidents',
    { schema: { summary: 'Thefts and hacks (paginated)', tags: ['labels'], querystring: pageQuery } },
    async (req) => backend.incidents(req.query.limit, req.query.offset),
  );
  app.get<{ Params: { id: string }; Querystring: { policy?: string; direction?: 'forward' | 'backward'; maxHops?: number } }>(
    '/v1/incidents/:id/trace',
    {
      config: { docResponse: traceResultJsonSchema() as Record<string, unknown> },
      schema: {
        summary: 'Trace an incident from its theft transactions (same result as POST /v1/trace with `incident`)',
        tags: ['tracing'],
        params: { type: 'object', additionalProperties: false, required: ['id'], properties: { id: { type: 'string', minLength: 1, maxLength: 200 } } },
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: {
            policy: { type: 'string', enum: ['poison', 'haircut', 'fifo'] },
            direction: { type: 'string', enum: ['forward', 'backward'] },
            maxHops: { type: 'integer', minimum: 1, maximum: 100000 },
          },
        },
      },
    },
    async (req) =>
      backend.trace({
        incident: req.params.id,
        ...(req.query.policy === undefined ? {} : { policy: req.query.policy }),
        ...(req.query.direction === undefined ? {} : { direction: req.query.direction }),
        ...(req.query.maxHops === undefined ? {} : { maxHops: req.query.maxHops }),
      }),
  );
  app.get<{ Params: { id: string } }>(
    '/v1/incidents/:id',
    {
      schema: {
        summary: 'An incident with its addresses, transactions and references',
        tags: ['labels'],
        params: { type: 'object', additionalProperties: false, required: ['id'], properties: { id: { type: 'string', minLength: 1, maxLength: 200 } } },
      },
    },
    async (req) => backend.incident(req.params.id),
  );
}
