/**
 * `ingest bitcoin`: a Bitcoin Core blocks directory into the chain store.
 *
 * 1. Header pass: every record's 80-byte header (blkFiles.scanBlkFile) into the BlockIndex.
 * 2. Best chain by cumulative work; stale branches and orphans noted.
 * 3. Reconcile with the store: finish any pending spend linking, roll back stored blocks that left the
 *    best chain (reorg), rebuild the unspent-output and address maps from the stored rows.
 * 4. Best-chain blocks in height order: read in batches, parsed and hashed on worker threads, linked on
 *    this thread in order, each batch committed in one transaction together with the new tip (the
 *    high-water mark). A kill at any moment leaves the last committed batch; the next run resumes there.
 * 5. Spend links (outputs.spending_*) and address last-seen heights applied set-wise; stale rows replaced.
 */
import { availableParallelism } from 'node:os';
import {
  type BlkFile,
  BlkReader,
  BlockIndex,
  type BlkFileScan,
  bip34Height,
  type ChainSelection,
  hexToHash,
  type IndexedBlock,
  listBlkFiles,
  NETWORKS,
  type Network,
  parseBlock,
  readXorKey,
  scanBlkFile,
  type TruncatedRecord,
} from '../../chain/index.js';
import { LedgerhoundError } from '../../core/index.js';
import { grownArray } from '../columns.js';
import type { ChainBatch, ChainStore, ChainTotals } from '../Store.js';
import { HoldWindow } from './holdWindow.js';
import { revHex } from './hex.js';
import { keyOfAddress, type LinkedBatch, type LinkerStart, type PackedKeys, type RestoreData, staleBlockRows } from './linker.js';
import type { ParsedBatch } from './parseBatch.js';
import { ParsePool } from './workerPool.js';

export interface IngestOptions {
  blocksDir: string;
  network: Network;
  store: ChainStore;
  /** Ingest the best chain only up to this height. */
  toHeight?: number;
  /** Parse worker threads; 0 parses on the main thread. Default: available cores - 1, at least 1. */
  workers?: number;
  /** Target bytes of block data per batch (one transaction per batch). Default 64 MiB: above a row group of
   * inputs/outputs per transaction DuckDB writes appended rows straight to the file instead of WAL + checkpoint
   * (measured on the 100 MB bench chain: store time -30%, final close 2.1 s → 0.5-1.0 s). */
  batchBytes?: number;
  /** Commit when this many bytes of block data were appended since the last commit (and at the end). Default
   * 256 MiB: measured on the replay chain's batches, committing every 4 batches of 64 MiB instead of every
   * batch cut DuckDB's CPU by about a sixth and the final checkpoint from ~2 s to ~0.2 s per 500 MB. A kill
   * loses at most the uncommitted batches; the next run redoes them. */
  commitBytes?: number;
  /** Apply spend links when this many inputs are pending (bounds one UPDATE). Default 20 million. */
  linkEveryInputs?: number;
  /**
   * Linked batches held back before their append, so the spends and address sightings of the next batches
   * that fall in them are written with their rows instead of staged for the link pass (see holdWindow.ts).
   * Default 4: on the simulator chain (64 MiB batches) staged spends 4.32 M → 0.08 M and sightings
   * 7.33 M → 2.41 M per 2.14 GB; 0 appends each batch as soon as it is linked.
   */
  holdBatches?: number;
  onProgress?: (p: IngestProgress) => void;
}

/** Progress as ingest reports it; only the CLI renders it. */
export interface IngestProgress {
  phase: 'index' | 'reconcile' | 'blocks' | 'link' | 'done';
  /** Header pass: files scanned of filesTotal. */
  files: number;
  filesTotal: number;
  /** Block pass: height just committed, first and last height of this run. */
  height: number;
  startHeight: number;
  targetHeight: number;
  blocksDone: number;
  blocksTotal: number;
  bytesDone: number;
  bytesTotal: number;
  transactions: number;
  elapsedMs: number;
}

