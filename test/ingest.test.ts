/**
 * Ingest of real mainnet blocks 0..438 (../shared/data/btc/blocks/mainnet/blk_mainnet_h0-438.dat) and of
 * blocks directories rewritten from them for every blk-file condition: XOR obfuscation, shuffled order
 * over several files, zero padding, truncated last record, stale branch, unknown magic, corrupted block,
 * incremental runs, reorg rollback and kill -9 at arbitrary points.
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { payments } from 'bitcoinjs-lib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  computeMerkleRoot,
  hashToHex,
  parseBlock,
  serializeBlock,
  type TxData,
  txHashes,
  WITNESS_RESERVED_VALUE,
  witnessCommitmentScript,
} from '../src/chain/index.js';
import { DuckDbStore, type IngestResult, ingestBitcoin } from '../src/store/index.js';
import { blockHashHex, dsha, forkBlock, realBlocks, record, TIP_438, tempDir, writeBlocksDir } from './helpers/blk.js';
import { dumpChain } from './helpers/chainDump.js';
import { REPO_ROOT, runCli } from './helpers/cli.js';
import { sharedPath } from './helpers/sharedData.js';

const blocks = realBlocks();
const root = tempDir('lh-ingest-');
afterAll(() => rmSync(root, { recursive: true, force: true }));

let n = 0;
function fresh(name: string): { dir: string; db: string } {
  const base = join(root, `${name}-${n++}`);
  return { dir: join(base, 'blocks'), db: join(base, 'chain.duckdb') };
}

async function ingest(db: string, dir: string, extra: Partial<Parameters<typeof ingestBitcoin>[0]> = {}): Promise<IngestResult> {
  const store = await DuckDbStore.open(db);
  try {
    return await ingestBitcoin({ blocksDir: dir, network: 'main', store, workers: 1, ...extra });
  } finally {
    store.close();
  }
}

/**
 * Independent totals for the 2009 blocks: a minimal legacy-transaction walker (no segwit existed then),
 * counting transactions, inputs, outputs and distinct addresses (P2PK keys counted as the hash160 of the
 * key, as the P2PKH address of the key; P2PKH by its hash). Any other script type fails loudly, since the
 * address count would then need a real classifier.
 */
function independentTotals(list: Buffer[]) {
  let txs = 0;
  let inputs = 0;
  let outputs = 0;
  const addresses = new Set<string>();
  const varint = (b: Buffer, p: number): [number, number] => {
    const f = b[p] as number;
    if (f < 0xfd) return [f, p + 1];
    if (f === 0xfd) return [b.readUInt16LE(p + 1), p + 3];
    return [b.readUInt32LE(p + 1), p + 5];
  };
  for (const b of list) {
    let [nTx, p] = varint(b, 80);
    txs += nTx;
    for (let t = 0; t < nTx; t++) {
      p += 4;
      let nIn: number;
      [nIn, p] = varint(b, p);
      if (nIn === 0) throw new Error('segwit marker in a 2009 block?');
      inputs += nIn;
      for (let i = 0; i < nIn; i++) {
        let len: number;
        [len, p] = varint(b, p + 36);
        p += len + 4;
      }
      let nOut: number;
      [nOut, p] = varint(b, p);
      outputs += nOut;
      for (let o = 0; o < nOut; o++) {
        let len: number;
        [len, p] = varint(b, p + 8);
        const s = b.subarray(p, p + len);
        if (len === 67 && s[0] === 65 && s[66] === 0xac) {
          addresses.add(createHash('ripemd160').update(createHash('sha256').update(s.subarray(1, 66)).digest()).digest('hex'));
        } else if (len === 25 && s[0] === 0x76 && s[1] === 0xa9 && s[2] === 20 && s[23] === 0x88 && s[24] === 0xac) {
          addresses.add(s.subarray(3, 23).toString('hex'));
        } else {
          throw new Error(`unexpected script ${s.toString('hex')}`);
        }
        p += len;
      }
      p += 4;
    }
    if (p !== b.length) throw new Error('block not consumed exactly');
  }
  return { transactions: txs, inputs, outputs, addresses: addresses.size };
}

