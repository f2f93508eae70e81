import type { SdnAlias, SdnDigitalCurrencyAddress } from './types.js';

/**
 * Facts OFAC writes into the free-text Remarks of SDN.CSV (and SDN.XML `remarks`), items separated
 * by "; ": `DOB 12 Jun 1958`, `alt. DOB 1960 to 1962`, `nationality Korea, North`, `citizen Iran`,
 * `a.k.a. 'HIDDEN COBRA'` (low-quality "weak" aliases live only here), and
 * `alt. Digital Currency Address - XBT 1ABC…`.
 */
export interface RemarkFacts {
  aliases: Omit<SdnAlias, 'altNum'>[];
  digitalCurrencyAddresses: SdnDigitalCurrencyAddress[];
  birthYears: number[];
  countries: string[];
}

/** OFAC remark length limit in SDN.CSV; longer remarks continue in SDN_COMMENTS.CSV. */
export const OFAC_REMARKS_LIMIT = 1000;

const DCA = /Digital Currency Address - ([A-Za-z0-9]{2,12})\s+([^\s;]+)/g;
const ALIAS = /^(?:alt\.\s+)?(a\.k\.a\.|f\.k\.a\.|n\.k\.a\.)\s+'(.+)'$/;
const DOB = /^(?:alt\.\s+)?DOB\s+(.+)$/;
const NATIONALITY = /^(?:alt\.\s+)?(?:nationality|citizen)\s+(.+)$/;

/**
 * Extracts aliases, digital-currency addresses, birth years and countries from remarks.
 *
 * @param remarks full remarks (continuation already appended)
 * @param truncated true when the remarks were cut by OFAC and no continuation was found: the
 *   last item may then be partial, so an address ending exactly at the cut is not reported.
 */
export function parseRemarks(remarks: string, truncated = false): RemarkFacts {
  const facts: RemarkFacts = { aliases: [], digitalCurrencyAddresses: [], birthYears: [], countries: [] };
  const text = remarks.trim();
  if (text === '') return facts;
  const seenAddr = new Set<string>();
  for (const m of text.matchAll(DCA)) {
    const currency = (m[1] as string).toUpperCase();
    let address = m[2] as string;
    const endAt = (m.index ?? 0) + m[0].length;
    if (truncated && endAt >= text.length) continue;
    address = address.replace(/[.,)]+$/, '');
    if (address.length < 8) continue;
    const key = `${currency}:${address}`;
    if (seenAddr.has(key)) continue;
    seenAddr.add(key);
    facts.digitalCurrencyAddresses.push({ currency, address });
  }
  const items = text.replace(/\.$/, '').split(/;\s+/);
  const lastIndex = items.length - 1;
  items.forEach((raw, idx) => {
    const item = raw.trim().replace(/\.$/, '');
    if (truncated && idx === lastIndex) return;
    const a = ALIAS.exec(item);
    if (a) {
      const kind = a[1] === 'f.k.a.' ? 'fka' : a[1] === 'n.k.a.' ? 'nka' : 'aka';
      facts.aliases.push({ kind, name: (a[2] as string).trim(), quality: 'weak', source: 'remarks' });
      return;
    }
    const d = DOB.exec(item);
    if (d) {
      for (const y of yearsOf(d[1] as string)) if (!facts.birthYears.includes(y)) facts.birthYears.push(y);
      return;
    }
    const n = NATIONALITY.exec(item);
    if (n) {
      const c = (n[1] as string).trim();
      if (c && !facts.countries.includes(c)) facts.countries.push(c);
    }
  });
  return facts;
}

/** Years named in an OFAC date text: "12 Jun 1958", "1958", "circa 1960", "1957 to 1959". */
export function yearsOf(dateText: string): number[] {
  const ys = [...dateText.matchAll(/\b(1[89]\d\d|20\d\d)\b/g)].map((m) => Number(m[1]));
  if (ys.length === 2 && /\bto\b/.test(dateText)) {
    const [a, b] = ys as [number, number];
    if (b >= a && b - a <= 20) {
      const out: number[] = [];
      for (let y = a; y <= b; y++) out.push(y);
      return out;
    }
  }
  return [...new Set(ys)];
}
