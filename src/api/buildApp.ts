/**
 * The Fastify application. `buildApp()` assembles it (plugins, hooks, routes) without listening, so tests
 * drive it with `app.inject()` and `serve` calls `listen()` separately (fastify's testing guide).
 *
 * Route prefix: the JSON API lives under `/v1/…`; the compatibility route for clients of the free
 * sanctions-screening API is `/api/v1/address/{address}`; `/openapi.json` describes everything; other
 * GET paths serve the web UI from `web/dist` when that folder exists (`/` → index.html). See docs/API.md.
 */
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest, type FastifyServerOptions } from 'fastify';
import { LedgerhoundError } from '../core/index.js';
import type { ApiKeyStore, ApiPrincipal } from './apiKeys.js';
import type { ApiBackend } from './backend.js';
import { buildOpenApi, collectRoutes } from './openapi.js';
import { installProblemHandlers } from './problem.js';
import { RateLimiter } from './rateLimit.js';
import { registerCaseRoutes } from './routes/cases.js';
import { registerDataRoutes } from './routes/data.js';
import { registerPostRoutes, registerScreenRoutes } from './routes/screen.js';
import { registerStatic } from './staticFiles.js';

declare module 'fastify' {
  /** OpenAPI annotations carried on route schemas (published in /openapi.json). */
  interface FastifySchema {
    summary?: string;
    description?: string;
    tags?: string[];
  }
  interface FastifyRequest {
    /** The caller: an API key, or `anonymous` when the server runs with --no-auth. */
    principal: ApiPrincipal;
  }
  interface FastifyContextConfig {
    /** false: no API key needed (health, version, OpenAPI, static files). */
    auth?: boolean;
    /** false: keep the route out of /openapi.json. */
    openapi?: boolean;
    /** A 200 response schema for /openapi.json only (e.g. the trace result's JSON Schema). */
    docResponse?: Record<string, unknown>;
    /** Rate-limit tokens the route costs (default 1); a function of the parsed request for batches. */
    cost?: number | ((request: FastifyRequest) => number);
  }
}

export interface BuildAppOptions {
  /** The product version (package.json). */
  version: string;
  /** Where the data comes from. */
  backend: ApiBackend;
  /** API keys, or 'none' for `serve --no-auth` (the CLI only allows that on loopback). */
  auth: ApiKeyStore | 'none';
  /** Folder of the built web UI; served when it exists. */
  webDist?: string | null;
  /** fastify logger option (false in tests; pino to stderr in `serve`). */
  logger?: FastifyServerOptions['logger'];
  /** Largest request body in bytes (default 1 MiB: a batch of 1,000 addresses is ~70 KB). */
  bodyLimit?: number;
}

const ANONYMOUS: ApiPrincipal = { keyId: 'anonymous', name: 'anonymous (--no-auth)', ratePerSec: Number.POSITIVE_INFINITY, burst: Number.POSITIVE_INFINITY };

/** The key presented in `Authorization: Bearer …` or `X-API-Key`, or null. */
export function presentedKey(request: FastifyRequest): string | null {
  const x = request.headers['x-api-key'];
  if (typeof x === 'string' && x !== '') return x.trim();
  const a = request.headers.authorization;
  if (typeof a === 'string') {
    const m = /^Bearer\s+(\S+)\s*$/i.exec(a);
    if (m) return m[1] as string;
    throw new LedgerhoundError('LH_AUTH_INVALID', 'the Authorization header must read `Bearer <key>`');
  }
  return null;
}

/**
 * Builds the application (not listening).
 * @example
 * const app = await buildApp({ version: '0.1.0', backend, auth: new ApiKeyStore(keysPathFor(db)) });
 * const res = await app.inject({ url: '/v1/health' });
 */
