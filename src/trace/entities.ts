/**
 * Who owns an address, as far as the labels say: an entity table and two integer lookups, address id →
 * entity and cluster id → entity. A walker asks `lookup(addressId)` at every traced output; a hit in a stop
 * category ends the walk there (an endpoint). How the hit was made is kept for the result: `address` (the
 * address itself carries the tag) or `cluster` (another address of its cluster does: cluster membership).
 */
import { NONE } from './chain.js';

/** One labelled entity as the tracer reports it. */
export interface TraceEntity {
  /** Stable key: the actor id when the tag names one, else the label, lower-cased. */
  key: string;
  label: string;
  /** GraphSense concept id (exchange, mixing_service, …). */
  category: string;
  /** Label source (file path or `manual:` pseudo-source). */
  source: string;
  /** GraphSense confidence id and level (0..100), when known. */
  confidence: string | null;
  confidenceLevel: number | null;
  /** Whether the walk stops here (the category is in the stop set). */
  stop: boolean;
}

/** How an address resolved to an entity. */
export interface EntityHit {
  entity: number;
  via: 'address' | 'cluster';
  /** The cluster id used for a `cluster` hit. */
  cluster: number | null;
}

export class EntityIndex {
  readonly entities: TraceEntity[] = [];
  private readonly byKey = new Map<string, number>();
  private readonly byAddress = new Map<number, number>();
  private readonly byCluster = new Map<number, number>();

  /**
   * @param addressCluster cluster id per address id (NONE or absent when the store is not clustered).
   */
  constructor(readonly addressCluster: Uint32Array | null = null) {}

  /** Adds (or finds) an entity by key and returns its index. */
  entity(e: TraceEntity): number {
    const found = this.byKey.get(e.key);
    if (found !== undefined) {
      const cur = this.entities[found]!;
      // The strongest claim wins: a stop category or a higher confidence replaces a weaker tag of the same key.
      if ((e.stop && !cur.stop) || (e.stop === cur.stop && (e.confidenceLevel ?? 0) > (cur.confidenceLevel ?? 0))) {
        this.entities[found] = e;
      }
      return found;
    }
    this.entities.push(e);
    this.byKey.set(e.key, this.entities.length - 1);
    return this.entities.length - 1;
  }

  /** Tags an address with an entity; the entity then also covers the address's cluster. */
  tagAddress(addressId: number, entity: number): void {
    const prev = this.byAddress.get(addressId);
    if (prev === undefined || (this.entities[entity]!.stop && !this.entities[prev]!.stop)) this.byAddress.set(addressId, entity);
    const c = this.addressCluster?.[addressId];
    if (c !== undefined && c !== NONE) {
      const pc = this.byCluster.get(c);
      if (pc === undefined || (this.entities[entity]!.stop && !this.entities[pc]!.stop)) this.byCluster.set(c, entity);
    }
  }

  /** The entity of an address (its own tag first, then its cluster's), or null. */
  lookup(addressId: number): EntityHit | null {
    if (addressId === NONE) return null;
    const e = this.byAddress.get(addressId);
    if (e !== undefined) return { entity: e, via: 'address', cluster: null };
    const c = this.addressCluster?.[addressId];
    if (c === undefined || c === NONE) return null;
    const ce = this.byCluster.get(c);
    return ce === undefined ? null : { entity: ce, via: 'cluster', cluster: c };
  }

  /** The cluster id of an address, or null. */
  clusterOf(addressId: number): number | null {
    if (addressId === NONE) return null;
    const c = this.addressCluster?.[addressId];
    return c === undefined || c === NONE ? null : c;
  }

  get taggedAddresses(): number {
    return this.byAddress.size;
  }
}