/** The summary of a run (totals are of the whole database after the run). */
export interface IngestResult extends ChainTotals {
  network: Network;
  bestHeight: number;
  tipHash: string | null;
  seconds: number;
  /** Blocks added and rolled back by this run. */
  newBlocks: number;
  rolledBack: number;
  orphanBlocks: number;
  duplicateRecords: number;
  truncatedRecords: TruncatedRecord[];
  bytes: number;
  /** Where the time went (milliseconds): for benchmarks and --debug. */
  timings: IngestTimings;
}

export interface IngestTimings {
  /** Header pass over all blk files and best-chain selection. */
  indexMs: number;
  /** Pending links, reorg rollback, rebuilding the unspent-output and address maps. */
  reconcileMs: number;
  /** Main thread waiting for parse workers (parsing is not keeping up). */
  parseWaitMs: number;
  /** Main thread linking inputs to outputs, address ids, building columns. */
  linkMs: number;
  /** Store appends and commits (and intermediate spend-link passes). */
  storeMs: number;
  /** Final spend-link pass, stale rows, totals. */
  finalizeMs: number;
}

const MAX_BATCH_BLOCKS = 4000;

/**
 * Ingests (incrementally) the best chain of a blocks directory into `store`.
 *
 * @throws UsageError for a missing directory; ParseError for bad framing or a bad block (file, offset,
 *   block hash); LH_NETWORK_MISMATCH / LH_CHAIN_MISMATCH when the database holds another chain.
 */
export async function ingestBitcoin(opts: IngestOptions): Promise<IngestResult> {
  const t0 = performance.now();
  const { network, store } = opts;
  const params = NETWORKS[network];
  const files = listBlkFiles(opts.blocksDir);
  const key = readXorKey(opts.blocksDir);
  const progress: IngestProgress = {
    phase: 'index',
    files: 0,
    filesTotal: files.length,
    height: -1,
    startHeight: 0,
    targetHeight: -1,
    blocksDone: 0,
    blocksTotal: 0,
    bytesDone: 0,
    bytesTotal: 0,
    transactions: 0,
    elapsedMs: 0,
  };
  const report = (patch: Partial<IngestProgress>) => {
    Object.assign(progress, patch, { elapsedMs: performance.now() - t0 });
    opts.onProgress?.({ ...progress });
  };

  const timings: IngestTimings = { indexMs: 0, reconcileMs: 0, parseWaitMs: 0, linkMs: 0, storeMs: 0, finalizeMs: 0 };
  let mark = performance.now();
  const lap = (k: keyof IngestTimings) => {
    const now = performance.now();
    timings[k] += now - mark;
    mark = now;
  };
  // 1. Header pass.
  const index = new BlockIndex();
  const scans: BlkFileScan[] = [];
  for (const f of files) {
    scans.push(scanBlkFile(f, params.magic, key, (loc, header) => index.add(header, loc)));
    report({ files: progress.files + 1 });
  }
  const reader = new BlkReader(files, key);
  try {
    // 2. Best chain. A directory that starts after genesis takes its first height from BIP34.
    const selection = index.select({
      genesisHash: hexToHash(params.genesisHash),
      rootHeight: (root) => {
        const bytes = reader.read(root.loc);
        return bip34Height(parseBlock(bytes, { file: reader.fileName(root.loc.fileNo), offset: root.loc.offset })) ?? 0;
      },
    });

    lap('indexMs');
    // 3. Reconcile with the store.
    report({ phase: 'reconcile' });
    let state = await store.init(network);
    await store.linkPending();
    await store.clearForwardLinks();
    const rolledBack = await reconcile(store, selection, state.tipHeight);
    state = await store.state();

    const best = selection.best;
    const bestTop = selection.rootHeight + best.length - 1;
    const target = opts.toHeight === undefined ? bestTop : Math.min(bestTop, opts.toHeight);
    const start = state.tipHeight < 0 ? selection.rootHeight : state.tipHeight + 1;
    const todo = start <= target ? best.slice(start - selection.rootHeight, target - selection.rootHeight + 1) : [];
    let newBlocks = 0;
    let bytes = 0;
    if (todo.length > 0) {
      const totalBytes = todo.reduce((s, b) => s + b.loc.size, 0);
      const linkerStart: LinkerStart = { state, rootHeight: state.rootHeight ?? selection.rootHeight, runBytes: totalBytes };
      const restore = state.nextOutputId > 0 ? await collectRestore(store, network) : null;
      lap('reconcileMs');
      report({ phase: 'blocks', startHeight: start, targetHeight: target, height: start - 1, blocksTotal: todo.length, bytesTotal: totalBytes });
      let r: { blocks: number; bytes: number };
      try {
        r = await loadBlocks(todo, files, key, reader, store, linkerStart, restore, opts, timings, (done, b, txs, height) =>
          report({ blocksDone: done, bytesDone: b, transactions: txs, height }),
        );
      } catch (err) {
        // Bad data stops the run; the batches before it that were appended (whole, maybe not yet committed)
        // are committed and linked, and links into the batches still held are cleared, so the database is
        // exactly an ingest up to its tip. (A failed append has rolled its transaction back already: then
        // nothing is pending.)
        await store.commitPending().catch(() => undefined);
        await store.linkPending().catch(() => undefined);
        await store.clearForwardLinks().catch(() => undefined);
        throw err;
      }
      newBlocks = r.blocks;
      bytes = r.bytes;
    }

    mark = performance.now();
    // 5. Links and stale rows.
    report({ phase: 'link' });
    await store.linkPending();
    await store.replaceStaleBlocks(staleBlockRows(selection.stale));
    const after = await store.state();
    const totals = await store.totals();
    lap('finalizeMs');
    report({ phase: 'done' });
    return {
      network,
      bestHeight: after.tipHeight,
      tipHash: after.tipHash,
      ...totals,
      seconds: Math.round((performance.now() - t0) / 10) / 100,
      newBlocks,
      rolledBack,
      orphanBlocks: selection.orphans.length,
      duplicateRecords: selection.duplicates,
      truncatedRecords: scans.flatMap((s) => (s.truncated ? [s.truncated] : [])),
      bytes,
      timings,
    };
  } finally {
    reader.close();
  }
}

