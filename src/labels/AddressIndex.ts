import type { Database } from '../store/index.js';
import { ensureLabelSchema } from './schema.js';

/** One tag of an address as the index returns it (ids and codes resolved to strings). */
export interface TagHit {
  tagId: number;
  currency: string;
  label: string;
  category: string;
  actorId: string | null;
  confidenceLevel: number;
  isAbuse: boolean;
  sourceId: number;
}

/** A row to build the index from (the label_tags columns it keeps). */
export interface IndexRow {
  address: string;
  tagId: number;
  currency: string;
  label: string;
  category: string;
  actorId: string | null;
  confidenceLevel: number;
  isAbuse: boolean;
  sourceId: number;
}

/** Interns strings into dense codes (labels repeat a lot: 524k GraphSense tags have ~70k distinct labels). */
class Dictionary {
  readonly values: string[] = [];
  private readonly codes = new Map<string, number>();
  code(s: string): number {
    let c = this.codes.get(s);
    if (c === undefined) {
      c = this.values.length;
      this.values.push(s);
      this.codes.set(s, c);
    }
    return c;
  }
}

/**
 * In-process address → tags index for screening (the latency-critical read path).
 *
 * Layout: tags are sorted by address and stored column-wise in typed arrays (tag id, currency/label/category/actor
 * as dictionary codes, confidence level, abuse flag, source id); one `Map<string, number>` maps each normalised
 * address to its slot, and `first[slot]..first[slot + 1]` is the range of its tags. One Map entry per address
 * instead of one array object per address keeps a million tags in a few hundred MB and lookups allocation-free
 * (`range`), while `lookup` builds TagHit objects for callers that want them. Keys are the normalised addresses of
 * label_tags (see normalizeAddress / addressKeys): pass `normalizeKey` output for user input.
 *
 * Measured in bench/labels.ts (1M tags): see docs/LABELS.md.
 */
export class AddressIndex {
  /** Use AddressIndex.load or AddressIndex.fromRows. */
  constructor(
    private readonly slots: Map<string, number>,
    private readonly first: Uint32Array,
    private readonly tagIds: Float64Array,
    private readonly currencyCode: Uint16Array,
    private readonly labelCode: Uint32Array,
    private readonly categoryCode: Uint16Array,
    private readonly actorCode: Uint32Array,
    private readonly confidence: Uint8Array,
    private readonly abuse: Uint8Array,
    private readonly sourceIds: Uint32Array,
    private readonly currencies: readonly string[],
    private readonly labels: readonly string[],
    private readonly categories: readonly string[],
    private readonly actors: readonly string[],
  ) {}

  /** Builds the index from rows in any order (a stable sort by address groups each address's tags). */
  static fromRows(rows: readonly IndexRow[]): AddressIndex {
    const order = Array.from(rows.keys()).sort((a, b) => {
      const x = (rows[a] as IndexRow).address;
      const y = (rows[b] as IndexRow).address;
      return x < y ? -1 : x > y ? 1 : a - b;
    });
    const b = new IndexBuilder(rows.length);
    for (const i of order) b.add(rows[i] as IndexRow);
    return b.finish();
  }

  /**
   * Loads every tag of the database (optionally of one currency). DuckDB sorts by address, and the columns go
   * straight into the typed arrays (no per-row objects).
   */
  static async load(db: Database, options: { currency?: string } = {}): Promise<AddressIndex> {
    await ensureLabelSchema(db);
    const where = options.currency === undefined ? '' : 'WHERE currency = $1';
    const reader = await db.connection.runAndReadAll(
      `SELECT address, tag_id::DOUBLE, currency, label, category, actor_id, confidence_level, is_abuse, source_id
       FROM label_tags ${where} ORDER BY address, tag_id`,
      options.currency === undefined ? undefined : [options.currency.trim().toUpperCase()],
    );
    const [address, tagId, currency, label, category, actorId, level, isAbuse, sourceId] = reader.getColumns() as unknown as [
      string[], number[], string[], string[], string[], (string | null)[], number[], boolean[], number[],
    ];
    const n = address?.length ?? 0;
    const b = new IndexBuilder(n);
    const row: IndexRow = { address: '', tagId: 0, currency: '', label: '', category: '', actorId: null, confidenceLevel: 0, isAbuse: false, sourceId: 0 };
    for (let i = 0; i < n; i++) {
      row.address = address[i] as string;
      row.tagId = tagId[i] as number;
      row.currency = currency[i] as string;
      row.label = label[i] as string;
      row.category = category[i] as string;
      row.actorId = actorId[i] ?? null;
      row.confidenceLevel = level[i] as number;
      row.isAbuse = isAbuse[i] as boolean;
      row.sourceId = sourceId[i] as number;
      b.add(row);
    }
    return b.finish();
  }

  /** Number of tags. */
  get tagCount(): number {
    return this.tagIds.length;
  }

  /** Number of distinct addresses. */
  get addressCount(): number {
    return this.slots.size;
  }

  /** `[start, end)` of the address's tags in the index's columns, or undefined; allocation-free apart from the pair. */
  range(address: string): readonly [number, number] | undefined {
    const s = this.slots.get(address);
    if (s === undefined) return undefined;
    return [this.first[s] as number, this.first[s + 1] as number];
  }

