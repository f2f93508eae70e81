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

/** A row to build the index from (the label_tags columns it keeps): a tag and its address. */
export interface IndexRow extends TagHit {
  address: string;
}

/** Interns strings into dense codes (labels repeat a lot across tags). */
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
 * Layout: tags are sorted by address in one flat array of frozen TagHit objects (strings interned, so repeated
 * labels are stored once) with two typed columns beside it (confidence level, abuse flag); one `Map<string, number>` maps each normalised address to
 * its slot, and `first[slot]..first[slot + 1]` is the range of its tags. One Map entry per address instead of one
 * array per address; `summary`/`count`/`range` read only the typed columns, `lookup` copies the slice of
 * TagHits. Keys are the normalised addresses of label_tags (see normalizeAddress / addressKeys): pass
 * `normalizeKey` output for user input.
 *
 * Measured in bench/labels.ts (1M tags): see docs/LABELS.md.
 */
export class AddressIndex {
  /** Use AddressIndex.load or AddressIndex.fromRows. */
  constructor(
    private readonly slots: Map<string, number>,
    private readonly first: Uint32Array,
    private readonly confidence: Uint8Array,
    private readonly abuse: Uint8Array,
    private readonly hits: readonly TagHit[],
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
   * Loads every tag of the database (optionally of one currency). DuckDB sorts by address and dictionary-codes the
   * repetitive string columns (hash joins with their sorted distinct values), so only the address and each distinct
   * label/category/currency/actor cross into JS as strings: on the 524k real GraphSense tags the query + conversion
   * took 4.7–5.7 s against 8.9–11.2 s for plain string columns (measured in one run, machine under load ~16).
   */
  static async load(db: Database, options: { currency?: string } = {}): Promise<AddressIndex> {
    await ensureLabelSchema(db);
    const where = options.currency === undefined ? '' : 'WHERE currency = $1';
    const params = options.currency === undefined ? undefined : [options.currency.trim().toUpperCase()];
    // Dictionaries: distinct values in sorted order; a value's code is its position (row_number over the same order).
    const dictSql = (expr: string): string => `SELECT v, (row_number() OVER (ORDER BY v) - 1)::INTEGER AS c FROM (SELECT DISTINCT ${expr} AS v FROM label_tags ${where})`;
    const dict = async (expr: string): Promise<string[]> => {
      const r = await db.connection.runAndReadAll(`SELECT v FROM (${dictSql(expr)}) ORDER BY c`, params);
      return (r.getColumns()[0] ?? []) as string[];
    };
    const currencies = await dict('currency');
    const labels = await dict('label');
    const categories = await dict('category');
    const actors = await dict("coalesce(actor_id, '')");
    const reader = await db.connection.runAndReadAll(
      `WITH cu AS (${dictSql('currency')}), la AS (${dictSql('label')}), ca AS (${dictSql('category')}), ac AS (${dictSql("coalesce(actor_id, '')")})
       SELECT t.address, t.tag_id::DOUBLE, cu.c, la.c, ca.c, ac.c, t.confidence_level, t.is_abuse, t.source_id
       FROM label_tags t JOIN cu ON cu.v = t.currency JOIN la ON la.v = t.label JOIN ca ON ca.v = t.category
       JOIN ac ON ac.v = coalesce(t.actor_id, '') ${where.replace('currency', 't.currency')}
       ORDER BY t.address, t.tag_id`,
      params,
    );
    const [address, tagId, currency, label, category, actorId, level, isAbuse, sourceId] = reader.getColumns() as unknown as [
      string[], number[], number[], number[], number[], number[], number[], boolean[], number[],
    ];
    const n = address?.length ?? 0;
    const b = new IndexBuilder(n);
    const row: IndexRow = { address: '', tagId: 0, currency: '', label: '', category: '', actorId: null, confidenceLevel: 0, isAbuse: false, sourceId: 0 };
    for (let i = 0; i < n; i++) {
      const actor = actors[actorId[i] as number] ?? '';
      row.address = address[i] as string;
      row.tagId = tagId[i] as number;
      row.currency = currencies[currency[i] as number] as string;
      row.label = labels[label[i] as number] as string;
      row.category = categories[category[i] as number] as string;
      row.actorId = actor === '' ? null : actor;
      row.confidenceLevel = level[i] as number;
      row.isAbuse = isAbuse[i] as boolean;
      row.sourceId = sourceId[i] as number;
      b.add(row);
    }
    return b.finish();
  }

  /** Number of tags. */
  get tagCount(): number {
    return this.hits.length;
  }

  /** Number of distinct addresses. */
  get addressCount(): number {
    return this.slots.size;
  }

  /** `[start, end)` of the address's tags (read them with `hitAt`), or undefined. */
  range(address: string): readonly [number, number] | undefined {
    const s = this.slots.get(address);
    if (s === undefined) return undefined;
    return [this.first[s] as number, this.first[s + 1] as number];
  }

  /** The i-th tag in address order (see `range`). */
  hitAt(i: number): TagHit {
    const h = this.hits[i];
    if (h === undefined) throw new RangeError(`AddressIndex.hitAt: ${i} is not in [0, ${this.hits.length})`);
    return h;
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

  /**
   * The tags of an address (empty when untagged). The TagHit objects are built once at load time (strings shared
   * through the dictionaries) and frozen; a lookup only copies the address's slice of them.
   */
  lookup(address: string): readonly TagHit[] {
    const s = this.slots.get(address);
    if (s === undefined) return EMPTY;
    return this.hits.slice(this.first[s] as number, this.first[s + 1] as number);
  }
}

const EMPTY: readonly TagHit[] = Object.freeze([]);

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

/** Fills the index from rows already grouped by address (consecutive rows of one address). */
class IndexBuilder {
  private readonly strings = new Dictionary();
  private readonly confidence: Uint8Array;
  private readonly abuse: Uint8Array;
  private readonly hits: TagHit[];
  private readonly slots = new Map<string, number>();
  private readonly firsts: number[] = [];
  private i = 0;
  private prev: string | undefined;

  constructor(private readonly n: number) {
    this.confidence = new Uint8Array(n);
    this.abuse = new Uint8Array(n);
    this.hits = new Array(n);
  }

  /** One copy of each distinct string (labels repeat a lot). */
  private intern(s: string): string {
    return this.strings.values[this.strings.code(s)] as string;
  }

  add(r: IndexRow): void {
    const i = this.i++;
    if (r.address !== this.prev) {
      if (this.slots.has(r.address)) throw new RangeError(`IndexBuilder: rows of address ${r.address} are not consecutive`);
      this.slots.set(r.address, this.firsts.length);
      this.firsts.push(i);
      this.prev = r.address;
    }
    this.confidence[i] = r.confidenceLevel;
    this.abuse[i] = r.isAbuse ? 1 : 0;
    this.hits[i] = Object.freeze({
      tagId: r.tagId,
      currency: this.intern(r.currency),
      label: this.intern(r.label),
      category: this.intern(r.category),
      actorId: r.actorId === null ? null : this.intern(r.actorId),
      confidenceLevel: r.confidenceLevel,
      isAbuse: r.isAbuse,
      sourceId: r.sourceId,
    });
  }

  finish(): AddressIndex {
    if (this.i !== this.n) throw new RangeError(`IndexBuilder: ${this.i} rows added, ${this.n} expected`);
    return new AddressIndex(this.slots, Uint32Array.from([...this.firsts, this.n]), this.confidence, this.abuse, this.hits);
  }
}
