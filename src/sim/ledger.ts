/**
 * The simulator's ledger: entities, their wallets (UTXO sets), and the block under construction.
 * Every transaction is built from UTXOs a wallet really holds, so inputs exist, values balance and
 * fees are positive; outputs go straight into the receiving wallet.
 */
import {
  ByteWriter,
  computeMerkleRoot,
  scriptNumPush,
  serializeHeader,
  sha256d,
  type TxData,
  type TxOutput,
  txidOfSpan,
  WITNESS_RESERVED_VALUE,
  witnessCommitmentScript,
  writeTx,
  wtxidOfSpan,
} from '../chain/index.js';
import { type Addr, type AddrType, INPUT_VBYTES, type KeyFactory } from './keys.js';
import type { Rng } from './Rng.js';
import type { EntityType, TruthWriter } from './truth.js';

/** An unspent output a wallet holds. `txid` is in internal byte order. */
export interface Utxo {
  txid: Buffer;
  vout: number;
  valueSat: number;
  addr: Addr;
  height: number;
  coinbase: boolean;
}

/** Wallet software habits that show in transactions (and that heuristics can key on). */
export interface WalletStyle {
  txVersion: number;
  /** 0xffffffff (old wallets), 0xfffffffe (locktime-enabled), 0xfffffffd (opt-in RBF). */
  sequence: number;
  /** Anti-fee-sniping: locktime = current height (Bitcoin Core since 0.11). */
  locktimeHeight: boolean;
}

export interface Entity {
  id: number;
  type: EntityType;
  name: string;
}

/** Bitcoin Core's coinbase maturity (COINBASE_MATURITY). */
export const COINBASE_MATURITY = 100;
/** Outputs below this are not created (change below it goes to the fee), as wallets avoid dust. */
export const DUST_SAT = 546;

/**
 * A set of UTXOs belonging to one entity, with its address habits: `type` for new addresses,
 * `reuse` to keep paying one address (receive and change) instead of fresh ones.
 */
export class Wallet {
  utxos: Utxo[] = [];
  balanceSat = 0;
  /** Coinbase UTXOs held (only they can be immature); 0 lets spendableSat answer in O(1). */
  private coinbaseHeld = 0;
  private reused: Addr | null = null;

  constructor(
    readonly ledger: Ledger,
    readonly entity: Entity,
    public type: AddrType,
    public reuse: boolean,
    public style: WalletStyle,
  ) {}

  /** An address to receive on: the reused one, or a fresh one of the wallet's type. */
  receiveAddr(): Addr {
    if (this.reuse) {
      if (this.reused === null || this.reused.type !== this.type) this.reused = this.ledger.keys.create(this.type, this.entity.id);
      return this.reused;
    }
    return this.ledger.keys.create(this.type, this.entity.id);
  }

  /** A fresh address regardless of the reuse habit (and of `type` when given). */
  freshAddr(type: AddrType = this.type): Addr {
    return this.ledger.keys.create(type, this.entity.id);
  }

  add(u: Utxo): void {
    this.utxos.push(u);
    this.balanceSat += u.valueSat;
    if (u.coinbase) this.coinbaseHeld++;
  }

  /** Spendable at `height`: mature coinbases and everything else. */
  spendable(u: Utxo, height: number): boolean {
    return !u.coinbase || height - u.height >= COINBASE_MATURITY;
  }

  /** Removes and returns the UTXOs at the given indices. */
  take(indices: number[]): Utxo[] {
    const sorted = [...indices].sort((a, b) => b - a);
    const out: Utxo[] = [];
    for (const i of sorted) {
      const u = this.utxos[i]!;
      const last = this.utxos.pop()!;
      if (i < this.utxos.length) this.utxos[i] = last;
      this.balanceSat -= u.valueSat;
      if (u.coinbase) this.coinbaseHeld--;
      out.push(u);
    }
    return out;
  }

