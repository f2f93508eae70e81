/**
 * The OpenAPI 3.1 document, generated from the route schemas themselves (fastify's `onRoute` hook collects
 * every route with its JSON Schemas), so the document cannot drift from what the server validates.
 * OpenAPI 3.1 uses JSON Schema 2020-12, which accepts the draft-07 schemas fastify validates with.
 */
import type { FastifyInstance, RouteOptions } from 'fastify';

interface CollectedRoute {
  method: string;
  url: string;
  schema: Record<string, unknown>;
  auth: boolean;
  /** A 200 response schema published in the document only (not used to serialise). */
  docResponse: Record<string, unknown> | undefined;
}

/** OpenAPI path template for a fastify URL (`/v1/addresses/:address` → `/v1/addresses/{address}`). */
function toOpenApiPath(url: string): string {
  return url.replace(/:([A-Za-z0-9_]+)/g, '{$1}');
}

function parametersFrom(schema: Record<string, unknown>, where: 'path' | 'query'): unknown[] {
  const s = (where === 'path' ? schema.params : schema.querystring) as
    | { properties?: Record<string, Record<string, unknown>>; required?: string[] }
    | undefined;
  if (!s?.properties) return [];
  return Object.entries(s.properties).map(([name, prop]) => {
    const { description, ...rest } = prop;
    const p: Record<string, unknown> = {
      name,
      in: where,
      required: where === 'path' || (s.required ?? []).includes(name),
      schema: rest,
    };
    if (typeof description === 'string') p.description = description;
    return p;
  });
}

/** Collects routes as they are registered; call before registering routes. */
export function collectRoutes(app: FastifyInstance): CollectedRoute[] {
  const routes: CollectedRoute[] = [];
  app.addHook('onRoute', (r: RouteOptions) => {
    const config = (r.config ?? {}) as { openapi?: boolean; auth?: boolean; docResponse?: Record<string, unknown> };
    if (config.openapi === false || !r.schema) return;
    const methods = Array.isArray(r.method) ? r.method : [r.method];
    for (const m of methods) {
      if (m === 'HEAD') continue;
      routes.push({
        method: m.toLowerCase(),
        url: r.url,
        schema: r.schema as Record<string, unknown>,
        auth: config.auth !== false,
        docResponse: config.docResponse,
      });
    }
  });
  return routes;
}

const PROBLEM_SCHEMA = {
  type: 'object',
  description: 'RFC 9457 problem document (Content-Type application/problem+json)',
  required: ['type', 'title', 'status', 'detail', 'instance', 'code'],
  properties: {
    type: { type: 'string' },
    title: { type: 'string' },
    status: { type: 'integer' },
    detail: { type: 'string' },
    instance: { type: 'string' },
    code: { type: 'string', description: 'stable Ledgerhound error code (LH_…)' },
    details: { type: 'object', additionalProperties: true },
  },
};

/** Builds the OpenAPI document from the collected routes. */
export function buildOpenApi(routes: readonly CollectedRoute[], info: { version: string; authEnabled: boolean }): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const r of routes) {
    const path = toOpenApiPath(r.url);
    const op: Record<string, unknown> = {};
    const s = r.schema;
    if (typeof s.summary === 'string') op.summary = s.summary;
    if (typeof s.description === 'string') op.description = s.description;
    if (Array.isArray(s.tags)) op.tags = s.tags;
    op.operationId = `${r.method}${path.replace(/[{}]/g, '').replace(/[^A-Za-z0-9]+(.)?/g, (_m, c: string | undefined) => (c ?? '').toUpperCase())}`;
    const params = [...parametersFrom(s, 'path'), ...parametersFrom(s, 'query')];
    if (params.length > 0) op.parameters = params;
    if (s.body) op.requestBody = { required: true, content: { 'application/json': { schema: s.body } } };
    const responses: Record<string, unknown> = {};
    const resp = { ...((s.response ?? {}) as Record<string, unknown>) };
    if (r.docResponse !== undefined) {
      const { $schema: _dialect, ...schema } = r.docResponse;
      resp['200'] = schema;
    }
    for (const [code, schema] of Object.entries(resp)) {
      responses[code] = { description: code.startsWith('2') ? 'OK' : 'Error', content: { 'application/json': { schema } } };
    }
    responses['4XX'] = { description: 'Client error', content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } } };
    responses['5XX'] = { description: 'Server error', content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } } };
    op.responses = responses;
    if (!r.auth || !info.authEnabled) op.security = [];
    paths[path] ??= {};
    (paths[path] as Record<string, unknown>)[r.method] = op;
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'Ledgerhound API',
      version: info.version,
      description:
        'Crypto-forensics workbench: addresses, transactions, clusters, labels, tracing and risk screening. See docs/API.md.',
      license: { name: 'MIT', identifier: 'MIT' },
    },
    servers: [{ url: '/' }],
    security: info.authEnabled ? [{ bearerAuth: [] }, { apiKeyHeader: [] }] : [],
    components: {
      securitySchemes: {
        bearerAuth: { type: 'http', scheme: 'bearer', description: 'Authorization: Bearer lh_…' },
        apiKeyHeader: { type: 'apiKey', in: 'header', name: 'X-API-Key' },
      },
      schemas: { Problem: PROBLEM_SCHEMA },
    },
    paths,
  };
}