export async function buildApp(opts: BuildAppOptions): Promise<FastifyInstance> {
  const app = Fastify({
    logger: opts.logger ?? false,
    bodyLimit: opts.bodyLimit ?? 1024 * 1024,
    // Unknown fields are refused, not silently dropped (fastify's default strips them).
    ajv: { customOptions: { removeAdditional: false, coerceTypes: 'array', allErrors: false } },
    return503OnClosing: true,
    // Long path segments reach the route and fail its schema (400 problem) instead of the router's bare 414.
    routerOptions: { maxParamLength: 8192 },
  });
  // JSON bodies only (fastify also parses text/plain by default): anything else is 415.
  app.removeContentTypeParser('text/plain');
  // Unknown query parameters are refused on every API route, as unknown body fields are.
  app.addHook('onRoute', (r) => {
    if (r.schema && r.schema.querystring === undefined && (r.method === 'GET' || (Array.isArray(r.method) && r.method.includes('GET')))) {
      r.schema.querystring = { type: 'object', additionalProperties: false, properties: {} };
    }
  });
  const routes = collectRoutes(app);
  installProblemHandlers(app);

  const limiter = new RateLimiter();
  const auth = opts.auth;
  app.decorateRequest('principal', null as unknown as ApiPrincipal);
  // Callback-style hooks (no promise per request on the hot path); errors go to the problem handler.
  app.addHook('onRequest', (request: FastifyRequest, reply: FastifyReply, done: (err?: Error) => void) => {
    reply.header('x-content-type-options', 'nosniff');
    const config = request.routeOptions.config;
    if (config.auth === false) return done();
    if (auth === 'none') {
      request.principal = ANONYMOUS;
      return done();
    }
    try {
      const key = presentedKey(request);
      if (key === null) {
        throw new LedgerhoundError('LH_AUTH_MISSING', 'an API key is required: send `Authorization: Bearer <key>` or `X-API-Key: <key>`', {
          hint: 'Create one with `ledgerhound apikey create NAME`.',
        });
      }
      request.principal = auth.verify(key);
    } catch (err) {
      return done(err as Error);
    }
    done();
  });
  // Rate limits apply after the body is parsed, so a batch can cost by its size.
  app.addHook('preHandler', (request: FastifyRequest, _reply: FastifyReply, done: (err?: Error) => void) => {
    const config = request.routeOptions.config;
    if (config.auth === false || auth === 'none') return done();
    try {
      const cost = typeof config.cost === 'function' ? config.cost(request) : (config.cost ?? 1);
      const p = request.principal;
      limiter.take(p.keyId, p.ratePerSec, p.burst, cost);
    } catch (err) {
      return done(err as Error);
    }
    done();
  });

  app.get(
    '/v1/health',
    {
      config: { auth: false },
      schema: {
        summary: 'Liveness and data freshness',
        tags: ['meta'],
        response: {
          200: {
            type: 'object',
            properties: {
              status: { type: 'string', enum: ['ok'] },
              network: { type: ['string', 'null'] },
              tipHeight: { type: 'integer' },
              screeningReady: { type: 'boolean' },
              screenedThroughHeight: { type: 'integer' },
            },
          },
        },
      },
    },
    async () => ({ status: 'ok', ...opts.backend.health() }),
  );

  app.get(
    '/v1/version',
    {
      config: { auth: false },
      schema: {
        summary: 'Product, API and rule-set versions',
        tags: ['meta'],
        response: {
          200: {
            type: 'object',
            properties: {
              name: { type: 'string' },
              version: { type: 'string' },
              api: { type: 'string' },
              ruleSet: {
                type: ['object', 'null'],
                properties: { id: { type: 'string' }, version: { type: 'string' }, sha256: { type: 'string' } },
              },
            },
          },
        },
      },
    },
    async () => ({ name: 'ledgerhound', version: opts.version, api: 'v1', ruleSet: opts.backend.ruleSetInfo() }),
  );

  registerDataRoutes(app, opts.backend);
  registerScreenRoutes(app, opts.backend);
  registerPostRoutes(app, opts.backend);
  registerCaseRoutes(app, opts.backend);

  let openapi: Record<string, unknown> | null = null;
  app.get('/openapi.json', { config: { auth: false, openapi: false } }, async () => {
    openapi ??= buildOpenApi(routes, { version: opts.version, authEnabled: auth !== 'none' });
    return openapi;
  });

  if (opts.webDist) await registerStatic(app, opts.webDist);
  await app.ready();
  return app;
}
