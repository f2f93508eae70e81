/**
 * The one-paragraph plain-language summary of a trace result (what an investigator pastes into a report).
 * It names the policy, how much was traced, where it went (or came from), what is still unspent, what went
 * to fees and through mixing, and which limits cut the walk short.
 */
import type { TraceResult } from './schema.js';

/** Satoshis as BTC with up to 8 decimals, trailing zeros trimmed. */
export function formatBtc(sat: number): string {
  const s = (Math.round(sat) / 1e8).toFixed(8).replace(/0+$/, '').replace(/\.$/, '');
  return `${s} BTC`;
}

const POLICY_LABEL: Record<TraceResult['policy']['name'], string> = { poison: 'poison', haircut: 'haircut', fifo: 'FIFO' };

const pct = (part: number, whole: number) => (whole > 0 ? `${Math.round((100 * part) / whole)}%` : '0%');

/** The summary paragraph of `r` (deterministic: same result, same text). */
export function summarize(r: TraceResult): string {
  const t = r.totals;
  const parts: string[] = [];
  const starts = r.starts.filter((s) => s.excluded === null);
  const startTx = [...new Set(starts.map((s) => s.txid))];
  const fromText =
    startTx.length === 1 ? `transaction ${startTx[0]}` : `${startTx.length} transactions`;
  const policyText = `the ${POLICY_LABEL[r.policy.name]} policy`;
  const policyRule = `Under ${POLICY_LABEL[r.policy.name]}, ${r.policy.definition.split(':').slice(1).join(':').trim()}.`;
  if (r.direction === 'forward') {
    parts.push(
      `Forward trace of ${formatBtc(t.startSat)} in ${starts.length} output${starts.length === 1 ? '' : 's'} of ${fromText}${r.query.incident ? ` (incident ${r.query.incident})` : ''}, under ${policyText}, up to ${r.query.maxHops} hops. ${policyRule}`,
    );
    if (r.endpoints.length > 0) {
      const top = r.endpoints.slice(0, 4).map((e) => {
        const range = e.minHops === e.maxHops ? `${e.minHops} hop${e.minHops === 1 ? '' : 's'}` : `${e.minHops}–${e.maxHops} hops`;
        return `${e.entity.label} (${e.entity.category}) ${formatBtc(e.tracedSat)} in ${e.outputs} deposit${e.outputs === 1 ? '' : 's'}, ${e.firstTime.slice(0, 10)} to ${e.lastTime.slice(0, 10)}, ${range} away`;
      });
      const more = r.endpoints.length > 4 ? ` and ${r.endpoints.length - 4} more` : '';
      parts.push(
        `${formatBtc(t.endpointSat)} (${pct(t.endpointSat, t.startSat)}) reached ${r.endpoints.length} ${r.endpoints.length === 1 ? 'entity' : 'entities'} where the walk stops: ${top.join('; ')}${more}.`,
      );
    } else {
      parts.push('None of it reached a labelled entity in the stop categories.');
    }
    if (t.unspentSat > 0) {
      parts.push(`${formatBtc(t.unspentSat)} (${pct(t.unspentSat, t.startSat)}) is still unspent in ${r.unspent.count} output${r.unspent.count === 1 ? '' : 's'}${r.unspent.outputs[0]?.address ? `, the largest at ${r.unspent.outputs[0].address}` : ''}.`);
    }
  } else {
    parts.push(
      `Backward trace of ${formatBtc(t.startSat)} in ${starts.length} output${starts.length === 1 ? '' : 's'} of ${fromText}, under ${policyText}, up to ${r.query.maxHops} hops. ${policyRule}`,
    );
    if (r.endpoints.length > 0) {
      const top = r.endpoints.slice(0, 4).map((e) => `${e.entity.label} (${e.entity.category}) ${formatBtc(e.tracedSat)}`);
      parts.push(`${formatBtc(t.endpointSat)} (${pct(t.endpointSat, t.startSat)}) came from ${r.endpoints.length} labelled ${r.endpoints.length === 1 ? 'entity' : 'entities'}: ${top.join('; ')}.`);
    } else {
      parts.push('None of it came from a labelled entity in the stop categories.');
    }
    if (t.coinbaseSat > 0) parts.push(`${formatBtc(t.coinbaseSat)} comes from newly mined coins (coinbase).`);
  }
  if (t.feeSat > 0) parts.push(`${formatBtc(t.feeSat)} went to miners as fees.`);
  if (t.mixedSat > 0) {
    parts.push(
      `${formatBtc(t.mixedSat)} passed through ${r.coinjoin.txs.length} detected CoinJoin transaction${r.coinjoin.txs.length === 1 ? '' : 's'}; every hop after them is flagged mixed, and ${formatBtc(t.mixedEndpointSat)} of the endpoint value arrived that way, so attribution past the mixing is only as good as the policy's assumption.`,
    );
  }
  if (t.belowMinSat > 0) parts.push(`${formatBtc(t.belowMinSat)} was left in outputs below the minimum of ${formatBtc(r.query.minValueSat)}.`);
  if (!r.limits.complete || t.stoppedSat > 0) {
    const why = r.limits.hit.filter((h) => h !== 'min-value').join(', ');
    parts.push(`The walk is incomplete: ${formatBtc(t.stoppedSat)} was left where ${why || 'a limit'} stopped it.`);
  }
  if (!r.policy.conserving) parts.push('Poison amounts are an upper bound and do not add up to the traced value.');
  return parts.join(' ');
}
