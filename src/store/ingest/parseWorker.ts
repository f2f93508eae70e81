/**
 * Worker-thread entry: reads and parses batches of blocks from their blk files, answers with the parsed
 * batch (its buffers transferred, not copied) or with the error, serialized; and encodes address keys.
 */
import { parentPort } from 'node:worker_threads';
import { LedgerhoundError, ParseError } from '../../core/index.js';
import type { BlkFile, BlockLocation, Network } from '../../chain/index.js';
import { encodePackedKeys, type PackedKeys } from './linker.js';
import { readAndParseBatch, transferList } from './parseBatch.js';

/** A request from the pool: read and parse a batch of blocks, or encode address keys to strings. */
export type WorkerRequest =
  | { kind: 'read'; seq: number; files: BlkFile[]; key: Uint8Array | null; locs: BlockLocation[] }
  | { kind: 'encode'; seq: number; keys: PackedKeys; network: Network };

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
