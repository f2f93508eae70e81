/**
 * The simulated economy: users, exchanges, mining pools, merchants, an OTC desk and a CoinJoin
 * coordinator, each with wallets and habits taken from the literature on Bitcoin clustering
 * (Meiklejohn et al. 2013 "A Fistful of Bitcoins"; Kappos et al. 2022 "How to Peel a Million"):
 * fresh change of the payer's type (mostly), address reuse by some, round payments with
 * non-round change, exchange deposit addresses swept into hot wallets, batched withdrawals,
 * pool payouts to many miners, and equal-output CoinJoins that a correct clusterer must not merge.
 */
import type { AddrType } from './keys.js';
import { nullDataScript } from './keys.js';
import { type BlockBuilder, type BuiltTx, DUST_SAT, type Entity, type Ledger, type Payment, sweepFee, type Utxo, Wallet, type WalletStyle } from './ledger.js';
import type { Rng } from './Rng.js';
import type { EntityType, TruthCoinJoin } from './truth.js';

export const COIN = 100_000_000;

/** Eras (fraction of the simulated history, 2009 → 2024) at which script types appear. */
export const ERA = { p2sh: 0.21, segwit: 0.555, coinjoin: 0.6, taproot: 0.83 } as const;

/** Address type of a wallet created at `era` (the mix shifts from P2PKH to segwit to taproot). */
export function addrTypeForEra(era: number, rng: Rng): AddrType {
  const table: [AddrType, number][] =
    era < ERA.p2sh
      ? [['p2pkh', 1]]
      : era < ERA.segwit
        ? [
            ['p2pkh', 0.86],
            ['p2sh-multisig', 0.14],
          ]
        : era < 0.65
          ? [
              ['p2pkh', 0.55],
              ['p2sh-p2wpkh', 0.25],
              ['p2wpkh', 0.12],
              ['p2sh-multisig', 0.08],
            ]
          : era < ERA.taproot
            ? [
                ['p2pkh', 0.3],
                ['p2sh-p2wpkh', 0.24],
                ['p2wpkh', 0.36],
                ['p2wsh', 0.04],
                ['p2sh-multisig', 0.06],
              ]
            : [
                ['p2pkh', 0.18],
                ['p2sh-p2wpkh', 0.14],
                ['p2wpkh', 0.45],
                ['p2tr', 0.17],
                ['p2wsh', 0.04],
                ['p2sh-multisig', 0.02],
              ];
  return table[rng.weighted(table.map((t) => t[1]))]![0];
}

/** Wallet software habits by era: old clients (v1, final sequence), Core (locktime), RBF wallets. */
export function styleForEra(era: number, rng: Rng): WalletStyle {
  if (era < 0.4 || rng.chance(0.2)) return { txVersion: 1, sequence: 0xffffffff, locktimeHeight: false };
  if (era < 0.6 || rng.chance(0.4)) return { txVersion: era < 0.6 ? 1 : 2, sequence: 0xfffffffe, locktimeHeight: true };
  return { txVersion: 2, sequence: 0xfffffffd, locktimeHeight: true };
}

/** Rounds to two significant digits: how people pick payment amounts (0.05, 0.12, 1.5 BTC). */
export function roundAmount(sat: number): number {
  if (sat < 1000) return Math.max(DUST_SAT, Math.round(sat));
  const m = 10 ** (Math.floor(Math.log10(sat)) - 1);
  return Math.round(sat / m) * m;
}

export interface User extends Entity {
  wallet: Wallet;
  exchange: Exchange;
  miner: boolean;
}

export interface Exchange extends Entity {
  hot: Wallet;
  cold: Wallet;
  deposits: Wallet;
  /** Deposit address of each customer account (reused for that customer), keyed by account. */
  depositAddr: Map<string, import('./keys.js').Addr>;
  depositType: AddrType;
  /** Some exchanges hand out a fresh deposit address for each deposit. */
  freshDeposits: boolean;
  lastSweep: number;
  popularity: number;
}

export interface Pool extends Entity {
  wallet: Wallet;
  coinbaseAddr: import('./keys.js').Addr;
  tag: string;
  miners: User[];
}

export interface Merchant extends Entity {
  wallet: Wallet;
  exchange: Exchange;
}

export interface Service extends Entity {
  wallet: Wallet;
}

