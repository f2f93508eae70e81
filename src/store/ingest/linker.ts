/**
 * The sequential half of ingest (main thread): gives dense ids in chain order, links every input to the
 * output it spends through the unspent-output map, deduplicates addresses, computes fees, and lays the
 * rows out as TableBatch columns for the store.
 */
import {
  addressKey,
  addressKind,
  classifyScript,
  type IndexedBlock,
  type Network,
  SCRIPT_TYPES,
  scriptForAddress,
} from '../../chain/index.js';

import { TableBatch, type TableBatchData } from '../columns.js';
import {
  ADDRESS_COLUMNS,
  BLOCK_COLUMNS,
  INPUT_COLUMNS,
  OUTPUT_COLUMNS,
  PENDING_SEEN_COLUMNS,
  PENDING_SPEND_COLUMNS,
  TX_COLUMNS,
} from '../schema.js';
import type { ChainBatch, StoreState } from '../Store.js';
import type { ParsedBatch } from './parseBatch.js';
import { AddressEncoder, type PackedKeys } from './addressEncoder.js';
import { AddressTable } from './addressTable.js';
import { revHex, revHexInto } from './hex.js';
import { UtxoMap } from './utxoMap.js';

const ST_NULLDATA = SCRIPT_TYPES.indexOf('nulldata');
/** The linker touches the unspent-output (address) table slots of the next AHEAD inputs (outputs) in groups of AHEAD. */
const AHEAD = 16;
/** The address key of an address string (the inverse of encodeAddressKey), via its output script. */
export function keyOfAddress(address: string, network: Network): string {
  const script = scriptForAddress(address, network);
  const key = addressKey(script, 0, script.length, classifyScript(script, 0, script.length));
  if (key === null) throw new RangeError(`no address key for ${address}`);
  return key;
}

export type { PackedKeys } from './addressEncoder.js';

const encoders = new Map<Network, AddressEncoder>();
/**
 * Address strings of packed keys as packed ASCII bytes (runs on a worker thread during ingest; the bytes go
 * to DuckDB without a JS string per address).
 */
export function encodePackedKeys(keys: PackedKeys, network: Network): PackedKeys {
  let enc = encoders.get(network);
  if (!enc) {
    enc = new AddressEncoder(network);
    encoders.set(network, enc);
  }
  return enc.encodeAllBytes(keys);
}

/** SCRIPT_TYPES code of an address key's own type by its kind byte (-1: not computed yet). */
const kindCodes = new Int8Array(256).fill(-1);
function kindCode(kindByte: number): number {
  let c = kindCodes[kindByte] as number;
  if (c < 0) {
    c = SCRIPT_TYPES.indexOf(addressKind(String.fromCharCode(kindByte)));
    kindCodes[kindByte] = c;
  }
  return c;
}

/** Chain work as 64 hex digits (fixed width, so text order is numeric order). */
export function workHex(work: bigint): string {
  return work.toString(16).padStart(64, '0');
}

/** Stored unspent outputs and addresses, packed, to rebuild a Linker's maps (resume, incremental runs). */
export interface RestoreData {
  /** 32 bytes per unspent output: its txid in internal byte order; outputs in output_id order. */
  txids: Uint8Array;
  vouts: Uint32Array;
  outputIds: Float64Array;
  values: Float64Array;
  /** -1 when the output has no address. */
  addressIds: Float64Array;
  /** Address keys in address_id order from 0. */
  addressKeys: PackedKeys;
}

/** What link() produced: the rows, and the new addresses' keys whose strings are still to be filled in. */
export interface LinkedBatch {
  rows: ChainBatch;
  pendingKeys: PackedKeys;
}

const TABLES = ['blocks', 'transactions', 'inputs', 'outputs', 'addresses', 'spends', 'seen'] as const;

/** A LinkedBatch as plain data plus its transfer list, to cross a thread boundary without copying. */
export function linkedToData(l: LinkedBatch): { data: unknown; transfer: ArrayBuffer[] } {
  const transfer = new Set<ArrayBuffer>([l.pendingKeys.bytes.buffer as ArrayBuffer, l.pendingKeys.offsets.buffer as ArrayBuffer]);
  const tables: Record<string, TableBatchData> = {};
  for (const t of TABLES) {
    tables[t] = l.rows[t].toData();
    for (const b of l.rows[t].transferables()) transfer.add(b);
  }
  return { data: { tables, state: l.rows.state, pendingKeys: l.pendingKeys }, transfer: [...transfer] };
}

