/**
 * The unspent-output map of ingest: (txid, vout) → (output_id, value, address_id), an open-addressing
 * hash table (linear probing, backward-shift deletion, no tombstones) over typed arrays. Its size follows
 * the UTXO set only: spent entries are removed, so it does not grow with chain length.
 *
 * Keys are the first 12 bytes of the txid (internal order) plus the vout. Txids are uniformly random,
 * so a wrong match needs two live txids sharing 96 bits (probability about n^2 / 2^97: 1e-13 at n = 2e8).
 *
 * BIP30 (duplicate coinbase txids, mainnet heights 91842 and 91880): inserting a key that is already
 * present overwrites it, which is what Bitcoin Core did before BIP30: the earlier outputs can never
 * be spent and the later ones are the ones a spend refers to.
 *
 * Layout: one 40-byte record per slot (txid words k0 k1 k2, vout + 1 with 0 = empty, then output id, value,
 * address id as doubles), so a probe and the values of a hit are in the same cache line (with separate
 * key, value and used arrays a lookup touched three places at random).
 *
 * Memory: 40 bytes per slot, load factor at most 0.7 (about 60 bytes per unspent output).
 */
export class UtxoMap {
  private cap: number;
  private mask: number;
  /** Slot i: u32[10i .. 10i+4) = k0, k1, k2, vout + 1 (0 = empty); f64[5i+2 .. 5i+5) = output id, value, address id. */
  private u32: Uint32Array;
  private f64: Float64Array;
  private count = 0;
  /** Number of inserts that replaced a live entry (BIP30 duplicates). */
  overwrites = 0;

  constructor(initialCapacity = 1 << 16) {
    let c = 1024;
    while (c < initialCapacity) c *= 2;
    this.cap = c;
    this.mask = c - 1;
    const buf = new ArrayBuffer(c * 40);
    this.u32 = new Uint32Array(buf);
    this.f64 = new Float64Array(buf);
    this.u32.fill(0); // see grow()
  }

  /** Live entries. */
  get size(): number {
    return this.count;
  }

  /** Bytes held by the table. */
  get bytes(): number {
    return this.u32.byteLength;
  }

  /**
   * Home slot: the txid's first word plus the vout, so the outputs of one transaction have neighbouring
   * homes and their inserts share cache lines (one miss per transaction instead of one per output).
   */
  private home(k0: number, vout: number): number {
    return (k0 + vout) & this.mask;
  }

  /**
   * Reads the home slot of a key and returns its tag: a load issued ahead of `find` for the same key (the
   * linker touches the slot of the input 16 places ahead), so the cache misses of several lookups overlap.
   */
  touch(w: Uint32Array, at: number, vout: number): number {
    return this.u32[this.home(w[at] as number, vout) * 10 + 3] as number;
  }

  /** Reads the home slot of a transaction's first output (see touch): a load issued ahead of its inserts. */
  touchTx(w: Uint32Array, at: number): number {
    return this.u32[((w[at] as number) & this.mask) * 10 + 3] as number;
  }

  /**
   * Adds an unspent output. `txid` words are read from `w[at], w[at+1], w[at+2]` (a Uint32Array view
   * of the 32-byte txid in internal order). Returns true when it replaced a live entry (BIP30).
   */
  insert(w: Uint32Array, at: number, vout: number, outputId: number, value: number, addressId: number): boolean {
    if ((this.count + 1) * 10 > this.cap * 7) this.grow();
    const k0 = w[at] as number;
    const k1 = w[at + 1] as number;
    const k2 = w[at + 2] as number;
    const v1 = (vout + 1) >>> 0;
    const u = this.u32;
    let i = this.home(k0, vout);
    for (;;) {
      const b = i * 10;
      const tag = u[b + 3] as number;
      if (tag === 0) break;
      if (tag === v1 && u[b] === k0 && u[b + 1] === k1 && u[b + 2] === k2) {
        this.setVals(i, outputId, value, addressId);
        this.overwrites++;
        return true;
      }
      i = (i + 1) & this.mask;
    }
    const b = i * 10;
    u[b] = k0;
    u[b + 1] = k1;
    u[b + 2] = k2;
    u[b + 3] = v1;
    this.setVals(i, outputId, value, addressId);
    this.count++;
    return false;
  }

  private setVals(i: number, outputId: number, value: number, addressId: number): void {
    const v = i * 5 + 2;
    this.f64[v] = outputId;
    this.f64[v + 1] = value;
    this.f64[v + 2] = addressId;
  }

  /** Slot of (txid, vout), or -1. */
  find(w: Uint32Array, at: number, vout: number): number {
    const k0 = w[at] as number;
    const k1 = w[at + 1] as number;
    const k2 = w[at + 2] as number;
    const v1 = (vout + 1) >>> 0;
    const u = this.u32;
    let i = this.home(k0, vout);
    for (;;) {
      const b = i * 10;
      const tag = u[b + 3] as number;
      if (tag === 0) return -1;
      if (tag === v1 && u[b] === k0 && u[b + 1] === k1 && u[b + 2] === k2) return i;
      i = (i + 1) & this.mask;
    }
  }

  outputId(slot: number): number {
    return this.f64[slot * 5 + 2] as number;
  }
  value(slot: number): number {
    return this.f64[slot * 5 + 3] as number;
  }
  /** Address id, -1 when the output has none. */
  addressId(slot: number): number {
    return this.f64[slot * 5 + 4] as number;
  }

  /** Removes the entry in `slot` (from find()), shifting later entries of its probe run back. */
  removeAt(slot: number): void {
    const u = this.u32;
    const mask = this.mask;
    let i = slot;
    let j = slot;
    for (;;) {
      j = (j + 1) & mask;
      const tag = u[j * 10 + 3] as number;
      if (tag === 0) break;
      const k = this.home(u[j * 10] as number, (tag - 1) >>> 0);
      // The entry at j may move to the hole at i unless its home lies cyclically in (i, j].
      const stays = i <= j ? i < k && k <= j : i < k || k <= j;
      if (stays) continue;
      // Ten word copies: cheaper than a copyWithin call for 40 bytes.
      const d = i * 10;
      const f = j * 10;
      for (let w = 0; w < 10; w++) u[d + w] = u[f + w] as number;
      i = j;
    }
    u[i * 10 + 3] = 0;
    this.count--;
  }

  private grow(): void {
    const old = this.u32;
    const oldCap = this.cap;
    this.cap *= 2;
    this.mask = this.cap - 1;
    const buf = new ArrayBuffer(this.cap * 40);
    this.u32 = new Uint32Array(buf);
    this.f64 = new Float64Array(buf);
    // Written once before use: a fresh page first read by a probe maps the shared zero page, and the
    // insert that follows takes a copy-on-write fault and a TLB shootdown (an IPI to the other cores).
    this.u32.fill(0);
    const u = this.u32;
    for (let s = 0; s < oldCap; s++) {
      const tag = old[s * 10 + 3] as number;
      if (tag === 0) continue;
      let i = this.home(old[s * 10] as number, (tag - 1) >>> 0);
      while ((u[i * 10 + 3] as number) !== 0) i = (i + 1) & this.mask;
      u.set(old.subarray(s * 10, s * 10 + 10), i * 10);
    }
  }
}
