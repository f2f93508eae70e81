/**
 * A scripted exchange hack laundered the way North Korea's Lazarus Group laundered the Youbit (2017)
 * and Bithumb (2018) thefts (US v. 280 Virtual Currency Accounts, 2020; OFAC action against Tian
 * Yinyin and Li Jiadong, March 2020): drain part of the hot wallet, peel chains, splitting into many
 * fresh addresses, a wait, CoinJoin rounds, consolidation, then deposits at other exchanges and an
 * OTC desk, with a few small payments to uninvolved people along the way.
 *
 * Schedule (blocks after the theft): 0 theft · 1–6 peel chains · 7 split · 8–20 innocent payments
 * · 11–16 CoinJoin rounds · 18 consolidation · 19–26 cash-outs.
 */
import { type Economy, type Exchange, roundAmount } from './economy.js';
import type { Addr } from './keys.js';
import { type BlockBuilder, type BuiltTx, DUST_SAT, type Entity, sweepFee, type Utxo, Wallet } from './ledger.js';
import type { Rng } from './Rng.js';
import type { TruthIncident } from './truth.js';

const hex = (txid: Buffer) => Buffer.from(txid).reverse().toString('hex');

export class Incident {
  readonly attacker: Entity;
  readonly wallet: Wallet;
  private heads: Utxo[] = [];
  private loose: Utxo[] = [];
  private cashOutAccounts: { x: Exchange | null; account: string }[] = [];
  readonly truth: TruthIncident;
  private theftHeight = -1;

  constructor(
    readonly id: number,
    readonly name: string,
    readonly economy: Economy,
    readonly victim: Exchange,
    readonly startHeight: number,
    private readonly rng: Rng,
    private readonly fraction: number,
  ) {
    this.attacker = economy.entity('attacker', `${name} attacker wallets (Lazarus Group)`);
    this.wallet = new Wallet(economy.ledger, this.attacker, victim.hot.type, false, { txVersion: 1, sequence: 0xffffffff, locktimeHeight: false });
    const others = economy.exchanges.filter((x) => x !== victim);
    const cashX = rng.shuffle(others.slice()).slice(0, Math.min(3, others.length));
    for (const x of cashX) for (let k = 0; k < 2; k++) this.cashOutAccounts.push({ x, account: `attacker${id}-${k}` });
    this.cashOutAccounts.push({ x: null, account: 'otc' });
    this.truth = {
      id,
      name,
      actor: 'Lazarus Group',
      victim: victim.id,
      attacker: this.attacker.id,
      theftHeight: -1,
      theftTxids: [],
      stolenSat: 0,
      thiefOutputs: [],
      cashOuts: [],
      coinjoinTxids: [],
      innocentPayments: [],
    };
  }

  private fresh(): Addr {
    return this.wallet.freshAddr();
  }

  /** Records the attacker's outputs of a transaction under `stage`. */
  private note(built: BuiltTx, stage: string): Utxo[] {
    const mine: Utxo[] = [];
    for (const o of built.outs) {
      if (o.addr.owner !== this.attacker.id) continue;
      mine.push(o);
      this.truth.thiefOutputs.push({ txid: hex(built.txid), vout: o.vout, address: o.addr.address, valueSat: o.valueSat, stage });
    }
    return mine;
  }

  private take(list: Utxo[]): Utxo[] {
    return this.wallet.takeUtxos(list);
  }

  /** Advances the incident by one block. */
  step(b: BlockBuilder, feeRate: number): void {
    if (b.height < this.startHeight) return;
    if (this.theftHeight < 0) {
      this.theft(b, feeRate);
      return;
    }
    const t = b.height - this.theftHeight;
    if (t >= 1 && t <= 6) this.peel(b, feeRate, t === 6 ? 1 : 2);
    if (t === 7) this.split(b, feeRate);
    if (t >= 8 && t <= 20 && t % 4 === 0) this.innocent(b, feeRate);
    if (t >= 11 && t <= 16 && t % 2 === 1) this.queueCoinJoin(b);
    if (t === 18) this.consolidate(b, feeRate);
    if (t >= 19 && t <= 26) this.cashOut(b, feeRate, t === 26);
  }