  /** Removes the given UTXOs (by identity) from the wallet. @throws RangeError for one it does not hold. */
  takeUtxos(list: readonly Utxo[]): Utxo[] {
    const idx = list.map((u) => {
      const i = this.utxos.indexOf(u);
      if (i < 0) throw new RangeError(`sim: wallet of ${this.entity.name} does not hold ${u.txid.toString('hex')}:${u.vout}`);
      return i;
    });
    return this.take(idx);
  }

  /**
   * Coin selection, as wallets do it. With few coins: the smallest single UTXO that covers
   * `amountSat` plus the fee, else largest first. With many coins: single random draw (Bitcoin Core's
   * SRD, since v23): random coins until covered, which also consolidates small coins and keeps wallets
   * from growing without bound. Removes the chosen UTXOs, or returns null and removes nothing.
   */
  select(amountSat: number, feeRate: number, outputsVbytes: number, height: number, maxInputs = 60): Utxo[] | null {
    const base = 11 + outputsVbytes;
    const n = this.utxos.length;
    if (n > 8) {
      const chosen = new Set<number>();
      let sum = 0;
      let vbytes = base;
      for (let tries = 0; tries < maxInputs * 3 && chosen.size < maxInputs; tries++) {
        const i = Math.floor(this.ledger.rng.float() * n);
        if (chosen.has(i)) continue;
        const u = this.utxos[i]!;
        if (!this.spendable(u, height)) continue;
        chosen.add(i);
        sum += u.valueSat;
        vbytes += INPUT_VBYTES[u.addr.type];
        if (sum >= amountSat + Math.ceil(feeRate * vbytes)) return this.take([...chosen]);
      }
    } else {
      let best = -1;
      for (let i = 0; i < n; i++) {
        const u = this.utxos[i]!;
        if (!this.spendable(u, height)) continue;
        const need = amountSat + Math.ceil(feeRate * (base + INPUT_VBYTES[u.addr.type]));
        if (u.valueSat >= need && (best < 0 || u.valueSat < this.utxos[best]!.valueSat)) best = i;
      }
      if (best >= 0) return this.take([best]);
    }
    if (this.spendableSat(height) < amountSat) return null;
    const order: number[] = [];
    for (let i = 0; i < n; i++) if (this.spendable(this.utxos[i]!, height)) order.push(i);
    order.sort((a, b) => this.utxos[b]!.valueSat - this.utxos[a]!.valueSat);
    let sum = 0;
    let vbytes = base;
    const chosen: number[] = [];
    for (const i of order) {
      if (chosen.length >= maxInputs) break;
      const u = this.utxos[i]!;
      chosen.push(i);
      sum += u.valueSat;
      vbytes += INPUT_VBYTES[u.addr.type];
      if (sum >= amountSat + Math.ceil(feeRate * vbytes)) return this.take(chosen);
    }
    return null;
  }

  /** Spendable balance at `height`. */
  spendableSat(height: number): number {
    if (this.coinbaseHeld === 0) return this.balanceSat;
    let s = 0;
    for (const u of this.utxos) if (this.spendable(u, height)) s += u.valueSat;
    return s;
  }
}

/** One output of a transaction being built. `wallet` receives it (null: nobody tracks it). */
export interface Payment {
  addr: Addr;
  valueSat: number;
  wallet: Wallet | null;
}

export interface BuildSpec {
  inputs: Utxo[];
  payments: Payment[];
  /** Receives inputs − payments − fee; dropped into the fee when below dust. */
  change: { addr: Addr; wallet: Wallet | null } | null;
  feeRate: number;
  style: WalletStyle;
  /** Put the change at a random position (Bitcoin Core) instead of last. */
  shuffleChange?: boolean;
  /** Extra outputs nobody owns (OP_RETURN). */
  extra?: TxOutput[];
}

/** What a built transaction produced. */
export interface BuiltTx {
  txid: Buffer;
  outs: (Utxo & { wallet: Wallet | null })[];
  feeSat: number;
}

/** Virtual size estimate of a transaction spending `inputs` to output scripts of the given lengths. */
export function estimateVbytes(inputs: readonly Utxo[], outputScriptLengths: readonly number[]): number {
  let v = 11;
  for (const u of inputs) v += INPUT_VBYTES[u.addr.type];
  for (const l of outputScriptLengths) v += 9 + l;
  return v;
}

