/**
 * The screening and key-management commands as a user runs them (child processes over a real DuckDB file).
 */
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Database } from '../../src/store/index.js';
import { runCli } from '../helpers/cli.js';
import { makeSimDb, type SimDb } from './fixture.js';

let sim: SimDb;
const cli = (args: string[]) => runCli(['--db', sim.dbPath, ...args]);

beforeAll(async () => {
  sim = await makeSimDb({ seed: 3 });
}, 180_000);

afterAll(() => sim?.cleanup());

describe('screen address | tx | file', () => {
  it('screen address --json gives the breakdown and names the rule set', () => {
    const r = cli(['--json', 'screen', 'address', sim.thiefAddress, sim.sanctionedAddress]);
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out).toHaveLength(2);
    expect(out[0]).toMatchObject({ address: sim.thiefAddress, level: 'severe', ruleSet: { id: 'ledgerhound-default' } });
    expect(out[1].score).toBe(100);
  });

  it('a bad address is a usage-style failure naming it, not a stack trace', () => {
    const r = cli(['screen', 'address', 'bc1qnotanaddress']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/LH_BAD_ADDRESS.*bc1qnotanaddress/);
    expect(r.stderr).not.toMatch(/\bat .*\.ts:\d+/);
  });

  it('screen file writes CSV with one row per address and an error column for bad lines', () => {
    const file = join(sim.dir, 'addresses.txt');
    writeFileSync(file, `# customers\n${sim.thiefAddress}\n\nnot-an-address\n${sim.sanctionedAddress}\n`);
    const r = cli(['screen', 'file', file]);
    expect(r.code, r.stderr).toBe(0);
    const lines = r.stdout.trim().split('\n');
    expect(lines[0]).toBe('line,address,score,level,direct,received,sent,cluster,rule_set,error');
    expect(lines).toHaveLength(4);
    expect(lines[1]).toMatch(new RegExp(`^2,${sim.thiefAddress},\\d+,severe,stolen_funds,`));
    expect(lines[2]).toMatch(/^4,not-an-address,,,,,,,ledgerhound-default@[^,]+,"LH_BAD_ADDRESS: ""not-an-address"" is not a main Bitcoin address/);
    expect(lines[3]).toMatch(/,100,severe,sanctions,/);
    expect(r.stderr).toMatch(/screened 3 address\(es\).*1 invalid/);
  });

  it('screen tx reports both sides; the audit log holds every CLI screening', async () => {
    const db0 = await Database.open(sim.dbPath, { readOnly: true });
    const t = await db0.one<{ txid: string }>('SELECT txid FROM transactions WHERE tx_id = 400');
    db0.close();
    const r = cli(['--json', 'screen', 'tx', t!.txid]);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ txid: t!.txid, direction: 'both' });
    const bad = cli(['screen', 'tx', 'xyz']);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/LH_BAD_TXID/);
    const db = await Database.open(sim.dbPath, { readOnly: true });
    const rows = await db.all<{ action: string; channel: string; n: bigint }>(
      'SELECT action, channel, count(*) n FROM screen_audit_log GROUP BY ALL ORDER BY action',
    );
    db.close();
    expect(rows.map((x) => [x.action, x.channel, Number(x.n)])).toEqual([
      ['screen.address', 'cli', 2],
      ['screen.file', 'cli', 2],
      ['screen.tx', 'cli', 1],
    ]);
  });
});

describe('missing database', () => {
  it('screen and serve refuse a database that does not exist, and do not create it', () => {
    const missing = join(sim.dir, 'missing.duckdb');
    for (const args of [['screen', 'address', sim.thiefAddress], ['serve', '--port', '0']]) {
      const r = runCli(['--db', missing, ...args]);
      expect(r.code, args.join(' ')).toBe(1);
      expect(r.stderr).toMatch(/LH_DB_MISSING.*does not exist/);
      expect(existsSync(missing)).toBe(false);
    }
  });
});

describe('apikey and serve options', () => {
  it('create prints the key once, list never shows it, revoke marks it', () => {
    const c = cli(['--json', 'apikey', 'create', 'compliance team', '--rate', '50']);
    expect(c.code, c.stderr).toBe(0);
    const created = JSON.parse(c.stdout);
    expect(created.key).toMatch(/^lh_[0-9a-f]{8}_[A-Za-z0-9_-]{43}$/);
    const l = cli(['--json', 'apikey', 'list']);
    expect(l.stdout).not.toContain(created.key);
    expect(JSON.parse(l.stdout)).toEqual([expect.objectContaining({ id: created.id, name: 'compliance team', ratePerSec: 50, revokedAt: null })]);
    const r = cli(['apikey', 'revoke', created.id]);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(cli(['--json', 'apikey', 'list']).stdout)[0].revokedAt).not.toBeNull();
    expect(cli(['apikey', 'revoke', 'ffffffff']).code).toBe(1);
    expect(cli(['apikey', 'create', 'x', '--rate', '-3']).code).toBe(2);
  });

  it('serve --no-auth refuses a non-loopback host; a bad port is a usage error', () => {
    const r = cli(['serve', '--no-auth', '--host', '0.0.0.0', '--port', '0']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--no-auth is only allowed on a loopback host/);
    expect(cli(['serve', '--port', '99999']).code).toBe(2);
  });
});
