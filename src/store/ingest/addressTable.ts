/** Bytes per key record: a length byte, then the key (at most 42 bytes: kind, witness version, 40-byte program). */
const REC = 44;
/** Records per arena chunk (a power of two: chunk = id >>> CHUNK_BITS). */
const CHUNK_BITS = 16;
const CHUNK_RECS = 1 << CHUNK_BITS;

/**
 * Address key → address_id for ingest, without a JS string per lookup: keys (the parser's address keys,
 * 21..42 bytes: kind byte + hash or witness program) are copied once into an arena of fixed-size records
 * indexed by id, and found through an open-addressing table (linear probing). Entry number = address_id,
 * because ids are handed out densely in insertion order (and restored in id order on resume).
 *
 * Each slot holds the entry number and the key's full 32-bit hash side by side, so a probe reads one
 * cache line: keys whose hash differs are passed over without touching the entry's record, and a rehash
 * places entries without reading their keys. (Measured on the simulator chain, 8.8 M addresses in
 * 10.7 M outputs: with the id alone in the slot, every probe of a colliding slot read the entry's length,
 * start and key bytes at random places, ~1.8 µs per lookup, the largest item of the linking thread.) The
 * record's place follows from the id, so confirming a hit reads one place (with variable-length keys it read
 * the entry's start and length first, then the key: two dependent cache misses).
 *
 * Memory: 44 bytes of record + 11-23 bytes of slots per address (8 bytes per slot, load factor 0.35-0.7;
 * the probe run of a lookup is contiguous, mostly within one cache line).
 */
export class AddressTable {
  /** The records: chunks of CHUNK_RECS records, allocated as ids reach them (never copied). */
  private readonly chunks: Buffer[] = [];
  private count = 0;
  /** Slot i: [2i] = entry number + 1 (0 = empty), [2i+1] = the entry's key hash. */
  private slots: Int32Array;
  private mask: number;

  constructor() {
    this.slots = new Int32Array(2 << 15).fill(0); // see rehash()
    this.mask = (1 << 15) - 1;
  }

  /** Number of addresses (= the next address_id). */
  get size(): number {
    return this.count;
  }

  /** 32-bit hash of key `b[s, e)`: bytes 1..8 (hash output, already uniform), length and kind, mixed (murmur3 fmix32). */
  private static hash(b: Uint8Array, s: number, e: number): number {
    let h =
      ((b[s + 1] as number) | ((b[s + 2] as number) << 8) | ((b[s + 3] as number) << 16) | ((b[s + 4] as number) << 24)) ^
      Math.imul((b[s + 5] as number) | ((b[s + 6] as number) << 8) | ((b[s + 7] as number) << 16) | ((b[s + 8] as number) << 24), 0x85ebca6b) ^
      ((e - s) << 8) ^
      (b[s] as number);
    h ^= h >>> 16;
    h = Math.imul(h, 0x85ebca6b);
    h ^= h >>> 13;
    h = Math.imul(h, 0xc2b2ae35);
    h ^= h >>> 16;
    return h | 0;
  }

  private equals(id: number, b: Uint8Array, s: number, len: number): boolean {
    const chunk = this.chunks[id >>> CHUNK_BITS] as Buffer;
    const a = (id & (CHUNK_RECS - 1)) * REC;
    if (chunk[a] !== len) return false;
    for (let k = 0; k < len; k++) if (chunk[a + 1 + k] !== b[s + k]) return false;
    return true;
  }

  /** Reads the home slot of key `b[s, e)`: a load issued ahead of `getOrAdd` for it (see UtxoMap.touch). */
  touch(b: Uint8Array, s: number, e: number): number {
    return this.slots[2 * (AddressTable.hash(b, s, e) & this.mask)] as number;
  }

