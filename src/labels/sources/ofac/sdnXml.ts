import { parseRemarks, yearsOf } from './remarks.js';
import type { SdnAlias, SdnEntry, SdnPartyType } from './types.js';
import { children, child, parseXml, text, xmlFieldError } from './xmlUtil.js';

const ARRAYS = new Set([
  'sdnEntry', 'program', 'aka', 'id', 'address', 'nationality', 'citizenship', 'dateOfBirthItem', 'placeOfBirthItem',
]);

const TYPES: Record<string, SdnPartyType> = { individual: 'individual', entity: 'entity', vessel: 'vessel', aircraft: 'aircraft' };

/** Digital-currency id types in SDN.XML: `Digital Currency Address - XBT`. */
const DCA_ID = /^Digital Currency Address - ([A-Za-z0-9]+)$/;

/** "LAST, First" as SDN.CSV writes individuals; entities are their lastName. */
function fullName(last: string, first: string): string {
  return first === '' ? last : last === '' ? first : `${last}, ${first}`;
}

/**
 * Reads OFAC's SDN.XML (schema sdn.xsd: `sdnList/publshInformation/Publish_Date`,
 * `sdnList/sdnEntry` with uid, firstName, lastName, title, sdnType, programList/program,
 * idList/id (idType, idNumber), akaList/aka (uid, type, category, lastName, firstName),
 * addressList/address, nationalityList, citizenshipList, dateOfBirthList, remarks).
 *
 * @throws ParseError for malformed XML (line and column) or an entry missing uid/lastName/sdnType
 */
export function readSdnXml(xml: string, file: string): { entries: SdnEntry[]; publishDate: string | null } {
  const doc = parseXml(xml, file, ARRAYS);
  const root = child(doc, 'sdnList');
  if (!root) throw xmlFieldError(file, xml, 'sdnList', 0, 'sdnList', 'root element <sdnList> not found (is this SDN.XML?)');
  const pub = text(child(root, 'publshInformation'), 'Publish_Date');
  const m = /^(\d{2})\/(\d{2})\/(\d{4})$/.exec(pub);
  const publishDate = m ? `${m[3]}-${m[1]}-${m[2]}` : pub === '' ? null : pub;
  const entries: SdnEntry[] = [];
  children(root, 'sdnEntry').forEach((e, i) => {
    const uidText = text(e, 'uid');
    if (!/^\d+$/.test(uidText)) throw xmlFieldError(file, xml, 'sdnEntry', i, `sdnEntry[${i}].uid`, `expected a positive integer, found ${JSON.stringify(uidText)}`);
    const last = text(e, 'lastName');
    if (last === '') throw xmlFieldError(file, xml, 'sdnEntry', i, `sdnEntry[${i}].lastName`, `entry ${uidText} has no lastName`);
    const rawType = text(e, 'sdnType').toLowerCase();
    const type = TYPES[rawType];
    if (!type) throw xmlFieldError(file, xml, 'sdnEntry', i, `sdnEntry[${i}].sdnType`, `unknown sdnType ${JSON.stringify(rawType)} (Individual, Entity, Vessel, Aircraft)`);
    const aliases: SdnAlias[] = [];
    children(child(e, 'akaList'), 'aka').forEach((a, j) => {
      const name = fullName(text(a, 'lastName'), text(a, 'firstName'));
      if (name === '') throw xmlFieldError(file, xml, 'sdnEntry', i, `sdnEntry[${i}].akaList.aka[${j}]`, 'alias without a name');
      const t = text(a, 'type').toLowerCase().replace(/\./g, '');
      aliases.push({
        altNum: Number(text(a, 'uid')) || 0,
        kind: t === 'fka' ? 'fka' : t === 'nka' ? 'nka' : 'aka',
        name,
        quality: text(a, 'category').toLowerCase() === 'weak' ? 'weak' : 'strong',
        source: 'sdn.xml',
      });
    });
    const remarks = text(e, 'remarks');
    const facts = parseRemarks(remarks);
    const dca = children(child(e, 'idList'), 'id').flatMap((id) => {
      const mm = DCA_ID.exec(text(id, 'idType'));
      const addr = text(id, 'idNumber');
      return mm && addr !== '' ? [{ currency: (mm[1] as string).toUpperCase(), address: addr }] : [];
    });
    for (const d of facts.digitalCurrencyAddresses) if (!dca.some((x) => x.currency === d.currency && x.address === d.address)) dca.push(d);
    const addresses = children(child(e, 'addressList'), 'address')
      .map((a) => ['address1', 'address2', 'address3', 'city', 'stateOrProvince', 'postalCode', 'country'].map((k) => text(a, k)).filter((x) => x !== '').join(', '))
      .filter((x) => x !== '');
    const countries: string[] = [];
    const addCountry = (c: string) => {
      if (c !== '' && !countries.includes(c)) countries.push(c);
    };
    for (const n of children(child(e, 'nationalityList'), 'nationality')) addCountry(text(n, 'country'));
    for (const n of children(child(e, 'citizenshipList'), 'citizenship')) addCountry(text(n, 'country'));
    for (const a of children(child(e, 'addressList'), 'address')) addCountry(text(a, 'country'));
    for (const c of facts.countries) addCountry(c);
    const birthYears: number[] = [];
    for (const d of children(child(e, 'dateOfBirthList'), 'dateOfBirthItem')) for (const y of yearsOf(text(d, 'dateOfBirth'))) if (!birthYears.includes(y)) birthYears.push(y);
    for (const y of facts.birthYears) if (!birthYears.includes(y)) birthYears.push(y);
    for (const a of facts.aliases) if (!aliases.some((x) => x.name === a.name)) aliases.push({ altNum: 0, ...a });
    entries.push({
      entNum: Number(uidText),
      name: fullName(last, text(e, 'firstName')),
      type,
      programs: children(child(e, 'programList'), 'program').map((p) => text(p, '#text')).filter((p) => p !== ''),
      title: text(e, 'title') || null,
      remarks,
      aliases,
      addresses,
      digitalCurrencyAddresses: dca,
      birthYears,
      countries,
    });
  });
  return { entries, publishDate };
}
