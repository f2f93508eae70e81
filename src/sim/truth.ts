/**
 * Ground truth of a simulated chain, and its two file forms.
 *
 * `truth.json` (small runs): one JSON document
 *   { format, version, params, entities: [...], addresses: [...], coinjoins: [...], incidents: [...], chain }
 * `truth.jsonl` (large runs, one record per line, streamed): `{"kind":"header",...}`, then records of kind
 *   `entity`, `address`, `coinjoin` as they happen, then one `incident` per incident and a final `chain`.
 * Both hold the same records; `loadTruth` reads either. Amounts are integer satoshis (`…Sat`), hashes
 * display hex. Totals in `chain` count the BEST chain only (genesis included); stale blocks are listed apart.
 */
import { closeSync, openSync, readFileSync, readSync, writeSync } from 'node:fs';
import { LedgerhoundError } from '../core/index.js';

export type EntityType = 'user' | 'miner' | 'pool' | 'exchange' | 'merchant' | 'otc' | 'coinjoin' | 'attacker';

export interface TruthEntity {
  id: number;
  type: EntityType;
  name: string;
}

/** An address and its owner (every address that appears in a best-chain output). */
export interface TruthAddress {
  address: string;
  entity: number;
  type: EntityType;
}

export interface TruthCoinJoin {
  txid: string;
  height: number;
  denominationSat: number;
  /** Outputs of exactly the denomination. */
  equalOutputs: number;
  inputs: { address: string | null; entity: number; valueSat: number }[];
}

export interface TruthOutput {
  txid: string;
  vout: number;
  address: string | null;
  valueSat: number;
}

export interface TruthIncident {
  id: number;
  name: string;
  actor: string;
  victim: number;
  attacker: number;
  theftHeight: number;
  theftTxids: string[];
  stolenSat: number;
  /** Every output the thief controlled, with the laundering stage that created it. */
  thiefOutputs: (TruthOutput & { stage: string })[];
  /** Deposits at exchanges and the OTC desk made by the thief: the cash-out endpoints. */
  cashOuts: (TruthOutput & { entity: number; entityName: string })[];
  coinjoinTxids: string[];
  /** Small payments from the thief to uninvolved parties. */
  innocentPayments: (TruthOutput & { entity: number })[];
}

export interface TruthChain {
  network: string;
  bestHeight: number;
  tipHash: string;
  /** Best-chain blocks, genesis included (bestHeight + 1). */
  blocks: number;
  transactions: number;
  /** Every input, the coinbase inputs included. */
  inputs: number;
  coinbaseInputs: number;
  outputs: number;
  outputValueSat: number;
  /** Distinct addresses paid in best-chain outputs. */
  addresses: number;
  staleBlocks: { hash: string; height: number; txids: string[] }[];
  blockFiles: string[];
  xorKey: string | null;
}

export interface Truth {
  format: 'ledgerhound-sim-truth';
  version: 1;
  params: Record<string, unknown>;
  entities: TruthEntity[];
  addresses: TruthAddress[];
  coinjoins: TruthCoinJoin[];
  incidents: TruthIncident[];
  chain: TruthChain;
}

/** Streams the truth to disk; JSON arrays are written as records arrive, so memory stays flat. */
export class TruthWriter {
  private readonly fd: number;
  private firstAddress = true;
  private readonly entities: TruthEntity[] = [];
  private readonly coinjoins: TruthCoinJoin[] = [];
  private buf = '';

  constructor(
    readonly path: string,
    readonly format: 'json' | 'jsonl',
    params: Record<string, unknown>,
  ) {
    this.fd = openSync(path, 'w');
    if (format === 'jsonl') this.out(`${JSON.stringify({ kind: 'header', format: 'ledgerhound-sim-truth', version: 1, params })}\n`);
    else this.out(`{"format":"ledgerhound-sim-truth","version":1,"params":${JSON.stringify(params)},"addresses":[\n`);
  }

  private out(s: string): void {
    this.buf += s;
    if (this.buf.length > 1 << 20) this.flush();
  }

  private flush(): void {
    if (this.buf.length > 0) writeSync(this.fd, this.buf);
    this.buf = '';
  }

  entity(e: TruthEntity): void {
    if (this.format === 'jsonl') this.out(`${JSON.stringify({ kind: 'entity', ...e })}\n`);
    else this.entities.push(e);
  }

  address(a: TruthAddress): void {
    if (this.format === 'jsonl') {
      this.out(`{"kind":"address","address":"${a.address}","entity":${a.entity},"type":"${a.type}"}\n`);
    } else {
      this.out(`${this.firstAddress ? '' : ',\n'}{"address":"${a.address}","entity":${a.entity},"type":"${a.type}"}`);
      this.firstAddress = false;
    }
  }

  coinjoin(c: TruthCoinJoin): void {
    if (this.format === 'jsonl') this.out(`${JSON.stringify({ kind: 'coinjoin', ...c })}\n`);
    else this.coinjoins.push(c);
  }