/** The LinkedBatch of `linkedToData(...).data`. */
export function linkedFromData(d: unknown): LinkedBatch {
  const { tables, state, pendingKeys } = d as { tables: Record<string, TableBatchData>; state: ChainBatch['state']; pendingKeys: PackedKeys };
  const t = (name: (typeof TABLES)[number]) => TableBatch.fromData(tables[name] as TableBatchData);
  return {
    rows: {
      blocks: t('blocks'),
      transactions: t('transactions'),
      inputs: t('inputs'),
      outputs: t('outputs'),
      addresses: t('addresses'),
      spends: t('spends'),
      seen: t('seen'),
      state,
    },
    pendingKeys,
  };
}

/** What a Linker starts from: the store's next ids and the chain's root height. */
export interface LinkerStart {
  state: Pick<StoreState, 'nextTxId' | 'nextInputId' | 'nextOutputId' | 'nextAddressId'>;
  rootHeight: number;
  /** Bytes of block data this run will link, if known: after the first batch the address table is sized for the run. */
  runBytes?: number;
}

export class Linker {
  readonly utxo = new UtxoMap(1 << 20);
  readonly addresses = new AddressTable();
  nextTxId: number;
  nextInputId: number;
  nextOutputId: number;
  nextAddressId: number;
  /** XOR of the slots read ahead (kept so the loads are not optimised away). */
  touched = 0;
  /** Address keys of the last link()'s new addresses, in address-row order; their strings are still to fill. */
  pendingKeys: PackedKeys = { bytes: new Uint8Array(0), offsets: new Uint32Array(1) };

  /** Block bytes linked so far (for the one-time reservation of the address table). */
  private bytesLinked = 0;

  constructor(
    state: Pick<StoreState, 'nextTxId' | 'nextInputId' | 'nextOutputId' | 'nextAddressId'>,
    private readonly rootHeight: number,
    private readonly runBytes = 0,
  ) {
    this.nextTxId = state.nextTxId;
    this.nextInputId = state.nextInputId;
    this.nextOutputId = state.nextOutputId;
    this.nextAddressId = state.nextAddressId;
  }

  /** Rebuilds the unspent-output and address maps from stored rows (see RestoreData). */
  restore(d: RestoreData): void {
    const words = new Uint32Array(d.txids.buffer, d.txids.byteOffset, d.txids.byteLength / 4);
    for (let k = 0; k < d.vouts.length; k++) {
      this.utxo.insert(words, 8 * k, d.vouts[k] as number, d.outputIds[k] as number, d.values[k] as number, d.addressIds[k] as number);
    }
    const keys = d.addressKeys;
    for (let id = 0; id < keys.offsets.length - 1; id++) {
      const got = this.addresses.add(keys.bytes, keys.offsets[id] as number, keys.offsets[id + 1] as number);
      if (got !== id) throw new RangeError(`stored address ids are not dense: expected ${got}, found ${id}`);
    }
  }

  /** Turns a parsed batch of consecutive best-chain blocks into rows. */
  link(parsed: ParsedBatch, blocks: readonly IndexedBlock[]): ChainBatch {
    const first = this.bytesLinked === 0;
    const addressesBefore = this.addresses.size;
    const rows = this.linkRows(parsed, blocks);
    for (const b of blocks) this.bytesLinked += b.loc.size;
    // After the first batch: size the address table for the whole run, extrapolating its new addresses per
    // byte (simulator chain: the rehashes at every doubling were 0.6 CPU-s of the linking thread).
    if (first && this.runBytes > this.bytesLinked) {
      const perByte = (this.addresses.size - addressesBefore) / this.bytesLinked;
      this.addresses.reserve(this.addresses.size + perByte * (this.runBytes - this.bytesLinked));
    }
    return rows;
  }