const EXCHANGE_NAMES = [
  'Hanbyeol Exchange',
  'Orion Exchange',
  'Nimbus Exchange',
  'Sable Exchange',
  'Kestrel Exchange',
  'Baekdu Exchange',
  'Lumen Exchange',
  'Tidewater Exchange',
  'Quarry Exchange',
  'Vireo Exchange',
  'Juniper Exchange',
  'Cobalt Exchange',
];
const POOL_NAMES = ['DeepPool', 'HashHarbor', 'Ant Hill Pool', 'SlushFund Pool', 'F3Pool', 'ViaVia', 'Poolin Pals', 'BraiinsLike'];

export interface EconomySize {
  users: number;
  exchanges: number;
  pools: number;
  merchants: number;
  soloMiners: number;
  /** Blocks between CoinJoin rounds. */
  coinjoinEvery: number;
}

/** Per-activity weights of the ordinary transaction mix. */
const ACTIVITIES = [
  ['pay', 45],
  ['deposit', 12],
  ['withdraw', 7],
  ['merchant', 6],
  ['consolidate', 3],
  ['otc', 2],
  ['minerSell', 4],
] as const;

export class Economy {
  readonly entities: Entity[] = [];
  readonly users: User[] = [];
  readonly miners: User[] = [];
  readonly exchanges: Exchange[] = [];
  readonly pools: Pool[] = [];
  readonly soloMiners: Service[] = [];
  readonly merchants: Merchant[] = [];
  readonly otc: Service;
  readonly coordinator: Service;
  private readonly activityWeights = ACTIVITIES.map((a) => a[1]);
  /** CoinJoin inputs queued by others (the attacker) for the next round. */
  pendingCoinJoin: { wallet: Wallet; utxo: Utxo; onOutputs: (outs: BuiltTx['outs'], txid: Buffer) => void }[] = [];
  readonly coinjoinTxs: Buffer[] = [];

  constructor(
    readonly ledger: Ledger,
    readonly rng: Rng,
    readonly size: EconomySize,
  ) {
    for (let i = 0; i < size.soloMiners; i++) {
      const e = this.entity('miner', `Early solo miner ${i + 1}`);
      this.soloMiners.push({ ...e, wallet: new Wallet(ledger, e, 'p2pk', false, { txVersion: 1, sequence: 0xffffffff, locktimeHeight: false }) });
    }
    for (let i = 0; i < size.exchanges; i++) {
      const e = this.entity('exchange', EXCHANGE_NAMES[i % EXCHANGE_NAMES.length]! + (i >= EXCHANGE_NAMES.length ? ` ${i}` : ''));
      const style: WalletStyle = { txVersion: 1, sequence: 0xffffffff, locktimeHeight: false };
      const hot = new Wallet(ledger, e, 'p2pkh', rng.chance(0.5), style);
      const cold = new Wallet(ledger, e, 'p2sh-multisig', true, style);
      const deposits = new Wallet(ledger, e, 'p2pkh', false, style);
      // The first exchange (the usual victim) is the most popular, as Youbit/Bithumb were in their market.
      this.exchanges.push({ ...e, hot, cold, deposits, depositAddr: new Map(), depositType: 'p2pkh', freshDeposits: rng.chance(0.3), lastSweep: 0, popularity: i === 0 ? 3 : 1 + rng.float() });
    }
    for (let i = 0; i < size.pools; i++) {
      const e = this.entity('pool', POOL_NAMES[i % POOL_NAMES.length]! + (i >= POOL_NAMES.length ? ` ${i}` : ''));
      const wallet = new Wallet(ledger, e, 'p2pkh', true, { txVersion: 1, sequence: 0xffffffff, locktimeHeight: false });
      this.pools.push({ ...e, wallet, coinbaseAddr: wallet.receiveAddr(), tag: `/${e.name}/`, miners: [] });
    }
    const otcE = this.entity('otc', 'Harbor OTC desk');
    this.otc = { ...otcE, wallet: new Wallet(ledger, otcE, 'p2pkh', true, { txVersion: 1, sequence: 0xffffffff, locktimeHeight: false }) };
    const cjE = this.entity('coinjoin', 'Mixwell CoinJoin coordinator');
    this.coordinator = { ...cjE, wallet: new Wallet(ledger, cjE, 'p2pkh', true, { txVersion: 1, sequence: 0xffffffff, locktimeHeight: false }) };
  }