const plainFile = () => Buffer.concat(blocks.map((b) => record(b)));
let baseline: { db: string; dump: Record<string, string>; layoutFree: Record<string, string>; result: IngestResult };

beforeAll(async () => {
  const { dir, db } = fresh('baseline');
  writeBlocksDir(join(dir, '..'), [plainFile()]);
  const result = await ingest(db, dir);
  baseline = { db, dump: await dumpChain(db), layoutFree: await dumpChain(db, { layoutFree: true }), result };
});

describe('ingest of the real mainnet chain 0..438', () => {
  it('has the tip hash and totals an independent count gives', () => {
    const want = independentTotals(blocks);
    const r = baseline.result;
    expect(r.tipHash).toBe(TIP_438);
    expect(r.bestHeight).toBe(438);
    expect(r.blocks).toBe(blocks.length);
    expect(r.transactions).toBe(want.transactions);
    expect(r.inputs).toBe(want.inputs);
    expect(r.outputs).toBe(want.outputs);
    expect(r.addresses).toBe(want.addresses);
    expect(r.unresolvedInputs).toBe(0);
    expect(r.staleBlocks).toBe(0);
  });

  it('links spends both ways and computes fees (block 170: the first bitcoin transaction)', async () => {
    const store = await DuckDbStore.openForQuery(baseline.db);
    try {
      const [tx] = await store.getTx('f4184fc596403b9d638783cf57adfe4c75c605f6356fbc91338530e9831e9e16');
      expect(tx?.height).toBe(170);
      // Spends block 9's coinbase (50 BTC) into 10 + 40 BTC: fee 0.
      expect(tx?.inputs[0]?.prevTxid).toBe('0437cd7f8525ceed2324359c2d0ba26006d92d856a9c20fa0241106ee5a597c9');
      expect(tx?.inputs[0]?.value).toBe(50e8);
      expect(tx?.outputs.map((o) => o.value)).toEqual([10e8, 40e8]);
      expect(tx?.fee).toBe(0);
      const [spender] = await store.getTx(tx?.outputs[1]?.spentBy?.txid as string);
      expect(spender?.inputs[0]?.prevTxid).toBe(tx?.txid);
      // Every resolved input points at an output that points back at it.
      const db = store.db;
      const bad = await db.one<{ n: bigint }>(
        `SELECT count(*) n FROM inputs i LEFT JOIN outputs o ON o.output_id = i.spent_output_id
          WHERE NOT i.coinbase AND (o.spending_input_id IS DISTINCT FROM i.input_id OR o.value <> i.value)`,
      );
      expect(Number(bad?.n)).toBe(0);
      // ...and no output claims a spender that does not spend it.
      const claimed = await db.one<{ n: bigint }>(
        `SELECT count(*) n FROM outputs o LEFT JOIN inputs i ON i.input_id = o.spending_input_id
          WHERE o.spending_input_id IS NOT NULL AND (i.spent_output_id IS DISTINCT FROM o.output_id OR i.tx_id <> o.spending_tx_id)`,
      );
      expect(Number(claimed?.n)).toBe(0);
      // Last seen = the last height the address received or spent at.
      const seen = await db.one<{ n: bigint }>(
        `WITH s AS (SELECT address_id, max(height) h FROM (SELECT address_id, height FROM outputs UNION ALL
                      SELECT address_id, height FROM inputs WHERE address_id IS NOT NULL) GROUP BY address_id)
         SELECT count(*) n FROM addresses a LEFT JOIN s USING (address_id) WHERE s.h IS DISTINCT FROM a.last_seen_height`,
      );
      expect(Number(seen?.n)).toBe(0);
      const fees = await db.one<{ n: bigint }>('SELECT count(*) n FROM transactions WHERE NOT coinbase AND fee IS NULL');
      expect(Number(fees?.n)).toBe(0);
      // Dense ids in chain order.
      const dense = await db.one<{ t: bigint; i: bigint; o: bigint; a: bigint }>(
        `SELECT (SELECT max(tx_id) + 1 - count(*) FROM transactions) t, (SELECT max(input_id) + 1 - count(*) FROM inputs) i,
                (SELECT max(output_id) + 1 - count(*) FROM outputs) o, (SELECT max(address_id) + 1 - count(*) FROM addresses) a`,
      );
      expect([dense?.t, dense?.i, dense?.o, dense?.a].map(Number)).toEqual([0, 0, 0, 0]);
    } finally {
      store.close();
    }
  });

  it('ingests nothing new on a second run', async () => {
    const r = await ingest(baseline.db, join(baseline.db, '..', 'blocks'));
    expect(r.newBlocks).toBe(0);
    expect(await dumpChain(baseline.db)).toEqual(baseline.dump);
  });

  it('gives the same database in two steps (--to-height, then the rest)', async () => {
    const { dir, db } = fresh('incremental');
    writeBlocksDir(join(dir, '..'), [plainFile()]);
    const first = await ingest(db, dir, { toHeight: 150 });
    expect(first.bestHeight).toBe(150);
    const second = await ingest(db, dir, { batchBytes: 5000 });
    expect(second.newBlocks).toBe(288);
    expect(await dumpChain(db)).toEqual(baseline.dump);
  });

  it('links a database an older build left mid-run (inputs past linked_input_id, nothing staged)', async () => {
    const { dir, db } = fresh('unstaged');
    writeBlocksDir(join(dir, '..'), [plainFile()]);
    await ingest(db, dir);
    // What such a database looks like: the last inputs' links and sightings not applied, the mark below them.
    const store = await DuckDbStore.open(db);
    try {
      const from = 200;
      await store.db.run('UPDATE outputs SET spending_input_id = NULL, spending_tx_id = NULL WHERE spending_input_id >= $f', { f: from });
      await store.db.run(
        `UPDATE addresses SET last_seen_height = first_seen_height WHERE address_id IN (SELECT address_id FROM inputs WHERE input_id >= $f)`,
        { f: from },
      );
      await store.db.run("UPDATE meta SET value = $f WHERE key = 'linked_input_id'", { f: String(from) });
      expect(await dumpChain(db)).not.toEqual(baseline.dump);
      await store.linkPending();
    } finally {
      store.close();
    }
    expect(await dumpChain(db)).toEqual(baseline.dump);
  });

  it('gives DuckDB its threads and compression methods back after loading (the store stays usable, e.g. serve --follow)', async () => {
    const { dir, db } = fresh('settings');
    writeBlocksDir(join(dir, '..'), [plainFile()]);
    const store = await DuckDbStore.open(db);
    try {
      const before = await store.db.one<{ t: string; d: string }>("SELECT current_setting('threads')::VARCHAR t, current_setting('disabled_compression_methods')::VARCHAR d");
      await ingestBitcoin({ blocksDir: dir, network: 'main', store, workers: 1, toHeight: 200 });
      await ingestBitcoin({ blocksDir: dir, network: 'main', store, workers: 1 });
      const after = await store.db.one<{ t: string; d: string }>("SELECT current_setting('threads')::VARCHAR t, current_setting('disabled_compression_methods')::VARCHAR d");
      expect(after).toEqual(before);
    } finally {
      store.close();
    }
    expect(await dumpChain(db)).toEqual(baseline.dump);
  });

  it('keeps stored blocks that an older, shorter copy of the directory lacks (no reorg without a competing block)', async () => {
    const { dir, db } = fresh('shorter-copy');
    writeBlocksDir(join(dir, '..'), [plainFile()]);
    await ingest(db, dir);
    writeBlocksDir(join(dir, '..'), [Buffer.concat(blocks.slice(0, 300).map((b) => record(b)))]);
    const r = await ingest(db, dir);
    expect(r).toMatchObject({ rolledBack: 0, newBlocks: 0, bestHeight: 438, tipHash: TIP_438 });
    expect(await dumpChain(db)).toEqual(baseline.dump);
  });

  it('gives the same database parsing on the main thread and on two workers', async () => {
    for (const workers of [0, 2]) {
      const { dir, db } = fresh(`workers${workers}`);
      writeBlocksDir(join(dir, '..'), [plainFile()]);
      await ingest(db, dir, { workers, batchBytes: 20_000 });
      expect(await dumpChain(db)).toEqual(baseline.dump);
    }
  });
});