  /** Number of tags of an address (0 when unknown): the cheapest screening check. */
  count(address: string): number {
    const s = this.slots.get(address);
    return s === undefined ? 0 : (this.first[s + 1] as number) - (this.first[s] as number);
  }

  /** Strongest confidence level among the address's tags and whether any marks abuse; undefined when untagged. */
  summary(address: string): { tags: number; maxConfidence: number; isAbuse: boolean } | undefined {
    const s = this.slots.get(address);
    if (s === undefined) return undefined;
    const a = this.first[s] as number;
    const b = this.first[s + 1] as number;
    let max = 0;
    let abuse = false;
    for (let i = a; i < b; i++) {
      const c = this.confidence[i] as number;
      if (c > max) max = c;
      if (this.abuse[i] === 1) abuse = true;
    }
    return { tags: b - a, maxConfidence: max, isAbuse: abuse };
  }

  /** The tags of an address (empty when untagged). */
  lookup(address: string): TagHit[] {
    const s = this.slots.get(address);
    if (s === undefined) return [];
    const a = this.first[s] as number;
    const b = this.first[s + 1] as number;
    const out: TagHit[] = new Array(b - a);
    for (let i = a; i < b; i++) {
      const actor = this.actorCode[i] as number;
      out[i - a] = {
        tagId: this.tagIds[i] as number,
        currency: this.currencies[this.currencyCode[i] as number] as string,
        label: this.labels[this.labelCode[i] as number] as string,
        category: this.categories[this.categoryCode[i] as number] as string,
        actorId: actor === 0 ? null : (this.actors[actor] as string),
        confidenceLevel: this.confidence[i] as number,
        isAbuse: this.abuse[i] === 1,
        sourceId: this.sourceIds[i] as number,
      };
    }
    return out;
  }
}

/**
 * Cheap key normalisation for lookups of user-supplied addresses: EVM accounts and bech32 Bitcoin addresses are
 * stored lower-case, everything else as written (no checksum validation here: validate at the edge).
 */
export function normalizeKey(address: string): string {
  const a = address.trim();
  if (a.length === 42 && (a.startsWith('0x') || a.startsWith('0X'))) return `0x${a.slice(2).toLowerCase()}`;
  const l = a.slice(0, 5).toLowerCase();
  if (l.startsWith('bc1') || l.startsWith('tb1') || l.startsWith('bcrt1')) return a.toLowerCase();
  return a;
}

/** Fills the index columns from rows already grouped by address (consecutive rows of one address). */
class IndexBuilder {
  private readonly cur = new Dictionary();
  private readonly lab = new Dictionary();
  private readonly cat = new Dictionary();
  private readonly act = new Dictionary();
  private readonly tagIds: Float64Array;
  private readonly currencyCode: Uint16Array;
  private readonly labelCode: Uint32Array;
  private readonly categoryCode: Uint16Array;
  private readonly actorCode: Uint32Array;
  private readonly confidence: Uint8Array;
  private readonly abuse: Uint8Array;
  private readonly sourceIds: Uint32Array;
  private readonly slots = new Map<string, number>();
  private readonly firsts: number[] = [];
  private i = 0;
  private prev: string | undefined;

  constructor(private readonly n: number) {
    this.act.code('');
    this.tagIds = new Float64Array(n);
    this.currencyCode = new Uint16Array(n);
    this.labelCode = new Uint32Array(n);
    this.categoryCode = new Uint16Array(n);
    this.actorCode = new Uint32Array(n);
    this.confidence = new Uint8Array(n);
    this.abuse = new Uint8Array(n);
    this.sourceIds = new Uint32Array(n);
  }

  add(r: IndexRow): void {
    const i = this.i++;
    if (r.address !== this.prev) {
      if (this.slots.has(r.address)) throw new RangeError(`IndexBuilder: rows of address ${r.address} are not consecutive`);
      this.slots.set(r.address, this.firsts.length);
      this.firsts.push(i);
      this.prev = r.address;
    }
    this.tagIds[i] = r.tagId;
    this.currencyCode[i] = this.cur.code(r.currency);
    this.labelCode[i] = this.lab.code(r.label);
    this.categoryCode[i] = this.cat.code(r.category);
    this.actorCode[i] = r.actorId === null ? 0 : this.act.code(r.actorId);
    this.confidence[i] = r.confidenceLevel;
    this.abuse[i] = r.isAbuse ? 1 : 0;
    this.sourceIds[i] = r.sourceId;
  }

  finish(): AddressIndex {
    if (this.i !== this.n) throw new RangeError(`IndexBuilder: ${this.i} rows added, ${this.n} expected`);
    const firsts = Uint32Array.from([...this.firsts, this.n]);
    return new AddressIndex(
      this.slots, firsts, this.tagIds, this.currencyCode, this.labelCode, this.categoryCode, this.actorCode, this.confidence, this.abuse,
      this.sourceIds, this.cur.values, this.lab.values, this.cat.values, this.act.values,
    );
  }
}