  /** Registers a new entity (and writes it to the truth). */
  entity(type: EntityType, name: string): Entity {
    const e: Entity = { id: this.entities.length, type, name };
    this.entities.push(e);
    this.ledger.truth.entity(e);
    return e;
  }

  private pickExchange(exclude?: Exchange): Exchange {
    const cands = this.exchanges.filter((x) => x !== exclude);
    return cands[this.rng.weighted(cands.map((x) => x.popularity))]!;
  }

  /** Grows the population toward its size at `progress` (0..1) of the simulated history. */
  grow(progress: number, era: number): void {
    const target = Math.max(10, Math.floor(this.size.users * (0.05 + 0.95 * progress)));
    while (this.users.length < target) {
      const n = this.users.length;
      const miner = this.rng.chance(0.15);
      const e = this.entity('user', `${miner ? 'Miner' : 'User'} ${n + 1}`);
      const wallet = new Wallet(this.ledger, e, addrTypeForEra(era, this.rng), this.rng.chance(0.12), styleForEra(era, this.rng));
      const u: User = { ...e, wallet, exchange: this.pickExchange(), miner };
      this.users.push(u);
      if (miner) {
        this.miners.push(u);
        this.rng.pick(this.pools).miners.push(u);
      }
    }
    const merchantTarget = Math.max(3, Math.floor(this.size.merchants * (0.1 + 0.9 * progress)));
    while (this.merchants.length < merchantTarget) {
      const e = this.entity('merchant', `Merchant ${this.merchants.length + 1}`);
      const wallet = new Wallet(this.ledger, e, addrTypeForEra(era, this.rng) === 'p2pkh' ? 'p2pkh' : 'p2sh-p2wpkh', false, styleForEra(era, this.rng));
      if (era < ERA.segwit) wallet.type = 'p2pkh';
      this.merchants.push({ ...e, wallet, exchange: this.pickExchange() });
    }
  }

  /** Exchanges, pools and services move to newer address types as the eras pass. */
  upgrade(era: number): void {
    for (const x of this.exchanges) {
      const t: AddrType = era < ERA.segwit ? 'p2pkh' : era < 0.7 ? 'p2sh-p2wpkh' : 'p2wpkh';
      x.depositType = t;
      x.hot.type = t;
      x.cold.type = era < ERA.segwit ? 'p2sh-multisig' : 'p2wsh';
      if (era >= 0.6) x.hot.style = { txVersion: 2, sequence: 0xfffffffd, locktimeHeight: false };
    }
    for (const p of this.pools) {
      const t: AddrType = era < 0.7 ? 'p2pkh' : 'p2wpkh';
      if (p.wallet.type !== t) {
        p.wallet.type = t;
        p.coinbaseAddr = p.wallet.receiveAddr();
      }
    }
    if (era >= ERA.segwit) {
      this.otc.wallet.type = 'p2sh-p2wpkh';
      this.coordinator.wallet.type = 'p2wpkh';
    }
  }

  /** Who gets the coinbase: early solo miners (P2PK), then pools. */
  coinbaseRecipient(era: number): { addr: import('./keys.js').Addr; wallet: Wallet; tag: string } {
    if (era < 0.08 || this.pools.length === 0) {
      const m = this.rng.pick(this.soloMiners);
      return { addr: m.wallet.freshAddr('p2pk'), wallet: m.wallet, tag: '' };
    }
    if (era < 0.15 && this.rng.chance(0.5)) {
      const m = this.rng.pick(this.soloMiners);
      return { addr: m.wallet.freshAddr(era < 0.12 ? 'p2pk' : 'p2pkh'), wallet: m.wallet, tag: '' };
    }
    const p = this.pools[this.rng.weighted(this.pools.map((_, i) => 1 / (i + 1)))]!;
    return { addr: p.coinbaseAddr, wallet: p.wallet, tag: p.tag };
  }

  /** The deposit address of `account` at exchange `x` (reused, or fresh per deposit at some exchanges). */
  depositAddress(x: Exchange, account: string): import('./keys.js').Addr {
    if (x.freshDeposits) return this.ledger.keys.create(x.depositType, x.id);
    let a = x.depositAddr.get(account);
    if (a === undefined) {
      a = this.ledger.keys.create(x.depositType, x.id);
      x.depositAddr.set(account, a);
    }
    return a;
  }