/** Rolls back stored blocks that are no longer on the best chain; returns how many were removed. */
async function reconcile(store: ChainStore, selection: ChainSelection, tipHeight: number): Promise<number> {
  if (tipHeight < 0) return 0;
  const stored = await store.mainChainHashes();
  const root = selection.rootHeight;
  // Heights above the directory's best tip are not evidence of a reorg (the directory may be an older
  // copy): only a different block at a height both have makes stored blocks stale.
  const top = Math.min(tipHeight, root + selection.best.length - 1);
  let fork = -1;
  for (let h = top; h >= root; h--) {
    const b = selection.best[h - root];
    if (b && stored.get(h) === revHex(b.hash, 0)) {
      fork = h;
      break;
    }
  }
  if (fork < 0) {
    throw new LedgerhoundError('LH_CHAIN_MISMATCH', 'the database holds a chain that shares no block with this blocks directory', {
      details: { storedTipHeight: tipHeight },
      hint: 'Use another --db for this directory.',
    });
  }
  if (fork === top) return 0;
  await store.rollbackTo(fork);
  return tipHeight - fork;
}

interface Batch {
  blocks: IndexedBlock[];
  pending: Promise<ParsedBatch>;
  bytes: number;
}

/** A batch sent to the linker: its counts (the parsed buffers went with it) and the rows to come. */
interface Linking {
  blocks: IndexedBlock[];
  bytes: number;
  txCount: number;
  inputCount: number;
  linked: Promise<LinkedBatch>;
}

/** A linked batch waiting for its append (see HoldWindow), with its address strings to come. */
interface Held {
  rows: ChainBatch;
  strings: Promise<PackedKeys>;
  batch: Linking;
}

