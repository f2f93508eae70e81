/**
 * Engine-neutral row batches: a table's rows for one load, column by column in typed arrays (numbers)
 * or arrays (strings), with NULL flags. The store implementation turns them into its bulk-load format.
 */
/** Column kinds: i64 = BIGINT (from a JS number, exact below 2^53), ts = TIMESTAMP (from epoch seconds). */
export type ColumnKind = 'i64' | 'ts' | 'i32' | 'u32' | 'u8' | 'bool' | 'str';

export interface ColumnSpec {
  name: string;
  kind: ColumnKind;
  nullable?: boolean;
}

export type NumArray = Float64Array | Int32Array | Uint32Array | Uint8Array;

/**
 * A typed array of `a`'s type with room for `n` values, holding the first `used` values of `a` (all of them
 * by default): how ingest's growable columns (and clustering's merge log) grow.
 */
export function grownArray<T extends NumArray>(a: T, n: number, used: number = a.length): T {
  const b = new (a.constructor as new (length: number) => T)(n);
  b.set(a.subarray(0, used));
  return b;
}

/** Strings packed end to end as bytes (UTF-8): string i is bytes[offsets[i], offsets[i+1]). */
export interface PackedStrings {
  bytes: Uint8Array;
  offsets: Uint32Array;
}

/**
 * One column's values for a batch of rows; `nulls[i] = 1` marks row i NULL (nullable columns only). A string
 * column holds either `str` or, when set with `setPacked`, `packed` (then `str` is not used).
 */
export interface ColumnData {
  spec: ColumnSpec;
  num: NumArray | null;
  str: (string | null)[] | null;
  packed: PackedStrings | null;
  nulls: Uint8Array | null;
}

/** A TableBatch as plain data (structured-clonable). */
export interface TableBatchData {
  specs: readonly ColumnSpec[];
  capacity: number;
  rows: number;
  columns: Omit<ColumnData, 'spec'>[];
}

/**
 * A batch of rows for one table, column by column, with a fixed capacity.
 *
 * @example
 * const t = new TableBatch(OUTPUT_COLUMNS, n);
 * const id = t.f64('output_id'); id[0] = 42; t.rows = 1;
 */
export class TableBatch {
  readonly columns: ColumnData[];
  private readonly byName = new Map<string, ColumnData>();
  rows = 0;

  constructor(
    readonly specs: readonly ColumnSpec[],
    readonly capacity: number,
    /** Existing columns (fromData); allocated empty when absent. */
    columns?: readonly Omit<ColumnData, 'spec'>[],
  ) {
    if (columns) {
      this.columns = specs.map((spec, i) => {
        const col = { ...(columns[i] as Omit<ColumnData, 'spec'>), spec };
        this.byName.set(spec.name, col);
        return col;
      });
      return;
    }
    this.columns = specs.map((spec) => {
      let num: NumArray | null = null;
      switch (spec.kind) {
        case 'i64':
        case 'ts':
          num = new Float64Array(capacity);
          break;
        case 'i32':
          num = new Int32Array(capacity);
          break;
        case 'u32':
          num = new Uint32Array(capacity);
          break;
        case 'u8':
        case 'bool':
          num = new Uint8Array(capacity);
          break;
        case 'str':
          break; // made on first use by str(): packed columns never need one
      }
      const col: ColumnData = { spec, num, str: null, packed: null, nulls: spec.nullable ? new Uint8Array(capacity) : null };
      this.byName.set(spec.name, col);
      return col;
    });
  }

  private col(name: string): ColumnData {
    const c = this.byName.get(name);
    if (!c) throw new RangeError(`TableBatch: no column ${name}`);
    return c;
  }

  /** Values of an i64/ts column. */
  f64(name: string): Float64Array {
    return this.col(name).num as Float64Array;
  }
  i32(name: string): Int32Array {
    return this.col(name).num as Int32Array;
  }
  u32(name: string): Uint32Array {
    return this.col(name).num as Uint32Array;
  }
  u8(name: string): Uint8Array {
    return this.col(name).num as Uint8Array;
  }
  str(name: string): (string | null)[] {
    const c = this.col(name);
    if (c.spec.kind !== 'str') throw new RangeError(`TableBatch: column ${name} is not a string column`);
    c.str ??= new Array<string | null>(this.capacity).fill(null);
    return c.str;
  }
  /**
   * Gives a string column its values as packed bytes (one string per row, from row 0), instead of `str`:
   * the store writes them without making a JS string per row.
   */
  setPacked(name: string, packed: PackedStrings): void {
    const c = this.col(name);
    if (c.spec.kind !== 'str') throw new RangeError(`TableBatch: column ${name} is not a string column`);
    c.packed = packed;
  }

  /** The batch as plain data for postMessage; its typed arrays' buffers are `transferables()`. */
  toData(): TableBatchData {
    return {
      specs: this.specs,
      capacity: this.capacity,
      rows: this.rows,
      columns: this.columns.map(({ num, str, packed, nulls }) => ({ num, str, packed, nulls })),
    };
  }

  /** A batch from `toData()` output (after it crossed a thread boundary). */
  static fromData(d: TableBatchData): TableBatch {
    const t = new TableBatch(d.specs, d.capacity, d.columns);
    t.rows = d.rows;
    return t;
  }

  /** The distinct ArrayBuffers under this batch's typed arrays, for a postMessage transfer list. */
  transferables(): ArrayBuffer[] {
    const set = new Set<ArrayBuffer>();
    for (const c of this.columns) {
      for (const a of [c.num, c.nulls, c.packed?.bytes, c.packed?.offsets]) if (a) set.add(a.buffer as ArrayBuffer);
    }
    return [...set];
  }

  /** NULL flags of a nullable column (1 = NULL). */
  nulls(name: string): Uint8Array {
    const n = this.col(name).nulls;
    if (!n) throw new RangeError(`TableBatch: column ${name} is not nullable`);
    return n;
  }
}
