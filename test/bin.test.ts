/**
 * `bin/ledgerhound` as a user runs it (sh execs node on the same file with the huge-page and young-generation
 * settings; needs the built dist/, which `npm install` makes before the tests run).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = resolve(import.meta.dirname, '..');
const bin = join(root, 'bin', 'ledgerhound');

describe('bin/ledgerhound', () => {
  it('runs the built CLI through sh and through node alike', () => {
    expect(existsSync(join(root, 'dist', 'cli', 'main.js')), 'dist/ is built by `npm install` (prepare) or `npm run build`').toBe(true);
    const version = (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string }).version;
    const viaSh = spawnSync(bin, ['--version'], { encoding: 'utf8' });
    expect(viaSh.status, viaSh.stderr).toBe(0);
    expect(viaSh.stdout.trim()).toBe(version);
    const viaNode = spawnSync(process.execPath, [bin, '--version'], { encoding: 'utf8' });
    expect(viaNode.status, viaNode.stderr).toBe(0);
    expect(viaNode.stdout.trim()).toBe(version);
    // A real command with its output on stdout (the genesis coinbase transaction).
    const tx =
      '01000000010000000000000000000000000000000000000000000000000000000000000000ffffffff4d04ffff001d0104455468652054696d65732030332f4a616e2f32303039204368616e63656c6c6f72206f6e206272696e6b206f66207365636f6e64206261696c6f757420666f722062616e6b73ffffffff0100f2052a01000000434104678afdb0fe5548271967f1a67130b7105cd6a828e03909a67962e0ea1f61deb649f6bc3f4cef38c4f35504e51ec112de5c384df7ba0b8d578a4c702b6bf11d5fac00000000';
    const decoded = spawnSync(bin, ['--json', 'decode', 'tx', tx], { encoding: 'utf8' });
    expect(decoded.status, decoded.stderr).toBe(0);
    expect(JSON.parse(decoded.stdout).txid).toBe('4a5e1e4baab89f3a32518a88c31bc87f618f76673e2cc77ab2127b7afdeda33b');
  });
});
