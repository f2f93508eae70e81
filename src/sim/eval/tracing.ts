/**
 * Tracing accuracy against the simulator's ground truth: does a trace of stolen funds end at the
 * deposits where the thief really cashed out, and how much innocent value does it flag?
 *
 * A trace result is a list of endpoints {address, amountSat} (value the trace says reached that
 * address). Per address, the matched amount is min(flagged, true cash-out amount there):
 * - recall = matched / true cash-out total (amount-weighted)
 * - precision = matched / flagged total
 * - endpoints found = true cash-out addresses with any matched value
 * - innocent value flagged = flagged value at addresses neither a true cash-out nor the thief's own
 *   (the victim, CoinJoin co-participants, the innocent recipients, anyone else)
 */

export interface TraceEndpoint {
  address: string;
  amountSat: number;
}

export interface TracingTruth {
  /** The thief's cash-out deposits (several may share an address). */
  cashOuts: readonly { address: string | null; valueSat: number }[];
  /** Entity id of the thief. */
  attacker: number;
  /** Addresses that received small payments from the thief without being involved. */
  innocentPayments: readonly { address: string | null }[];
}

export interface TracingScores {
  trueCashOutSat: number;
  flaggedSat: number;
  matchedSat: number;
  recall: number;
  precision: number;
  endpoints: number;
  endpointsFound: number;
  /** Flagged value at the thief's own addresses (intermediate hops, not cash-outs). */
  attackerFlaggedSat: number;
  innocentFlaggedSat: number;
  innocentRecipients: number;
  innocentRecipientsFlagged: number;
}

/**
 * Scores a trace result.
 * @param ownerOf address → true entity id (from the truth), to tell the thief's own addresses apart
 * @throws RangeError for an endpoint whose amount is negative or not a number
 */
export function scoreTracing(truth: TracingTruth, ownerOf: ReadonlyMap<string, number>, endpoints: readonly TraceEndpoint[]): TracingScores {
  const trueAt = new Map<string, number>();
  for (const c of truth.cashOuts) if (c.address !== null) trueAt.set(c.address, (trueAt.get(c.address) ?? 0) + c.valueSat);
  const flaggedAt = new Map<string, number>();
  for (const [i, e] of endpoints.entries()) {
    if (!Number.isFinite(e.amountSat) || e.amountSat < 0) throw new RangeError(`trace endpoint [${i}] ${e.address}: amountSat must be a non-negative number, got ${e.amountSat}`);
    flaggedAt.set(e.address, (flaggedAt.get(e.address) ?? 0) + e.amountSat);
  }
  let trueTotal = 0;
  for (const v of trueAt.values()) trueTotal += v;
  let flagged = 0;
  let matched = 0;
  let found = 0;
  let attackerFlagged = 0;
  let innocent = 0;
  for (const [a, v] of flaggedAt) {
    flagged += v;
    const t = trueAt.get(a);
    if (t !== undefined) {
      const m = Math.min(v, t);
      matched += m;
      if (m > 0) found++;
    } else if (ownerOf.get(a) === truth.attacker) attackerFlagged += v;
    else innocent += v;
  }
  const recipients = new Set(truth.innocentPayments.map((p) => p.address).filter((a): a is string => a !== null && !trueAt.has(a)));
  let recipientsFlagged = 0;
  for (const a of recipients) if ((flaggedAt.get(a) ?? 0) > 0) recipientsFlagged++;
  return {
    trueCashOutSat: trueTotal,
    flaggedSat: flagged,
    matchedSat: matched,
    recall: trueTotal === 0 ? 1 : matched / trueTotal,
    precision: flagged === 0 ? 1 : matched / flagged,
    endpoints: trueAt.size,
    endpointsFound: found,
    attackerFlaggedSat: attackerFlagged,
    innocentFlaggedSat: innocent,
    innocentRecipients: recipients.size,
    innocentRecipientsFlagged: recipientsFlagged,
  };
}
