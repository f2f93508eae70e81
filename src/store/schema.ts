/**
 * The chain tables (BlockSci's layout: dense integer ids in chain order). Documented column by column in
 * docs/ARCHITECTURE.md ("Store: chain tables"); keep both in step.
 *
 * Ids: tx_id, input_id, output_id count from 0 in chain order (height, then position in block, then
 * vin/vout), with no gaps, so `id >= X` selects everything after a point and a rollback deletes a suffix.
 * address_id counts from 0 in order of first appearance as an output's address.
 */
import type { ColumnSpec } from './columns.js';

/** Bumped when a table changes incompatibly; a database with another version is refused. */
export const SCHEMA_VERSION = 1;

export const TX_COLUMNS: readonly ColumnSpec[] = [
  { name: 'tx_id', kind: 'i64' },
  { name: 'txid', kind: 'str' },
  { name: 'wtxid', kind: 'str', nullable: true },
  { name: 'height', kind: 'i32' },
  { name: 'position', kind: 'i32' },
  { name: 'time', kind: 'ts' },
  { name: 'version', kind: 'i32' },
  { name: 'locktime', kind: 'u32' },
  { name: 'size', kind: 'i32' },
  { name: 'vsize', kind: 'i32' },
  { name: 'weight', kind: 'i32' },
  { name: 'segwit', kind: 'bool' },
  { name: 'coinbase', kind: 'bool' },
  { name: 'input_count', kind: 'i32' },
  { name: 'output_count', kind: 'i32' },
  { name: 'first_input_id', kind: 'i64' },
  { name: 'first_output_id', kind: 'i64' },
  { name: 'input_value', kind: 'i64', nullable: true },
  { name: 'output_value', kind: 'i64' },
  { name: 'fee', kind: 'i64', nullable: true },
  { name: 'unresolved_inputs', kind: 'i32' },
];

export const INPUT_COLUMNS: readonly ColumnSpec[] = [
  { name: 'input_id', kind: 'i64' },
  { name: 'tx_id', kind: 'i64' },
  { name: 'vin', kind: 'i32' },
  { name: 'height', kind: 'i32' },
  { name: 'spent_output_id', kind: 'i64', nullable: true },
  { name: 'prev_txid', kind: 'str', nullable: true },
  { name: 'prev_vout', kind: 'u32' },
  { name: 'sequence', kind: 'u32' },
  { name: 'value', kind: 'i64', nullable: true },
  { name: 'address_id', kind: 'i64', nullable: true },
  { name: 'coinbase', kind: 'bool' },
  { name: 'unresolved', kind: 'bool' },
];

export const OUTPUT_COLUMNS: readonly ColumnSpec[] = [
  { name: 'output_id', kind: 'i64' },
  { name: 'tx_id', kind: 'i64' },
  { name: 'vout', kind: 'i32' },
  { name: 'height', kind: 'i32' },
  { name: 'value', kind: 'i64' },
  { name: 'script_type', kind: 'u8' },
  { name: 'address_id', kind: 'i64', nullable: true },
  { name: 'spending_input_id', kind: 'i64', nullable: true },
  { name: 'spending_tx_id', kind: 'i64', nullable: true },
];

export const ADDRESS_COLUMNS: readonly ColumnSpec[] = [
  { name: 'address_id', kind: 'i64' },
  { name: 'address', kind: 'str' },
  { name: 'script_type', kind: 'u8' },
  { name: 'first_seen_height', kind: 'i32' },
  { name: 'last_seen_height', kind: 'i32' },
];

/**
 * Ingest's staging tables, written in the same transaction as the rows they belong to and emptied by the
 * link pass (ChainStore.linkPending): spends of outputs stored by an earlier batch (outputs spent within
 * their own batch get outputs.spending_* as they are appended), and addresses stored by an earlier batch
 * seen again (as an output's or a spent input's address) at a height, one row per sighting (the link pass
 * keeps each address's highest). Empty after every finished ingest.
 */
export const PENDING_SPEND_COLUMNS: readonly ColumnSpec[] = [
  { name: 'output_id', kind: 'i64' },
  { name: 'input_id', kind: 'i64' },
  { name: 'tx_id', kind: 'i64' },
];

export const PENDING_SEEN_COLUMNS: readonly ColumnSpec[] = [
  { name: 'address_id', kind: 'i64' },
  { name: 'height', kind: 'i32' },
];

export const BLOCK_COLUMNS: readonly ColumnSpec[] = [
  { name: 'height', kind: 'i32' },
  { name: 'hash', kind: 'str' },
  { name: 'prev_hash', kind: 'str' },
  { name: 'stale', kind: 'bool' },
  { name: 'version', kind: 'i32' },
  { name: 'merkle_root', kind: 'str' },
  { name: 'time', kind: 'ts' },
  { name: 'bits', kind: 'u32' },
  { name: 'nonce', kind: 'u32' },
  { name: 'chain_work', kind: 'str' },
  { name: 'size', kind: 'i32' },
  { name: 'stripped_size', kind: 'i32', nullable: true },
  { name: 'weight', kind: 'i32', nullable: true },
  { name: 'tx_count', kind: 'i32', nullable: true },
  { name: 'first_tx_id', kind: 'i64', nullable: true },
  { name: 'first_input_id', kind: 'i64', nullable: true },
  { name: 'first_output_id', kind: 'i64', nullable: true },
  { name: 'file_no', kind: 'i32' },
  { name: 'file_offset', kind: 'i64' },
];
