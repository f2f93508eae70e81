/**
 * The shapes the UI reads from the API (docs/API.md). Everything the server sends is checked
 * by the small readers in ./read.ts before a component sees it, so a contract change shows up as
 * one clear error ("trace.nodes[3].id: expected string") instead of a blank page.
 */

/** Taint policies the tracer offers (src/trace). */
export type Policy = 'poison' | 'haircut' | 'fifo';
export const POLICIES: readonly Policy[] = ['poison', 'haircut', 'fifo'];

/** Colour classes of the flow graph. Anything the labels call something else is mapped onto these. */
export type Category = 'victim' | 'attacker' | 'exchange' | 'mixer' | 'sanctioned' | 'unknown';

/** One node of a traced flow: an address, a cluster/entity, or a transaction. */
export interface FlowNode {
  id: string;
  kind: 'address' | 'cluster' | 'entity' | 'tx' | 'other';
  /** What to print on the node (entity name, shortened address...). */
  label: string;
  category: Category;
  /** Category as the labels give it (exchange, mixing_service, perpetrator...), for the tooltip. */
  rawCategory: string | null;
  /** Hops from the source (0 = the theft). */
  hop: number;
  /** Traced value that reached this node, in satoshi. */
  tracedSat: number;
  firstTime: string | null;
  lastTime: string | null;
  /** The address / cluster / entity this node stands for (for links), when known. */
  ref: { type: 'address' | 'cluster' | 'tx' | 'actor'; id: string } | null;
  /** Whether the traced coins were mixed (CoinJoin) on the way here. */
  mixed: boolean;
  /** Whether the tracer stopped here (endpoint: exchange deposit, unspent...). */
  endpoint: boolean;
}

/** One traced movement of value between two nodes. */
export interface FlowEdge {
  id: string;
  source: string;
  target: string;
  tracedSat: number;
  time: string | null;
  txid: string | null;
  /** Why the tracer followed this edge (policy rule, heuristic). */
  reason: string | null;
}

/** Where traced coins ended up, grouped by entity. */
export interface Endpoint {
  entity: string;
  category: Category;
  rawCategory: string | null;
  tracedSat: number;
  firstTime: string | null;
  lastTime: string | null;
  /** Graph node ids that belong to this endpoint (to highlight them). */
  nodeIds: string[];
  ref: FlowNode['ref'];
}

/** A trace result as the UI uses it. */
export interface Trace {
  schemaVersion: number;
  policy: Policy;
  /** The tracer's one-line definition of the policy. */
  policyDefinition: string | null;
  title: string;
  /** The tracer's plain-language summary. */
  narrative: string | null;
  /** False when a limit (hops, nodes, edges) stopped part of the walk. */
  complete: boolean;
  summary: { sourceSat: number; endpointSat: number; unspentSat: number; feeSat: number; mixedSat: number; nodes: number; edges: number };
  nodes: FlowNode[];
  edges: FlowEdge[];
  endpoints: Endpoint[];
  /** The raw document, for the JSON export. */
  raw: unknown;
}

/** A label on an address or cluster, with where it comes from. */
export interface Label {
  label: string;
  category: string | null;
  actor: { id: string; name: string } | null;
  source: string | null;
  sourceUrl: string | null;
  confidence: string | null;
}

/** One row of a paginated transaction list. */
export interface TxRow {
  txid: string;
  time: string | null;
  height: number | null;
  /** Net effect on the address / cluster, in satoshi (negative = spent). */
  deltaSat: number | null;
  valueSat: number | null;
}

export interface Page<T> {
  items: T[];
  page: number;
  pageSize: number;
  total: number | null;
}

/** One line of a risk breakdown: a reason and how much it adds. */
export interface RiskItem {
  rule: string;
  score: number;
  detail: string;
}

export interface Risk {
  score: number | null;
  level: string | null;
  items: RiskItem[];
}

export interface SearchHit {
  type: 'address' | 'tx' | 'cluster' | 'actor' | 'incident' | 'label';
  id: string;
  title: string;
  detail: string | null;
}
