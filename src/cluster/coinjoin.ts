/**
 * CoinJoin detection: transactions whose inputs belong to several owners by design, so the
 * common-input-ownership heuristic must not merge them (Meiklejohn et al. 2013 §4 already excluded
 * "mixers"; Möser & Narayanan 2022, "Resurrecting Address Clustering in Bitcoin", §3.2 filter CoinJoins
 * before clustering). Each shape below is the one the literature describes for a coordinator/protocol:
 *
 * - `whirlpool` (Samourai Whirlpool, 2019–2024): exactly 5 inputs and 5 outputs, all 5 outputs equal
 *   to a pool denomination (0.0005 (2023), 0.001, 0.01, 0.05, 0.5 BTC), 5 distinct input addresses.
 * - `wasabi1` (Wasabi 1.x / ZeroLink, 2018–2024): ≥ 10 equal outputs at the base denomination
 *   ≈ 0.1 BTC (0.08–0.12 BTC: the coordinator adjusted it), as many distinct input addresses,
 *   plus coordinator-fee and change outputs.
 * - `wasabi2` (WabiSabi, 2022–): ≥ 50 inputs and ≥ 50 outputs (the rule Dumplings and jlopp's
 *   counter use for WabiSabi rounds), with at least one repeated standard denomination.
 * - `joinmarket` (JoinMarket and generic equal-output CoinJoins; the BlockSci/Goldfeder et al. 2018
 *   shape): k ≥ 2 equal non-dust outputs, ≥ 2 distinct input addresses, ≥ 2 inputs, and at most
 *   2k + 1 outputs (each participant gets one equal output and at most one change, plus a fee).
 *
 * "Distinct input owners" is approximated by distinct input addresses (unknown inputs count as
 * distinct): detecting a CoinJoin only ever removes merges, so erring towards detection is safe.
 */

/** Pattern names, as stored in `transactions.coinjoin`. Code = index + 1 (0 = not a CoinJoin). */
export const COINJOIN_PATTERNS = ['whirlpool', 'wasabi1', 'wasabi2', 'joinmarket'] as const;
export type CoinJoinPattern = (typeof COINJOIN_PATTERNS)[number];

/** Whirlpool pool denominations in satoshis (0.0005 pool from 2023, 0.5 pool retired 2023). */
export const WHIRLPOOL_DENOMINATIONS_SAT: readonly number[] = [50_000, 100_000, 1_000_000, 5_000_000, 50_000_000];
const COIN = 100_000_000;
/** Outputs at or below this are dust, never a mixing denomination (546 = P2PKH dust limit, 2730 old limit). */
const DUST_SAT = 2730;
const NONE = 0xffffffff;

/**
 * Reusable CoinJoin classifier over the chain arrays (scratch buffers are kept between calls, so the
 * hot loop allocates nothing).
 */
export class CoinJoinDetector {
  private valScratch = new Float64Array(64);
  private addrScratch = new Uint32Array(64);

  /**
   * Classifies one transaction given its inputs' addresses and its outputs' values.
   * @param inputAddress address id per input (NONE = unknown), read over [inStart, inEnd)
   * @param outputValue value per output (satoshis), read over [outStart, outEnd)
   * @returns pattern code (index in COINJOIN_PATTERNS + 1) or 0
   */
  classify(
    inputAddress: Uint32Array,
    inStart: number,
    inEnd: number,
    outputValue: Float64Array,
    outStart: number,
    outEnd: number,
  ): number {
    const nIn = inEnd - inStart;
    const nOut = outEnd - outStart;
    if (nIn < 2 || nOut < 2) return 0;
    // Most common non-dust output value (ties: the larger count, then the larger value).
    let bestValue = 0;
    let bestCount = 0;
    if (nOut <= 16) {
      for (let i = outStart; i < outEnd; i++) {
        const v = outputValue[i] as number;
        if (v <= DUST_SAT) continue;
        let c = 0;
        for (let j = outStart; j < outEnd; j++) if (outputValue[j] === v) c++;
        if (c > bestCount || (c === bestCount && v > bestValue)) {
          bestCount = c;
          bestValue = v;
        }
      }
    } else {
      if (this.valScratch.length < nOut) this.valScratch = new Float64Array(nOut * 2);
      const s = this.valScratch.subarray(0, nOut);
      s.set(outputValue.subarray(outStart, outEnd));
      s.sort();
      for (let i = 0; i < nOut; ) {
        const v = s[i] as number;
        let j = i + 1;
        while (j < nOut && s[j] === v) j++;
        if (v > DUST_SAT && j - i >= bestCount) {
          bestCount = j - i;
          bestValue = v;
        }
        i = j;
      }
    }
    if (bestCount < 2) return 0;
    const distinctInputs = this.distinct(inputAddress, inStart, inEnd);
    if (distinctInputs < 2) return 0;

    if (nIn === 5 && nOut === 5 && bestCount === 5 && distinctInputs === 5 && WHIRLPOOL_DENOMINATIONS_SAT.includes(bestValue)) {
      return 1;
    }
    if (bestCount >= 10 && Math.abs(bestValue - 0.1 * COIN) <= 0.02 * COIN && distinctInputs >= bestCount) return 2;
    if (nIn >= 50 && nOut >= 50) return 3;
    if (nOut <= 2 * bestCount + 1) return 4;
    return 0;
  }

  /** Number of distinct addresses in [start, end); each NONE counts as its own owner. */
  private distinct(a: Uint32Array, start: number, end: number): number {
    const n = end - start;
    if (n <= 16) {
      let d = 0;
      for (let i = start; i < end; i++) {
        const x = a[i] as number;
        if (x === NONE) {
          d++;
          continue;
        }
        let dup = false;
        for (let j = start; j < i; j++) {
          if (a[j] === x) {
            dup = true;
            break;
          }
        }
        if (!dup) d++;
      }
      return d;
    }
    if (this.addrScratch.length < n) this.addrScratch = new Uint32Array(n * 2);
    const s = this.addrScratch.subarray(0, n);
    s.set(a.subarray(start, end));
    s.sort();
    let d = 0;
    for (let i = 0; i < n; i++) if (i === 0 || s[i] !== s[i - 1] || s[i] === NONE) d++;
    return d;
  }
}

/** Pattern name of a code from CoinJoinDetector.classify (null for 0). */
export function coinJoinPatternName(code: number): CoinJoinPattern | null {
  return code === 0 ? null : (COINJOIN_PATTERNS[code - 1] ?? null);
}
