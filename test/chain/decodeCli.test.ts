import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { sharedPath } from '../helpers/sharedData.js';

describe('ledgerhound decode', () => {
  it('decodes a real segwit-era block to the documented JSON shape', () => {
    const r = runCli(['--json', 'decode', 'block', sharedPath('btc', 'blocks', 'mainnet', 'block_481829.raw')]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const d = JSON.parse(r.stdout);
    expect(Object.keys(d)).toEqual(['hash', 'height', 'time', 'transactions']);
    expect(d.hash).toBe('000000000000000000917cba69f69b758fe396c8e30ae97bbcf08c4eb975e726');
    expect(d.height).toBe(481829);
    expect(d.transactions).toHaveLength(2020);
    const cb = d.transactions[0];
    expect(Object.keys(cb)).toEqual(['txid', 'wtxid', 'size', 'vsize', 'weight', 'version', 'locktime', 'inputs', 'outputs']);
    expect(cb.inputs[0]).toEqual({ prevTxid: '0'.repeat(64), prevVout: 0xffffffff, sequence: expect.any(Number) });
    expect(cb.outputs.every((o: { value: number }) => Number.isInteger(o.value))).toBe(true);
  });

  it('decodes a transaction given as hex on the command line, and says why bad hex is bad', () => {
    const dat = readFileSync(sharedPath('btc', 'blocks', 'mainnet', 'block_169482.raw'));
    // First transaction of the block = coinbase: starts right after header (80) + tx count (1 byte for 14).
    const j = JSON.parse(runCli(['--json', 'decode', 'block', sharedPath('btc', 'blocks', 'mainnet', 'block_169482.raw')]).stdout);
    const coinbaseSize = j.transactions[0].size as number;
    const hex = dat.subarray(81, 81 + coinbaseSize).toString('hex');
    const r = runCli(['--json', 'decode', 'tx', hex]);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).txid).toBe(j.transactions[0].txid);

    const odd = runCli(['decode', 'tx', `${hex}0`]);
    expect(odd.code).toBe(2);
    expect(odd.stderr).toMatch(/odd number of digits/);
    const cut = runCli(['decode', 'tx', hex.slice(0, 40)]);
    expect(cut.code).toBe(1);
    expect(cut.stderr).toMatch(/error \[LH_PARSE_TRUNCATED\]: <argument> @ 0x[0-9a-f]+ tx\[0\]\.vin\[0\]\.prevout: needs 36 bytes/);
    expect(cut.stderr).not.toMatch(/\n\s+at /); // no stack trace
  });

  it('rejects an unknown network and a missing file without a stack trace', () => {
    const r = runCli(['decode', 'block', '/nonexistent/file.raw']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/no such file: \/nonexistent\/file\.raw/);
    const n = runCli(['decode', 'block', '--network', 'moon', sharedPath('btc', 'blocks', 'mainnet', 'block_169482.raw')]);
    expect(n.code).toBe(2);
    expect(n.stderr).toMatch(/unknown network "moon"/);
  });
});
