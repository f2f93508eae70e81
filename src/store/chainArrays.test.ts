import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadAddressArrays, loadChainArrays, NONE } from './chainArrays.js';
import { Database } from './duckdb/Database.js';
import { DuckDbStore } from './duckdb/DuckDbStore.js';

// A real DuckDB file with the store's schema and a hand-written 3-tx chain, rows inserted out of order.
//   tx0 coinbase: in0 (coinbase) -> out0 5e9 to addr0 (p2pkh=2)
//   tx1: in1 spends out0 -> out1 3e9 addr1 (p2wpkh=4), out2 1.99e9 addr0
//   tx2: in2 spends out1, in3 unresolved -> out3 nulldata (no address), out4 2.9e9 addr2 (p2tr=6), unspent
let dir: string;
let db: Database;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'lh-chainarrays-'));
  const store = await DuckDbStore.open(join(dir, 'c.duckdb'));
  await store.init('regtest');
  db = store.db;
  await db.run(`INSERT INTO transactions (tx_id, txid, wtxid, height, position, time, version, locktime, size, vsize, weight, segwit, coinbase,
                  input_count, output_count, first_input_id, first_output_id, input_value, output_value, fee, unresolved_inputs) VALUES
    (2, 'c', 'c', 2, 0, to_timestamp(1700000600), 2, 0, 1, 1, 4, false, false, 2, 2, 2, 3, NULL, 2900000000, NULL, 1),
    (0, 'a', 'a', 0, 0, to_timestamp(1700000000), 1, 0, 1, 1, 4, false, true, 1, 1, 0, 0, NULL, 5000000000, NULL, 0),
    (1, 'b', 'b', 1, 0, to_timestamp(1700000300), 2, 0, 1, 1, 4, false, false, 1, 2, 1, 1, 5000000000, 4990000000, 10000000, 0)`);
  await db.run(`INSERT INTO inputs (input_id, tx_id, vin, height, spent_output_id, prev_txid, prev_vout, sequence, value, address_id, coinbase, unresolved) VALUES
    (3, 2, 1, 2, NULL, 'ff', 0, 0, NULL, NULL, false, true),
    (1, 1, 0, 1, 0, 'a', 0, 0, 5000000000, 0, false, false),
    (0, 0, 0, 0, NULL, NULL, 4294967295, 0, NULL, NULL, true, false),
    (2, 2, 0, 2, 1, 'b', 0, 0, 3000000000, 1, false, false)`);
  await db.run(`INSERT INTO outputs (output_id, tx_id, vout, height, value, script_type, address_id, spending_input_id, spending_tx_id) VALUES
    (4, 2, 1, 2, 2900000000, 6, 2, NULL, NULL),
    (0, 0, 0, 0, 5000000000, 2, 0, 1, 1),
    (1, 1, 0, 1, 3000000000, 4, 1, 2, 2),
    (2, 1, 1, 1, 1990000000, 2, 0, NULL, NULL),
    (3, 2, 0, 2, 0, 8, NULL, NULL, NULL)`);
  await db.run(`INSERT INTO addresses (address_id, address, script_type, first_seen_height, last_seen_height) VALUES
    (2, 'z', 6, 2, 2), (0, 'x', 2, 0, 1), (1, 'y', 4, 1, 2)`);
});

afterAll(() => {
  db.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('loadChainArrays', () => {
  it('reads every column into id-indexed typed arrays, NULL as NONE', async () => {
    const a = await loadChainArrays(db);
    expect([a.txCount, a.inputCount, a.outputCount, a.addressCount]).toEqual([3, 4, 5, 3]);
    expect(Array.from(a.txFirstInput)).toEqual([0, 1, 2, 4]);
    expect(Array.from(a.txFirstOutput)).toEqual([0, 1, 3, 5]);
    expect(Array.from(a.txHeight)).toEqual([0, 1, 2]);
    expect(Array.from(a.txTime)).toEqual([1700000000, 1700000300, 1700000600]);
    expect(Array.from(a.inputTx)).toEqual([0, 1, 2, 2]);
    expect(Array.from(a.inputSpentOutput)).toEqual([NONE, 0, 1, NONE]);
    expect(Array.from(a.inputAddress)).toEqual([NONE, 0, 1, NONE]);
    expect(Array.from(a.inputValue)).toEqual([Number.NaN, 5e9, 3e9, Number.NaN]);
    expect(Array.from(a.outputTx)).toEqual([0, 1, 1, 2, 2]);
    expect(Array.from(a.outputValue)).toEqual([5e9, 3e9, 1.99e9, 0, 2.9e9]);
    expect(Array.from(a.outputAddress)).toEqual([0, 1, 0, NONE, 2]);
    expect(Array.from(a.outputScriptType)).toEqual([2, 4, 2, 8, 6]);
    expect(Array.from(a.outputSpendingInput)).toEqual([1, 2, NONE, NONE, NONE]);
    expect(Array.from(a.outputSpendingTx)).toEqual([1, 2, NONE, NONE, NONE]);
  });

  it('loads a suffix from a tx id with local indices and global id values, and only the asked columns', async () => {
    const a = await loadChainArrays(db, { fromTxId: 2, columns: ['txFirstInput', 'inputSpentOutput', 'outputValue'] });
    expect([a.txBase, a.inputBase, a.outputBase, a.txCount, a.inputCount, a.outputCount]).toEqual([2, 2, 3, 1, 2, 2]);
    expect(Array.from(a.txFirstInput)).toEqual([2, 4]);
    expect(Array.from(a.inputSpentOutput)).toEqual([1, NONE]);
    expect(Array.from(a.outputValue)).toEqual([0, 2.9e9]);
    expect(a.txFirstOutput.length).toBe(0);
    expect(a.outputAddress.length).toBe(0);
    const window = await loadChainArrays(db, { fromTxId: 1, toTxId: 2 });
    expect([window.txBase, window.inputBase, window.outputBase, window.txCount, window.inputCount, window.outputCount]).toEqual([1, 1, 1, 1, 1, 2]);
    expect(Array.from(window.txFirstInput)).toEqual([1, 2]);
    expect(Array.from(window.txFirstOutput)).toEqual([1, 3]);
    expect(Array.from(window.outputValue)).toEqual([3e9, 1.99e9]);
    expect(Array.from(window.inputSpentOutput)).toEqual([0]);
    const past = await loadChainArrays(db, { fromTxId: 3 });
    expect([past.txCount, past.inputCount, past.outputCount, past.inputBase, past.outputBase]).toEqual([0, 0, 0, 4, 5]);
  });

  it('loads address types and (absent) cluster ids', async () => {
    const a = await loadAddressArrays(db, { cluster: true });
    expect(Array.from(a.addressType)).toEqual([2, 4, 6]);
    expect(Array.from(a.addressCluster)).toEqual([NONE, NONE, NONE]);
  });

  it('refuses a database without the chain tables', async () => {
    const empty = await Database.open(':memory:');
    await expect(loadChainArrays(empty)).rejects.toThrow(/holds no ingested chain/);
    empty.close();
  });
});