  /**
   * One payment from `from` with coin selection and change. Returns null (nothing spent) when the
   * wallet cannot cover it.
   */
  pay(b: BlockBuilder, from: Wallet, payments: Payment[], feeRate: number, opts: { opReturn?: boolean; maxInputs?: number } = {}): BuiltTx | null {
    let total = 0;
    let outV = 40;
    for (const p of payments) {
      total += p.valueSat;
      outV += 9 + p.addr.script.length;
    }
    const inputs = from.select(total, feeRate, outV, b.height, opts.maxInputs);
    if (inputs === null) return null;
    const change = { addr: from.reuse ? from.receiveAddr() : from.freshAddr(), wallet: from };
    const extra = opts.opReturn ? [{ valueSat: 0, script: nullDataScript(this.rng.bytes(this.rng.int(20, 40))) }] : [];
    return b.build({ inputs, payments, change, feeRate, style: from.style, extra });
  }

  /** A payment amount for a wallet holding `balanceSat`: round (mostly) and at most half of it. */
  amount(balanceSat: number): number {
    const raw = Math.min(balanceSat * 0.5, this.rng.logUniform(0.0005 * COIN, 8 * COIN));
    return this.rng.chance(0.7) ? roundAmount(raw) : Math.floor(raw);
  }

  private userPays(b: BlockBuilder, feeRate: number, era: number): boolean {
    const u = this.rng.pick(this.users);
    if (u.wallet.balanceSat < 20_000) return false;
    // Sometimes a wallet upgrades to the newest address type: its change then differs in type from old coins.
    if (this.rng.chance(0.02)) u.wallet.type = addrTypeForEra(era, this.rng);
    const value = this.amount(u.wallet.balanceSat);
    if (value < DUST_SAT * 4) return false;
    let to: Payment;
    const r = this.rng.float();
    if (r < 0.6 && this.merchants.length > 0) {
      const m = this.rng.pick(this.merchants);
      to = { addr: m.wallet.receiveAddr(), valueSat: value, wallet: m.wallet };
    } else if (r < 0.603 && era > 0.2 && era < 0.6) {
      const v = this.rng.pick(this.users);
      to = { addr: v.wallet.freshAddr('multisig'), valueSat: value, wallet: v.wallet };
    } else {
      const v = this.rng.pick(this.users);
      to = { addr: v.wallet.receiveAddr(), valueSat: value, wallet: v.wallet };
    }
    return this.pay(b, u.wallet, [to], feeRate, { opReturn: era > 0.3 && this.rng.chance(0.01) }) !== null;
  }

  private userDeposits(b: BlockBuilder, feeRate: number, minerOnly: boolean): boolean {
    const pool = minerOnly ? this.miners : this.users;
    if (pool.length === 0) return false;
    const u = this.rng.pick(pool);
    if (u.wallet.balanceSat < 50_000) return false;
    const x = this.rng.chance(0.85) ? u.exchange : this.pickExchange();
    const value = this.rng.chance(0.3) ? Math.floor(u.wallet.balanceSat * 0.9) : this.amount(u.wallet.balanceSat);
    if (value < DUST_SAT * 4) return false;
    const addr = this.depositAddress(x, `u${u.id}`);
    return this.pay(b, u.wallet, [{ addr, valueSat: value, wallet: x.deposits }], feeRate) !== null;
  }

  /** A batched withdrawal: one hot-wallet transaction paying several customers, change back to hot. */
  private withdraw(b: BlockBuilder, feeRate: number): boolean {
    const x = this.pickExchange();
    const budget = x.hot.spendableSat(b.height) * 0.2;
    if (budget < 0.01 * COIN) return false;
    const n = this.rng.chance(0.4) ? 1 : this.rng.int(2, 30);
    const payments: Payment[] = [];
    let sum = 0;
    for (let i = 0; i < n; i++) {
      const u = this.rng.pick(this.users);
      let v = this.rng.logUniform(0.002 * COIN, 3 * COIN);
      v = this.rng.chance(0.5) ? roundAmount(v) : Math.floor(v);
      if (sum + v > budget) break;
      sum += v;
      payments.push({ addr: u.wallet.receiveAddr(), valueSat: v, wallet: u.wallet });
    }
    if (payments.length === 0) return false;
    const inputs = x.hot.select(sum, feeRate, payments.length * 34 + 34, b.height);
    if (inputs === null) return false;
    const change = { addr: x.hot.receiveAddr(), wallet: x.hot };
    b.build({ inputs, payments, change, feeRate, style: x.hot.style, shuffleChange: false });
    return true;
  }