/** The stored unspent outputs and addresses, packed for the linker (resume and incremental runs). */
async function collectRestore(store: ChainStore, network: Network): Promise<RestoreData> {
  let cap = 1 << 16;
  let n = 0;
  let txids = new Uint8Array(32 * cap);
  let vouts = new Uint32Array(cap);
  let outputIds = new Float64Array(cap);
  let values = new Float64Array(cap);
  let addressIds = new Float64Array(cap);
  await store.scanUnspent((txid, vout, id, value, addr) => {
    if (n === cap) {
      cap *= 2;
      txids = grownArray(txids, 32 * cap);
      vouts = grownArray(vouts, cap);
      outputIds = grownArray(outputIds, cap);
      values = grownArray(values, cap);
      addressIds = grownArray(addressIds, cap);
    }
    // Display hex → internal byte order.
    const bytes = Buffer.from(txid, 'hex');
    for (let k = 0; k < 32; k++) txids[32 * n + k] = bytes[31 - k] as number;
    vouts[n] = vout;
    outputIds[n] = id;
    values[n] = value;
    addressIds[n] = addr;
    n++;
  });
  const keys: Buffer[] = [];
  let expected = 0;
  await store.scanAddresses((id, address) => {
    if (id !== expected++) throw new RangeError(`stored address ids are not dense: expected ${expected - 1}, found ${id}`);
    keys.push(Buffer.from(keyOfAddress(address, network), 'latin1'));
  });
  const offsets = new Uint32Array(keys.length + 1);
  keys.forEach((k, i) => {
    offsets[i + 1] = (offsets[i] as number) + k.length;
  });
  return {
    txids: txids.slice(0, 32 * n),
    vouts: vouts.slice(0, n),
    outputIds: outputIds.slice(0, n),
    values: values.slice(0, n),
    addressIds: addressIds.slice(0, n),
    addressKeys: { bytes: new Uint8Array(Buffer.concat(keys)), offsets },
  };
}