  private theft(b: BlockBuilder, feeRate: number): void {
    const hot = this.victim.hot;
    const available = hot.spendableSat(b.height);
    const target = Math.floor(available * this.fraction);
    if (target < 2 * 100_000_000 * 0.01) return; // wait until the hot wallet holds something worth stealing
    this.theftHeight = b.height;
    this.truth.theftHeight = b.height;
    const n = this.rng.int(2, 3);
    for (let i = 0; i < n; i++) {
      const v = roundAmount(target / n);
      const inputs = hot.select(v, feeRate, 80, b.height);
      if (inputs === null) break;
      const built = b.build({
        inputs,
        payments: [{ addr: this.fresh(), valueSat: v, wallet: this.wallet }],
        change: { addr: hot.receiveAddr(), wallet: hot },
        feeRate,
        style: hot.style,
        shuffleChange: false,
      });
      this.truth.theftTxids.push(hex(built.txid));
      this.truth.stolenSat += v;
      this.heads.push(...this.note(built, 'theft'));
    }
  }

  /** One peel hop per chain head: a small peel to a fresh address (sometimes an exchange), the rest onward. */
  private peel(b: BlockBuilder, feeRate: number, hops: number): void {
    for (let h = 0; h < hops; h++) {
      const next: Utxo[] = [];
      for (const head of this.take(this.heads.slice())) {
        const peelV = Math.floor(head.valueSat * this.rng.logUniform(0.02, 0.08));
        if (peelV < 10_000 || head.valueSat - peelV < 50_000) {
          this.wallet.add(head);
          next.push(head);
          continue;
        }
        const direct = this.rng.chance(0.2);
        const acct = this.rng.pick(this.cashOutAccounts);
        const peelTo = direct ? this.depositAddr(acct) : { addr: this.fresh(), wallet: this.wallet };
        const built = b.build({
          inputs: [head],
          payments: [{ addr: peelTo.addr, valueSat: peelV, wallet: peelTo.wallet }],
          change: { addr: this.fresh(), wallet: this.wallet },
          feeRate,
          style: this.wallet.style,
        });
        if (direct) this.noteCashOut(built, peelTo.addr);
        for (const o of this.note(built, 'peel')) {
          if (o.addr === peelTo.addr) this.loose.push(o);
          else next.push(o);
        }
      }
      this.heads = next;
    }
  }

  private depositAddr(acct: { x: Exchange | null; account: string }): { addr: Addr; wallet: Wallet } {
    if (acct.x === null) {
      const otc = this.economy.otc.wallet;
      return { addr: otc.receiveAddr(), wallet: otc };
    }
    return { addr: this.economy.depositAddress(acct.x, acct.account), wallet: acct.x.deposits };
  }

  private noteCashOut(built: BuiltTx, addr: Addr): void {
    for (const o of built.outs) {
      if (o.addr !== addr) continue;
      const e = this.economy.entities[addr.owner]!;
      this.truth.cashOuts.push({ txid: hex(built.txid), vout: o.vout, address: addr.address, valueSat: o.valueSat, entity: e.id, entityName: e.name });
    }
  }

  /** Each remaining chain head fans out into many fresh addresses of slightly different amounts. */
  private split(b: BlockBuilder, feeRate: number): void {
    for (const head of this.take(this.heads.slice())) {
      const n = this.rng.int(10, 25);
      const each = (head.valueSat * 0.97) / n;
      const payments = Array.from({ length: n }, () => ({ addr: this.fresh(), valueSat: Math.floor(each * this.rng.logUniform(0.85, 1.1)), wallet: this.wallet }));
      const sum = payments.reduce((s, p) => s + p.valueSat, 0);
      if (sum >= head.valueSat * 0.99) payments.pop();
      const built = b.build({ inputs: [head], payments, change: null, feeRate, style: this.wallet.style });
      this.loose.push(...this.note(built, 'split'));
    }
    this.heads = [];
  }