describe('blk-file conditions', () => {
  it('XOR-obfuscated files (xor.dat) give the same database', async () => {
    const { dir, db } = fresh('xor');
    writeBlocksDir(join(dir, '..'), [plainFile()], Buffer.from('5a17c3e9017f88b2', 'hex'));
    await ingest(db, dir);
    expect(await dumpChain(db)).toEqual(baseline.dump);
  });

  it('blocks shuffled over several files with zero padding give the same chain', async () => {
    const order = blocks.map((_, i) => i);
    let seed = 12345;
    for (let i = order.length - 1; i > 0; i--) {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      const j = seed % (i + 1);
      [order[i], order[j]] = [order[j] as number, order[i] as number];
    }
    const files = [0, 1, 2].map((f) =>
      Buffer.concat([...order.filter((_, k) => k % 3 === f).map((i) => record(blocks[i] as Buffer)), Buffer.alloc(4096 * (f + 1))]),
    );
    const { dir, db } = fresh('shuffled');
    writeBlocksDir(join(dir, '..'), files);
    const r = await ingest(db, dir);
    expect(r.tipHash).toBe(TIP_438);
    expect(await dumpChain(db, { layoutFree: true })).toEqual(baseline.layoutFree);
  });

  it('a truncated last record is reported and the rest ingested', async () => {
    const next = forkBlock(blocks[438] as Buffer, dsha((blocks[438] as Buffer).subarray(0, 80)), 1);
    const { dir, db } = fresh('truncated');
    writeBlocksDir(join(dir, '..'), [Buffer.concat([plainFile(), record(next).subarray(0, 150)])]);
    const r = await ingest(db, dir);
    expect(r.tipHash).toBe(TIP_438);
    expect(r.truncatedRecords).toEqual([{ file: 'blk00000.dat', offset: plainFile().length, needed: next.length + 8, available: 150 }]);
    expect(await dumpChain(db)).toEqual(baseline.dump);
  });

  it('a shorter competing branch is stored as stale blocks only', async () => {
    let parent = dsha((blocks[430] as Buffer).subarray(0, 80));
    const branch = [431, 432, 433].map((h, i) => {
      const b = forkBlock(blocks[h] as Buffer, parent, 7 + i);
      parent = dsha(b.subarray(0, 80));
      return b;
    });
    const { dir, db } = fresh('stale');
    writeBlocksDir(join(dir, '..'), [plainFile(), Buffer.concat(branch.map((b) => record(b)))]);
    const r = await ingest(db, dir);
    expect(r.tipHash).toBe(TIP_438);
    expect(r.staleBlocks).toBe(3);
    expect(r.transactions).toBe(baseline.result.transactions);
    expect(await dumpChain(db, { layoutFree: true })).toEqual(baseline.layoutFree);
    const store = await DuckDbStore.openForQuery(db);
    const s = await store.getBlock(blockHashHex(branch[2] as Buffer));
    store.close();
    expect(s).toMatchObject({ stale: true, height: 433, txCount: null, txids: [] });
  });

  it('a reorg rolls back the stale blocks on the next run (same result as a fresh ingest)', async () => {
    // A branch from height 200 that outgrows the real chain: rolls back blocks 201..438, including
    // the spends in blocks 221 and 248 (their spent outputs must become unspent again).
    const templates = blocks.slice(201).filter((b) => b[80] === 1);
    let parent = dsha((blocks[200] as Buffer).subarray(0, 80));
    const branch: Buffer[] = [];
    for (let i = 0; i < 240; i++) {
      const b = forkBlock(templates[i % templates.length] as Buffer, parent, 1 + Math.floor(i / templates.length));
      parent = dsha(b.subarray(0, 80));
      branch.push(b);
    }
    const { dir, db } = fresh('reorg');
    writeBlocksDir(join(dir, '..'), [plainFile()]);
    await ingest(db, dir);
    writeBlocksDir(join(dir, '..'), [plainFile(), Buffer.concat(branch.map((b) => record(b)))]);
    const r = await ingest(db, dir, { batchBytes: 3000 });
    expect(r.rolledBack).toBe(238);
    expect(r.bestHeight).toBe(440);
    expect(r.tipHash).toBe(blockHashHex(branch[239] as Buffer));
    expect(r.staleBlocks).toBe(238);
    const clean = fresh('reorg-fresh');
    writeBlocksDir(join(clean.dir, '..'), [plainFile(), Buffer.concat(branch.map((b) => record(b)))]);
    await ingest(clean.db, clean.dir);
    expect(await dumpChain(db)).toEqual(await dumpChain(clean.db));
  });

  it('unknown magic stops with file and offset, and writes no chain', () => {
    const bad = Buffer.concat([...blocks.slice(0, 10).map((b) => record(b)), record(blocks[10] as Buffer, Buffer.from('00c0ffee', 'hex'))]);
    const { dir, db } = fresh('magic');
    writeBlocksDir(join(dir, '..'), [bad]);
    const r = runCli(['--db', db, '--json', 'ingest', 'bitcoin', '--blocks-dir', dir]);
    expect(r.code).toBe(1);
    const offset = Buffer.concat(blocks.slice(0, 10).map((b) => record(b))).length;
    expect(r.stderr).toContain(`error [LH_BLK_MAGIC]: blk00000.dat @ 0x${offset.toString(16)} magic: unknown magic 00c0ffee`);
    expect(r.stdout).toBe('');
    const q = runCli(['--db', db, 'show', 'block', '0']);
    expect(q.code).toBe(1);
    expect(q.stderr).toMatch(/LH_DB_EMPTY|LH_DB_MISSING/);
  });

  it('a corrupted block stops with file, offset and block hash; committed batches are whole; a fixed file completes', async () => {
    const file = plainFile();
    const offset = Buffer.concat(blocks.slice(0, 300).map((b) => record(b))).length + 8;
    const corrupt = Buffer.from(file);
    // Last byte of block 300's coinbase output script: the merkle root no longer matches.
    const at = offset + (blocks[300] as Buffer).length - 5;
    corrupt[at] = (corrupt[at] as number) ^ 0x01;
    const { dir, db } = fresh('corrupt');
    writeBlocksDir(join(dir, '..'), [corrupt]);
    const err = await ingest(db, dir, { batchBytes: 4000 }).then(
      () => null,
      (e: unknown) => e as Error & { code: string },
    );
    expect(err?.code).toBe('LH_MERKLE_MISMATCH');
    expect(err?.message).toContain('blk00000.dat');
    expect(err?.message).toContain(`0x${offset.toString(16)}`);
    expect(err?.message).toContain(blockHashHex(blocks[300] as Buffer));
    // Whatever was committed is exactly an ingest up to its tip.
    const partial = await dumpChain(db);
    const tip = JSON.parse(partial.meta as string).find((m: { key: string }) => m.key === 'tip_height').value;
    expect(Number(tip)).toBeLessThan(300);
    const ref = fresh('corrupt-ref');
    writeBlocksDir(join(ref.dir, '..'), [file]);
    await ingest(ref.db, ref.dir, { toHeight: Number(tip) });
    expect(partial).toEqual(await dumpChain(ref.db));
    // Repair the file and run again: same as the clean baseline.
    writeBlocksDir(join(dir, '..'), [file]);
    await ingest(db, dir);
    expect(await dumpChain(db)).toEqual(baseline.dump);
  });
});

