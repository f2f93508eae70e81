/**
 * Ingest's worker threads: `size` parse workers (batches, given as where their blocks are in the blk
 * files, go out round-robin; each worker reads and parses its own), one address-encoder worker and one
 * linking worker (holds the Linker; parsed batches go to it in chain order). Results come back as
 * promises, their buffers transferred. With `size: 0` everything runs inline on the calling thread (same
 * results).
 *
 * The worker entry is `parseWorker.ts` when running from source (tsx: tests and benches run with
 * `node --import tsx`) and `parseWorker.js` from the compiled `dist/`; under tsx the worker is started
 * with the tsx loader resolved from this package, so it works whatever the current directory is.
 */
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { LedgerhoundError, ParseError } from '../../core/index.js';
import type { BlkFile, BlockLocation, IndexedBlock, Network } from '../../chain/index.js';
import { encodePackedKeys, type LinkedBatch, Linker, type LinkerStart, linkedFromData, type PackedKeys, type RestoreData } from './linker.js';
import { type ParsedBatch, readAndParseBatch, transferList } from './parseBatch.js';
import type { WorkerError, WorkerRequest } from './parseWorker.js';

/** A worker's answer: one of the results, or the error. */
interface WorkerAnswer {
  seq: number;
  parsed?: ParsedBatch;
  strings?: PackedKeys;
  linked?: unknown;
  done?: boolean;
  error?: WorkerError;
}

interface Pending {
  // biome-ignore lint/suspicious/noExplicitAny: resolves the result type of the request
  resolve: (b: any) => void;
  reject: (e: unknown) => void;
  worker: Worker;
}

export class ParsePool {
  private readonly workers: Worker[] = [];
  /** A worker of its own for address encoding, so it does not queue behind parse batches. */
  private encoder: Worker | null = null;
  /**
   * The linking worker: holds the Linker (unspent-output map, address table) and turns parsed batches into
   * rows, in order, while this thread appends the previous batch to the store. Inline when size is 0.
   */
  private linker: Worker | null = null;
  private inlineLinker: Linker | null = null;
  private readonly pending = new Map<number, Pending>();
  private seq = 0;
  private failed: unknown = null;

  constructor(readonly size: number) {
    if (size <= 0) return;
    const here = import.meta.url;
    const fromSource = here.endsWith('.ts');
    const entry = new URL(fromSource ? './parseWorker.ts' : './parseWorker.js', here);
    const start = () => {
      const w = fromSource ? new Worker(tsBootstrap(here, entry), { eval: true }) : new Worker(entry);
      w.on('message', (msg: WorkerAnswer) => this.onMessage(msg));
      w.on('error', (err) => this.failAll(w, err));
      w.on('exit', (code) => {
        if (code !== 0 && !this.closing) this.failAll(w, new LedgerhoundError('LH_WORKER', `parse worker exited with code ${code}`));
      });
      return w;
    };
    for (let i = 0; i < size; i++) this.workers.push(start());
    this.encoder = start();
    this.linker = start();
  }

  /** Starts the linker from the store's state, its maps rebuilt from `restore` (null for an empty store). */
  linkStart(start: LinkerStart, restore: RestoreData | null): Promise<void> {
    if (!this.linker) {
      this.inlineLinker = new Linker(start.state, start.rootHeight, start.runBytes);
      if (restore) this.inlineLinker.restore(restore);
      return Promise.resolve();
    }
    const transfer = restore
      ? [restore.txids, restore.vouts, restore.outputIds, restore.values, restore.addressIds, restore.addressKeys.bytes, restore.addressKeys.offsets].map(
          (a) => a.buffer as ArrayBuffer,
        )
      : [];
    return this.send(this.linker, (seq) => ({ kind: 'linkStart', seq, start, restore }), transfer);
  }

  /**
   * Links a parsed batch (its buffers are transferred: `parsed` is unusable afterwards, except its counts).
   * Batches must be sent in chain order; the linking worker answers them in that order.
   */
  link(parsed: ParsedBatch, blocks: IndexedBlock[]): Promise<LinkedBatch> {
    if (!this.linker) {
      const linker = this.inlineLinker;
      if (!linker) return Promise.reject(new Error('link before linkStart'));
      try {
        return Promise.resolve({ rows: linker.link(parsed, blocks), pendingKeys: linker.pendingKeys });
      } catch (err) {
        return Promise.reject(err);
      }
    }
    return this.send<unknown>(this.linker, (seq) => ({ kind: 'link', seq, parsed, blocks }), transferList(parsed)).then(linkedFromData);
  }