  /** Writes the closing records and closes the file. */
  finish(incidents: TruthIncident[], chain: TruthChain): void {
    if (this.format === 'jsonl') {
      for (const i of incidents) this.out(`${JSON.stringify({ kind: 'incident', ...i })}\n`);
      this.out(`${JSON.stringify({ kind: 'chain', ...chain })}\n`);
    } else {
      this.out('\n],\n"entities":');
      this.out(JSON.stringify(this.entities));
      this.out(',\n"coinjoins":');
      this.out(JSON.stringify(this.coinjoins));
      this.out(',\n"incidents":');
      this.out(JSON.stringify(incidents, null, 1));
      this.out(',\n"chain":');
      this.out(JSON.stringify(chain, null, 1));
      this.out('\n}\n');
    }
    this.flush();
    closeSync(this.fd);
  }
}

export interface LoadTruthOptions {
  /**
   * Receives each address record instead of `truth.addresses` (left empty): at scale 50 the array alone
   * would take several GB, while a caller usually needs one Map.
   */
  onAddress?: (a: TruthAddress) => void;
}

/**
 * Reads a truth file written by the simulator (`.json` document or `.jsonl` records).
 * @throws LedgerhoundError LH_TRUTH_FORMAT naming the file and line when it is not a simulator truth file.
 */
export function loadTruth(path: string, opts: LoadTruthOptions = {}): Truth {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (cause) {
    throw new LedgerhoundError('LH_TRUTH_READ', `cannot read truth file ${path}`, { cause, details: { path } });
  }
  const bad = (line: number | null, problem: string) =>
    new LedgerhoundError('LH_TRUTH_FORMAT', `${path}${line === null ? '' : `:${line}`}: ${problem}`, {
      details: { path, line },
      hint: 'pass the truth.json or truth.jsonl that `ledgerhound sim bitcoin` wrote',
    });
  try {
    const head = Buffer.alloc(16);
    const n = readSync(fd, head, 0, 16, 0);
    if (head.subarray(0, n).toString('utf8').trimStart().startsWith('{"kind"')) return parseJsonl(fd, bad, opts.onAddress);
    let doc: unknown;
    try {
      doc = JSON.parse(readFileSync(fd, 'utf8'));
    } catch (e) {
      throw bad(null, `not JSON (${(e as Error).message})`);
    }
    const t = doc as Partial<Truth>;
    if (t.format !== 'ledgerhound-sim-truth' || !Array.isArray(t.addresses) || t.chain === undefined) {
      throw bad(null, 'not a ledgerhound simulator truth document (format field missing)');
    }
    if (opts.onAddress) {
      for (const a of t.addresses) opts.onAddress(a);
      t.addresses = [];
    }
    return t as Truth;
  } finally {
    closeSync(fd);
  }
}

/** Reads JSONL in 16 MiB chunks: a multi-GB truth file exceeds V8's largest string. */
function parseJsonl(fd: number, bad: (line: number | null, problem: string) => Error, onAddress?: (a: TruthAddress) => void): Truth {
  const t: Truth = {
    format: 'ledgerhound-sim-truth',
    version: 1,
    params: {},
    entities: [],
    addresses: [],
    coinjoins: [],
    incidents: [],
    chain: undefined as unknown as TruthChain,
  };
  let lineNo = 0;
  const handle = (line: string) => {
    lineNo++;
    if (line.trim() === '') return;
    let rec: { kind?: string } & Record<string, unknown>;
    try {
      rec = JSON.parse(line);
    } catch (e) {
      throw bad(lineNo, `not JSON (${(e as Error).message})`);
    }
    const { kind, ...rest } = rec;
    switch (kind) {
      case 'header':
        if (rest.format !== 'ledgerhound-sim-truth') throw bad(lineNo, 'header is not a ledgerhound simulator truth header');
        t.params = (rest.params ?? {}) as Record<string, unknown>;
        break;
      case 'entity':
        t.entities.push(rest as unknown as TruthEntity);
        break;
      case 'address':
        if (onAddress) onAddress(rest as unknown as TruthAddress);
        else t.addresses.push(rest as unknown as TruthAddress);
        break;
      case 'coinjoin':
        t.coinjoins.push(rest as unknown as TruthCoinJoin);
        break;
      case 'incident':
        t.incidents.push(rest as unknown as TruthIncident);
        break;
      case 'chain':
        t.chain = rest as unknown as TruthChain;
        break;
      default:
        throw bad(lineNo, `unknown record kind ${JSON.stringify(kind)}`);
    }
  };
  const chunk = Buffer.allocUnsafe(16 << 20);
  let carry = '';
  let pos = 0;
  for (;;) {
    const n = readSync(fd, chunk, 0, chunk.length, pos);
    if (n === 0) break;
    pos += n;
    // Cut at the last newline so no UTF-8 sequence or line is split between chunks.
    const lastNl = chunk.lastIndexOf(0x0a, n - 1);
    if (lastNl < 0) {
      carry += chunk.toString('utf8', 0, n);
      continue;
    }
    const text = carry + chunk.toString('utf8', 0, lastNl);
    carry = chunk.toString('utf8', lastNl + 1, n);
    let start = 0;
    while (start <= text.length) {
      let end = text.indexOf('\n', start);
      if (end < 0) end = text.length;
      handle(text.slice(start, end));
      start = end + 1;
    }
  }
  if (carry !== '') handle(carry);
  if (t.chain === undefined) throw bad(lineNo, 'no final "chain" record: the file is truncated');
  return t;
}
