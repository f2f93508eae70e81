/**
 * The chain tables as typed arrays, for the hot algorithms (clustering, tracing) that walk every input
 * and output and cannot afford a row object or a SQL round-trip per step.
 *
 * ## Contract (shared by src/cluster and src/trace; extend compatibly)
 *
 * Arrays are indexed by *local* index = global id − base (`txBase`, `inputBase`, `outputBase`; all 0
 * when loading from the start). Values that are ids stay *global* ids, so `inputSpentOutput[j]` may
 * point before `outputBase` when loading a suffix (`fromTxId`). With `fromTxId = 0` local = global.
 *
 * - `txFirstInput`, `txFirstOutput`: length txCount+1, global input/output ids; the inputs of local tx t
 *   are the global ids [txFirstInput[t], txFirstInput[t+1]).
 * - `txHeight` (block height), `txTime` (block time, unix seconds).
 * - `inputTx` (global tx id), `inputSpentOutput` (global output id; NONE for coinbase/unresolved).
 * - `outputTx`, `outputValue` (satoshis, exact below 2^53), `outputAddress` (address id, NONE for
 *   nulldata/nonstandard/bare multisig), `outputScriptType` (code into chain's SCRIPT_TYPES),
 *   `outputSpendingInput`, `outputSpendingTx` (NONE while unspent or not yet linked by ingest).
 * - Extension: `inputAddress` (address id of the spent output, NONE when coinbase/unresolved/no address)
 *   and `inputValue` (satoshis, NaN when unknown) come straight from the inputs table, so a suffix load
 *   knows what its inputs spend without loading the old outputs.
 *
 * `opts.columns` picks the arrays to load (default: all); the others are empty arrays. Counts and
 * bases are always set.
 *
 * ## Memory (bytes)
 * per tx 4+4+4+4 = 16, per input 4+4 (+4+8 for inputAddress/inputValue), per output 4+8+4+1+4+4 = 25.
 *
 * ## Speed
 * Columns are cast in SQL to UINTEGER/INTEGER/DOUBLE/UTINYINT and copied out of DuckDB's vectors
 * (their typed-array `items`, as `duckdb/columnAppend.ts` does for writing) chunk by chunk, scattered
 * by id so the table's physical order does not matter. Measured with `npx tsx bench/cluster.ts load --db
 * FILE`: see docs/CLUSTERING.md, "Loading the chain".
 */
import type { DuckDBDataChunk } from '@duckdb/node-api';
import { LedgerhoundError } from '../core/index.js';
import type { Database } from './duckdb/Database.js';

/** Marks "no id" in every Uint32Array of ChainArrays. */
export const NONE = 0xffffffff;

export interface ChainArrays {
  txCount: number;
  inputCount: number;
  outputCount: number;
  /** All addresses in the store (address ids are global and dense: [0, addressCount)). */
  addressCount: number;
  /** Global id of local index 0 (0 unless `fromTxId` was given). */
  txBase: number;
  inputBase: number;
  outputBase: number;
  txFirstInput: Uint32Array;
  txFirstOutput: Uint32Array;
  txHeight: Int32Array;
  txTime: Uint32Array;
  inputTx: Uint32Array;
  inputSpentOutput: Uint32Array;
  inputAddress: Uint32Array;
  inputValue: Float64Array;
  outputTx: Uint32Array;
  outputValue: Float64Array;
  outputAddress: Uint32Array;
  outputScriptType: Uint8Array;
  outputSpendingInput: Uint32Array;
  outputSpendingTx: Uint32Array;
}

export type ChainArrayName =
  | 'txFirstInput'
  | 'txFirstOutput'
  | 'txHeight'
  | 'txTime'
  | 'inputTx'
  | 'inputSpentOutput'
  | 'inputAddress'
  | 'inputValue'
  | 'outputTx'
  | 'outputValue'
  | 'outputAddress'
  | 'outputScriptType'
  | 'outputSpendingInput'
  | 'outputSpendingTx';

export interface LoadChainArraysOptions {
  /** Load transactions with tx_id >= fromTxId only (and their inputs and outputs). Default 0. */
  fromTxId?: number;
  /** …and tx_id < toTxId (a window; default: to the end). */
  toTxId?: number;
  /** Arrays to fill (default: all). */
  columns?: readonly ChainArrayName[];
}

