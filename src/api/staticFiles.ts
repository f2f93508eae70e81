/**
 * Serves the built web UI (`web/dist`) when the folder exists: `/` → index.html, files by path, and
 * index.html for other non-API GET paths (client-side routes). API prefixes (`/v1/`, `/api/`) never fall
 * through to the UI: unknown API paths get a 404 problem document.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { extname, join, normalize, resolve, sep } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { problem, sendProblem } from './problem.js';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.map': 'application/json',
  '.txt': 'text/plain; charset=utf-8',
};

export async function registerStatic(app: FastifyInstance, dir: string): Promise<void> {
  const root = resolve(dir);
  if (!existsSync(join(root, 'index.html'))) return;
  const index = () => readFileSync(join(root, 'index.html'));
  app.get('/*', { config: { auth: false, openapi: false } }, async (req, reply) => {
    const raw = req.url.split('?')[0] ?? '/';
    let path: string;
    try {
      path = decodeURIComponent(raw);
    } catch {
      return sendProblem(reply, problem(400, 'LH_BAD_REQUEST', 'the request path is not valid percent-encoding', raw));
    }
    if (path.startsWith('/v1/') || path.startsWith('/api/') || path === '/v1' || path === '/api') {
      return sendProblem(reply, problem(404, 'LH_ROUTE_NOT_FOUND', `no route GET ${path}`, path));
    }
    const file = normalize(join(root, path));
    if ((file === root || file.startsWith(root + sep)) && existsSync(file) && statSync(file).isFile()) {
      return reply.type(TYPES[extname(file)] ?? 'application/octet-stream').send(readFileSync(file));
    }
    return reply.type(TYPES['.html'] as string).send(index());
  });
}