  private merchantActs(b: BlockBuilder, feeRate: number): boolean {
    if (this.merchants.length === 0) return false;
    const m = this.rng.pick(this.merchants);
    if (m.wallet.balanceSat < 100_000) return false;
    const r = this.rng.float();
    if (r < 0.5) {
      // Cash out: sweep everything (many inputs) into the merchant's exchange deposit address.
      const inputs = m.wallet.takeUtxos(m.wallet.utxos.filter((u) => m.wallet.spendable(u, b.height)).slice(0, 80));
      if (inputs.length === 0) return false;
      const total = inputs.reduce((s, u) => s + u.valueSat, 0);
      const fee = sweepFee(inputs, 34, feeRate);
      if (total - fee < DUST_SAT) {
        for (const u of inputs) m.wallet.add(u);
        return false;
      }
      const addr = this.depositAddress(m.exchange, `m${m.id}`);
      b.build({ inputs, payments: [{ addr, valueSat: total - fee, wallet: m.exchange.deposits }], change: null, feeRate, style: m.wallet.style });
      return true;
    }
    if (r < 0.8) {
      const v = this.rng.pick(this.users);
      const value = this.amount(m.wallet.balanceSat);
      return this.pay(b, m.wallet, [{ addr: v.wallet.receiveAddr(), valueSat: value, wallet: v.wallet }], feeRate) !== null;
    }
    return this.consolidate(b, m.wallet, feeRate);
  }

  /** Merges many small UTXOs of one wallet into one fresh output of the same owner. */
  consolidate(b: BlockBuilder, w: Wallet, feeRate: number): boolean {
    const cands = w.utxos.filter((u) => w.spendable(u, b.height));
    if (cands.length < 3) return false;
    const inputs = w.takeUtxos(cands.slice(0, 40));
    const total = inputs.reduce((s, u) => s + u.valueSat, 0);
    const fee = sweepFee(inputs, 34, feeRate);
    if (total - fee < DUST_SAT) {
      for (const u of inputs) w.add(u);
      return false;
    }
    b.build({ inputs, payments: [{ addr: w.freshAddr(), valueSat: total - fee, wallet: w }], change: null, feeRate, style: w.style });
    return true;
  }

  private otcTrade(b: BlockBuilder, feeRate: number): boolean {
    const u = this.rng.pick(this.users);
    if (this.rng.chance(0.5) && u.wallet.balanceSat > 0.5 * COIN) {
      const value = roundAmount(u.wallet.balanceSat * 0.5);
      return this.pay(b, u.wallet, [{ addr: this.otc.wallet.receiveAddr(), valueSat: value, wallet: this.otc.wallet }], feeRate) !== null;
    }
    if (this.otc.wallet.balanceSat > 0.2 * COIN) {
      const value = roundAmount(this.otc.wallet.balanceSat * this.rng.float() * 0.3);
      if (value < 10_000) return false;
      return this.pay(b, this.otc.wallet, [{ addr: u.wallet.freshAddr(), valueSat: value, wallet: u.wallet }], feeRate) !== null;
    }
    return false;
  }

  /** Pools pay their miners from matured coinbases: one transaction, many outputs. */
  poolPayouts(b: BlockBuilder, feeRate: number): void {
    for (const p of this.pools) {
      if (p.miners.length === 0) continue;
      const mature = p.wallet.utxos.filter((u) => p.wallet.spendable(u, b.height));
      if (mature.length === 0) continue;
      const inputs = p.wallet.takeUtxos(mature.slice(0, 20));
      const total = inputs.reduce((s, u) => s + u.valueSat, 0);
      const n = Math.min(p.miners.length + 3, this.rng.int(5, 120));
      const payout = total * 0.97;
      const weights = Array.from({ length: n }, () => this.rng.logUniform(1, 50));
      const wsum = weights.reduce((s, w) => s + w, 0);
      const payments: Payment[] = [];
      for (let i = 0; i < n; i++) {
        const v = Math.floor((payout * weights[i]!) / wsum);
        if (v < DUST_SAT * 2) continue;
        const miner = this.rng.pick(p.miners.length > 0 ? p.miners : this.users);
        // Some miners point their payouts straight at an exchange deposit address.
        if (this.rng.chance(0.15)) {
          payments.push({ addr: this.depositAddress(miner.exchange, `u${miner.id}`), valueSat: v, wallet: miner.exchange.deposits });
        } else {
          payments.push({ addr: miner.wallet.receiveAddr(), valueSat: v, wallet: miner.wallet });
        }
      }
      b.build({ inputs, payments, change: { addr: p.wallet.receiveAddr(), wallet: p.wallet }, feeRate, style: p.wallet.style, shuffleChange: false });
    }
  }

