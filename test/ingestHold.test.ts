/**
 * Held batches (IngestOptions.holdBatches) on a simulator chain, where most outputs are spent and many
 * addresses seen again within a few blocks: links absorbed into held batches must give exactly the
 * database that staging them for the link pass gives, and a run killed while batches are held (so that
 * committed rows link to rows never appended) must end, after the next run, in that same database.
 */
import { spawn } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { simulateBitcoin } from '../src/sim/index.js';
import { Database, DuckDbStore, type IngestResult, ingestBitcoin } from '../src/store/index.js';
import { tempDir } from './helpers/blk.js';
import { dumpChain } from './helpers/chainDump.js';
import { REPO_ROOT } from './helpers/cli.js';

const root = tempDir('lh-hold-');
afterAll(() => rmSync(root, { recursive: true, force: true }));
const blocksDir = join(root, 'sim', 'blocks');
let n = 0;
const freshDb = () => join(root, `db-${n++}.duckdb`);

async function ingest(db: string, extra: Partial<Parameters<typeof ingestBitcoin>[0]> = {}): Promise<IngestResult> {
  const store = await DuckDbStore.open(db);
  try {
    return await ingestBitcoin({ blocksDir, network: 'main', store, workers: 1, ...extra });
  } finally {
    store.close();
  }
}

/** Staged rows the link pass would apply, read from a database left mid-run. */
async function forwardState(db: string): Promise<{ flag: string | null; spends: number; seen: number }> {
  const d = await Database.open(db, { readOnly: true });
  try {
    const meta = new Map((await d.all<{ key: string; value: string }>('SELECT key, value FROM meta')).map((r) => [r.key, r.value]));
    const spends = await d.one<{ n: bigint }>('SELECT count(*) n FROM outputs WHERE spending_input_id >= $ni', { ni: Number(meta.get('next_input_id') ?? 0) });
    const seen = await d.one<{ n: bigint }>('SELECT count(*) n FROM addresses WHERE last_seen_height > $h', { h: Number(meta.get('tip_height') ?? -1) });
    return { flag: meta.get('forward_links') ?? null, spends: Number(spends?.n), seen: Number(seen?.n) };
  } finally {
    d.close();
  }
}

let baseline: { result: IngestResult; dump: Record<string, string> };

beforeAll(async () => {
  simulateBitcoin({ outDir: join(root, 'sim'), seed: 5, scale: 0.05 });
  // One batch for the whole chain: every link is made within it, nothing held or staged.
  const db = freshDb();
  const result = await ingest(db, { batchBytes: 1 << 30 });
  baseline = { result, dump: await dumpChain(db) };
}, 120_000);

describe('string compression during the load', () => {
  it('FSST is left out while batches load unless the store was opened with compressStrings (ingest --compact); the rows are the same', async () => {
    for (const compressStrings of [false, true]) {
      const db = freshDb();
      const store = await DuckDbStore.open(db, { compressStrings });
      const seen: string[] = [];
      // The store as ingest sees it, reading DuckDB's setting after each batch's append (bulk load still on).
      const watched = new Proxy(store, {
        get(target, prop, receiver) {
          if (prop !== 'appendBatch') return Reflect.get(target, prop, receiver);
          return async (...args: Parameters<DuckDbStore['appendBatch']>) => {
            await target.appendBatch(...args);
            const r = await target.db.one<{ d: string }>("SELECT current_setting('disabled_compression_methods')::VARCHAR d");
            seen.push((r?.d ?? '').toLowerCase());
          };
        },
      });
      try {
        await ingestBitcoin({ blocksDir, network: 'main', store: watched, workers: 1, batchBytes: 200_000 });
      } finally {
        store.close();
      }
      expect(seen.length).toBeGreaterThan(1);
      for (const d of seen) {
        expect(d.split(','), `compressStrings ${compressStrings}`).toContain('dictionary');
        expect(d.split(',').includes('fsst'), `compressStrings ${compressStrings}: ${d}`).toBe(!compressStrings);
      }
      expect(await dumpChain(db)).toEqual(baseline.dump);
    }
  }, 120_000);
});

describe('held batches', () => {
  it('tiny batches, held or not, give exactly the one-batch database', async () => {
    expect(baseline.result.blocks).toBeGreaterThan(100);
    for (const holdBatches of [0, 1, 4]) {
      const db = freshDb();
      const r = await ingest(db, { batchBytes: 40_000, commitBytes: 120_000, holdBatches });
      expect(r.tipHash).toBe(baseline.result.tipHash);
      expect(await dumpChain(db), `holdBatches ${holdBatches}`).toEqual(baseline.dump);
    }
  }, 120_000);

  it('kill -9 while batches are held leaves links past the tip; the next run clears them and ends in the same database', async () => {
    const db = freshDb();
    const left: { flag: string | null; spends: number; seen: number }[] = [];
    for (const killAt of [125, 145, 162]) {
      const code = await new Promise<string | null>((resolve, reject) => {
        const child = spawn(process.execPath, ['--import', 'tsx', join(REPO_ROOT, 'test', 'helpers', 'ingestChild.ts'), db, blocksDir, '40000', '1', String(killAt)], {
          cwd: REPO_ROOT,
          stdio: ['ignore', 'ignore', 'pipe'],
        });
        let stderr = '';
        child.stderr.setEncoding('utf8').on('data', (c: string) => {
          stderr += c;
        });
        child.on('exit', (c, signal) => (signal === 'SIGKILL' ? resolve(signal) : reject(new Error(`child ended with ${c}: ${stderr}`))));
      });
      expect(code).toBe('SIGKILL');
      left.push(await forwardState(db));
    }
    // The kills did leave committed links into batches that were held and never appended.
    expect(left.every((l) => l.flag === '1')).toBe(true);
    expect(left.some((l) => l.spends > 0)).toBe(true);
    expect(left.some((l) => l.seen > 0)).toBe(true);
    const r = await ingest(db, { batchBytes: 40_000, commitBytes: 120_000 });
    expect(r.tipHash).toBe(baseline.result.tipHash);
    expect(await dumpChain(db)).toEqual(baseline.dump);
    expect(await forwardState(db)).toEqual({ flag: '0', spends: 0, seen: 0 });
  }, 120_000);
});