  /** The id of key `b[s, e)`, or -1. */
  get(b: Uint8Array, s: number, e: number): number {
    const h = AddressTable.hash(b, s, e);
    const slots = this.slots;
    const mask = this.mask;
    for (let i = h & mask; ; i = (i + 1) & mask) {
      const id = (slots[2 * i] as number) - 1;
      if (id < 0) return -1;
      if (slots[2 * i + 1] === h && this.equals(id, b, s, e - s)) return id;
    }
  }

  /**
   * The id of key `b[s, e)`, adding it when absent (then the id is the previous `size`): one probe run
   * for both.
   */
  getOrAdd(b: Uint8Array, s: number, e: number): number {
    const h = AddressTable.hash(b, s, e);
    const slots = this.slots;
    const mask = this.mask;
    let i = h & mask;
    for (; ; i = (i + 1) & mask) {
      const id = (slots[2 * i] as number) - 1;
      if (id < 0) break;
      if (slots[2 * i + 1] === h && this.equals(id, b, s, e - s)) return id;
    }
    const id = this.append(b, s, e);
    slots[2 * i] = id + 1;
    slots[2 * i + 1] = h;
    if (this.count * 10 > (mask + 1) * 7) this.rehash();
    return id;
  }

  /** Adds key `b[s, e)` (not present) and returns its id. */
  add(b: Uint8Array, s: number, e: number): number {
    const id = this.append(b, s, e);
    const h = AddressTable.hash(b, s, e);
    this.place(id, h);
    if (this.count * 10 > (this.mask + 1) * 7) this.rehash();
    return id;
  }

  /** Copies the key into the record of the next entry. */
  private append(b: Uint8Array, s: number, e: number): number {
    const len = e - s;
    if (len > REC - 1) throw new RangeError(`address key of ${len} bytes`);
    const id = this.count;
    const c = id >>> CHUNK_BITS;
    if (c === this.chunks.length) this.chunks.push(Buffer.allocUnsafeSlow(CHUNK_RECS * REC));
    const chunk = this.chunks[c] as Buffer;
    const a = (id & (CHUNK_RECS - 1)) * REC;
    chunk[a] = len;
    for (let k = 0; k < len; k++) chunk[a + 1 + k] = b[s + k] as number; // no subarray object per add
    this.count++;
    return id;
  }

  /** The key of an id, as the parser's latin1 address-key string. */
  key(id: number): string {
    const chunk = this.chunks[id >>> CHUNK_BITS] as Buffer;
    const a = (id & (CHUNK_RECS - 1)) * REC;
    return chunk.toString('latin1', a + 1, a + 1 + (chunk[a] as number));
  }

  private place(id: number, h: number): void {
    const slots = this.slots;
    const mask = this.mask;
    let i = h & mask;
    while ((slots[2 * i] as number) !== 0) i = (i + 1) & mask;
    slots[2 * i] = id + 1;
    slots[2 * i + 1] = h;
  }

  /**
   * Grows the slots at once to the size that adding `n` addresses one by one would reach (never shrinks), so
   * a run that can estimate its address count rehashes once instead of at every doubling. Capped at 2^26
   * slots (512 MiB); past that the table doubles as it fills, as without a reservation.
   */
  reserve(n: number): void {
    let slots = this.mask + 1;
    while (n * 10 > slots * 7 && slots < 1 << 26) slots *= 2;
    if (slots > this.mask + 1) this.rehash(slots);
  }

  /** Grows the slots (doubles them by default); entries are placed by their stored hash (keys are not read). */
  private rehash(slotCount = 2 * (this.mask + 1)): void {
    const old = this.slots;
    // Written once before use: a fresh page first read by a probe maps the shared zero page, and the
    // add that follows takes a copy-on-write fault and a TLB shootdown (an IPI to the other cores).
    this.slots = new Int32Array(2 * slotCount).fill(0);
    this.mask = slotCount - 1;
    for (let i = 0; i < old.length; i += 2) {
      const id1 = old[i] as number;
      if (id1 !== 0) this.place(id1 - 1, old[i + 1] as number);
    }
  }
}