  /** Early miners sell coins to exchanges (P2PK coinbases spent into deposit addresses). */
  soloMinersSell(b: BlockBuilder, feeRate: number): void {
    for (const m of this.soloMiners) {
      if (!this.rng.chance(0.3)) continue;
      const x = this.pickExchange();
      const value = Math.floor(m.wallet.spendableSat(b.height) * this.rng.float() * 0.6);
      if (value < COIN) continue;
      this.pay(b, m.wallet, [{ addr: this.depositAddress(x, `s${m.id}`), valueSat: value, wallet: x.deposits }], feeRate);
    }
  }

  /** Exchanges sweep deposit addresses into the hot wallet and balance hot against cold. */
  exchangeHousekeeping(b: BlockBuilder, feeRate: number): void {
    for (const x of this.exchanges) {
      const ready = x.deposits.utxos.filter((u) => x.deposits.spendable(u, b.height));
      if (ready.length >= 10 || (ready.length > 0 && b.height - x.lastSweep >= 4)) {
        const inputs = x.deposits.takeUtxos(ready.slice(0, 150));
        const total = inputs.reduce((s, u) => s + u.valueSat, 0);
        const fee = sweepFee(inputs, 34, feeRate);
        if (total - fee >= DUST_SAT) {
          b.build({ inputs, payments: [{ addr: x.hot.receiveAddr(), valueSat: total - fee, wallet: x.hot }], change: null, feeRate, style: x.hot.style });
          x.lastSweep = b.height;
        } else {
          for (const u of inputs) x.deposits.add(u);
        }
      }
      const hot = x.hot.spendableSat(b.height);
      const cold = x.cold.spendableSat(b.height);
      const total = hot + cold;
      if (hot > 0.7 * total && hot > 50 * COIN) {
        const v = roundAmount(hot * 0.5);
        this.pay(b, x.hot, [{ addr: x.cold.receiveAddr(), valueSat: v, wallet: x.cold }], feeRate);
      } else if (hot < 0.15 * total && cold > 10 * COIN) {
        const v = roundAmount(total * 0.3);
        if (v < cold) this.pay(b, x.cold, [{ addr: x.hot.receiveAddr(), valueSat: v, wallet: x.hot }], feeRate);
      }
    }
  }