describe('hand-made blocks on top of the real chain (chain serializer)', () => {
  it('BIP30: a duplicate coinbase txid is stored twice and a later spend links to the newer output; segwit spend', async () => {
    const p2pkh = Buffer.from(`76a914${'11'.repeat(20)}88ac`, 'hex');
    const p2wpkh = Buffer.from(`0014${'22'.repeat(20)}`, 'hex');
    const coinbase = (tag: number, extraOut: Buffer[] = []): TxData => ({
      version: 1,
      inputs: [{ prevTxid: Buffer.alloc(32), vout: 0xffffffff, scriptSig: Buffer.from([0x02, tag, 0x01]), sequence: 0xffffffff }],
      outputs: [{ valueSat: 50e8, script: p2pkh }, ...extraOut.map((script) => ({ valueSat: 0, script }))],
      locktime: 0,
    });
    const dup = coinbase(1);
    const dupTxid = txHashes(dup).txid;
    const spend: TxData = {
      version: 2,
      inputs: [{ prevTxid: dupTxid, vout: 0, scriptSig: Buffer.alloc(0), sequence: 0xfffffffd, witness: [Buffer.alloc(71, 1), Buffer.alloc(33, 2)] }],
      outputs: [{ valueSat: 49.9999e8, script: p2wpkh }],
      locktime: 0,
    };
    const make = (prev: Buffer, time: number, txs: TxData[]): Buffer =>
      serializeBlock(
        { version: 1, prevHash: prev, merkleRoot: computeMerkleRoot(txs.map((t) => txHashes(t).txid)), time, bits: 0x1d00ffff, nonce: 0 },
        txs,
      );
    const last = blocks[438] as Buffer;
    const b439 = make(dsha(last.subarray(0, 80)), last.readUInt32LE(68) + 600, [dup]);
    const b440 = make(dsha(b439.subarray(0, 80)), last.readUInt32LE(68) + 1200, [dup]);
    const cb441: TxData = {
      ...coinbase(3),
      inputs: [{ ...coinbase(3).inputs[0]!, witness: [WITNESS_RESERVED_VALUE] }],
    };
    const commit = witnessCommitmentScript([Buffer.alloc(32), txHashes(spend).wtxid]);
    const cb441c: TxData = { ...cb441, outputs: [...cb441.outputs, { valueSat: 0, script: commit }] };
    const b441 = make(dsha(b440.subarray(0, 80)), last.readUInt32LE(68) + 1800, [cb441c, spend]);
    const { dir, db } = fresh('bip30');
    writeBlocksDir(join(dir, '..'), [plainFile(), Buffer.concat([b439, b440, b441].map((b) => record(b)))]);
    const r = await ingest(db, dir);
    expect(r.bestHeight).toBe(441);
    expect(r.transactions).toBe(baseline.result.transactions + 4);
    const store = await DuckDbStore.openForQuery(db);
    try {
      const both = await store.getTx(hashToHex(dupTxid));
      expect(both.map((t) => t.height)).toEqual([439, 440]);
      expect(both[0]?.outputs[0]?.spentBy).toBeNull();
      const [s] = await store.getTx(hashToHex(txHashes(spend).txid));
      expect(both[1]?.outputs[0]?.spentBy).toEqual({ txid: s?.txid, vin: 0 });
      expect(s?.inputs[0]?.spentOutputId).toBe(both[1]?.outputs[0]?.outputId);
      expect(s).toMatchObject({ segwit: true, fee: 0.0001e8, inputValue: 50e8, wtxid: hashToHex(txHashes(spend).wtxid) });
      expect(s?.wtxid).not.toBe(s?.txid);
      // The address as an independent implementation (bitcoinjs-lib) encodes it.
      const expected = payments.p2wpkh({ hash: Buffer.alloc(20, 0x22) }).address;
      expect(s?.outputs[0]).toMatchObject({ scriptType: 'p2wpkh', address: expected });
    } finally {
      store.close();
    }
  });
});

