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

const riskLabel = {
  type: 'object',
  properties: {
    tagId: { type: 'integer' },
    address: { type: 'string' },
    label: { type: 'string' },
    concept: { type: 'string' },
    category: { type: 'string' },
    abuse: { type: ['string', 'null'] },
    actorId: { type: ['string', 'null'] },
    confidence: { type: 'string' },
    confidenceLevel: { type: 'integer' },
    source: { type: 'string' },
    sourceUrl: { type: ['string', 'null'] },
    onAddress: { type: 'boolean' },
  },
} as const;

const indirectSide = {
  type: 'object',
  properties: {
    totalSat: { type: 'number' },
    categories: {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          category: { type: 'string' },
          byHop: { type: 'array', items: { type: 'number' }, description: 'share of value per cluster hop (index 0 = hop 1)' },
          exposure: { type: 'number', description: 'Σ share(h) × hopDecay^(h-1)' },
          taintedSat: { type: 'number' },
          score: { type: 'number' },
          txs: {
            type: 'array',
            items: { type: 'object', properties: { txid: { type: 'string' }, taintedSat: { type: 'number' }, hop: { type: 'integer' } } },
          },
        },
      },
    },
  },
} as const;

/** AddressRisk (src/screen/ScreeningIndex.ts); also makes fastify serialise it with a compiled stringifier. */
export const addressRiskSchema = {
  type: 'object',
  properties: {
    address: { type: 'string' },
    seen: { type: 'boolean' },
    addressId: { type: ['integer', 'null'] },
    cluster: { type: ['object', 'null'], properties: { id: { type: ['integer', 'null'] }, size: { type: 'integer' } } },
    score: { type: 'integer', minimum: 0, maximum: 100 },
    level: { type: 'string', enum: ['low', 'medium', 'high', 'severe'] },
    ruleSet: ruleSetSchema,
    direct: {
      type: 'array',
      items: {
        type: 'object',
        properties: { category: { type: 'string' }, weight: { type: 'number' }, score: { type: 'number' }, labels: { type: 'array', items: riskLabel } },
      },
    },
    indirect: { type: 'object', properties: { received: indirectSide, sent: indirectSide } },
    screenedThroughHeight: { type: 'integer' },
  },
} as const;
