/**
 * Clustering accuracy against the simulator's ground truth. Pure functions over
 * address → true entity and address → predicted cluster.
 *
 * - B-cubed precision/recall (Bagga & Baldwin 1998; Amigó et al. 2009): per address, the share of its
 *   predicted cluster that is its own entity (precision) and the share of its entity found in its
 *   cluster (recall), averaged over addresses.
 * - Pairwise precision/recall: over address pairs, "same cluster" against "same entity".
 * - Wrongly merged entities: entities that share a predicted cluster with another entity.
 * - CoinJoin participants merged: pairs of distinct owners of one CoinJoin's inputs whose input
 *   addresses ended in the same predicted cluster (the error a multi-input clusterer makes there).
 *
 * Only truth addresses are scored; a truth address the prediction does not know is its own cluster.
 */

export interface ClusteringScores {
  addresses: number;
  entities: number;
  clusters: number;
  bcubedPrecision: number;
  bcubedRecall: number;
  bcubedF1: number;
  pairwisePrecision: number;
  pairwiseRecall: number;
  pairwiseF1: number;
  /** Entities that share a predicted cluster with at least one other entity. */
  wronglyMergedEntities: number;
  /** Predicted clusters holding addresses of more than one entity. */
  impureClusters: number;
  coinjoins: number;
  /** CoinJoins with at least one pair of distinct participants in one predicted cluster. */
  coinjoinsWithMergedParticipants: number;
  coinjoinParticipantPairs: number;
  coinjoinParticipantPairsMerged: number;
}

export interface CoinJoinInputs {
  inputs: readonly { address: string | null; entity: number }[];
}

const pairs = (n: number) => (n * (n - 1)) / 2;
const f1 = (p: number, r: number) => (p + r === 0 ? 0 : (2 * p * r) / (p + r));

/**
 * Scores a predicted clustering.
 * @param truth address → true entity id
 * @param predicted address → predicted cluster id (any string/number); missing = singleton
 * @param coinjoins the truth's CoinJoin transactions (their inputs' addresses and owners)
 */
export function scoreClustering(
  truth: ReadonlyMap<string, number>,
  predicted: ReadonlyMap<string, string | number>,
  coinjoins: readonly CoinJoinInputs[] = [],
): ClusteringScores {
  const clusterOf = (a: string): string => {
    const c = predicted.get(a);
    return c === undefined ? `\u0000single:${a}` : `c:${String(c)}`;
  };
  const cell = new Map<string, Map<number, number>>();
  const entitySize = new Map<number, number>();
  for (const [a, e] of truth) {
    const c = clusterOf(a);
    let m = cell.get(c);
    if (m === undefined) {
      m = new Map();
      cell.set(c, m);
    }
    m.set(e, (m.get(e) ?? 0) + 1);
    entitySize.set(e, (entitySize.get(e) ?? 0) + 1);
  }
  const n = truth.size;
  let bP = 0;
  let bR = 0;
  let tp = 0;
  let predPairs = 0;
  let impure = 0;
  const merged = new Set<number>();
  for (const m of cell.values()) {
    let size = 0;
    for (const v of m.values()) size += v;
    predPairs += pairs(size);
    if (m.size > 1) {
      impure++;
      for (const e of m.keys()) merged.add(e);
    }
    for (const [e, v] of m) {
      bP += (v * v) / size;
      bR += (v * v) / entitySize.get(e)!;
      tp += pairs(v);
    }
  }
  let truePairs = 0;
  for (const s of entitySize.values()) truePairs += pairs(s);
  const bcubedPrecision = n === 0 ? 1 : bP / n;
  const bcubedRecall = n === 0 ? 1 : bR / n;
  const pairwisePrecision = predPairs === 0 ? 1 : tp / predPairs;
  const pairwiseRecall = truePairs === 0 ? 1 : tp / truePairs;

  let cjMerged = 0;
  let cjPairs = 0;
  let cjPairsMerged = 0;
  for (const cj of coinjoins) {
    const clustersOf = new Map<number, Set<string>>();
    for (const i of cj.inputs) {
      if (i.address === null) continue;
      let s = clustersOf.get(i.entity);
      if (s === undefined) {
        s = new Set();
        clustersOf.set(i.entity, s);
      }
      s.add(clusterOf(i.address));
    }
    const ents = [...clustersOf.keys()];
    let any = false;
    for (let x = 0; x < ents.length; x++) {
      for (let y = x + 1; y < ents.length; y++) {
        cjPairs++;
        const sx = clustersOf.get(ents[x]!)!;
        const sy = clustersOf.get(ents[y]!)!;
        let shared = false;
        for (const c of sx) if (sy.has(c)) shared = true;
        if (shared) {
          cjPairsMerged++;
          any = true;
        }
      }
    }
    if (any) cjMerged++;
  }

  return {
    addresses: n,
    entities: entitySize.size,
    clusters: cell.size,
    bcubedPrecision,
    bcubedRecall,
    bcubedF1: f1(bcubedPrecision, bcubedRecall),
    pairwisePrecision,
    pairwiseRecall,
    pairwiseF1: f1(pairwisePrecision, pairwiseRecall),
    wronglyMergedEntities: merged.size,
    impureClusters: impure,
    coinjoins: coinjoins.length,
    coinjoinsWithMergedParticipants: cjMerged,
    coinjoinParticipantPairs: cjPairs,
    coinjoinParticipantPairsMerged: cjPairsMerged,
  };
}