  /**
   * A CoinJoin round (Wasabi/Whirlpool-like): inputs from many owners, equal-denomination outputs to
   * fresh P2WPKH addresses of each participant (their wallet's type before segwit), each participant's
   * change, the coordinator's fee.
   * Queued inputs (the attacker's) join too. Returns the truth record, or null when too few joined.
   */
  coinjoinRound(b: BlockBuilder, feeRate: number, era: number): TruthCoinJoin | null {
    const denoms = [0.01, 0.05, 0.1, 0.5].map((d) => d * COIN);
    const queued = this.pendingCoinJoin;
    this.pendingCoinJoin = [];
    let denom: number;
    if (queued.length > 0) {
      const minQueued = Math.min(...queued.map((q) => q.utxo.valueSat));
      denom = denoms.filter((d) => d * 1.2 < minQueued).pop() ?? denoms[0]!;
    } else denom = this.rng.pick(denoms);
    const perInputFee = Math.ceil(feeRate * 110);
    const coordFee = Math.floor(denom * 0.003);
    type Part = { wallet: Wallet; utxos: Utxo[]; k: number; onOutputs?: (outs: BuiltTx['outs'], txid: Buffer) => void };
    const parts: Part[] = [];
    for (const q of queued) {
      const k = Math.min(5, Math.floor((q.utxo.valueSat - perInputFee - coordFee) / denom));
      if (k >= 1) parts.push({ wallet: q.wallet, utxos: [q.utxo], k, onOutputs: q.onOutputs });
      else q.wallet.add(q.utxo);
    }
    const want = this.rng.int(5, 30);
    const seen = new Set<number>();
    for (let tries = 0; tries < want * 6 && parts.length < want + queued.length; tries++) {
      const u = this.rng.pick(this.users);
      if (seen.has(u.id)) continue;
      seen.add(u.id);
      const need = denom + coordFee + 2 * perInputFee + DUST_SAT;
      if (u.wallet.spendableSat(b.height) < need * 1.5) continue;
      const utxos = u.wallet.select(need, feeRate, 0, b.height, 3);
      if (utxos === null) continue;
      const v = utxos.reduce((s, x) => s + x.valueSat, 0);
      const k = Math.max(1, Math.min(3, Math.floor((v - perInputFee * utxos.length - coordFee) / denom)));
      parts.push({ wallet: u.wallet, utxos, k });
    }
    const owners = new Set(parts.map((p) => p.wallet.entity.id));
    if (parts.length < 3 || owners.size < 2) {
      for (const p of parts) for (const u of p.utxos) p.wallet.add(u);
      return null;
    }
    const inputs: Utxo[] = [];
    const payments: Payment[] = [];
    const changes: Payment[] = [];
    const ownerOf = new Map<Payment, Part>();
    let equal = 0;
    for (const p of parts) {
      const v = p.utxos.reduce((s, x) => s + x.valueSat, 0);
      inputs.push(...p.utxos);
      for (let i = 0; i < p.k; i++) {
        const pay = { addr: p.wallet.freshAddr(era >= ERA.segwit ? 'p2wpkh' : p.wallet.type), valueSat: denom, wallet: p.wallet };
        payments.push(pay);
        ownerOf.set(pay, p);
        equal++;
      }
      const change = v - p.k * denom - coordFee - perInputFee * p.utxos.length - 40 * feeRate;
      if (change >= DUST_SAT * 2) {
        const pay = { addr: p.wallet.freshAddr(era >= ERA.segwit ? 'p2wpkh' : p.wallet.type), valueSat: Math.floor(change), wallet: p.wallet };
        changes.push(pay);
        ownerOf.set(pay, p);
      }
    }
    this.rng.shuffle(inputs);
    this.rng.shuffle(changes);
    const coordOut: Payment = { addr: this.coordinator.wallet.receiveAddr(), valueSat: coordFee * parts.length, wallet: this.coordinator.wallet };
    const all = [...payments, ...changes, coordOut];
    const built = b.build({ inputs, payments: all, change: null, feeRate, style: { txVersion: 1, sequence: 0xffffffff, locktimeHeight: false } });
    const notified = new Set<Wallet>();
    for (const p of parts) {
      if (p.onOutputs && !notified.has(p.wallet)) {
        notified.add(p.wallet);
        p.onOutputs(
          built.outs.filter((o) => o.wallet === p.wallet),
          built.txid,
        );
      }
    }
    this.coinjoinTxs.push(built.txid);
    return {
      txid: Buffer.from(built.txid).reverse().toString('hex'),
      height: b.height,
      denominationSat: denom,
      equalOutputs: equal,
      inputs: inputs.map((u) => ({ address: u.addr.address, entity: u.addr.owner, valueSat: u.valueSat })),
    };
  }

  /** Fills the block with ordinary activity up to `budget` transactions. */
  ordinary(b: BlockBuilder, budget: number, feeRate: number, era: number): void {
    let made = 0;
    for (let attempts = 0; made < budget && attempts < budget * 4; attempts++) {
      const kind = ACTIVITIES[this.rng.weighted(this.activityWeights)]![0];
      const rate = Math.max(1, feeRate * this.rng.logUniform(0.5, 2));
      let ok = false;
      switch (kind) {
        case 'pay':
          ok = this.userPays(b, rate, era);
          break;
        case 'deposit':
          ok = this.userDeposits(b, rate, false);
          break;
        case 'minerSell':
          ok = this.userDeposits(b, rate, true);
          break;
        case 'withdraw':
          ok = this.withdraw(b, rate);
          break;
        case 'merchant':
          ok = this.merchantActs(b, rate);
          break;
        case 'consolidate': {
          const u = this.rng.pick(this.users);
          ok = u.wallet.utxos.length >= 4 && this.consolidate(b, u.wallet, rate);
          break;
        }
        case 'otc':
          ok = this.otcTrade(b, rate);
          break;
      }
      if (ok) made++;
    }
  }
}