describe('a chain that starts after genesis', () => {
  it('keeps every input of a 2017 mainnet block as unresolved, with its previous txid and vout', async () => {
    const raw = readFileSync(sharedPath('btc', 'blocks', 'mainnet', 'block_481829.raw'));
    const p = parseBlock(raw);
    const { dir, db } = fresh('after-genesis');
    writeBlocksDir(join(dir, '..'), [record(raw)]);
    const r = await ingest(db, dir);
    // Inputs spending an output of an earlier transaction in the same block resolve; the others cannot.
    const seen = new Set<string>();
    const prevOf = (j: number) => hashToHex(raw.subarray(p.inPrevTxidOffset[j] as number, (p.inPrevTxidOffset[j] as number) + 32));
    const inBlock: boolean[] = [];
    for (let t = 0; t < p.txCount; t++) {
      for (let j = p.txInputStart[t] as number; j < (p.txInputStart[t + 1] as number); j++) inBlock[j] = t > 0 && seen.has(prevOf(j));
      seen.add(hashToHex(p.txids.subarray(32 * t, 32 * t + 32)));
    }
    const inputs = p.txInputStart[p.txCount] as number;
    expect(r.bestHeight).toBe(481829); // from BIP34
    expect(r.unresolvedInputs).toBe(inputs - 1 - inBlock.filter(Boolean).length); // the coinbase input is not counted
    expect(inBlock.filter(Boolean).length).toBeGreaterThan(0);
    const store = await DuckDbStore.openForQuery(db);
    try {
      const withInBlockSpend = inBlock.findIndex(Boolean);
      const txOfInput = (j: number) => {
        let t = 0;
        while ((p.txInputStart[t + 1] as number) <= j) t++;
        return t;
      };
      for (const t of [1, Math.floor(p.txCount / 2), p.txCount - 1, txOfInput(withInBlockSpend)]) {
        const txid = hashToHex(p.txids.subarray(32 * t, 32 * t + 32));
        const [tx] = await store.getTx(txid);
        const first = p.txInputStart[t] as number;
        tx?.inputs.forEach((input, vin) => {
          const j = first + vin;
          // Unresolved inputs keep prev_txid; resolved ones name it through spent_output_id.
          expect(input.prevTxid).toBe(prevOf(j));
          expect(input.prevVout).toBe(p.inPrevVout[j]);
          expect(input.unresolved).toBe(!inBlock[j]);
          if (!inBlock[j]) expect(input).toMatchObject({ spentOutputId: null, value: null });
        });
        expect(tx?.inputs.length).toBe((p.txInputStart[t + 1] as number) - first);
        if (tx?.inputs.some((i) => i.unresolved)) expect(tx?.fee).toBeNull();
      }
    } finally {
      store.close();
    }
  });
});

