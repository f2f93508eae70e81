/**
 * The trace result as JSON: a versioned, documented schema shared by the CLI (`trace --json`), the API and
 * the UI. Bump `TRACE_RESULT_VERSION` on any incompatible change; additions of optional fields keep it.
 * Amounts are satoshis (numbers; traced amounts under haircut are fractional), times ISO-8601 UTC, hashes
 * display hex. `traceResultJsonSchema()` gives the JSON Schema (draft 2020-12) for other languages.
 */
import { z } from 'zod';

export const TRACE_RESULT_VERSION = 1;

const Sat = z.number().nonnegative().describe('satoshis');
const Time = z.string().describe('ISO-8601 UTC block time');

export const TraceEntitySchema = z.object({
  key: z.string(),
  label: z.string(),
  category: z.string().describe('GraphSense concept id (exchange, mixing_service, …)'),
  source: z.string().describe('label source the tag came from'),
  confidence: z.string().nullable(),
  confidenceLevel: z.number().nullable(),
});

export const OutputRefSchema = z.object({
  txid: z.string(),
  vout: z.number().int().nonnegative(),
  address: z.string().nullable(),
  valueSat: Sat,
  tracedSat: Sat,
  hop: z.number().int().nonnegative(),
  time: Time,
  mixed: z.boolean().describe('the traced value passed through a detected CoinJoin on its way here'),
  mixedSat: Sat.describe('part of tracedSat that passed through a CoinJoin'),
});

export const EndpointSchema = z.object({
  entity: TraceEntitySchema,
  /** Forward: traced value received by the entity; backward: traced value that came from it. */
  tracedSat: Sat,
  mixedSat: Sat.describe('part of tracedSat that passed through a CoinJoin'),
  outputs: z.number().int(),
  firstTime: Time,
  lastTime: Time,
  minHops: z.number().int(),
  maxHops: z.number().int(),
  /** How the entity was recognised: its own address tag, or another address of its cluster. */
  via: z.array(z.enum(['address', 'cluster'])),
  examples: z.array(OutputRefSchema),
});

export const EdgeReasonSchema = z.object({
  kind: z.enum(['spend', 'payment', 'change', 'label', 'cluster-membership']),
  detail: z.string(),
  confidence: z.number().min(0).max(1).nullable(),
});

export const GraphNodeSchema = z.discriminatedUnion('kind', [
  z.object({
    id: z.string(),
    kind: z.literal('tx'),
    txid: z.string(),
    height: z.number().int(),
    time: Time,
    hop: z.number().int(),
    coinjoin: z.boolean(),
    mixed: z.boolean(),
    tracedInSat: Sat,
    tracedOutSat: Sat,
    feeSat: Sat,
  }),
  z.object({
    id: z.string(),
    kind: z.literal('address'),
    address: z.string().nullable().describe('null for an output without an address (its node id names the output)'),
    cluster: z.number().int().nullable(),
    entity: z.string().nullable().describe('key of the entity node it belongs to'),
  }),
  z.object({
    id: z.string(),
    kind: z.literal('entity'),
    label: z.string(),
    category: z.string(),
  }),
]);

export const GraphEdgeSchema = z.object({
  from: z.string(),
  to: z.string(),
  tracedSat: Sat,
  /** The output carried by the edge (address/tx edges); null for address→entity edges. */
  txid: z.string().nullable(),
  vout: z.number().int().nullable(),
  valueSat: Sat.nullable(),
  hop: z.number().int(),
  mixed: z.boolean(),
  reason: EdgeReasonSchema,
});

export const FATES = [
  'followed',
  'endpoint',
  'unspent',
  'horizon',
  'hop-limit',
  'node-limit',
  'edge-limit',
  'below-min',
  'coinbase',
  'unresolved',
] as const;

export const TraceResultSchema = z.object({
  schema: z.literal('ledgerhound.trace'),
  version: z.literal(TRACE_RESULT_VERSION),
  direction: z.enum(['forward', 'backward']),
  policy: z.object({ name: z.enum(['poison', 'haircut', 'fifo']), definition: z.string(), conserving: z.boolean() }),
  query: z.object({
    from: z.array(z.string()),
    incident: z.string().nullable(),
    maxHops: z.number().int(),
    minValueSat: Sat,
    maxTxs: z.number().int(),
    maxEdges: z.number().int(),
    untilHeight: z.number().int().nullable(),
    untilTime: Time.nullable(),
    stopAt: z.array(z.string()).describe('GraphSense categories the walk stops at'),
  }),
  starts: z.array(
    z.object({
      txid: z.string(),
      vout: z.number().int(),
      address: z.string().nullable(),
      valueSat: Sat,
      /** Why an output of a whole-transaction start was left out (e.g. change returned to the sender). */
      excluded: z.string().nullable(),
    }),
  ),
  totals: z.object({
    startSat: Sat,
    endpointSat: Sat,
    unspentSat: Sat,
    feeSat: Sat,
    belowMinSat: Sat,
    stoppedSat: Sat.describe('traced value left where a limit or --until stopped the walk'),
    coinbaseSat: Sat.describe('backward: traced value that comes from newly mined coins'),
    mixedSat: Sat.describe('traced value that entered detected CoinJoin transactions'),
    mixedEndpointSat: Sat,
  }),
  endpoints: z.array(EndpointSchema),
  /**
   * Every endpoint output with an address (forward: the deposits; backward: the source outputs), in the
   * `{address, amountSat}` form that `ledgerhound eval --trace` scores.
   */
  deposits: z.array(
    z.object({
      address: z.string(),
      amountSat: Sat,
      txid: z.string(),
      vout: z.number().int(),
      entity: z.string(),
      hop: z.number().int(),
      mixedSat: Sat,
      time: Time,
    }),
  ),
  unspent: z.object({ count: z.number().int(), outputs: z.array(OutputRefSchema) }),
  stopped: z.object({ count: z.number().int(), outputs: z.array(OutputRefSchema.extend({ fate: z.enum(FATES) })) }),
  limits: z.object({
    hit: z.array(z.enum(['max-hops', 'max-nodes', 'max-edges', 'min-value', 'until'])),
    complete: z.boolean().describe('false when max-hops, max-nodes or max-edges stopped part of the walk'),
  }),
  coinjoin: z.object({
    source: z.enum(['transactions.coinjoin', 'equal-outputs']).nullable(),
    txs: z.array(z.string()),
  }),
  graph: z.object({ nodes: z.array(GraphNodeSchema), edges: z.array(GraphEdgeSchema) }),
  stats: z.object({ txsVisited: z.number().int(), outputsTraced: z.number().int(), edges: z.number().int(), walkMs: z.number() }),
  summary: z.string(),
});

export type TraceResult = z.infer<typeof TraceResultSchema>;
export type TraceEndpoint = z.infer<typeof EndpointSchema>;
export type TraceGraphNode = z.infer<typeof GraphNodeSchema>;
export type TraceGraphEdge = z.infer<typeof GraphEdgeSchema>;
export type TraceOutputRef = z.infer<typeof OutputRefSchema>;

/** The JSON Schema of a trace result (for the API docs and non-TypeScript consumers). */
export function traceResultJsonSchema(): unknown {
  return z.toJSONSchema(TraceResultSchema);
}
