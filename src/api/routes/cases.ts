/** Case routes: list, read, create and replace an investigator's saved trace with notes (see api/cases.ts). */
import type { FastifyInstance } from 'fastify';
import type { ApiBackend } from '../backend.js';
import type { CaseInput } from '../cases.js';

const caseBody = {
  type: 'object',
  additionalProperties: false,
  required: ['title', 'policy', 'notes'],
  properties: {
    title: { type: 'string', minLength: 1, maxLength: 200 },
    incidentId: { type: ['string', 'null'], maxLength: 200 },
    policy: { type: 'string', enum: ['poison', 'haircut', 'fifo'] },
    notes: {
      type: 'object',
      maxProperties: 5000,
      propertyNames: { maxLength: 300 },
      additionalProperties: { type: 'string', maxLength: 10000 },
    },
  },
} as const;

const idParam = {
  type: 'object',
  additionalProperties: false,
  required: ['id'],
  properties: { id: { type: 'string', pattern: '^[0-9a-f-]{36}$' } },
} as const;

export function registerCaseRoutes(app: FastifyInstance, backend: ApiBackend): void {
  app.get('/v1/cases', { schema: { summary: 'Saved cases, most recently updated first', tags: ['cases'] } }, async () => ({
    items: await backend.listCases(),
  }));
  app.get<{ Params: { id: string } }>(
    '/v1/cases/:id',
    { schema: { summary: 'One saved case', tags: ['cases'], params: idParam } },
    async (req) => backend.getCase(req.params.id),
  );
  app.post<{ Body: CaseInput }>(
    '/v1/cases',
    { schema: { summary: 'Save a new case (trace view with notes on nodes)', tags: ['cases'], body: caseBody } },
    async (req, reply) => {
      reply.code(201);
      return backend.saveCase(null, { ...req.body, incidentId: req.body.incidentId ?? null }, req.principal.keyId);
    },
  );
  app.put<{ Params: { id: string }; Body: CaseInput }>(
    '/v1/cases/:id',
    { schema: { summary: 'Replace a saved case', tags: ['cases'], params: idParam, body: caseBody } },
    async (req) => backend.saveCase(req.params.id, { ...req.body, incidentId: req.body.incidentId ?? null }, req.principal.keyId),
  );
}
