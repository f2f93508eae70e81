import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Database } from '../src/store/index.js';
import { runCli } from './helpers/cli.js';
import { sharedPath } from './helpers/sharedData.js';

/** End-to-end: load a list into a real DuckDB file, screen, adjudicate, reload, match. */
describe('screen name / load-list / customers / adjudication / match (CLI, real OFAC data)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'lh-names-'));
  const db = join(dir, 'lh.duckdb');
  const cli = (...args: string[]) => runCli(['--db', db, ...args]);
  const bench = sharedPath('sanctions', 'ofac-moov-bench');

  it('screens names from the list stored in the database, with explanations (--json shapes)', async () => {
    const load = cli('--json', 'screen', 'load-list', join(bench, 'sdn.csv'));
    expect(load.stderr).toBe('');
    expect(load.code).toBe(0);
    const loaded = JSON.parse(load.stdout);
    expect(loaded.list).toMatchObject({ entries: 8976 });
    expect(loaded.rescreen).toMatchObject({ customers: 0, newHits: [] });

    const r = cli('--json', 'screen', 'name', '김정은', '--type', 'person');
    expect(r.code).toBe(0);
    const res = JSON.parse(r.stdout);
    expect(res.query).toEqual({ name: '김정은', type: 'person', birthYear: null, country: null });
    expect(res.hits[0]).toMatchObject({ listedName: 'KIM, Jong Un', band: 'certain', list: 'OFAC-SDN', entryType: 'individual' });
    expect(res.hits[0].explanation.queryForm).toMatch(/^Hangul → /);
    expect(res.hits[0].explanation.aligned.length).toBe(3);

    const text = cli('screen', 'name', 'LAZARUS GROUP');
    expect(text.stdout).toMatch(/LAZARUS GROUP {2}\[ent 27307, entity, DPRK3\]/);
    expect(cli('screen', 'name', 'TRADING CORP').stdout).toMatch(/no hits/);

    // every name screening is in the shared audit log
    const audit = await Database.open(db, { readOnly: true });
    try {
      const rows = await audit.allJson<{ subject: string; score: number }>("select subject, score from screen_audit_log where action = 'screen.names' order by audit_id");
      expect(rows.map((x) => x.subject)).toEqual(['김정은', 'LAZARUS GROUP', 'TRADING CORP']);
      expect(rows[2]?.score).toBe(0);
    } finally {
      audit.close();
    }
  });

  it('suppresses an adjudicated false positive and re-raises it when the list entry changes', () => {
    const add = cli('--json', 'screen', 'customer', 'add', 'cu-1', '--name', 'Banco Nacional de Cuba', '--type', 'organization');
    expect(add.code).toBe(0);
    const added = JSON.parse(add.stdout);
    expect(added.hits[0]).toMatchObject({ entNum: 306, status: 'open' });

    const adj = cli('screen', 'adjudicate', 'cu-1', '306', '--decision', 'false-positive', '--user', 'alice', '--note', 'our customer is the Panama branch');
    expect(adj.code).toBe(0);
    expect(adj.stdout).toMatch(/recorded false positive for customer cu-1 on 306 BANCO NACIONAL DE CUBA/);

    const again = cli('screen', 'customer', 'rescreen', 'cu-1');
    expect(again.stdout).toMatch(/customer cu-1: \d+ hit\(s\), 1 suppressed as adjudicated false positive/);
    expect(again.stdout).not.toMatch(/ent 306,/);

    // the complete set adds ALT.CSV aliases (NATIONAL BANK OF CUBA) to entry 306: its hash changes
    const reload = cli('--json', 'screen', 'load-list', bench);
    expect(reload.code).toBe(0);
    const summary = JSON.parse(reload.stdout).rescreen;
    expect(summary.customers).toBe(1);
    expect(summary.reraised).toEqual([expect.objectContaining({ customerId: 'cu-1', entNum: 306 })]);
    const list = JSON.parse(cli('--json', 'screen', 'customer', 'list').stdout);
    expect(list[0]).toMatchObject({ customerId: 'cu-1', openHits: expect.any(Number) });
  });

  it('match: pair and --pairs CSV', () => {
    const m = cli('--json', 'match', 'Kim Chong-un', 'KIM, Jong Un', '--type', 'person');
    expect(m.code).toBe(0);
    const r = JSON.parse(m.stdout);
    expect(r).toMatchObject({ match: true, type: 'person' });
    expect(r.weights).toMatch(/token rarity in list/);
    const csv = join(dir, 'pairs.csv');
    writeFileSync(csv, 'id,name1,name2,schema\n1,김정은,"KIM, Jong Un",person\n2,TRADING CORP,KOREA TRADING CORPORATION,organization\n');
    const p = cli('match', '--pairs', csv);
    expect(p.code).toBe(0);
    const lines = p.stdout.trim().split('\n');
    expect(lines[0]).toBe('id,name1,name2,schema,score,match');
    expect(lines[1]).toMatch(/^1,김정은,"KIM, Jong Un",person,(0\.9\d+|1),true$/);
    expect(lines[2]).toMatch(/^2,TRADING CORP,KOREA TRADING CORPORATION,organization,0(\.0\d+)?,false$/);
  });

  it('bad input: clear errors and exit codes', () => {
    const e1 = cli('screen', 'name', '');
    expect(e1.code).toBe(2);
    expect(e1.stderr).toMatch(/empty name/);
    const e2 = cli('screen', 'name', 'x'.repeat(3000));
    expect(e2.code).toBe(2);
    expect(e2.stderr).toMatch(/3000 characters long, the limit is 300/);
    const e3 = cli('screen', 'name', 'Kim\u0001Jong');
    expect(e3.stderr).toMatch(/control or unassigned character U\+0001 at position 3/);
    const e4 = cli('screen', 'name', 'Kim', '--type', 'robot');
    expect(e4.code).toBe(2);
    expect(e4.stderr).toMatch(/unknown type "robot"/);
    const bad = join(dir, 'bad.csv');
    writeFileSync(bad, 'name1,name2\nok,fine\n"broken\n');
    const e5 = cli('match', '--pairs', bad);
    expect(e5.code).toBe(1);
    expect(e5.stderr).toMatch(/bad\.csv @ 0x[0-9a-f]+ line 3 row: expected 2 columns, found 1/);
    const e6 = cli('screen', 'adjudicate', 'nobody', '306', '--decision', 'false-positive', '--user', 'x');
    expect(e6.code).toBe(1);
    expect(e6.stderr).toMatch(/customer nobody not found/);
  });
});
