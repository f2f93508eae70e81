/**
 * Address clustering: union-find over dense address ids, CoinJoin detection, multi-input and change
 * heuristics with provenance, incremental runs. See docs/CLUSTERING.md.
 */
export { findRoot, linkRoots, MapUnionFind, UnionFind } from './unionFind.js';
export { CoinJoinDetector, COINJOIN_PATTERNS, WHIRLPOOL_DENOMINATIONS_SAT, coinJoinPatternName } from './coinjoin.js';
export type { CoinJoinPattern } from './coinjoin.js';
export { clusterPass, CONFIDENCE, mergeRows } from './engine.js';
export type { ClusterConfig, EngineArrays, EngineInput, EngineResult, EngineStats, MergeLog, MergeRows } from './engine.js';
export {
  CHANGE_GUARDS,
  CHANGE_HEURISTICS,
  DEFAULT_HEURISTICS,
  DEFAULT_MIN_VOTES,
  HEURISTIC_NAMES,
  MULTI_INPUT,
  parseHeuristics,
} from './heuristics/index.js';
export type { ChangeGuard, ChangeHeuristic, TxContext } from './heuristics/index.js';
export { clusterDatabase } from './run.js';
export type { ClusterRunOptions, ClusterRunSummary } from './run.js';
export { ensureClusterSchema, readClusterState } from './persist.js';
export type { ClusterState } from './persist.js';
export { explainLink, summarizeCluster } from './explain.js';
export type { ClusterSummary, EvidenceStep, Explanation } from './explain.js';
export { EXPORT_FORMATS, addressExportSql, exportAddresses, parseExportFormat } from './exportAddresses.js';
export type { ExportFormat } from './exportAddresses.js';