  private linkRows(parsed: ParsedBatch, blocks: readonly IndexedBlock[]): ChainBatch {
    const nb = parsed.blockCount;
    const bt = new TableBatch(BLOCK_COLUMNS, nb);
    const tt = new TableBatch(TX_COLUMNS, parsed.txCount);
    const it = new TableBatch(INPUT_COLUMNS, parsed.inputCount);
    const ot = new TableBatch(OUTPUT_COLUMNS, parsed.outputCount);
    const at = new TableBatch(ADDRESS_COLUMNS, parsed.outputCount);

    const bHeight = bt.i32('height');
    const bHash = bt.str('hash');
    const bPrev = bt.str('prev_hash');
    const bVersion = bt.i32('version');
    const bMerkle = bt.str('merkle_root');
    const bTime = bt.f64('time');
    const bBits = bt.u32('bits');
    const bNonce = bt.u32('nonce');
    const bWork = bt.str('chain_work');
    const bSize = bt.i32('size');
    const bStripped = bt.i32('stripped_size');
    const bWeight = bt.i32('weight');
    const bTxCount = bt.i32('tx_count');
    const bFirstTx = bt.f64('first_tx_id');
    const bFirstIn = bt.f64('first_input_id');
    const bFirstOut = bt.f64('first_output_id');
    const bFileNo = bt.i32('file_no');
    const bFileOff = bt.f64('file_offset');

    const tId = tt.f64('tx_id');
    // Hashes as display-hex ASCII bytes, packed (no JS string per row; see TableBatch.setPacked).
    // txid and wtxid text came from the parse worker (hex of every txid; of the wtxids of transactions with
    // witness data only, for the others it equals the txid and is stored NULL).
    const txidOff = new Uint32Array(parsed.txCount + 1);
    const wtxidOff = new Uint32Array(parsed.txCount + 1);
    let wtxidPos = 0;
    const tWtxidNull = tt.nulls('wtxid');
    const tHeight = tt.i32('height');
    const tPos = tt.i32('position');
    const tTime = tt.f64('time');
    const tVersion = tt.i32('version');
    const tLock = tt.u32('locktime');
    const tSize = tt.i32('size');
    const tVsize = tt.i32('vsize');
    const tWeight = tt.i32('weight');
    const tSegwit = tt.u8('segwit');
    const tCoinbase = tt.u8('coinbase');
    const tInCount = tt.i32('input_count');
    const tOutCount = tt.i32('output_count');
    const tFirstIn = tt.f64('first_input_id');
    const tFirstOut = tt.f64('first_output_id');
    const tInValue = tt.f64('input_value');
    const tInValueNull = tt.nulls('input_value');
    const tOutValue = tt.f64('output_value');
    const tFee = tt.f64('fee');
    const tFeeNull = tt.nulls('fee');
    const tUnresolved = tt.i32('unresolved_inputs');

    const iId = it.f64('input_id');
    const iTx = it.f64('tx_id');
    const iVin = it.i32('vin');
    const iHeight = it.i32('height');
    const iSpent = it.f64('spent_output_id');
    const iSpentNull = it.nulls('spent_output_id');
    // Previous txids only for unresolved inputs (resolved ones follow spent_output_id): packed hex bytes.
    let prevHex = new Uint8Array(0);
    let prevHex32 = new Uint32Array(0);
    const prevOff = new Uint32Array(parsed.inputCount + 1);
    let prevPos = 0;
    const iPrevNull = it.nulls('prev_txid');
    const iVout = it.u32('prev_vout');
    const iSeq = it.u32('sequence');
    const iValue = it.f64('value');
    const iValueNull = it.nulls('value');
    const iAddr = it.f64('address_id');
    const iAddrNull = it.nulls('address_id');
    const iCoinbase = it.u8('coinbase');
    const iUnresolved = it.u8('unresolved');

    const oId = ot.f64('output_id');
    const oTx = ot.f64('tx_id');
    const oVout = ot.i32('vout');
    const oHeight = ot.i32('height');
    const oValue = ot.f64('value');
    const oType = ot.u8('script_type');
    const oAddr = ot.f64('address_id');
    const oAddrNull = ot.nulls('address_id');
    // Outputs spent within this batch get their spending input here; spends of earlier batches' outputs
    // are staged in `spends` for the link pass (an UPDATE only for those).
    const oSpendIn = ot.f64('spending_input_id');
    const oSpendTx = ot.f64('spending_tx_id');
    const oSpendInNull = ot.nulls('spending_input_id').fill(1);
    const oSpendTxNull = ot.nulls('spending_tx_id').fill(1);
    const st = new TableBatch(PENDING_SPEND_COLUMNS, parsed.inputCount);
    const sOut = st.f64('output_id');
    const sIn = st.f64('input_id');
    const sTx = st.f64('tx_id');
    let ns = 0;
    const batchFirstOut = this.nextOutputId;
    const batchFirstAddr = this.nextAddressId;
    // Addresses of earlier batches seen again: one row per sighting, in chain order (the link pass takes
    // the highest height per address; a Map keeping only the last one cost ~240 ns per sighting, a third
    // of this loop on the simulator chain).
    const seen = new TableBatch(PENDING_SEEN_COLUMNS, parsed.inputCount + parsed.outputCount);
    const seenAddr = seen.f64('address_id');
    const seenHeight = seen.i32('height');
    let nseen = 0;

    const aId = at.f64('address_id');
    const newKeyStart = new Uint32Array(parsed.outputCount);
    const newKeyEnd = new Uint32Array(parsed.outputCount);
    const aType = at.u8('script_type');
    const aFirst = at.i32('first_seen_height');
    const aLast = at.i32('last_seen_height');

    const txidWords = new Uint32Array(parsed.txids.buffer, parsed.txids.byteOffset, parsed.txids.byteLength / 4);
    const prevWords = new Uint32Array(parsed.inPrevTxid.buffer, parsed.inPrevTxid.byteOffset, parsed.inPrevTxid.byteLength / 4);
    const keyBytes = parsed.outKeys;
    const addresses = this.addresses;
    const utxo = this.utxo;

    let t = 0;
    let i = 0;
    let o = 0;
    let na = 0;
    const inputCount = parsed.inputCount;
    const outputCount = parsed.outputCount;
    let touched = 0;
    for (let bi = 0; bi < nb; bi++) {
      const blk = blocks[bi] as IndexedBlock;
      const height = blk.height;
      const size = parsed.blockSize[bi] as number;
      const weight = parsed.blockWeight[bi] as number;
      bHeight[bi] = height;
      bHash[bi] = revHex(blk.hash, 0);
      bPrev[bi] = revHex(blk.prevHash, 0);
      bVersion[bi] = blk.version;
      bMerkle[bi] = revHex(blk.merkleRoot, 0);
      bTime[bi] = blk.time;
      bBits[bi] = blk.bits;
      bNonce[bi] = blk.nonce;
      bWork[bi] = workHex(blk.chainWork);
      bSize[bi] = size;
      bStripped[bi] = (weight - size) / 3;
      bWeight[bi] = weight;
      bTxCount[bi] = parsed.blockTxCount[bi] as number;
      bFirstTx[bi] = this.nextTxId;
      bFirstIn[bi] = this.nextInputId;
      bFirstOut[bi] = this.nextOutputId;
      bFileNo[bi] = blk.loc.fileNo;
      bFileOff[bi] = blk.loc.offset;

      const nTx = parsed.blockTxCount[bi] as number;
      for (let x = 0; x < nTx; x++, t++) {
        // Likewise the home slots of the outputs of the next AHEAD transactions, before their inserts.
        if ((t & (AHEAD - 1)) === 0) {
          const end = Math.min(parsed.txCount, t + 2 * AHEAD);
          for (let a = t + AHEAD; a < end; a++) touched ^= utxo.touchTx(txidWords, 8 * a);
        }
        const txId = this.nextTxId++;
        const coinbase = x === 0;
        const nIn = parsed.txInputs[t] as number;
        const nOut = parsed.txOutputs[t] as number;
        const txSize = parsed.txSize[t] as number;
        const txWeight = (parsed.txBaseSize[t] as number) * 3 + txSize;
        tId[t] = txId;
        txidOff[t + 1] = 64 * (t + 1);
        if (parsed.txSegwit[t]) wtxidPos += 64;
        else {
          tWtxidNull[t] = 1;
        }
        wtxidOff[t + 1] = wtxidPos;
        tHeight[t] = height;
        tPos[t] = x;
        tTime[t] = blk.time;
        tVersion[t] = parsed.txVersion[t] as number;
        tLock[t] = parsed.txLocktime[t] as number;
        tSize[t] = txSize;
        tWeight[t] = txWeight;
        tVsize[t] = Math.ceil(txWeight / 4);
        tSegwit[t] = parsed.txSegwit[t] as number;
        tCoinbase[t] = coinbase ? 1 : 0;
        tInCount[t] = nIn;
        tOutCount[t] = nOut;
        tFirstIn[t] = this.nextInputId;
        tFirstOut[t] = this.nextOutputId;

        let inSum = 0;
        let unresolved = 0;
        for (let j = 0; j < nIn; j++, i++) {
          const inputId = this.nextInputId++;
          iId[i] = inputId;
          iTx[i] = txId;
          iVin[i] = j;
          iHeight[i] = height;
          const vout = parsed.inPrevVout[i] as number;
          iVout[i] = vout;
          iSeq[i] = parsed.inSequence[i] as number;
          iPrevNull[i] = 1;
          prevOff[i + 1] = prevPos;
          if (coinbase) {
            iCoinbase[i] = 1;
            iSpentNull[i] = 1;
            iValueNull[i] = 1;
            iAddrNull[i] = 1;
            continue;
          }
          // Every AHEAD inputs, touch the slots of the next AHEAD inputs back to back: independent loads
          // close together, so their cache misses overlap instead of coming one per lookup.
          if ((i & (AHEAD - 1)) === 0) {
            const end = Math.min(inputCount, i + 2 * AHEAD);
            for (let a = i + AHEAD; a < end; a++) touched ^= utxo.touch(prevWords, 8 * a, parsed.inPrevVout[a] as number);
          }
          const slot = utxo.find(prevWords, 8 * i, vout);
          if (slot < 0) {
            unresolved++;
            iUnresolved[i] = 1;
            iSpentNull[i] = 1;
            iValueNull[i] = 1;
            iAddrNull[i] = 1;
            iPrevNull[i] = 0;
            if (prevPos + 64 > prevHex.length) {
              const grown = new Uint8Array(Math.max(4096, prevHex.length * 2));
              grown.set(prevHex);
              prevHex = grown;
              prevHex32 = new Uint32Array(prevHex.buffer);
            }
            revHexInto(parsed.inPrevTxid, 32 * i, prevHex, prevPos, prevWords, prevHex32);
            prevPos += 64;
            prevOff[i + 1] = prevPos;
            continue;
          }
          const value = utxo.value(slot);
          const addr = utxo.addressId(slot);
          const spent = utxo.outputId(slot);
          iSpent[i] = spent;
          if (spent >= batchFirstOut) {
            const r = spent - batchFirstOut;
            oSpendIn[r] = inputId;
            oSpendTx[r] = txId;
            oSpendInNull[r] = 0;
            oSpendTxNull[r] = 0;
          } else {
            sOut[ns] = spent;
            sIn[ns] = inputId;
            sTx[ns] = txId;
            ns++;
          }
          iValue[i] = value;
          if (addr < 0) iAddrNull[i] = 1;
          else {
            iAddr[i] = addr;
            if (addr >= batchFirstAddr) aLast[addr - batchFirstAddr] = height;
            else {
              seenAddr[nseen] = addr;
              seenHeight[nseen++] = height;
            }
          }
          inSum += value;
          utxo.removeAt(slot);
        }

        let outSum = 0;
        for (let k = 0; k < nOut; k++, o++) {
          const outputId = this.nextOutputId++;
          const value = parsed.outValue[o] as number;
          const type = parsed.outScriptType[o] as number;
          oId[o] = outputId;
          oTx[o] = txId;
          oVout[o] = k;
          oHeight[o] = height;
          oValue[o] = value;
          oType[o] = type;
          outSum += value;
          let addressId = -1;
          const ks = parsed.outKeyStart[o] as number;
          const ke = parsed.outKeyStart[o + 1] as number;
          if ((o & (AHEAD - 1)) === 0) {
            const end = Math.min(outputCount, o + 2 * AHEAD);
            for (let a = o + AHEAD; a < end; a++) {
              const as = parsed.outKeyStart[a] as number;
              const ae = parsed.outKeyStart[a + 1] as number;
              if (ae > as) touched ^= addresses.touch(keyBytes, as, ae);
            }
          }
          if (ke > ks) {
            const known = addresses.size;
            addressId = addresses.getOrAdd(keyBytes, ks, ke);
            if (addressId === known) {
              this.nextAddressId++;
              aId[na] = addressId;
              newKeyStart[na] = ks;
              newKeyEnd[na] = ke;
              aType[na] = kindCode(keyBytes[ks] as number);
              aFirst[na] = height;
              aLast[na] = height;
              na++;
            } else if (addressId >= batchFirstAddr) {
              aLast[addressId - batchFirstAddr] = height;
            } else {
              seenAddr[nseen] = addressId;
              seenHeight[nseen++] = height;
            }
            oAddr[o] = addressId;
          } else {
            oAddrNull[o] = 1;
          }
          if (type !== ST_NULLDATA) utxo.insert(txidWords, 8 * t, k, outputId, value, addressId);
        }

        tOutValue[t] = outSum;
        tUnresolved[t] = unresolved;
        if (coinbase || unresolved > 0) {
          tInValueNull[t] = 1;
          tFeeNull[t] = 1;
        } else {
          tInValue[t] = inSum;
          tFee[t] = inSum - outSum;
        }
      }
    }
    this.touched = touched;
    bt.rows = nb;
    tt.rows = parsed.txCount;
    it.rows = parsed.inputCount;
    tt.setPacked('txid', { bytes: parsed.txidHex, offsets: txidOff });
    tt.setPacked('wtxid', { bytes: parsed.wtxidHex, offsets: wtxidOff });
    it.setPacked('prev_txid', { bytes: prevHex.subarray(0, prevPos), offsets: prevOff });
    ot.rows = parsed.outputCount;
    at.rows = na;
    st.rows = ns;
    seen.rows = nseen;
    // The new addresses' keys, packed for encoding (base58check / bech32 costs ~4 µs per address, so it is
    // done off this thread: see encodeAddresses()).
    let keyTotal = 0;
    for (let a = 0; a < na; a++) keyTotal += (newKeyEnd[a] as number) - (newKeyStart[a] as number);
    const newKeys = new Uint8Array(keyTotal);
    const newKeyOffsets = new Uint32Array(na + 1);
    let kp = 0;
    // Keys of consecutive outputs are adjacent in keyBytes: one copy per run of new addresses.
    for (let a = 0; a < na; ) {
      const runStart = newKeyStart[a] as number;
      let runEnd = runStart;
      while (a < na && newKeyStart[a] === runEnd) {
        newKeyOffsets[a] = kp + runEnd - runStart;
        runEnd = newKeyEnd[a++] as number;
      }
      newKeys.set(keyBytes.subarray(runStart, runEnd), kp);
      kp += runEnd - runStart;
    }
    newKeyOffsets[na] = kp;
    this.pendingKeys = { bytes: newKeys, offsets: newKeyOffsets };
    const last = blocks[nb - 1] as IndexedBlock;
    return {
      blocks: bt,
      transactions: tt,
      inputs: it,
      outputs: ot,
      addresses: at,
      spends: st,
      seen,
      state: {
        rootHeight: this.rootHeight,
        tipHeight: last.height,
        tipHash: revHex(last.hash, 0),
        nextTxId: this.nextTxId,
        nextInputId: this.nextInputId,
        nextOutputId: this.nextOutputId,
        nextAddressId: this.nextAddressId,
        // Set by ingest at the append (see holdWindow.ts).
        forwardLinks: false,
      },
    };
  }
}

/** Rows for blocks off the best chain (header facts only; their transactions are never stored). */
export function staleBlockRows(stale: readonly IndexedBlock[]): TableBatch {
  const bt = new TableBatch(BLOCK_COLUMNS, stale.length);
  stale.forEach((b, r) => {
    bt.i32('height')[r] = b.height;
    bt.str('hash')[r] = revHex(b.hash, 0);
    bt.str('prev_hash')[r] = revHex(b.prevHash, 0);
    bt.u8('stale')[r] = 1;
    bt.i32('version')[r] = b.version;
    bt.str('merkle_root')[r] = revHex(b.merkleRoot, 0);
    bt.f64('time')[r] = b.time;
    bt.u32('bits')[r] = b.bits;
    bt.u32('nonce')[r] = b.nonce;
    bt.str('chain_work')[r] = workHex(b.chainWork);
    bt.i32('size')[r] = b.loc.size;
    for (const c of ['stripped_size', 'weight', 'tx_count', 'first_tx_id', 'first_input_id', 'first_output_id']) bt.nulls(c)[r] = 1;
    bt.i32('file_no')[r] = b.loc.fileNo;
    bt.f64('file_offset')[r] = b.loc.offset;
  });
  bt.rows = stale.length;
  return bt;
}
