import { describe, expect, it } from 'vitest';
import { clusterConflicts, clusterLabels, clusterMode, importLabelCsv } from '../../src/labels/index.js';
import { runCli } from '../helpers/cli.js';
import { craft, tempDb, tempDir } from './helpers.js';

let lastPath = '';

// Real mainnet addresses (genesis coinbase key, Bitcoin wiki examples, BIP173 vector) on a hand-made addresses table.
const A = '1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa';
const B = '1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN2';
const C = '3J98t1WpEZ73CNmQviecrnyiWrnqRhWNLy';
const D = 'bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4';

async function setup(withClusterColumn: boolean) {
  const { db, path } = await tempDb();
  lastPath = path;
  const dir = tempDir();
  const csv = craft(
    dir,
    'labels.csv',
    [
      'address,currency,label,category,actor,confidence,source',
      `${A},BTC,Exchange One,exchange,exchangeone,service_data,https://a.example`,
      `${B},BTC,Exchange One,exchange,exchangeone,web_crawl,https://b.example`,
      `${B},BTC,Some hack,service_hack,,forensic,https://c.example`,
      `${C},BTC,Exchange Two,exchange,exchangetwo,web_crawl,https://d.example`,
      `${D},BTC,Lone miner,miner,,heuristic,https://e.example`,
    ].join('\n'),
  );
  await importLabelCsv(db, csv);
  // The store's addresses table as the ingest stage creates it; the clustering stage adds `cluster`.
  await db.run(`CREATE TABLE addresses (address_id BIGINT, address VARCHAR, script_type UTINYINT, first_seen_height INTEGER, last_seen_height INTEGER${withClusterColumn ? ', cluster BIGINT' : ''})`);
  const rows = [A, B, C, D].map((a, i) => `(${i}, '${a}', 0, 0, 0${withClusterColumn ? `, ${i < 2 ? 100 : i === 2 ? 100 : 200}` : ''})`);
  await db.run(`INSERT INTO addresses VALUES ${rows.join(', ')}`);
  return db;
}

describe('label propagation to clusters', () => {
  it('with a cluster column: the cluster carries its addresses’ labels with counts and strongest confidence; two exchanges conflict', async () => {
    const db = await setup(true);
    expect(await clusterMode(db)).toBe('cluster-column');
    const r = await clusterLabels(db, 100);
    expect(r.addresses).toBe(3);
    const one = r.labels.find((l) => l.label === 'Exchange One');
    expect(one).toMatchObject({ addresses: 2, tags: 2, confidence: 'service_data', confidenceLevel: 50, actorId: 'exchangeone' });
    expect(one?.sources).toHaveLength(1);
    expect(r.labels.find((l) => l.label === 'Some hack')).toMatchObject({ addresses: 1, isAbuse: true, confidence: 'forensic' });
    expect(r.conflict?.owners.map((o) => [o.owner, o.addresses])).toEqual([
      ['exchangeone', 2],
      ['exchangetwo', 1],
    ]);
    expect(await clusterConflicts(db)).toHaveLength(1);
    const lone = await clusterLabels(db, 200);
    expect(lone.labels.map((l) => l.label)).toEqual(['Lone miner']);
    expect(lone.conflict).toBeNull();
    db.close();
  });

  it('without a cluster column every address is its own cluster (its address_id): no conflicts', async () => {
    const db = await setup(false);
    expect(await clusterMode(db)).toBe('address-as-cluster');
    const r = await clusterLabels(db, 1);
    expect(r.addresses).toBe(1);
    expect(r.labels.map((l) => l.label).sort()).toEqual(['Exchange One', 'Some hack']);
    expect(await clusterConflicts(db)).toEqual([]);
    db.close();
  });
});

describe('label show cluster / label conflicts (CLI)', () => {
  it('shows a cluster’s labels with counts and the conflict, lists conflicting clusters, and adds/removes a manual tag', async () => {
    const db = await setup(true);
    db.close();
    const cli = (...a: string[]) => runCli(['--db', lastPath, ...a]);
    const show = cli('label', 'show', 'cluster:100');
    expect(show.code).toBe(0);
    expect(show.stdout).toMatch(/"Exchange One" {2}exchange {2}actor exchangeone {2}on 2 address\(es\), 2 tag\(s\), strongest confidence service_data \(50\)/);
    expect(show.stdout).toMatch(/CONFLICT: owners exchangeone \(exchange, 2 addr\) vs exchangetwo \(exchange, 1 addr\)/);
    const conflicts = JSON.parse(cli('--json', 'label', 'conflicts').stdout) as { total: number; conflicts: { cluster: number }[] };
    expect(conflicts.total).toBe(1);
    expect(conflicts.conflicts[0]?.cluster).toBe(100);
    const add = cli('label', 'add', D, '--label', 'Exchange Three', '--category', 'exchange', '--actor', 'Exchange Three', '--source', 'analyst-note-7');
    expect(add.code).toBe(0);
    expect(JSON.parse(cli('--json', 'label', 'conflicts').stdout).total).toBe(2);
    const rm = cli('label', 'remove-source', 'manual:analyst-note-7');
    expect(rm.stdout).toMatch(/removed \[\d+\] manual manual:analyst-note-7: 1 tags/);
    expect(JSON.parse(cli('--json', 'label', 'conflicts').stdout).total).toBe(1);
  }, 120_000);
});