type Typed = Uint32Array | Int32Array | Float64Array | Uint8Array;

interface ColumnRead {
  name: ChainArrayName;
  sql: string;
  make: (n: number) => Typed;
}

const U32 = (n: number) => new Uint32Array(n);
const NONE_SQL = String(NONE);

const TX_COLUMNS: ColumnRead[] = [
  { name: 'txFirstInput', sql: 'CAST(first_input_id AS UINTEGER)', make: U32 },
  { name: 'txFirstOutput', sql: 'CAST(first_output_id AS UINTEGER)', make: U32 },
  { name: 'txHeight', sql: 'CAST(height AS INTEGER)', make: (n) => new Int32Array(n) },
  { name: 'txTime', sql: 'CAST(epoch(time) AS UINTEGER)', make: U32 },
];
const INPUT_COLUMNS: ColumnRead[] = [
  { name: 'inputTx', sql: 'CAST(tx_id AS UINTEGER)', make: U32 },
  { name: 'inputSpentOutput', sql: `CAST(coalesce(spent_output_id, ${NONE_SQL}) AS UINTEGER)`, make: U32 },
  { name: 'inputAddress', sql: `CAST(coalesce(address_id, ${NONE_SQL}) AS UINTEGER)`, make: U32 },
  { name: 'inputValue', sql: "CAST(coalesce(value, 'NaN'::DOUBLE) AS DOUBLE)", make: (n) => new Float64Array(n) },
];
const OUTPUT_COLUMNS: ColumnRead[] = [
  { name: 'outputTx', sql: 'CAST(tx_id AS UINTEGER)', make: U32 },
  { name: 'outputValue', sql: 'CAST(value AS DOUBLE)', make: (n) => new Float64Array(n) },
  { name: 'outputAddress', sql: `CAST(coalesce(address_id, ${NONE_SQL}) AS UINTEGER)`, make: U32 },
  { name: 'outputScriptType', sql: 'CAST(script_type AS UTINYINT)', make: (n) => new Uint8Array(n) },
  { name: 'outputSpendingInput', sql: `CAST(coalesce(spending_input_id, ${NONE_SQL}) AS UINTEGER)`, make: U32 },
  { name: 'outputSpendingTx', sql: `CAST(coalesce(spending_tx_id, ${NONE_SQL}) AS UINTEGER)`, make: U32 },
];

/**
 * The typed array behind a numeric DuckDB vector (same internals columnAppend.ts relies on): a
 * UINTEGER column gives a Uint32Array, INTEGER an Int32Array, DOUBLE a Float64Array, UTINYINT a
 * Uint8Array, UBIGINT a BigUint64Array. Read a chunk's columns without a JS value per row.
 * @throws LedgerhoundError LH_DUCKDB_VECTOR when the vector has no typed items (another node-api version)
 */
export function vectorItems(chunk: DuckDBDataChunk, col: number): Typed | BigUint64Array {
  const items = (chunk.getColumnVector(col) as unknown as { items?: unknown }).items;
  if (
    !(
      items instanceof Uint32Array ||
      items instanceof Int32Array ||
      items instanceof Float64Array ||
      items instanceof Uint8Array ||
      items instanceof BigUint64Array
    )
  ) {
    throw new LedgerhoundError('LH_DUCKDB_VECTOR', 'DuckDB vector layout changed: numeric vector has no typed items', {
      details: { column: col },
      hint: 'The @duckdb/node-api version differs from 1.5.x; update src/store/chainArrays.ts.',
    });
  }
  return items;
}

const num = (v: unknown): number => (v === null || v === undefined ? 0 : Number(v));

/**
 * Streams `SELECT id, cols… FROM table WHERE id >= from` and scatters each column into its array at
 * `id - base`. Rows outside [base, base+count) mean the table changed under us: error.
 */
