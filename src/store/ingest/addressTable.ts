/**
 * Address key → address_id for ingest, without a JS string per lookup: keys (the parser's address keys,
 * 21..42 bytes: kind byte + hash or witness program) are copied once into a byte arena and found through
 * an open-addressing table of entry numbers. Entry number = address_id, because ids are handed out densely
 * in insertion order (and restored in id order on resume).
 *
 * Memory: about 30 bytes of arena + 13 bytes of index per address (load factor at most 0.7).
 */
export class AddressTable {
  private arena = Buffer.alloc(1 << 20);
  private arenaUsed = 0;
  /** Per entry: start in the arena (f64: the arena may pass 4 GiB) and key length. */
  private starts = new Float64Array(1 << 14);
  private lens = new Uint8Array(1 << 14);
  private count = 0;
  private slots: Int32Array;
  private mask: number;

  constructor() {
    this.slots = new Int32Array(1 << 15).fill(-1);
    this.mask = this.slots.length - 1;
  }

  /** Number of addresses (= the next address_id). */
  get size(): number {
    return this.count;
  }

  private static hash(b: Uint8Array, s: number, e: number): number {
    // Keys are a kind byte then hash output: bytes 1..4 are already uniform; mix in length and kind.
    const h = (b[s + 1] as number) | ((b[s + 2] as number) << 8) | ((b[s + 3] as number) << 16) | ((b[s + 4] as number) << 24);
    return Math.imul(h ^ (e - s) ^ ((b[s] as number) << 7), 0x9e3779b1) >>> 0;
  }

  /** The id of key `b[s, e)`, or -1. */
  get(b: Uint8Array, s: number, e: number): number {
    const len = e - s;
    const arena = this.arena;
    let i = AddressTable.hash(b, s, e) & this.mask;
    for (;;) {
      const id = this.slots[i] as number;
      if (id < 0) return -1;
      if (this.lens[id] === len) {
        const a = this.starts[id] as number;
        let k = 0;
        while (k < len && arena[a + k] === b[s + k]) k++;
        if (k === len) return id;
      }
      i = (i + 1) & this.mask;
    }
  }

  /** Adds key `b[s, e)` (not present) and returns its id. */
  add(b: Uint8Array, s: number, e: number): number {
    const len = e - s;
    if (len > 255) throw new RangeError(`address key of ${len} bytes`);
    const id = this.count;
    if (id >= this.lens.length) {
      const starts = new Float64Array(this.lens.length * 2);
      starts.set(this.starts);
      this.starts = starts;
      const lens = new Uint8Array(this.lens.length * 2);
      lens.set(this.lens);
      this.lens = lens;
    }
    if (this.arenaUsed + len > this.arena.length) {
      const arena = Buffer.alloc(Math.max(this.arena.length * 2, this.arenaUsed + len));
      this.arena.copy(arena, 0, 0, this.arenaUsed);
      this.arena = arena;
    }
    const arena = this.arena;
    const at = this.arenaUsed;
    for (let k = 0; k < len; k++) arena[at + k] = b[s + k] as number; // no subarray object per add
    this.starts[id] = this.arenaUsed;
    this.lens[id] = len;
    this.arenaUsed += len;
    this.count++;
    if (this.count * 10 > this.slots.length * 7) this.rehash();
    else this.place(id);
    return id;
  }

  /** The key of an id, as the parser's latin1 address-key string. */
  key(id: number): string {
    const a = this.starts[id] as number;
    return this.arena.toString('latin1', a, a + (this.lens[id] as number));
  }

  private place(id: number): void {
    const a = this.starts[id] as number;
    let i = AddressTable.hash(this.arena, a, a + (this.lens[id] as number)) & this.mask;
    while ((this.slots[i] as number) >= 0) i = (i + 1) & this.mask;
    this.slots[i] = id;
  }

  private rehash(): void {
    this.slots = new Int32Array(this.slots.length * 2).fill(-1);
    this.mask = this.slots.length - 1;
    for (let id = 0; id < this.count; id++) this.place(id);
  }
}
