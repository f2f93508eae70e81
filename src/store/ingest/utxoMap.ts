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
 * Memory: 41 bytes per slot, load factor at most 0.7 (about 60 bytes per unspent output).
 */
export class UtxoMap {
  private cap: number;
  private mask: number;
  private keys: Uint32Array;
  private vals: Float64Array;
  private used: Uint8Array;
  private count = 0;
  /** Number of inserts that replaced a live entry (BIP30 duplicates). */
  overwrites = 0;

  constructor(initialCapacity = 1 << 16) {
    let c = 1024;
    while (c < initialCapacity) c *= 2;
    this.cap = c;
    this.mask = c - 1;
    this.keys = new Uint32Array(c * 4);
    this.vals = new Float64Array(c * 3);
    this.used = new Uint8Array(c);
  }

  /** Live entries. */
  get size(): number {
    return this.count;
  }

  /** Bytes held by the table. */
  get bytes(): number {
    return this.keys.byteLength + this.vals.byteLength + this.used.byteLength;
  }

  private home(k0: number, vout: number): number {
    return ((k0 ^ Math.imul(vout + 1, 0x9e3779b1)) >>> 0) & this.mask;
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
    const keys = this.keys;
    let i = this.home(k0, vout);
    while (this.used[i]) {
      const b = i * 4;
      if (keys[b] === k0 && keys[b + 1] === k1 && keys[b + 2] === k2 && keys[b + 3] === vout) {
        this.setVals(i, outputId, value, addressId);
        this.overwrites++;
        return true;
      }
      i = (i + 1) & this.mask;
    }
    const b = i * 4;
    keys[b] = k0;
    keys[b + 1] = k1;
    keys[b + 2] = k2;
    keys[b + 3] = vout;
    this.used[i] = 1;
    this.setVals(i, outputId, value, addressId);
    this.count++;
    return false;
  }

  private setVals(i: number, outputId: number, value: number, addressId: number): void {
    const v = i * 3;
    this.vals[v] = outputId;
    this.vals[v + 1] = value;
    this.vals[v + 2] = addressId;
  }

  /** Slot of (txid, vout), or -1. */
  find(w: Uint32Array, at: number, vout: number): number {
    const k0 = w[at] as number;
    const k1 = w[at + 1] as number;
    const k2 = w[at + 2] as number;
    const keys = this.keys;
    let i = this.home(k0, vout);
    while (this.used[i]) {
      const b = i * 4;
      if (keys[b] === k0 && keys[b + 1] === k1 && keys[b + 2] === k2 && keys[b + 3] === vout) return i;
      i = (i + 1) & this.mask;
    }
    return -1;
  }

  outputId(slot: number): number {
    return this.vals[slot * 3] as number;
  }
  value(slot: number): number {
    return this.vals[slot * 3 + 1] as number;
  }
  /** Address id, -1 when the output has none. */
  addressId(slot: number): number {
    return this.vals[slot * 3 + 2] as number;
  }

  /** Removes the entry in `slot` (from find()), shifting later entries of its probe run back. */
  removeAt(slot: number): void {
    const keys = this.keys;
    const vals = this.vals;
    const mask = this.mask;
    let i = slot;
    let j = slot;
    for (;;) {
      j = (j + 1) & mask;
      if (!this.used[j]) break;
      const k = this.home(keys[j * 4] as number, keys[j * 4 + 3] as number);
      // The entry at j may move to the hole at i unless its home lies cyclically in (i, j].
      const stays = i <= j ? i < k && k <= j : i < k || k <= j;
      if (stays) continue;
      keys.copyWithin(i * 4, j * 4, j * 4 + 4);
      vals.copyWithin(i * 3, j * 3, j * 3 + 3);
      i = j;
    }
    this.used[i] = 0;
    this.count--;
  }

  private grow(): void {
    const oldKeys = this.keys;
    const oldVals = this.vals;
    const oldUsed = this.used;
    const oldCap = this.cap;
    this.cap *= 2;
    this.mask = this.cap - 1;
    this.keys = new Uint32Array(this.cap * 4);
    this.vals = new Float64Array(this.cap * 3);
    this.used = new Uint8Array(this.cap);
    for (let s = 0; s < oldCap; s++) {
      if (!oldUsed[s]) continue;
      let i = this.home(oldKeys[s * 4] as number, oldKeys[s * 4 + 3] as number);
      while (this.used[i]) i = (i + 1) & this.mask;
      this.keys.set(oldKeys.subarray(s * 4, s * 4 + 4), i * 4);
      this.vals.set(oldVals.subarray(s * 3, s * 3 + 3), i * 3);
      this.used[i] = 1;
    }
  }
}
