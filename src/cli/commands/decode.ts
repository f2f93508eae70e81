import { existsSync, readFileSync, statSync } from 'node:fs';
import type { Command } from 'commander';
import {
  asNetwork,
  bip34Height,
  decodeBlock,
  decodeTx,
  type DecodedTx,
  NETWORK_NAMES,
  NETWORKS,
  type Network,
  parseBlock,
  parseTransaction,
} from '../../chain/index.js';
import { UsageError } from '../../core/index.js';
import { globalOptions, printJson, printLine } from '../context.js';

const MAX_INPUT_BYTES = 64 * 1024 * 1024;

function networkOf(name: string): Network {
  const n = asNetwork(name);
  if (!n) throw new UsageError(`unknown network ${JSON.stringify(name)}; expected one of ${NETWORK_NAMES.join(', ')}`);
  return n;
}

/** Reads FILE (binary or hex text), `-` for stdin, or — when allowed — the argument itself as hex. */
function readInput(arg: string, argIsHexOk: boolean): { bytes: Buffer; name: string } {
  let raw: Buffer;
  let name: string;
  if (arg === '-') {
    raw = readFileSync(0);
    name = '<stdin>';
  } else if (existsSync(arg)) {
    const st = statSync(arg);
    if (!st.isFile()) throw new UsageError(`${arg} is not a file`);
    if (st.size > MAX_INPUT_BYTES) throw new UsageError(`${arg} is ${st.size} bytes; decode reads at most ${MAX_INPUT_BYTES}`);
    raw = readFileSync(arg);
    name = arg;
  } else if (argIsHexOk && /^[0-9a-fA-F\s]+$/.test(arg)) {
    raw = Buffer.from(arg, 'latin1');
    name = '<argument>';
  } else {
    throw new UsageError(argIsHexOk ? `${arg.length > 80 ? `${arg.slice(0, 80)}…` : arg} is neither an existing file nor hex` : `no such file: ${arg}`);
  }
  // Hex text (optionally with whitespace) or raw bytes?
  const text = raw.length <= MAX_INPUT_BYTES * 2 ? raw.toString('latin1').trim() : '';
  if (text.length > 0 && /^[0-9a-fA-F\s]+$/.test(text)) {
    const hex = text.replace(/\s+/g, '');
    if (hex.length % 2 !== 0) throw new UsageError(`${name}: hex has an odd number of digits (${hex.length})`);
    return { bytes: Buffer.from(hex, 'hex'), name };
  }
  return { bytes: raw, name };
}

/** Strips blk-file framing (magic + size) when a file holds exactly one framed block. */
function unframe(bytes: Buffer): Buffer {
  if (bytes.length < 8) return bytes;
  for (const n of NETWORK_NAMES) {
    if (bytes.subarray(0, 4).equals(NETWORKS[n].magic) && bytes.readUInt32LE(4) === bytes.length - 8) return bytes.subarray(8);
  }
  return bytes;
}

function printTxHuman(t: DecodedTx): void {
  printLine(`tx ${t.txid}`);
  if (t.wtxid !== t.txid) printLine(`  wtxid   ${t.wtxid}`);
  printLine(`  size ${t.size} B, vsize ${t.vsize} vB, weight ${t.weight} WU, version ${t.version}, locktime ${t.locktime}`);
  for (const [j, i] of t.inputs.entries()) printLine(`  in  #${j} ${i.prevTxid}:${i.prevVout} seq ${i.sequence.toString(16)}`);
  for (const [k, o] of t.outputs.entries()) {
    printLine(`  out #${k} ${(o.value / 1e8).toFixed(8)} BTC ${o.scriptType}${o.address ? ` ${o.address}` : ''}`);
  }
}

/** `ledgerhound decode block FILE` and `decode tx HEX|FILE`, like `bitcoin-cli decoderawtransaction`. */
export function register(program: Command): void {
  const decode = program.command('decode').description('decode a raw block or transaction (binary or hex) without a database');
  decode
    .command('block')
    .argument('<file>', 'raw serialized block: binary, hex text, or - for stdin (blk-file framing is stripped)')
    .option('--network <name>', `network for addresses (${NETWORK_NAMES.join('|')})`, 'main')
    .description('decode a serialized block: hash, BIP34 height, transactions with txid/wtxid, inputs and outputs')
    .action((file: string, opts: { network: string }, cmd: Command) => {
      const g = globalOptions(cmd);
      const network = networkOf(opts.network);
      const { bytes, name } = readInput(file, false);
      const parsed = parseBlock(Buffer.from(unframe(bytes)), { file: name });
      const d = decodeBlock(parsed, network);
      if (g.json) {
        printJson({ hash: d.hash, height: d.height, time: d.time, transactions: d.transactions });
        return;
      }
      printLine(`block ${d.hash}`);
      printLine(`  height ${bip34Height(parsed) ?? 'unknown (no BIP34 height in coinbase)'}, time ${new Date(d.time * 1000).toISOString()}`);
      printLine(`  prev ${d.prevHash}`);
      printLine(`  merkle root ${d.merkleRoot} (verified)`);
      printLine(`  ${d.transactions.length} transactions, ${d.size} bytes, weight ${d.weight}`);
      for (const t of d.transactions) printTxHuman(t);
    });
  decode
    .command('tx')
    .argument('<hex-or-file>', 'raw transaction as hex, a file (binary or hex), or - for stdin')
    .option('--network <name>', `network for addresses (${NETWORK_NAMES.join('|')})`, 'main')
    .description('decode a serialized transaction (legacy or segwit)')
    .action((arg: string, opts: { network: string }, cmd: Command) => {
      const g = globalOptions(cmd);
      const network = networkOf(opts.network);
      const { bytes, name } = readInput(arg, true);
      const t = decodeTx(parseTransaction(Buffer.from(bytes), { file: name }), 0, network);
      if (g.json) printJson(t);
      else printTxHuman(t);
    });
}
