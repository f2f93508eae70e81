/**
 * Every txid and address string of the store, in memory, addressed by dense id: naming a trace's result
 * becomes array reads instead of a query. DuckDB has no positional fetch for a list of ids, so a lookup of
 * ids scattered over the chain scans the whole name column (tens of ms per trace on a 3.6 M-tx chain,
 * growing with the chain); here it costs ~1 µs per id whatever the chain's size.
 *
 * Memory: 32 bytes per transaction (the txid's bytes) plus the address strings (~35 bytes each on the
 * simulator's mix of P2PKH/P2WPKH/P2TR) and 4 bytes of offset per address. A long-lived session (the
 * API server) loads them once in the background (`ChainNames.shared`); a one-shot CLI trace queries instead.
 */
import { type Database, vectorItems } from '../store/index.js';

/** Ids per `string_agg` group when loading address strings (one JS string per group, not per address). */
const ADDRESS_GROUP = 1 << 16;

/** Per Database: the last load and what it was for (counts and tip: a reorg to a chain of the same size is another chain). */
const SHARED = new WeakMap<Database, { txCount: number; addressCount: number; tipHash: string | null; names: Promise<ChainNames> }>();

export class ChainNames {
  private constructor(
    /** Transactions named: ids [0, txCount). */
    readonly txCount: number,
    /** Addresses named: ids [0, addressCount). */
    readonly addressCount: number,
    private readonly txidBytes: Buffer,
    /** Ids per address group. */
    private readonly group: number,
    /** Address strings of ids [g·group, (g+1)·group), space-separated, in group g. */
    private readonly addressGroups: Buffer[],
    /** Where address i's string starts in its group; it ends one byte before the next one starts. */
    private readonly addressStart: Uint32Array,
  ) {}

  /** Display-hex txid of a transaction id, undefined past `txCount`. */
  txid(id: number): string | undefined {
    if (!(id >= 0 && id < this.txCount)) return undefined;
    return this.txidBytes.toString('hex', id * 32, id * 32 + 32);
  }

  /** Address string of an address id, undefined past `addressCount`. */
  address(id: number): string | undefined {
    if (!(id >= 0 && id < this.addressCount)) return undefined;
    const group = this.addressGroups[Math.floor(id / this.group)] as Buffer;
    const last = (id + 1) % this.group === 0 || id + 1 === this.addressCount;
    return group.toString('latin1', this.addressStart[id], last ? group.length : (this.addressStart[id + 1] as number) - 1);
  }

  /** Bytes held. */
  get bytes(): number {
    return this.txidBytes.length + this.addressGroups.reduce((n, g) => n + g.length, 0) + this.addressStart.byteLength;
  }

  /**
   * The names of `db` at these counts and tip, loaded once and shared by every session on the same Database
   * (the API keeps one session per stop set). A load for other counts or another tip (new blocks, a reorg)
   * replaces it; a failed load is forgotten, so the next session retries.
   */
  static shared(db: Database, txCount: number, addressCount: number, tipHash: string | null): Promise<ChainNames> {
    const cur = SHARED.get(db);
    if (cur !== undefined && cur.txCount === txCount && cur.addressCount === addressCount && cur.tipHash === tipHash) return cur.names;
    const names = ChainNames.load(db, txCount, addressCount);
    const entry = { txCount, addressCount, tipHash, names };
    SHARED.set(db, entry);
    names.catch(() => {
      if (SHARED.get(db) === entry) SHARED.delete(db);
    });
    return names;
  }

  /**
   * Reads every txid and address of the store (ids below the given counts) on a connection of its own, so
   * the caller's connection stays free for queries meanwhile.
   * @param group ids per address group (tests use small groups to cross group boundaries)
   * @throws Error when the tables do not hold exactly the dense ids [0, count) (the store changed: ingest
   *   running), or on a DuckDB error
   */
  static async load(db: Database, txCount: number, addressCount: number, group = ADDRESS_GROUP): Promise<ChainNames> {
    const conn = await db.connect();
    try {
      const txidBytes = Buffer.alloc(txCount * 32);
      const view = new DataView(txidBytes.buffer, txidBytes.byteOffset, txidBytes.byteLength);
      // A txid as four UBIGINTs: numeric vectors come out as typed arrays, 64 hex characters per row do not.
      const part = (k: number) => `('0x' || substr(txid, ${1 + 16 * k}, 16))::UBIGINT`;
      let seen = 0;
      await db.eachChunk(
        `SELECT tx_id::UINTEGER, ${[0, 1, 2, 3].map(part).join(', ')} FROM transactions WHERE tx_id < ${txCount}`,
        (chunk, n) => {
          const ids = vectorItems(chunk, 0) as Uint32Array;
          const [a, b, c, d] = [1, 2, 3, 4].map((k) => vectorItems(chunk, k) as BigUint64Array) as [
            BigUint64Array,
            BigUint64Array,
            BigUint64Array,
            BigUint64Array,
          ];
          for (let r = 0; r < n; r++) {
            const o = (ids[r] as number) * 32;
            view.setBigUint64(o, a[r] as bigint);
            view.setBigUint64(o + 8, b[r] as bigint);
            view.setBigUint64(o + 16, c[r] as bigint);
            view.setBigUint64(o + 24, d[r] as bigint);
          }
          seen += n;
        },
        conn,
      );
      if (seen !== txCount) throw new Error(`ChainNames: read ${seen} transactions, expected ${txCount} (the store changed?)`);

      // Addresses: one space-joined string per group of ids (addresses never contain a space).
      const groups: Buffer[] = [];
      await db.eachChunk(
        `SELECT (address_id // ${group})::UINTEGER g, count(*)::UINTEGER n, string_agg(address, ' ' ORDER BY address_id) s
           FROM addresses WHERE address_id < ${addressCount} GROUP BY g ORDER BY g`,
        (chunk, rows) => {
          const g = vectorItems(chunk, 0) as Uint32Array;
          const n = vectorItems(chunk, 1) as Uint32Array;
          const s = chunk.getColumnVector(2);
          for (let r = 0; r < rows; r++) {
            const expect = Math.min(group, addressCount - (g[r] as number) * group);
            if (g[r] !== groups.length || n[r] !== expect) {
              throw new Error(`ChainNames: address ids of group ${g[r]} are not dense (the store changed?)`);
            }
            groups.push(Buffer.from(s.getItem(r) as string, 'latin1'));
          }
        },
        conn,
      );
      if (groups.length * group < addressCount) throw new Error('ChainNames: addresses missing (the store changed?)');
      const addressStart = new Uint32Array(addressCount);
      for (let g = 0; g < groups.length; g++) {
        const buf = groups[g] as Buffer;
        let pos = 0;
        const end = Math.min(addressCount, (g + 1) * group);
        for (let i = g * group; i < end; i++) {
          addressStart[i] = pos;
          const sp = buf.indexOf(0x20, pos);
          pos = sp < 0 ? buf.length : sp + 1;
        }
      }
      return new ChainNames(txCount, addressCount, txidBytes, group, groups, addressStart);
    } finally {
      conn.closeSync();
    }
  }
}
