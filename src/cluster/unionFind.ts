/**
 * Disjoint sets over dense integer ids (address ids), in typed arrays: path halving + union by rank
 * (Tarjan & van Leeuwen 1984), amortised inverse-Ackermann per operation.
 *
 * Memory: 4 bytes (parent, Uint32) + 1 byte (rank, Uint8: rank ≤ log2(n) < 33) = 5 bytes per id.
 * Ids up to 2^32 − 2 (0xffffffff is NONE in chain arrays). 1.5 billion addresses take 7.5 GB.
 */
export class UnionFind {
  /** parent[x] === x marks a root. */
  parent: Uint32Array;
  rank: Uint8Array;
  private n: number;

  /** @param n number of ids, [0, n) */
  constructor(n: number) {
    this.n = n;
    this.parent = new Uint32Array(n);
    for (let i = 0; i < n; i++) this.parent[i] = i;
    this.rank = new Uint8Array(n);
  }

  /** Number of ids. */
  get size(): number {
    return this.n;
  }

  /**
   * Rebuilds sets from a labelling: ids with the same `label[x]` form one set. A label must itself be a
   * member of its set (as the clustering's canonical labels are: the smallest id). Used to resume an
   * incremental run from the stored `addresses.cluster` column. A label 0xffffffff (not clustered yet),
   * or an id past `labels.length`, is a singleton.
   * @throws RangeError when a label is out of range or not labelled with itself
   */
  static fromLabels(labels: Uint32Array, n = labels.length): UnionFind {
    const uf = new UnionFind(0);
    uf.n = n;
    uf.parent = new Uint32Array(n);
    uf.rank = new Uint8Array(n);
    for (let i = 0; i < n; i++) {
      const raw = i < labels.length ? (labels[i] as number) : i;
      const l = raw === 0xffffffff ? i : raw;
      if (l >= n || (l !== i && l < labels.length && labels[l] !== l)) {
        throw new RangeError(`UnionFind.fromLabels: id ${i} has label ${l}, which is not a root labelled with itself`);
      }
      uf.parent[i] = l;
      if (l !== i) uf.rank[l] = 1;
    }
    return uf;
  }

  /** Grows to n ids (new ids are singletons); keeps the sets. */
  grow(n: number): void {
    if (n <= this.n) return;
    const parent = new Uint32Array(n);
    parent.set(this.parent.subarray(0, this.n));
    for (let i = this.n; i < n; i++) parent[i] = i;
    const rank = new Uint8Array(n);
    rank.set(this.rank.subarray(0, this.n));
    this.parent = parent;
    this.rank = rank;
    this.n = n;
  }

  /** The root of x's set (path halving: every other node on the path points to its grandparent). */
  find(x: number): number {
    const p = this.parent;
    let px = p[x] as number;
    while (px !== x) {
      const gp = p[px] as number;
      p[x] = gp;
      x = gp;
      px = p[x] as number;
    }
    return x;
  }

  /** Merges the sets of a and b; returns false when they were already one set. */
  union(a: number, b: number): boolean {
    let ra = this.find(a);
    let rb = this.find(b);
    if (ra === rb) return false;
    const r = this.rank;
    const rka = r[ra] as number;
    const rkb = r[rb] as number;
    if (rka < rkb) {
      const t = ra;
      ra = rb;
      rb = t;
    } else if (rka === rkb) {
      r[ra] = rka + 1;
    }
    this.parent[rb] = ra;
    return true;
  }

  /**
   * Canonical labels: label[x] = the smallest id in x's set. Independent of the order of the unions,
   * so results are reproducible and an incremental run can resume from them (`fromLabels`).
   * Uses one extra Uint32Array of n (4 bytes per id) while running.
   */
  labels(): Uint32Array {
    const n = this.n;
    const out = new Uint32Array(n);
    const minOfRoot = new Uint32Array(n).fill(0xffffffff);
    // Ids ascend, so the first id seen for a root is its smallest member.
    for (let i = 0; i < n; i++) {
      const r = this.find(i);
      if (minOfRoot[r] === 0xffffffff) minOfRoot[r] = i;
      out[i] = minOfRoot[r] as number;
    }
    return out;
  }
}

/**
 * The naive baseline the benchmark compares against: a Map-based union-find with the same algorithm
 * (path halving, union by rank) on boxed numbers. Not used by the clusterer.
 */
export class MapUnionFind {
  private readonly parent = new Map<number, number>();
  private readonly rank = new Map<number, number>();

  find(x: number): number {
    let px = this.parent.get(x);
    if (px === undefined) {
      this.parent.set(x, x);
      return x;
    }
    while (px !== x) {
      const gp = this.parent.get(px) as number;
      this.parent.set(x, gp);
      x = gp;
      px = this.parent.get(x) as number;
    }
    return x;
  }

  union(a: number, b: number): boolean {
    let ra = this.find(a);
    let rb = this.find(b);
    if (ra === rb) return false;
    const rka = this.rank.get(ra) ?? 0;
    const rkb = this.rank.get(rb) ?? 0;
    if (rka < rkb) {
      const t = ra;
      ra = rb;
      rb = t;
    } else if (rka === rkb) this.rank.set(ra, rka + 1);
    this.parent.set(rb, ra);
    return true;
  }
}