describe('crash safety', () => {
  /** Runs the ingest child until it prints a line matching `stopAt`, then kill -9 (SIGKILL). */
  function runAndKill(db: string, dir: string, stopAt: (line: string) => boolean, delayMs: number): Promise<string> {
    return new Promise((resolve, reject) => {
      const child = spawn(process.execPath, ['--import', 'tsx', join(REPO_ROOT, 'test', 'helpers', 'ingestChild.ts'), db, dir, '1', '1'], {
        cwd: REPO_ROOT,
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let last = '';
      let stderr = '';
      let killed = false;
      child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
        for (const line of chunk.split('\n').filter(Boolean)) {
          last = line;
          if (!killed && stopAt(line)) {
            killed = true;
            setTimeout(() => child.kill('SIGKILL'), delayMs);
          }
        }
      });
      child.stderr.setEncoding('utf8').on('data', (c: string) => {
        stderr += c;
      });
      child.on('exit', (code, signal) => {
        if (signal === 'SIGKILL' || code === 0) resolve(`${signal ?? code} after ${last}`);
        else reject(new Error(`child failed (${code}): ${stderr}`));
      });
    });
  }

  it('kill -9 at several points, then a normal run, ends in exactly the uninterrupted database', async () => {
    const { dir, db } = fresh('kill');
    writeBlocksDir(join(dir, '..'), [plainFile()]);
    const points: [(l: string) => boolean, number][] = [
      [(l) => l === 'committed 40', 3],
      [(l) => /^committed (\d+)$/.test(l) && Number(l.slice(10)) >= 170, 0],
      [(l) => /^committed (\d+)$/.test(l) && Number(l.slice(10)) >= 300, 7],
      [(l) => l === 'linking', 0],
    ];
    const seen: string[] = [];
    for (const [stopAt, delay] of points) seen.push(await runAndKill(db, dir, stopAt, delay));
    expect(seen.some((s) => s.startsWith('SIGKILL'))).toBe(true);
    expect(existsSync(db)).toBe(true);
    const r = await ingest(db, dir);
    expect(r.tipHash).toBe(TIP_438);
    expect(await dumpChain(db)).toEqual(baseline.dump);
  }, 120_000);
});
