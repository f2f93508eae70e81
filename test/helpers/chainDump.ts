/** Whole-database dumps for comparing two ingests row by row. */
import { Database } from '../../src/store/index.js';

const TABLES: Record<string, string> = {
  meta: 'key',
  script_types: 'code',
  blocks: 'stale, height, hash',
  transactions: 'tx_id',
  inputs: 'input_id',
  outputs: 'output_id',
  addresses: 'address_id',
  pending_spends: 'input_id',
  pending_seen: 'address_id, height',
};

/**
 * Every row of every chain table, in id order, as JSON text per table. `layoutFree` leaves out where
 * blocks sit in the blk files (file_no, file_offset) and the stale rows, to compare directories that
 * hold the same best chain laid out differently.
 */
export async function dumpChain(path: string, opts: { layoutFree?: boolean } = {}): Promise<Record<string, string>> {
  const db = await Database.open(path, { readOnly: true });
  try {
    const out: Record<string, string> = {};
    for (const [t, order] of Object.entries(TABLES)) {
      const sql =
        t === 'blocks' && opts.layoutFree
          ? `SELECT * EXCLUDE (file_no, file_offset) FROM blocks WHERE NOT stale ORDER BY ${order}`
          : `SELECT * FROM ${t} ORDER BY ${order}`;
      out[t] = JSON.stringify(await db.allJson(sql));
    }
    return out;
  } finally {
    db.close();
  }
}
