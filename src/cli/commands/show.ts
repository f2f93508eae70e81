/**
 * `ledgerhound show tx TXID | address ADDR | block HEIGHT|HASH`: what ingest stored, for checking by eye.
 */
import type { Command } from 'commander';
import { decodeAddress, type Network } from '../../chain/index.js';
import { NotFoundError, UsageError } from '../../core/index.js';
import { DuckDbStore } from '../../store/index.js';
import { globalOptions, printJson, printLine } from '../context.js';

const btc = (sats: number | null) => (sats === null ? '?' : `${(sats / 1e8).toFixed(8)} BTC`);

function hashArg(what: string, value: string): string {
  const v = value.trim().toLowerCase();
  if (!/^[0-9a-f]{64}$/.test(v)) throw new UsageError(`${what} must be 64 hex digits, got ${JSON.stringify(value)}`);
  return v;
}

async function withStore<T>(cmd: Command, fn: (store: DuckDbStore, network: Network) => Promise<T>): Promise<T> {
  const g = globalOptions(cmd);
  const store = await DuckDbStore.openForQuery(g.db);
  try {
    const network = (await store.state()).network ?? 'main';
    return await fn(store, network);
  } finally {
    store.close();
  }
}

export function register(program: Command): void {
  const show = program.command('show').description('show an ingested transaction, address or block');

  show
    .command('tx <txid>')
    .description('a transaction with its inputs (where the coins came from) and outputs (who spent them); a txid stored twice (the BIP30 duplicate coinbases) prints both, as an array with --json')
    .action(async (txidArg: string, _o: unknown, cmd: Command) => {
      const txid = hashArg('txid', txidArg);
      const txs = await withStore(cmd, (s) => s.getTx(txid));
      if (txs.length === 0) throw new NotFoundError('transaction', txid);
      if (globalOptions(cmd).json) {
        printJson(txs.length === 1 ? txs[0] : txs);
        return;
      }
      for (const t of txs) {
        printLine(`tx ${t.txid}${t.segwit ? `  (wtxid ${t.wtxid})` : ''}`);
        printLine(`  block ${t.height} ${t.blockHash}  position ${t.position}  time ${t.time}`);
        printLine(`  size ${t.size}  vsize ${t.vsize}  weight ${t.weight}  version ${t.version}  locktime ${t.locktime}`);
        printLine(`  in ${btc(t.inputValue)}  out ${btc(t.outputValue)}  fee ${t.coinbase ? '(coinbase)' : btc(t.fee)}`);
        printLine(`  inputs (${t.inputs.length}):`);
        for (const i of t.inputs) {
          if (i.coinbase) printLine(`    #${i.vin} coinbase`);
          else if (i.unresolved) printLine(`    #${i.vin} ${i.prevTxid}:${i.prevVout}  (unresolved: not in the ingested data)`);
          else printLine(`    #${i.vin} ${i.prevTxid}:${i.prevVout}  ${btc(i.value)}  ${i.address ?? '(no address)'}`);
        }
        printLine(`  outputs (${t.outputs.length}):`);
        for (const o of t.outputs) {
          const spent = o.spentBy ? `spent by ${o.spentBy.txid}:${o.spentBy.vin}` : 'unspent';
          printLine(`    #${o.vout} ${btc(o.value)}  ${o.scriptType}  ${o.address ?? '(no address)'}  ${spent}`);
        }
      }
    });

  show
    .command('address <address>')
    .description('an address: first/last seen, received, balance and its latest outputs')
    .option('--limit <n>', 'outputs to list', '25')
    .action(async (address: string, o: { limit: string }, cmd: Command) => {
      const limit = Number(o.limit);
      if (!Number.isInteger(limit) || limit < 0) throw new UsageError(`--limit must be a non-negative integer, got ${JSON.stringify(o.limit)}`);
      const view = await withStore(cmd, async (s, network) => {
        // UsageError naming the problem (checksum, network, length); bech32 is stored in lower case.
        const d = decodeAddress(address.trim(), network);
        const bech = d.type === 'p2wpkh' || d.type === 'p2wsh' || d.type === 'p2tr' || d.type === 'witness_unknown';
        return s.getAddress(bech ? address.trim().toLowerCase() : address.trim(), limit);
      });
      if (!view) throw new NotFoundError('address', address, 'It is valid but never appears as an output address in the ingested blocks.');
      if (globalOptions(cmd).json) {
        printJson(view);
        return;
      }
      printLine(`address ${view.address}  (${view.type}, id ${view.addressId})`);
      printLine(`  cluster ${view.cluster ?? '(not clustered: run ledgerhound cluster)'}`);
      printLine(`  seen at heights ${view.firstSeenHeight}..${view.lastSeenHeight} in ${view.txCount} transaction(s)`);
      printLine(`  received ${btc(view.received)} in ${view.outputCount} output(s); spent ${btc(view.sent)} (${view.spentCount}); balance ${btc(view.balance)}`);
      if (view.outputs.length > 0) printLine(`  latest outputs:`);
      for (const r of view.outputs) {
        printLine(`    ${r.txid}:${r.vout}  height ${r.height}  ${btc(r.value)}  ${r.spentByTxid ? `spent by ${r.spentByTxid}` : 'unspent'}`);
      }
    });

  show
    .command('block <heightOrHash>')
    .description('a block by best-chain height or by hash (stale blocks by hash)')
    .action(async (arg: string, _o: unknown, cmd: Command) => {
      const key: number | string = /^\d{1,9}$/.test(arg.trim()) ? Number(arg.trim()) : hashArg('block hash', arg);
      const b = await withStore(cmd, (s) => s.getBlock(key));
      if (!b) throw new NotFoundError('block', String(arg));
      if (globalOptions(cmd).json) {
        printJson(b);
        return;
      }
      printLine(`block ${b.height} ${b.hash}${b.stale ? '  (STALE: not on the best chain)' : ''}`);
      printLine(`  prev ${b.prevHash}`);
      printLine(`  time ${b.time}  version ${b.version}  bits ${b.bits.toString(16)}  nonce ${b.nonce}`);
      printLine(`  merkle root ${b.merkleRoot}  chain work 0x${b.chainWork.replace(/^0+/, '') || '0'}`);
      printLine(`  size ${b.size}${b.weight === null ? '' : `  weight ${b.weight}`}${b.txCount === null ? '' : `  transactions ${b.txCount}  fees ${btc(b.fees)}`}`);
      printLine(`  stored in blk${String(b.fileNo).padStart(5, '0')}.dat @ 0x${b.fileOffset.toString(16)}`);
      const shown = b.txids.slice(0, 20);
      for (const t of shown) printLine(`    ${t}`);
      if (b.txids.length > shown.length) printLine(`    … ${b.txids.length - shown.length} more (--json lists all)`);
    });
}
