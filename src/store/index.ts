export { Database } from './duckdb/Database.js';
export type { SqlParams } from './duckdb/Database.js';
export { DuckDbStore } from './duckdb/DuckDbStore.js';
export { grownArray, TableBatch } from './columns.js';
export type { ColumnKind, ColumnSpec } from './columns.js';
export { ADDRESS_COLUMNS, BLOCK_COLUMNS, INPUT_COLUMNS, OUTPUT_COLUMNS, SCHEMA_VERSION, TX_COLUMNS } from './schema.js';
export type {
  AddressView,
  BlockView,
  ChainBatch,
  ChainStore,
  ChainTotals,
  StoreState,
  TxInputView,
  TxOutputView,
  TxView,
} from './Store.js';
export { ingestBitcoin } from './ingest/ingest.js';
export type { IngestOptions, IngestProgress, IngestResult, IngestTimings } from './ingest/ingest.js';
export { loadAddressArrays, loadChainArrays, NONE as CHAIN_NONE, vectorItems } from './chainArrays.js';
export type { AddressArrays, ChainArrayName, ChainArrays, LoadChainArraysOptions } from './chainArrays.js';
