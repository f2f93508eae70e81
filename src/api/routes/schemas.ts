/** JSON Schemas shared by the routes (fastify validates requests with them; /openapi.json publishes them). */

export const addressParam = {
  type: 'object',
  additionalProperties: false,
  required: ['address'],
  properties: { address: { type: 'string', minLength: 1, maxLength: 100, description: 'Bitcoin address of the served network' } },
} as const;

export const txidParam = {
  type: 'object',
  additionalProperties: false,
  required: ['txid'],
  properties: { txid: { type: 'string', minLength: 1, maxLength: 100, description: 'transaction id, 64 hex digits' } },
} as const;

export const pageQuery = {
  type: 'object',
  additionalProperties: false,
  properties: {
    limit: { type: 'integer', minimum: 1, maximum: 500, default: 50 },
    offset: { type: 'integer', minimum: 0, maximum: 10_000_000, default: 0 },
  },
} as const;

export const ruleSetSchema = {
  type: 'object',
  properties: { id: { type: 'string' }, version: { type: 'string' }, sha256: { type: 'string' } },
} as const;
