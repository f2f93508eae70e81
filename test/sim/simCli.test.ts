import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';

const dir = mkdtempSync(join(tmpdir(), 'lh-sim-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('ledgerhound sim bitcoin (CLI)', () => {
  it('writes the demo, refuses to overwrite it, and replaces it with --force', () => {
    const out = join(dir, 'demo');
    const r = runCli(['--json', 'sim', 'bitcoin', '--out', out, '--preset', 'demo', '--network', 'regtest']);
    expect(r.code, r.stderr).toBe(0);
    const s = JSON.parse(r.stdout);
    expect(s).toMatchObject({ network: 'regtest', scale: 0.02, incidents: 1, files: 1 });
    expect(s.transactions).toBeGreaterThan(3000);
    expect(readdirSync(out).sort()).toEqual(['blocks', 'truth.json']);
    expect(readdirSync(join(out, 'blocks'))).toEqual(['blk00000.dat']);
    const again = runCli(['sim', 'bitcoin', '--out', out, '--preset', 'demo']);
    expect(again.code).toBe(2);
    expect(again.stderr).toMatch(/already holds simulator output \(blocks, truth.json\)/);
    expect(again.stderr).toMatch(/--force/);
    const forced = runCli(['--json', 'sim', 'bitcoin', '--out', out, '--preset', 'demo', '--xor', '--force']);
    expect(forced.code, forced.stderr).toBe(0);
    expect(readdirSync(join(out, 'blocks')).sort()).toEqual(['blk00000.dat', 'xor.dat']);
    expect(JSON.parse(forced.stdout).network).toBe('main');
    expect(existsSync(join(out, '.sim-partial'))).toBe(false);
  });

  it('rejects bad options with a message naming the option', () => {
    const cases: [string[], RegExp][] = [
      [['--scale', '0'], /--scale must be a number in \(0, 1000\], got "0"/],
      [['--seed', '-1'], /--seed must be a non-negative integer/],
      [['--preset', 'huge'], /unknown --preset "huge"/],
      [['--network', 'test'], /--network must be main or regtest/],
      [['--scale', '0.02', '--stale', '500'], /--stale must be an integer in \[0, 15\]/],
    ];
    for (const [args, msg] of cases) {
      const r = runCli(['sim', 'bitcoin', '--out', join(dir, 'bad'), ...args]);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr, args.join(' ')).toMatch(msg);
    }
    expect(existsSync(join(dir, 'bad', 'blocks'))).toBe(false);
    writeFileSync(join(dir, 'afile'), 'x');
    const notDir = runCli(['sim', 'bitcoin', '--out', join(dir, 'afile'), '--preset', 'demo']);
    expect(notDir.code).toBe(2);
    expect(notDir.stderr).toMatch(/afile exists and is not a directory/);
  });

  it('eval reports a missing truth file and a missing database clearly', () => {
    const r = runCli(['--db', join(dir, 'none.duckdb'), 'eval', '--truth', join(dir, 'nope.json')]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/LH_TRUTH_READ.*cannot read truth file .*nope\.json/);
    const t = runCli(['--db', join(dir, 'none.duckdb'), 'eval', '--truth', join(dir, 'demo', 'truth.json')]);
    expect(t.code).toBe(2);
    expect(t.stderr).toMatch(/database .*none\.duckdb does not exist/);
  });
});