async function readTable(
  db: Database,
  table: string,
  idColumn: string,
  base: number,
  count: number,
  cols: { read: ColumnRead; target: Typed }[],
): Promise<void> {
  if (cols.length === 0 || count === 0) return;
  const sql = `SELECT CAST(${idColumn} - ${base} AS UINTEGER) AS i, ${cols.map((c) => c.read.sql).join(', ')}
                 FROM ${table} WHERE ${idColumn} >= ${base} AND ${idColumn} < ${base + count}`;
  let seen = 0;
  await db.eachChunk(sql, (chunk, n) => {
    const ids = vectorItems(chunk, 0) as Uint32Array;
    for (let c = 0; c < cols.length; c++) {
      const src = vectorItems(chunk, c + 1) as Typed;
      const dst = (cols[c] as { target: Typed }).target;
      for (let r = 0; r < n; r++) {
        const i = ids[r] as number;
        if (i >= count) {
          throw new LedgerhoundError('LH_CHAIN_ARRAYS', `${table}.${idColumn} ${i + base} is outside [${base}, ${base + count})`, {
            details: { table, id: i + base },
            hint: 'The store changed while loading (ingest running?) or its ids are not dense; retry after ingest.',
          });
        }
        dst[i] = src[r] as number;
      }
    }
    seen += n;
  });
  if (seen !== count) {
    throw new LedgerhoundError('LH_CHAIN_ARRAYS', `${table}: read ${seen} rows, expected ${count}`, {
      details: { table, seen, count },
      hint: 'The store changed while loading (ingest running?) or its ids are not dense.',
    });
  }
}

/**
 * Loads the chain tables (transactions, inputs, outputs) into typed arrays.
 *
 * @param db an open store (schema of src/store/schema.ts)
 * @param opts.fromTxId load only transactions from this tx id on (incremental consumers)
 * @param opts.toTxId and before this one (windows over a chain too large to hold at once)
 * @param opts.columns the arrays to fill (default all)
 * @throws LedgerhoundError LH_DB_EMPTY when the chain tables are missing
 * @example
 * const a = await loadChainArrays(db, { columns: ['txFirstInput', 'inputAddress'] });
 */
