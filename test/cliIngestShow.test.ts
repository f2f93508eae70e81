/** `ledgerhound ingest bitcoin` and `show tx|address|block` as a user runs them (child process, from source). */
import { copyFileSync, mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Database } from '../src/store/index.js';
import { MAINNET_H0_438, TIP_438, realBlocks, tempDir } from './helpers/blk.js';
import { runCli } from './helpers/cli.js';

const root = tempDir('lh-cli-');
const db = join(root, 'chain.duckdb');
const dir = join(root, 'blocks');
afterAll(() => rmSync(root, { recursive: true, force: true }));

let summary: Record<string, unknown>;
beforeAll(() => {
  mkdirSync(dir, { recursive: true });
  copyFileSync(MAINNET_H0_438(), join(dir, 'blk00000.dat'));
  const r = runCli(['--db', db, '--json', 'ingest', 'bitcoin', '--blocks-dir', dir, '--network', 'main']);
  expect(r.stderr).not.toMatch(/error/);
  expect(r.code).toBe(0);
  summary = JSON.parse(r.stdout);
});

describe('ingest bitcoin --json', () => {
  it('prints the summary with every documented key', () => {
    for (const k of ['network', 'bestHeight', 'tipHash', 'blocks', 'transactions', 'inputs', 'outputs', 'addresses', 'unresolvedInputs', 'staleBlocks', 'seconds']) {
      expect(summary).toHaveProperty(k);
    }
    expect(summary).toMatchObject({ network: 'main', bestHeight: 438, tipHash: TIP_438, blocks: realBlocks().length, unresolvedInputs: 0, staleBlocks: 0 });
  });

  it('--compact ingests the same chain (FSST left on during the load)', () => {
    const compactDb = join(root, 'compact.duckdb');
    const r = runCli(['--db', compactDb, '--json', 'ingest', 'bitcoin', '--blocks-dir', dir, '--compact']);
    expect(r.code).toBe(0);
    const { seconds: _a, ...compact } = JSON.parse(r.stdout) as Record<string, unknown>;
    const { seconds: _b, ...plain } = summary;
    expect(compact).toEqual(plain);
  });

  it('rejects a bad network, height or directory as usage errors (exit 2)', () => {
    expect(runCli(['--db', db, 'ingest', 'bitcoin', '--blocks-dir', dir, '--network', 'mainnet']).stderr).toContain('unknown network "mainnet"');
    const h = runCli(['--db', db, 'ingest', 'bitcoin', '--blocks-dir', dir, '--to-height', '-3']);
    expect(h.code).toBe(2);
    const d = runCli(['--db', db, 'ingest', 'bitcoin', '--blocks-dir', join(root, 'nope')]);
    expect(d.code).toBe(2);
    expect(d.stderr).toContain('does not exist');
  });

  it('names the network a directory belongs to when --network does not match it', () => {
    const r = runCli(['--db', db, 'ingest', 'bitcoin', '--blocks-dir', dir, '--network', 'regtest']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('blk00000.dat @ 0x0 magic: found the main network magic f9beb4d9, expected fabfb5da');
  });
});

describe('show', () => {
  it('show tx gives inputs with their source and outputs with their spender', () => {
    const r = runCli(['--db', db, '--json', 'show', 'tx', 'F4184FC596403B9D638783CF57ADFE4C75C605F6356FBC91338530E9831E9E16']);
    expect(r.code).toBe(0);
    const tx = JSON.parse(r.stdout);
    expect(tx).toMatchObject({ height: 170, position: 1, fee: 0, inputValue: 50e8, outputValue: 50e8, coinbase: false });
    expect(tx.inputs[0]).toMatchObject({ prevTxid: '0437cd7f8525ceed2324359c2d0ba26006d92d856a9c20fa0241106ee5a597c9', prevVout: 0, address: '12cbQLTFMXRnSzktFkuoG3eHoMeFtpTu3S' });
    expect(tx.outputs[0]).toMatchObject({ value: 10e8, scriptType: 'p2pk', address: '1Q2TWHE3GMdB6BZKafqwxXtWAWgFt5Jvm3', spentBy: null });
    expect(tx.outputs[1].spentBy).toEqual({ txid: 'a16f3ce4dd5deb92d98ef5cf8afeaf0775ebca408f708b2146c4fb42b41e14be', vin: 0 });
    const human = runCli(['--db', db, 'show', 'tx', 'f4184fc596403b9d638783cf57adfe4c75c605f6356fbc91338530e9831e9e16']);
    expect(human.stdout).toContain('spent by a16f3ce4dd5deb92d98ef5cf8afeaf0775ebca408f708b2146c4fb42b41e14be:0');
  });

  it('show address: the genesis coinbase key and a spending address', () => {
    const g = JSON.parse(runCli(['--db', db, '--json', 'show', 'address', '1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa']).stdout);
    expect(g).toMatchObject({ addressId: 0, type: 'p2pkh', firstSeenHeight: 0, received: 50e8, balance: 50e8, cluster: null });
    const a = JSON.parse(runCli(['--db', db, '--json', 'show', 'address', '12cbQLTFMXRnSzktFkuoG3eHoMeFtpTu3S']).stdout);
    expect(a.firstSeenHeight).toBe(9);
    expect(a.lastSeenHeight).toBeGreaterThanOrEqual(170);
    expect(a.received - a.sent).toBe(a.balance);
  });

  it('show block by height and by hash agree', () => {
    const byHeight = JSON.parse(runCli(['--db', db, '--json', 'show', 'block', '170']).stdout);
    const byHash = JSON.parse(runCli(['--db', db, '--json', 'show', 'block', byHeight.hash]).stdout);
    expect(byHash).toEqual(byHeight);
    expect(byHeight).toMatchObject({ height: 170, txCount: 2, stale: false, fees: 0 });
    expect(byHeight.txids[1]).toBe('f4184fc596403b9d638783cf57adfe4c75c605f6356fbc91338530e9831e9e16');
  });

  it('unknown ids are not-found errors (exit 1), malformed ones usage errors (exit 2)', () => {
    const missing = runCli(['--db', db, 'show', 'tx', '00'.repeat(32)]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('LH_NOT_FOUND');
    expect(runCli(['--db', db, 'show', 'block', '439']).code).toBe(1);
    const bad = runCli(['--db', db, 'show', 'tx', 'xyz']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('txid must be 64 hex digits');
    const addr = runCli(['--db', db, 'show', 'address', '1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNb']);
    expect(addr.code).toBe(2);
    expect(addr.stderr).toMatch(/checksum/);
    expect(runCli(['--db', db, 'show', 'address', 'tb1qw508d6qejxtdg4y5r3zarvary0c5xw7kxpjzsx']).code).toBe(2);
  });

  it('a database that was never ingested gets a clear error', () => {
    const none = runCli(['--db', join(root, 'none.duckdb'), 'show', 'block', '0']);
    expect(none.code).toBe(1);
    expect(none.stderr).toContain('LH_DB_MISSING');
  });

  it('a database file without an ingested chain gets LH_DB_EMPTY', async () => {
    const emptyDb = join(root, 'empty.duckdb');
    const d = await Database.open(emptyDb);
    await d.run('CREATE TABLE unrelated (x INTEGER)');
    d.close();
    const e = runCli(['--db', emptyDb, 'show', 'tx', '00'.repeat(32)]);
    expect(e.code).toBe(1);
    expect(e.stderr).toContain('LH_DB_EMPTY');
  });
});
