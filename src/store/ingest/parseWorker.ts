/**
 * Worker-thread entry: reads and parses batches of blocks from their blk files, answers with the parsed
 * batch (its buffers transferred, not copied) or with the error, serialized; and encodes address keys.
 */
import { parentPort } from 'node:worker_threads';
import { LedgerhoundError, ParseError } from '../../core/index.js';
import type { BlkFile, BlockLocation, Network } from '../../chain/index.js';
import type { IndexedBlock } from '../../chain/index.js';
import { encodePackedKeys, Linker, type LinkerStart, linkedToData, type PackedKeys, type RestoreData } from './linker.js';
import { type ParsedBatch, readAndParseBatch, transferList } from './parseBatch.js';

/**
 * A request from the pool: read and parse a batch of blocks, encode address keys to strings, or (on the
 * linking worker) start the linker, restore its maps, link a parsed batch.
 */
export type WorkerRequest =
  | { kind: 'read'; seq: number; files: BlkFile[]; key: Uint8Array | null; locs: BlockLocation[] }
  | { kind: 'encode'; seq: number; keys: PackedKeys; network: Network }
  | { kind: 'linkStart'; seq: number; start: LinkerStart; restore: RestoreData | null }
  | { kind: 'link'; seq: number; parsed: ParsedBatch; blocks: IndexedBlock[] };

/** The linker of a linking worker (one per ingest run). */
let linker: Linker | null = null;

/** An error as it crosses the thread boundary. */
export interface WorkerError {
  name: string;
  code: string | null;
  message: string;
  shortMessage: string | null;
  details: Record<string, unknown>;
  stack: string | null;
}

if (parentPort) {
  const port = parentPort;
  port.on('message', (req: WorkerRequest) => {
    try {
      if (req.kind === 'encode') {
        const strings = encodePackedKeys(req.keys, req.network);
        port.postMessage({ seq: req.seq, strings }, [strings.bytes.buffer as ArrayBuffer, strings.offsets.buffer as ArrayBuffer]);
        return;
      }
      if (req.kind === 'linkStart') {
        linker = new Linker(req.start.state, req.start.rootHeight, req.start.runBytes);
        if (req.restore) linker.restore(req.restore);
        port.postMessage({ seq: req.seq, done: true });
        return;
      }
      if (req.kind === 'link') {
        if (!linker) throw new Error('link before linkStart');
        const rows = linker.link(req.parsed, req.blocks);
        const { data, transfer } = linkedToData({ rows, pendingKeys: linker.pendingKeys });
        port.postMessage({ seq: req.seq, linked: data }, transfer);
        return;
      }
      const parsed = readAndParseBatch(req.files, req.key, req.locs);
      port.postMessage({ seq: req.seq, parsed }, transferList(parsed));
    } catch (err) {
      port.postMessage({ seq: req.seq, error: serializeError(err) });
    }
  });
}

function serializeError(err: unknown): WorkerError {
  if (err instanceof ParseError) {
    return { name: 'ParseError', code: err.code, message: err.message, shortMessage: err.shortMessage, details: { ...err.details }, stack: err.stack ?? null };
  }
  if (err instanceof LedgerhoundError) {
    return { name: 'LedgerhoundError', code: err.code, message: err.message, shortMessage: err.shortMessage, details: { ...err.details }, stack: err.stack ?? null };
  }
  const e = err instanceof Error ? err : new Error(String(err));
  return { name: e.name, code: null, message: e.message, shortMessage: null, details: {}, stack: e.stack ?? null };
}