export async function loadChainArrays(db: Database, opts: LoadChainArraysOptions = {}): Promise<ChainArrays> {
  const tables = await db.one<{ n: bigint }>(
    "SELECT count(*) n FROM information_schema.tables WHERE table_name IN ('transactions', 'inputs', 'outputs', 'addresses')",
  );
  if (num(tables?.n) < 4) {
    throw new LedgerhoundError('LH_DB_EMPTY', `database ${db.path} holds no ingested chain`, {
      details: { path: db.path },
      hint: 'Run `ledgerhound ingest bitcoin --blocks-dir DIR` first, or pass --db.',
    });
  }
  const want = new Set<ChainArrayName>(opts.columns ?? [...TX_COLUMNS, ...INPUT_COLUMNS, ...OUTPUT_COLUMNS].map((c) => c.name));
  const totals = await db.one<Record<string, bigint | null>>(
    `SELECT (SELECT count(*) FROM transactions) txs,
            (SELECT count(*) FROM inputs) inputs,
            (SELECT count(*) FROM outputs) outputs,
            (SELECT count(*) FROM addresses) addresses`,
  );
  const allTx = num(totals?.txs);
  const txBase = Math.min(Math.max(0, opts.fromTxId ?? 0), allTx);
  const txEnd = Math.max(txBase, Math.min(opts.toTxId ?? allTx, allTx));
  // The first input/output id of a tx, or the table's end for the tx past the last one.
  const firstIds = async (t: number): Promise<[number, number]> => {
    if (t >= allTx) return [num(totals?.inputs), num(totals?.outputs)];
    if (t === 0) return [0, 0];
    const r = await db.one<{ fi: bigint; fo: bigint }>('SELECT first_input_id fi, first_output_id fo FROM transactions WHERE tx_id = ?', [t]);
    return [num(r?.fi), num(r?.fo)];
  };
  const [inputBase, outputBase] = await firstIds(txBase);
  const [inputEnd, outputEnd] = await firstIds(txEnd);
  const txCount = txEnd - txBase;
  const inputCount = inputEnd - inputBase;
  const outputCount = outputEnd - outputBase;

  const alloc = (list: ColumnRead[], n: number) =>
    list.map((read) => ({ read, target: want.has(read.name) ? read.make(read.name.startsWith('tx') && read.name.includes('First') ? n + 1 : n) : read.make(0) }));
  const txCols = alloc(TX_COLUMNS, txCount);
  const inCols = alloc(INPUT_COLUMNS, inputCount);
  const outCols = alloc(OUTPUT_COLUMNS, outputCount);

  await readTable(db, 'transactions', 'tx_id', txBase, txCount, txCols.filter((c) => c.target.length > 0));
  await readTable(db, 'inputs', 'input_id', inputBase, inputCount, inCols.filter((c) => c.target.length > 0));
  await readTable(db, 'outputs', 'output_id', outputBase, outputCount, outCols.filter((c) => c.target.length > 0));

  const get = (cols: { read: ColumnRead; target: Typed }[], name: ChainArrayName) =>
    (cols.find((c) => c.read.name === name) as { target: Typed }).target;
  const txFirstInput = get(txCols, 'txFirstInput') as Uint32Array;
  const txFirstOutput = get(txCols, 'txFirstOutput') as Uint32Array;
  if (txFirstInput.length > 0) txFirstInput[txCount] = inputEnd;
  if (txFirstOutput.length > 0) txFirstOutput[txCount] = outputEnd;

  return {
    txCount,
    inputCount,
    outputCount,
    addressCount: num(totals?.addresses),
    txBase,
    inputBase,
    outputBase,
    txFirstInput,
    txFirstOutput,
    txHeight: get(txCols, 'txHeight') as Int32Array,
    txTime: get(txCols, 'txTime') as Uint32Array,
    inputTx: get(inCols, 'inputTx') as Uint32Array,
    inputSpentOutput: get(inCols, 'inputSpentOutput') as Uint32Array,
    inputAddress: get(inCols, 'inputAddress') as Uint32Array,
    inputValue: get(inCols, 'inputValue') as Float64Array,
    outputTx: get(outCols, 'outputTx') as Uint32Array,
    outputValue: get(outCols, 'outputValue') as Float64Array,
    outputAddress: get(outCols, 'outputAddress') as Uint32Array,
    outputScriptType: get(outCols, 'outputScriptType') as Uint8Array,
    outputSpendingInput: get(outCols, 'outputSpendingInput') as Uint32Array,
    outputSpendingTx: get(outCols, 'outputSpendingTx') as Uint32Array,
  };
}

/** Per-address arrays (extension of the contract, same loading path). */
export interface AddressArrays {
  addressCount: number;
  /** Address type: code into chain's SCRIPT_TYPES (P2PK keys are p2pkh addresses). */
  addressType: Uint8Array;
  /** `addresses.cluster` (written by `ledgerhound cluster`), NONE where NULL or the column is missing. Empty unless asked. */
  addressCluster: Uint32Array;
}

/**
 * Loads per-address columns: always `addressType`, and `addressCluster` with `opts.cluster`.
 * @param db an open store
 */
export async function loadAddressArrays(db: Database, opts: { cluster?: boolean } = {}): Promise<AddressArrays> {
  const n = num((await db.one<{ n: bigint }>('SELECT count(*) n FROM addresses'))?.n);
  const addressType = new Uint8Array(n);
  const hasCluster =
    opts.cluster === true &&
    num(
      (
        await db.one<{ n: bigint }>(
          "SELECT count(*) n FROM information_schema.columns WHERE table_name = 'addresses' AND column_name = 'cluster'",
        )
      )?.n,
    ) > 0;
  const addressCluster = new Uint32Array(opts.cluster === true ? n : 0);
  if (opts.cluster === true && !hasCluster) addressCluster.fill(NONE);
  const cols: { read: ColumnRead; target: Typed }[] = [
    { read: { name: 'outputScriptType', sql: 'CAST(script_type AS UTINYINT)', make: (k) => new Uint8Array(k) }, target: addressType },
  ];
  if (hasCluster) {
    cols.push({
      read: { name: 'outputAddress', sql: `CAST(coalesce(cluster, ${NONE_SQL}) AS UINTEGER)`, make: U32 },
      target: addressCluster,
    });
  }
  await readTable(db, 'addresses', 'address_id', 0, n, cols);
  return { addressCount: n, addressType, addressCluster };
}
