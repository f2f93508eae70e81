import { describe, expect, it } from 'vitest';
import { runCli } from './helpers/cli.js';

describe('cli', () => {
  it('prints help and exits 0', () => {
    const r = runCli(['--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Usage: ledgerhound');
  });

  it('rejects an unknown command with exit code 2 and a message', () => {
    const r = runCli(['frobnicate']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/unknown command 'frobnicate'|too many arguments/);
  });
});
