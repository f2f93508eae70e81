import { ParseError } from '../../../core/index.js';
import type { SdnDigitalCurrencyAddress } from './types.js';

/** File names of the plain per-currency lists: `sanctioned_addresses_XBT.txt` / `.json`. */
export const ADDRESS_LIST_NAME = /^sanctioned_addresses_([A-Za-z0-9]+)\.(txt|json)$/i;

/**
 * Reads a plain per-currency list (one address a line, or a JSON array of strings) as published
 * by 0xB10C/ofac-sanctioned-digital-currency-addresses from SDN_ADVANCED.XML.
 *
 * @throws ParseError naming the line (txt) or array index (json) of a malformed value
 */
export function readAddressList(content: string, file: string, currency: string, format: 'txt' | 'json'): SdnDigitalCurrencyAddress[] {
  const out: SdnDigitalCurrencyAddress[] = [];
  const seen = new Set<string>();
  const push = (address: string) => {
    if (!seen.has(address)) {
      seen.add(address);
      out.push({ currency, address });
    }
  };
  if (format === 'json') {
    let data: unknown;
    try {
      data = JSON.parse(content);
    } catch (cause) {
      const m = /position (\d+)/.exec(String(cause));
      const pos = m ? Number(m[1]) : 0;
      const line = content.slice(0, pos).split('\n').length;
      throw new ParseError({ file, offset: Buffer.byteLength(content.slice(0, pos)), field: `line ${line}` }, `invalid JSON: ${(cause as Error).message}`, 'LH_OFAC_LIST', cause);
    }
    if (!Array.isArray(data)) throw new ParseError({ file, offset: 0, field: '$' }, 'expected a JSON array of address strings', 'LH_OFAC_LIST');
    data.forEach((v, i) => {
      if (typeof v !== 'string' || !/^\S{8,200}$/.test(v)) {
        throw new ParseError({ file, offset: 0, field: `[${i}]` }, `expected an address string without spaces, found ${JSON.stringify(v)?.slice(0, 60)}`, 'LH_OFAC_LIST');
      }
      push(v);
    });
    return out;
  }
  let offset = 0;
  content.split('\n').forEach((raw, i) => {
    const v = raw.replace(/\r$/, '').trim();
    if (v !== '') {
      if (!/^\S{8,200}$/.test(v)) {
        throw new ParseError({ file, offset, field: `line ${i + 1}` }, `expected one address per line, found ${JSON.stringify(v.slice(0, 60))}`, 'LH_OFAC_LIST');
      }
      push(v);
    }
    offset += Buffer.byteLength(raw) + 1;
  });
  return out;
}
