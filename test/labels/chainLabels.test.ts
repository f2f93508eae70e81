import { copyFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { sharedPath } from '../helpers/sharedData.js';
import { tempDir } from './helpers.js';

describe('labels on ingested chain data (cross-stage)', () => {
  it('a label on the genesis coinbase address shows with its cluster (each address its own cluster before clustering)', () => {
    const dir = tempDir('lh-labels-chain-');
    mkdirSync(join(dir, 'blocks'));
    copyFileSync(sharedPath('btc', 'blocks', 'mainnet', 'blk_mainnet_h0-438.dat'), join(dir, 'blocks', 'blk00000.dat'));
    const cli = (...a: string[]) => runCli(['--db', join(dir, 'lh.duckdb'), ...a]);
    expect(cli('ingest', 'bitcoin', '--blocks-dir', join(dir, 'blocks'), '--workers', '0').code).toBe(0);
    const add = cli('label', 'add', '1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa', '--label', 'Genesis coinbase', '--category', 'user', '--actor', 'Satoshi Nakamoto', '--source', 'https://en.bitcoin.it/wiki/Genesis_block');
    expect(add.code).toBe(0);
    const r = JSON.parse(cli('--json', 'label', 'show', '1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa').stdout) as {
      tags: { confidence: string; source: { kind: string } }[];
      cluster: { id: number; mode: string; addresses: number; labels: { label: string; addresses: number }[] } | null;
    };
    expect(r.tags).toHaveLength(1);
    expect(r.tags[0]).toMatchObject({ confidence: 'forensic_investigation', source: { kind: 'manual' } });
    expect(r.cluster).toMatchObject({ mode: 'address-as-cluster', addresses: 1, labels: [{ label: 'Genesis coinbase', addresses: 1 }] });
    const c = cli('label', 'show', `cluster:${r.cluster?.id}`);
    expect(c.stdout).toMatch(/"Genesis coinbase" +user +actor satoshinakamoto +on 1 address\(es\)/);
  }, 180_000);
});