  /** A small payment to someone unrelated (victims of address poisoning, dust, purchases). */
  private innocent(b: BlockBuilder, feeRate: number): void {
    const src = this.loose.filter((u) => u.valueSat > 0.05 * 100_000_000)[0];
    if (src === undefined) return;
    this.take([src]);
    this.loose.splice(this.loose.indexOf(src), 1);
    const users = this.economy.users;
    const merchants = this.economy.merchants;
    const to = this.rng.chance(0.5) && merchants.length > 0 ? this.rng.pick(merchants).wallet : this.rng.pick(users).wallet;
    const v = roundAmount(this.rng.logUniform(0.001, 0.02) * 100_000_000);
    const addr = to.receiveAddr();
    const built = b.build({ inputs: [src], payments: [{ addr, valueSat: v, wallet: to }], change: { addr: this.fresh(), wallet: this.wallet }, feeRate, style: this.wallet.style });
    for (const o of built.outs) {
      if (o.addr === addr) this.truth.innocentPayments.push({ txid: hex(built.txid), vout: o.vout, address: addr.address, valueSat: o.valueSat, entity: to.entity.id });
    }
    this.loose.push(...this.note(built, 'innocent-change'));
  }

  /** Queues part of the split coins for the next CoinJoin round. */
  private queueCoinJoin(b: BlockBuilder): void {
    const cands = this.loose.filter((u) => u.height < b.height).slice(0, this.rng.int(2, 5));
    for (const u of this.take(cands)) {
      this.loose.splice(this.loose.indexOf(u), 1);
      this.economy.pendingCoinJoin.push({
        wallet: this.wallet,
        utxo: u,
        onOutputs: (outs, txid) => {
          const built: BuiltTx = { txid, outs, feeSat: 0 };
          this.note(built, 'coinjoin');
          const h = hex(txid);
          if (!this.truth.coinjoinTxids.includes(h)) this.truth.coinjoinTxids.push(h);
        },
      });
    }
  }

  /** Merges CoinJoin outputs with everything else the attacker holds into a few large outputs. */
  private consolidate(b: BlockBuilder, feeRate: number): void {
    const all = this.wallet.utxos.filter((u) => u.height < b.height);
    this.loose = [];
    const groups = Math.max(1, Math.min(4, Math.ceil(all.length / 12)));
    for (let g = 0; g < groups; g++) {
      const part = all.filter((_, i) => i % groups === g);
      if (part.length === 0) continue;
      const inputs = this.take(part);
      const total = inputs.reduce((s, u) => s + u.valueSat, 0);
      const fee = sweepFee(inputs, 34, feeRate);
      if (total - fee < DUST_SAT) {
        for (const u of inputs) this.wallet.add(u);
        continue;
      }
      const built = b.build({ inputs, payments: [{ addr: this.fresh(), valueSat: total - fee, wallet: this.wallet }], change: null, feeRate, style: this.wallet.style });
      this.note(built, 'consolidation');
    }
  }

  /** Deposits at the cash-out exchanges and the OTC desk; on the last step everything left goes. */
  private cashOut(b: BlockBuilder, feeRate: number, last: boolean): void {
    const pool = this.wallet.utxos.filter((u) => u.height < b.height);
    const picks = last ? pool : pool.slice(0, Math.max(1, Math.ceil(pool.length / 3)));
    for (const u of picks) {
      this.take([u]);
      const acct = this.rng.pick(this.cashOutAccounts);
      const dest = this.depositAddr(acct);
      const v = last ? 0 : roundAmount(u.valueSat * this.rng.logUniform(0.4, 0.9));
      if (v === 0 || v >= u.valueSat - 20_000) {
        const fee = sweepFee([u], 34, feeRate);
        if (u.valueSat - fee < DUST_SAT) {
          this.wallet.add(u);
          continue;
        }
        const built = b.build({ inputs: [u], payments: [{ addr: dest.addr, valueSat: u.valueSat - fee, wallet: dest.wallet }], change: null, feeRate, style: this.wallet.style });
        this.noteCashOut(built, dest.addr);
      } else {
        const built = b.build({ inputs: [u], payments: [{ addr: dest.addr, valueSat: v, wallet: dest.wallet }], change: { addr: this.fresh(), wallet: this.wallet }, feeRate, style: this.wallet.style });
        this.noteCashOut(built, dest.addr);
        this.note(built, 'cashout-change');
      }
    }
  }
}