/** Fee at `feeRate` for spending `inputs` into one output script of `scriptLength` bytes (sweeps, consolidations). */
export function sweepFee(inputs: readonly Utxo[], scriptLength: number, feeRate: number): number {
  return Math.max(1, Math.ceil(feeRate * estimateVbytes(inputs, [scriptLength])));
}

/** The chain-wide state shared by every block: keys, truth, counters. */
export class Ledger {
  /** Best-chain totals for the truth file. */
  totals = { transactions: 0, inputs: 0, coinbaseInputs: 0, outputs: 0, outputValueSat: 0, addresses: 0 };

  constructor(
    readonly rng: Rng,
    readonly keys: KeyFactory,
    readonly truth: TruthWriter,
    readonly entityType: (id: number) => EntityType,
  ) {}

  /** Records an address in the truth the first time a best-chain output pays it. */
  record(addr: Addr): void {
    if (addr.recorded || addr.address === null) return;
    addr.recorded = true;
    this.totals.addresses++;
    this.truth.address({ address: addr.address, entity: addr.owner, type: this.entityType(addr.owner) });
  }
}

/**
 * A block under construction. Transactions are serialized into one buffer as they are added; the
 * coinbase (which commits to fees and witness data) is built last and placed first by `finish`.
 */
export class BlockBuilder {
  private readonly body = new ByteWriter(1 << 20);
  private readonly txids: Buffer[] = [];
  private readonly wtxids: Buffer[] = [];
  feesSat = 0;
  txCount = 0;
  private inputs = 0;
  private outputs = 0;
  private outputValueSat = 0;
  readonly builtTxids: Buffer[] = [];

  constructor(
    readonly ledger: Ledger,
    readonly height: number,
    /** Stale blocks: outputs go to nobody, nothing is recorded, spent UTXOs stay in wallets. */
    readonly stale: boolean,
    readonly segwit: boolean,
  ) {}

  /**
   * Builds, serializes and adds a transaction. Inputs must already be out of their wallets.
   * @throws RangeError when inputs do not cover payments plus fee (a simulator bug, never user input).
   */
  build(spec: BuildSpec): BuiltTx {
    const { rng, keys } = this.ledger;
    let inSum = 0;
    for (const u of spec.inputs) inSum += u.valueSat;
    let paySum = 0;
    for (const p of spec.payments) paySum += p.valueSat;
    const scriptLens = spec.payments.map((p) => p.addr.script.length);
    for (const e of spec.extra ?? []) scriptLens.push(e.script.length);
    const feeNoChange = Math.max(1, Math.ceil(spec.feeRate * estimateVbytes(spec.inputs, scriptLens)));
    const payments: Payment[] = spec.payments.slice();
    let changeIndex = -1;
    let fee = inSum - paySum;
    if (spec.change !== null) {
      const feeWithChange = Math.max(1, Math.ceil(spec.feeRate * estimateVbytes(spec.inputs, [...scriptLens, spec.change.addr.script.length])));
      const changeSat = inSum - paySum - feeWithChange;
      if (changeSat >= DUST_SAT) {
        changeIndex = spec.shuffleChange === false ? payments.length : rng.int(0, payments.length);
        payments.splice(changeIndex, 0, { addr: spec.change.addr, valueSat: changeSat, wallet: spec.change.wallet });
        fee = feeWithChange;
      }
    }
    if (fee < 1 || fee < Math.min(feeNoChange, 100)) {
      throw new RangeError(`sim: inputs ${inSum} sat do not cover payments ${paySum} sat plus fee at height ${this.height}`);
    }
    // Anti-fee-sniping (Bitcoin Core): locktime = the tip height, i.e. this block's height - 1 (a non-final
    // input needs locktime < height), sometimes further back.
    const locktime = spec.style.locktimeHeight ? this.height - 1 - (rng.chance(0.1) ? rng.int(1, 50) : 0) : 0;
    const tx: TxData = {
      version: spec.style.txVersion,
      locktime: Math.max(0, locktime),
      inputs: spec.inputs.map((u) => {
        const s = keys.spend(u.addr);
        return { prevTxid: u.txid, vout: u.vout, scriptSig: s.scriptSig, sequence: spec.style.sequence, witness: s.witness };
      }),
      outputs: [...payments.map((p) => ({ valueSat: p.valueSat, script: p.addr.script })), ...(spec.extra ?? [])],
    };
    const span = writeTx(this.body, tx);
    const txid = txidOfSpan(this.body.buf, span);
    this.txids.push(txid);
    this.wtxids.push(span.segwit ? wtxidOfSpan(this.body.buf, span) : txid);
    this.builtTxids.push(txid);
    this.txCount++;
    this.inputs += tx.inputs.length;
    this.outputs += tx.outputs.length;
    this.feesSat += fee;
    const outs: BuiltTx['outs'] = [];
    payments.forEach((p, vout) => {
      this.outputValueSat += p.valueSat;
      const u = { txid, vout, valueSat: p.valueSat, addr: p.addr, height: this.height, coinbase: false, wallet: p.wallet };
      outs.push(u);
      if (!this.stale) {
        this.ledger.record(p.addr);
        p.wallet?.add(u);
      }
    });
    return { txid, outs, feeSat: fee };
  }


