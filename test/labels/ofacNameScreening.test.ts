import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { sharedPath } from '../helpers/sharedData.js';

const dir = mkdtempSync(join(tmpdir(), 'lh-ofac-names-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('label import ofac also feeds name screening', () => {
  it('loads the SDN entries for `screen name` and re-screens stored customers', () => {
    const db = ['--db', join(dir, 'x.duckdb')];
    const bench = sharedPath('sanctions', 'ofac-moov-bench');
    const first = runCli([...db, '--json', 'label', 'import', 'ofac', bench]);
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    const j1 = JSON.parse(first.stdout);
    expect(j1.totals.tags).toBeGreaterThan(0);
    expect(j1.nameScreening).toMatchObject({ customers: 0 });

    // Without a separate `screen load-list`, the name screener knows the list the labels came from.
    const hit = runCli([...db, '--json', 'screen', 'name', 'Lazarus Group', '--type', 'organization']);
    expect(hit.code).toBe(0);
    expect(JSON.stringify(JSON.parse(hit.stdout))).toContain('LAZARUS GROUP');

    // A stored customer is re-screened by the next import of the list.
    expect(runCli([...db, 'screen', 'customer', 'add', 'C1', '--name', 'Lazarus Group', '--type', 'organization']).code).toBe(0);
    const again = runCli([...db, '--json', 'label', 'import', 'ofac', bench]);
    expect(again.code).toBe(0);
    expect(JSON.parse(again.stdout).nameScreening).toMatchObject({ customers: 1 });
    const human = runCli([...db, 'label', 'import', 'ofac', bench]);
    expect(human.stdout).toMatch(/re-screened 1 customer\(s\) against list/);
  });
});