async function loadBlocks(
  todo: readonly IndexedBlock[],
  files: readonly BlkFile[],
  key: Uint8Array | null,
  reader: BlkReader,
  store: ChainStore,
  start: LinkerStart,
  restore: RestoreData | null,
  opts: IngestOptions,
  timings: IngestTimings,
  onBatch: (blocksDone: number, bytesDone: number, txs: number, height: number) => void,
): Promise<{ blocks: number; bytes: number }> {
  const workers = opts.workers ?? Math.max(1, availableParallelism() - 1);
  const batchBytes = opts.batchBytes ?? 64 << 20;
  const linkEvery = opts.linkEveryInputs ?? 20_000_000;
  const commitBytes = opts.commitBytes ?? 256 << 20;
  let uncommittedBytes = 0;
  const pool = new ParsePool(workers);
  const started = pool.linkStart(start, restore);
  started.catch(() => undefined);
  const fileByNo = new Map(files.map((f) => [f.fileNo, f]));
  const inFlight: Batch[] = [];
  const maxInFlight = Math.max(2, workers * 2);
  let next = 0;
  let blocksDone = 0;
  let bytesDone = 0;
  let txs = 0;
  let inputsSinceLink = 0;

  const submitOne = () => {
    const first = next;
    let size = 0;
    while (next < todo.length && next - first < MAX_BATCH_BLOCKS && (size === 0 || size + (todo[next] as IndexedBlock).loc.size <= batchBytes)) {
      size += (todo[next] as IndexedBlock).loc.size;
      next++;
    }
    const blocks = todo.slice(first, next);
    // The worker reads the blocks itself (file reads off this thread); it gets only the files it needs.
    const locs = blocks.map((b) => b.loc);
    const used = [...new Set(locs.map((l) => l.fileNo))].map((no) => fileByNo.get(no) as BlkFile);
    const pending = pool.submitRead(used, key, locs);
    // Errors are taken when the batch is awaited in order; avoid an unhandled rejection meanwhile.
    pending.catch(() => undefined);
    inFlight.push({ blocks, pending, bytes: size });
  };

  // The commit of batch N (DuckDB works on its own threads) overlaps linking batch N+1 on this thread;
  // batches are still committed one at a time and in order.
  let committing: Promise<void> | null = null;
  const waitCommit = async () => {
    if (!committing) return;
    const t = performance.now();
    const c = committing;
    committing = null;
    await c;
    timings.storeMs += performance.now() - t;
  };

  // Batches go to the linker as soon as they are parsed (two ahead), so linking batch N+1 overlaps the
  // append of batch N on this thread.
  const linking: Linking[] = [];
  const sendToLinker = async () => {
    const batch = inFlight.shift() as Batch;
    const t = performance.now();
    const parsed = await batch.pending;
    timings.parseWaitMs += performance.now() - t;
    checkHashes(parsed, batch.blocks, reader);
    const { txCount, inputCount } = parsed;
    const linked = pool.link(parsed, batch.blocks);
    linked.catch(() => undefined);
    linking.push({ blocks: batch.blocks, bytes: batch.bytes, txCount, inputCount, linked });
  };

  // Linked batches wait here for their append; links of the next batches into them are written in place.
  const hold = new HoldWindow<Held>(opts.holdBatches ?? 4);
  const append = async (item: Held, last: boolean) => {
    const { rows, strings, batch } = item;
    await waitCommit();
    if (inputsSinceLink >= linkEvery) {
      const t = performance.now();
      await store.linkPending();
      inputsSinceLink = 0;
      timings.storeMs += performance.now() - t;
    }
    const height = (batch.blocks[batch.blocks.length - 1] as IndexedBlock).height;
    const done = { blocks: batch.blocks.length, bytes: batch.bytes, txs: batch.txCount };
    inputsSinceLink += batch.inputCount;
    // Commit every commitBytes, before an intermediate link pass, and with the last batch.
    uncommittedBytes += batch.bytes;
    const commit = last || uncommittedBytes >= commitBytes || inputsSinceLink >= linkEvery;
    if (commit) uncommittedBytes = 0;
    // Batches still held may have written links into this one (or an earlier one): recorded with it.
    rows.state.forwardLinks = hold.length > 0;
    committing = strings
      .then((s) => {
        rows.addresses.setPacked('address', s);
        return store.appendBatch(rows, { commit });
      })
      .then(() => {
        blocksDone += done.blocks;
        bytesDone += done.bytes;
        txs += done.txs;
        onBatch(blocksDone, bytesDone, txs, height);
      });
    committing.catch(() => undefined);
  };

  try {
    await started;
    while (next < todo.length || inFlight.length > 0 || linking.length > 0) {
      while (next < todo.length && inFlight.length < maxInFlight) submitOne();
      while (inFlight.length > 0 && linking.length < 2) {
        await sendToLinker();
        while (next < todo.length && inFlight.length < maxInFlight) submitOne();
      }
      const batch = linking.shift() as Linking;
      const t = performance.now();
      const { rows, pendingKeys } = await batch.linked;
      // Address strings are encoded on a worker while this thread goes on; filled in before the append.
      const strings = pool.encode(pendingKeys, opts.network);
      strings.catch(() => undefined);
      const due = hold.add({ rows, strings, batch });
      timings.linkMs += performance.now() - t;
      // Refill the pipeline before waiting on the database so workers stay busy.
      while (next < todo.length && inFlight.length < maxInFlight) submitOne();
      const end = next >= todo.length && inFlight.length === 0 && linking.length === 0;
      if (due) await append(due, end && hold.length === 0);
      if (end) {
        for (let item = hold.take(); item; item = hold.take()) await append(item, hold.length === 0);
      }
    }
    await waitCommit();
  } finally {
    // Never leave a commit running on the connection (an error path links what was committed next).
    if (committing) await (committing as Promise<void>).catch(() => undefined);
    await pool.close();
  }
  return { blocks: blocksDone, bytes: bytesDone };
}

/** The parsed header hash must be the indexed one (the file would have changed under us otherwise). */
function checkHashes(parsed: ParsedBatch, blocks: readonly IndexedBlock[], reader: BlkReader): void {
  blocks.forEach((b, i) => {
    const got = Buffer.from(parsed.blockHash.buffer, parsed.blockHash.byteOffset + 32 * i, 32);
    if (!got.equals(b.hash)) {
      throw new LedgerhoundError('LH_BLK_CHANGED', `${reader.fileName(b.loc.fileNo)} @ 0x${b.loc.offset.toString(16)}: block changed since the header scan`, {
        details: { file: reader.fileName(b.loc.fileNo), offset: b.loc.offset, expected: revHex(b.hash, 0) },
      });
    }
  });
}
