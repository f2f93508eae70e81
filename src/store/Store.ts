/**
 * The store interface: what ingest and the query commands need from a storage engine. DuckDB
 * (`duckdb/DuckDbStore.ts`) is the embedded default; another engine implements the same interface.
 * Rows travel as engine-neutral TableBatch columns (see `columns.ts`, `schema.ts`).
 */
import type { Network } from '../chain/index.js';
import type { TableBatch } from './columns.js';

/** Where the stored chain stands (all from the meta table, updated in the same transaction as the rows). */
export interface StoreState {
  network: Network | null;
  /** Height of the stored tip, -1 when no block is stored. */
  tipHeight: number;
  tipHash: string | null;
  /** Height of the first stored block (0 from genesis), null when empty. */
  rootHeight: number | null;
  nextTxId: number;
  nextInputId: number;
  nextOutputId: number;
  nextAddressId: number;
  /**
   * Inputs with id below this have their spend links and address sightings applied or staged (in the
   * pending tables). Below nextInputId only in a database an older build left mid-run.
   */
  linkedInputId: number;
  /** Outputs with id below this have their address sightings applied or staged (see linkedInputId). */
  linkedOutputId: number;
  /**
   * Stored rows may link past the tip: the last append was made while later batches were held back (see
   * ingest's holdBatches), so a run killed since then left links to rows it never appended.
   */
  forwardLinks: boolean;
}

/** The rows of a run of consecutive best-chain blocks, committed atomically with the new state. */
export interface ChainBatch {
  blocks: TableBatch;
  transactions: TableBatch;
  inputs: TableBatch;
  outputs: TableBatch;
  addresses: TableBatch;
  /** Spends of outputs of earlier batches (PENDING_SPEND_COLUMNS), applied by linkPending. */
  spends: TableBatch;
  /** Addresses of earlier batches seen again (PENDING_SEEN_COLUMNS), applied by linkPending. */
  seen: TableBatch;
  state: Pick<StoreState, 'tipHeight' | 'tipHash' | 'nextTxId' | 'nextInputId' | 'nextOutputId' | 'nextAddressId' | 'forwardLinks'> & {
    rootHeight: number;
  };
}

/** Row counts of the stored chain. */
export interface ChainTotals {
  blocks: number;
  transactions: number;
  inputs: number;
  outputs: number;
  addresses: number;
  unresolvedInputs: number;
  staleBlocks: number;
}

export interface TxInputView {
  vin: number;
  coinbase: boolean;
  /** The spent output's txid and vout (null for a coinbase input). */
  prevTxid: string | null;
  prevVout: number | null;
  sequence: number;
  /** Value and address of the spent output; null when coinbase or unresolved. */
  value: number | null;
  address: string | null;
  spentOutputId: number | null;
  unresolved: boolean;
}

export interface TxOutputView {
  vout: number;
  outputId: number;
  value: number;
  scriptType: string;
  address: string | null;
  /** The spending transaction and input index, null while unspent. */
  spentBy: { txid: string; vin: number } | null;
}

export interface TxView {
  txid: string;
  /** Equals txid for a transaction without witness data. */
  wtxid: string;
  txId: number;
  height: number;
  blockHash: string;
  position: number;
  time: string;
  version: number;
  locktime: number;
  size: number;
  vsize: number;
  weight: number;
  segwit: boolean;
  coinbase: boolean;
  inputValue: number | null;
  outputValue: number;
  fee: number | null;
  inputs: TxInputView[];
  outputs: TxOutputView[];
}

export interface AddressView {
  address: string;
  addressId: number;
  type: string;
  firstSeenHeight: number;
  lastSeenHeight: number;
  outputCount: number;
  spentCount: number;
  received: number;
  /** Value of its outputs that have been spent. */
  sent: number;
  balance: number;
  txCount: number;
  /** Cluster id (smallest address id of its cluster) once `ledgerhound cluster` has run, else null. */
  cluster: number | null;
  /** Most recent outputs paying to it (newest first, at most `limit`). */
  outputs: { txid: string; vout: number; height: number; value: number; spentByTxid: string | null }[];
}

export interface BlockView {
  height: number;
  hash: string;
  prevHash: string;
  stale: boolean;
  time: string;
  version: number;
  merkleRoot: string;
  bits: number;
  nonce: number;
  chainWork: string;
  size: number;
  strippedSize: number | null;
  weight: number | null;
  txCount: number | null;
  fees: number | null;
  fileNo: number;
  fileOffset: number;
  txids: string[];
}

/** The operations ingest and the query commands use. */
export interface ChainStore {
  /** Creates the schema if needed and binds the store to a network (refuses another network). */
  init(network: Network): Promise<StoreState>;
  state(): Promise<StoreState>;
  /** Hash of every stored best-chain block, by height. */
  mainChainHashes(): Promise<Map<number, string>>;
  /** Deletes every best-chain row above `height` and restores what those blocks spent. */
  rollbackTo(height: number): Promise<void>;
  /** Calls back with every unspent output that can be spent (not OP_RETURN), in output_id order. */
  scanUnspent(cb: (txidHex: string, vout: number, outputId: number, value: number, addressId: number) => void): Promise<void>;
  /** Calls back with every address, in address_id order. */
  scanAddresses(cb: (addressId: number, address: string) => void): Promise<void>;
  /**
   * Appends one batch of rows and the new state, atomically. With `commit: false` the batch's transaction
   * stays open and later batches join it (fewer, larger commits); the batch that commits (the default)
   * makes all of them durable at once. A failure rolls back every batch not yet committed.
   */
  appendBatch(batch: ChainBatch, options?: { commit?: boolean }): Promise<void>;
  /** Commits batches appended with `commit: false` (nothing when there are none). */
  commitPending(): Promise<void>;
  /** Applies inputs not yet linked to the outputs they spend and to address last-seen heights. */
  linkPending(): Promise<void>;
  /**
   * When the state says stored rows may link past the tip (`forwardLinks`): clears spend links to inputs
   * above the stored ones and recomputes last-seen heights above the tip from the stored rows. Run before
   * a new run links anything; never while batches of a run are held back.
   */
  clearForwardLinks(): Promise<void>;
  /** Replaces the stale-block rows (blocks off the best chain) with `blocks`. */
  replaceStaleBlocks(blocks: TableBatch): Promise<void>;
  totals(): Promise<ChainTotals>;
  /** Transactions with this txid (two for the BIP30 duplicates), resolved for display. */
  getTx(txid: string): Promise<TxView[]>;
  getAddress(address: string, limit?: number): Promise<AddressView | null>;
  getBlock(heightOrHash: number | string): Promise<BlockView | null>;
  close(): void;
}
