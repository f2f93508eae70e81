/**
 * Transaction screening (KYT): for a transfer to or from a customer address, the risk of the counterparty
 * and of the source of funds, from the precomputed ScreeningIndex.
 *
 * - `direction: 'received'` (a deposit): counterparties are the input addresses (the customer's own and its
 *   cluster's excluded); the source-of-funds score is the value-weighted mean of their scores.
 * - `direction: 'sent'` (a withdrawal): counterparties are the output addresses outside the customer's
 *   cluster (change excluded); the destination score is the value-weighted mean over them.
 * - Without a customer address both sides are screened.
 * The transaction's score is the highest of: the riskiest counterparty, the value-weighted score.
 */
import { LedgerhoundError } from '../core/index.js';
import type { TxView } from '../store/index.js';
import { levelFor, type RuleSetInfo } from './rules.js';
import { type AddressRisk, checkAddress, type ScreeningIndex } from './ScreeningIndex.js';

export interface CounterpartyRisk {
  address: string;
  valueSat: number;
  score: number;
  level: AddressRisk['level'];
  risk: AddressRisk;
}

export interface SideRisk {
  /** Value-weighted mean score of the counterparties on this side. */
  weightedScore: number;
  maxScore: number;
  counterparties: CounterpartyRisk[];
}

export interface TxRisk {
  txid: string;
  height: number;
  customerAddress: string | null;
  direction: 'received' | 'sent' | 'both';
  score: number;
  level: AddressRisk['level'];
  /** Inputs' side: who paid and the risk of the funds (source of funds). */
  sourceOfFunds: SideRisk | null;
  /** Outputs' side: who was paid. */
  destination: SideRisk | null;
  ruleSet: RuleSetInfo;
}

/** txid syntax: 64 hex digits. */
export function checkTxid(txid: string): string {
  const t = txid.trim().toLowerCase();
  if (!/^[0-9a-f]{64}$/.test(t)) {
    throw new LedgerhoundError('LH_BAD_TXID', `"${txid.slice(0, 80)}" is not a txid: expected 64 hex digits, got ${txid.length} characters`, {
      details: { txid: txid.slice(0, 80) },
    });
  }
  return t;
}

function side(index: ScreeningIndex, entries: { address: string | null; value: number | null }[], exclude: (a: string) => boolean): SideRisk {
  const by = new Map<string, number>();
  for (const e of entries) {
    if (e.address === null || exclude(e.address)) continue;
    by.set(e.address, (by.get(e.address) ?? 0) + (e.value ?? 0));
  }
  const counterparties: CounterpartyRisk[] = [];
  let total = 0;
  let weighted = 0;
  let max = 0;
  for (const [address, valueSat] of by) {
    const risk = index.screenAddress(address);
    counterparties.push({ address, valueSat, score: risk.score, level: risk.level, risk });
    total += valueSat;
    weighted += valueSat * risk.score;
    if (risk.score > max) max = risk.score;
  }
  counterparties.sort((a, b) => b.score - a.score || b.valueSat - a.valueSat);
  return { weightedScore: total > 0 ? Math.round(weighted / total) : max, maxScore: max, counterparties };
}

/**
 * Screens a transaction (resolved by the store) for a customer.
 * @throws LedgerhoundError LH_BAD_ADDRESS / LH_USAGE when the customer address is invalid or not in the tx
 */
export function screenTransaction(
  index: ScreeningIndex,
  tx: TxView,
  opts: { customerAddress?: string | null; direction?: 'received' | 'sent' | null } = {},
): TxRisk {
  const customer = opts.customerAddress ? checkAddress(opts.customerAddress, index.network) : null;
  let direction: TxRisk['direction'] = opts.direction ?? 'both';
  const inInputs = customer !== null && tx.inputs.some((i) => i.address === customer);
  const inOutputs = customer !== null && tx.outputs.some((o) => o.address === customer);
  if (customer !== null) {
    if (!inInputs && !inOutputs) {
      throw new LedgerhoundError('LH_USAGE', `address ${customer} is neither an input nor an output of ${tx.txid}`, {
        details: { txid: tx.txid, address: customer },
      });
    }
    if (opts.direction == null) direction = inOutputs && !inInputs ? 'received' : inInputs && !inOutputs ? 'sent' : 'both';
  }
  const customerId = customer === null ? undefined : index.addressId(customer);
  const customerCluster = customerId === undefined ? null : index.storedClusterOf(customerId);
  const isCustomers = (a: string): boolean => {
    if (customer === null) return false;
    if (a === customer) return true;
    if (customerCluster === null) return false;
    const id = index.addressId(a);
    return id !== undefined && index.storedClusterOf(id) === customerCluster;
  };
  const source = direction === 'sent' ? null : side(index, tx.inputs.map((i) => ({ address: i.address, value: i.value })), isCustomers);
  const dest = direction === 'received' ? null : side(index, tx.outputs.map((o) => ({ address: o.address, value: o.value })), isCustomers);
  const score = Math.max(source?.maxScore ?? 0, source?.weightedScore ?? 0, dest?.maxScore ?? 0, dest?.weightedScore ?? 0);
  return {
    txid: tx.txid,
    height: tx.height,
    customerAddress: customer,
    direction,
    score,
    level: levelFor(index.rules, score),
    sourceOfFunds: source,
    destination: dest,
    ruleSet: index.rules.info,
  };
}
