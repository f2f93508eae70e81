/**
 * txid → tx_id resolution without scanning the `transactions.txid` column (which has no index) on every
 * trace: an in-memory hash table over the first 32 bits of every txid, built once per session from one
 * scan, with each candidate confirmed against the full txid by a point query on `tx_id` (row groups skipped
 * by their min/max), so a prefix collision or a BIP30 duplicate never resolves to the wrong transaction.
 */
import { type Database, vectorItems } from '../store/index.js';

/** Empty slot marker of the hash table (tx ids are < 2^32 - 1). */
const EMPTY = 0xffffffff;

/** The 32-bit prefix of a display-hex txid (its first 8 hex characters). */
export function txidPrefix(txid: string): number {
  return Number.parseInt(txid.slice(0, 8), 16) >>> 0;
}

/** Slot of a prefix in a table of `mask + 1` slots: txids are hashes, so their low prefix bits are uniform already. */
function slotOf(prefix: number, mask: number): number {
  return prefix & mask;
}

/** Open-addressing table prefix → tx ids, over the txs `0 .. txCount - 1` of a store. */
export class TxidIndex {
  private constructor(
    /** Prefix of each tx id. */
    private readonly prefixes: Uint32Array,
    /** Slot → tx id (EMPTY when free); linear probing. */
    private readonly table: Uint32Array,
  ) {}

  /** Transactions indexed. */
  get size(): number {
    return this.prefixes.length;
  }

  /**
   * Builds the index from `transactions` (one scan of the txid column; only the prefix reaches JS).
   * @param txCount transactions the session's arrays hold: later rows (a store changed since) are left out.
   */
  static async build(db: Database, txCount: number): Promise<TxidIndex> {
    const prefixes = new Uint32Array(txCount);
    let cap = 1;
    while (cap < txCount * 2) cap *= 2;
    const table = new Uint32Array(Math.max(cap, 2)).fill(EMPTY);
    const mask = table.length - 1;
    await db.eachChunk(
      `SELECT tx_id::UINTEGER, ('0x' || substr(txid, 1, 8))::UINTEGER FROM transactions WHERE tx_id < ${Math.trunc(txCount)}`,
      (chunk, n) => {
        const ids = vectorItems(chunk, 0) as Uint32Array;
        const ps = vectorItems(chunk, 1) as Uint32Array;
        for (let r = 0; r < n; r++) {
          const t = ids[r]!;
          const p = ps[r]!;
          prefixes[t] = p;
          let s = slotOf(p, mask);
          while (table[s] !== EMPTY) s = (s + 1) & mask;
          table[s] = t;
        }
      },
    );
    return new TxidIndex(prefixes, table);
  }

  /** Tx ids whose txid starts like `txid` (a superset of the matches: confirm against the full txid). */
  candidates(txid: string): number[] {
    const p = txidPrefix(txid);
    const mask = this.table.length - 1;
    const out: number[] = [];
    for (let s = slotOf(p, mask); this.table[s] !== EMPTY; s = (s + 1) & mask) {
      const t = this.table[s]!;
      if (this.prefixes[t] === p) out.push(t);
    }
    return out;
  }

  /**
   * Resolves txids to tx ids: the later of two BIP30 duplicates wins (as `max(tx_id)` over the column).
   * Txids with no match are absent from the map.
   */
  async resolve(db: Database, txids: readonly string[]): Promise<Map<string, number>> {
    const want = new Set(txids);
    const cand = new Set<number>();
    for (const x of want) for (const t of this.candidates(x)) cand.add(t);
    const found = new Map<string, number>();
    if (cand.size === 0) return found;
    // A handful of integers from our own arrays as literals: DuckDB prunes row groups by the tx_id zone maps.
    const rows = await db.all<{ t: bigint; txid: string }>(`SELECT tx_id t, txid FROM transactions WHERE tx_id IN (${[...cand].join(',')})`);
    for (const r of rows) {
      if (!want.has(r.txid)) continue;
      const t = Number(r.t);
      if (t > (found.get(r.txid) ?? -1)) found.set(r.txid, t);
    }
    return found;
  }
}