  /**
   * Builds the coinbase (BIP34 height push, extranonce, pool tag; BIP141 commitment when `segwit`),
   * pays subsidy + fees to `payTo`, and returns the serialized block and its hash.
   */
  finish(opts: {
    prevHash: Buffer;
    time: number;
    bits: number;
    version: number;
    subsidySat: number;
    payTo: Addr;
    payWallet: Wallet | null;
    tag: string;
  }): { block: Buffer; hash: Buffer; coinbaseTxid: Buffer; txids: Buffer[] } {
    const { rng } = this.ledger;
    const scriptSig = Buffer.concat([scriptNumPush(this.height), rng.bytes(rng.int(4, 8)), Buffer.from(opts.tag, 'latin1')]);
    const value = opts.subsidySat + this.feesSat;
    const outputs: TxOutput[] = [{ valueSat: value, script: opts.payTo.script }];
    if (this.segwit) {
      outputs.push({ valueSat: 0, script: witnessCommitmentScript([Buffer.alloc(32), ...this.wtxids], WITNESS_RESERVED_VALUE) });
    }
    const coinbase: TxData = {
      version: this.segwit ? 2 : 1,
      locktime: 0,
      inputs: [
        {
          prevTxid: Buffer.alloc(32),
          vout: 0xffffffff,
          scriptSig,
          sequence: 0xffffffff,
          witness: this.segwit ? [WITNESS_RESERVED_VALUE] : [],
        },
      ],
      outputs,
    };
    const cw = new ByteWriter(256);
    const span = writeTx(cw, coinbase);
    const coinbaseTxid = txidOfSpan(cw.buf, span);
    const txids = [coinbaseTxid, ...this.txids];
    const header = serializeHeader({
      version: opts.version,
      prevHash: opts.prevHash,
      merkleRoot: computeMerkleRoot(txids),
      time: opts.time,
      bits: opts.bits,
      nonce: rng.u32(),
    });
    const out = new ByteWriter(80 + 9 + span.end + this.body.pos);
    out.bytes(header);
    out.varint(1 + this.txCount);
    out.bytes(cw.buf.subarray(0, span.end));
    out.bytes(this.body.buf.subarray(0, this.body.pos));
    if (!this.stale) {
      const t = this.ledger.totals;
      t.transactions += 1 + this.txCount;
      t.inputs += 1 + this.inputs;
      t.coinbaseInputs += 1;
      t.outputs += outputs.length + this.outputs;
      t.outputValueSat += value + this.outputValueSat;
      this.ledger.record(opts.payTo);
      opts.payWallet?.add({ txid: coinbaseTxid, vout: 0, valueSat: value, addr: opts.payTo, height: this.height, coinbase: true });
    }
    return { block: out.toBuffer(), hash: sha256d(header), coinbaseTxid, txids };
  }
}