  private closing = false;

  /** Address strings of packed keys (as packed ASCII bytes), computed on the encoder worker (inline when size is 0). */
  encode(keys: PackedKeys, network: Network): Promise<PackedKeys> {
    const n = keys.offsets.length - 1;
    if (n === 0) return Promise.resolve({ bytes: new Uint8Array(0), offsets: new Uint32Array(1) });
    if (!this.encoder) return Promise.resolve(encodePackedKeys(keys, network));
    return this.send(this.encoder, (seq) => ({ kind: 'encode', seq, keys, network }), [
      keys.bytes.buffer as ArrayBuffer,
      keys.offsets.buffer as ArrayBuffer,
    ]);
  }

  /** Reads the blocks at `locs` from `files` and parses them, on a worker (inline when size is 0). */
  submitRead(files: BlkFile[], key: Uint8Array | null, locs: BlockLocation[]): Promise<ParsedBatch> {
    if (this.workers.length === 0) {
      try {
        return Promise.resolve(readAndParseBatch(files, key, locs));
      } catch (err) {
        return Promise.reject(err);
      }
    }
    const worker = this.workers[this.seq % this.workers.length] as Worker;
    return this.send(worker, (seq) => ({ kind: 'read', seq, files, key, locs }));
  }

  /** Sends a request (numbered here) to `worker`; its answer settles the promise (see onMessage). */
  private send<T>(worker: Worker, request: (seq: number) => WorkerRequest, transfer: ArrayBuffer[] = []): Promise<T> {
    if (this.failed) return Promise.reject(this.failed);
    const seq = this.seq++;
    return new Promise<T>((resolve, reject) => {
      this.pending.set(seq, { resolve, reject, worker });
      worker.postMessage(request(seq), transfer);
    });
  }

  private onMessage(msg: WorkerAnswer): void {
    const p = this.pending.get(msg.seq);
    if (!p) return;
    this.pending.delete(msg.seq);
    if (msg.error) p.reject(deserializeError(msg.error));
    else p.resolve(msg.strings ?? msg.parsed ?? msg.linked);
  }

  private failAll(worker: Worker, err: unknown): void {
    this.failed ??= err;
    for (const [seq, p] of this.pending) {
      if (p.worker !== worker) continue;
      this.pending.delete(seq);
      p.reject(err);
    }
  }

  /** Stops the workers. */
  async close(): Promise<void> {
    this.closing = true;
    await Promise.all([...this.workers, ...(this.encoder ? [this.encoder] : []), ...(this.linker ? [this.linker] : [])].map((w) => w.terminate()));
    this.workers.length = 0;
    this.encoder = null;
    this.linker = null;
    this.inlineLinker = null;
  }
}

/**
 * Worker code that registers tsx's ESM hooks in the worker thread, then imports the TypeScript entry
 * (`execArgv: ['--import', 'tsx']` is not honoured by Node 20 worker threads).
 */
function tsBootstrap(here: string, entry: URL): string {
  // The ESM build of tsx's API (require.resolve would give the CommonJS one).
  const api = pathToFileURL(join(dirname(createRequire(here).resolve('tsx/package.json')), 'dist', 'esm', 'api', 'index.mjs')).href;
  return `import(${JSON.stringify(api)}).then((m) => { m.register(); return import(${JSON.stringify(entry.href)}); });`;
}

function deserializeError(e: WorkerError): Error {
  if (e.name === 'ParseError' && e.code) {
    const d = e.details as { file?: string; offset?: number; field?: string; problem?: string };
    return new ParseError({ file: d.file ?? '<input>', offset: d.offset ?? 0, field: d.field ?? '?' }, d.problem ?? e.message, e.code);
  }
  if (e.code) return new LedgerhoundError(e.code, e.shortMessage ?? e.message, { details: e.details });
  const err = new Error(`parse worker: ${e.message}`);
  if (e.stack) err.stack = e.stack;
  return err;
}
