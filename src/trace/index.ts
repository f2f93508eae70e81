export { parseCount, parseFromArg, parseMaxHops, parseUntil } from './args.js';
export type { FromArg } from './args.js';
export { detectCoinJoins, IdHeap, NONE } from './chain.js';
export type { CoinJoinFlags, TraceChain } from './chain.js';
export { EntityIndex } from './entities.js';
export type { EntityHit, TraceEntity } from './entities.js';
export { fifo, haircut, intervalsAmount, POLICY_NAMES, poison, policyByName, unionIntervals } from './policies/index.js';
export type { BackwardSplit, ForwardSplit, Intervals, PolicyName, TaintPolicy, TxFlow } from './policies/index.js';
export { buildResult } from './result.js';
export type { ClusterMerge, ResultMeta, TraceNamer } from './result.js';
export {
  EdgeReasonSchema,
  EndpointSchema,
  GraphEdgeSchema,
  GraphNodeSchema,
  OutputRefSchema,
  TRACE_RESULT_VERSION,
  TraceEntitySchema,
  TraceResultSchema,
  traceResultJsonSchema,
} from './schema.js';
export type { TraceEndpoint, TraceGraphEdge, TraceGraphNode, TraceOutputRef, TraceResult } from './schema.js';
export { ChainNames } from './names.js';
export { TraceSession } from './session.js';
export type { TraceRequest, TraceSessionOptions } from './session.js';
export { DEFAULT_STOP_CATEGORIES, resolveStopCategories } from './stopCategories.js';
export { formatBtc, summarize } from './summary.js';
export { TxidIndex, txidPrefix } from './txidIndex.js';
export { walkBackward } from './walkBackward.js';
export { walkForward } from './walkForward.js';
export { DEFAULT_LIMITS, MAX_HOPS_LIMIT } from './walkTypes.js';
export type { ChangeReason, Direction, OutputFate, OutputVisit, TxVisit, Walk, WalkContext, WalkLimits } from './walkTypes.js';
