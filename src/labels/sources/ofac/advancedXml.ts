import type { SdnAlias, SdnDigitalCurrencyAddress, SdnEntry, SdnPartyType } from './types.js';
import { attr, child, children, parseXml, text, type XNode, xmlFieldError } from './xmlUtil.js';

const ARRAYS = new Set([
  'AliasType', 'FeatureType', 'PartySubType', 'PartyType', 'Country', 'SanctionsProgram', 'SanctionsType', 'NamePartType',
  'DetailReference', 'LocPartType', 'Location', 'LocationPart', 'LocationCountry', 'DistinctParty', 'Profile', 'Identity', 'Alias',
  'DocumentedName', 'DocumentedNamePart', 'MasterNamePartGroup', 'NamePartGroup', 'Feature', 'FeatureVersion', 'VersionDetail',
  'VersionLocation', 'SanctionsEntry', 'SanctionsMeasure',
]);

/** Reference value set: ID → text (`<AliasType ID="1400">A.K.A.</AliasType>`). */
function refMap(sets: XNode | undefined, group: string, item: string): Map<string, XNode> {
  const m = new Map<string, XNode>();
  for (const v of children(child(sets, group), item)) m.set(attr(v, 'ID'), v);
  return m;
}

/** OFAC's fixed PartySubType ids (used when the file carries no reference set). */
const DEFAULT_SUBTYPES: Record<string, SdnPartyType> = { '1': 'vessel', '2': 'aircraft', '3': 'entity', '4': 'individual' };

/**
 * Reads OFAC's SDN_ADVANCED.XML (the "advanced sanctions data" schema: `Sanctions/DateOfIssue`,
 * `ReferenceValueSets` (AliasTypeValues, FeatureTypeValues, PartySubTypeValues, PartyTypeValues,
 * CountryValues, NamePartTypeValues, SanctionsTypeValues, DetailReferenceValues), `Locations`,
 * `DistinctParties/DistinctParty[@FixedRef]/Profile` with `Identity/Alias/DocumentedName/
 * DocumentedNamePart/NamePartValue` and `Feature[@FeatureTypeID]/FeatureVersion` (VersionDetail,
 * DatePeriod, VersionLocation), and `SanctionsEntries/SanctionsEntry[@ProfileID]/
 * SanctionsMeasure/Comment` for programmes). Digital-currency addresses are Features whose type
 * reads "Digital Currency Address - XBT" (ETH, …). Extra DocumentedNames of an alias (other
 * scripts, e.g. Hangul or Cyrillic) become aliases of the same kind.
 *
 * @throws ParseError for malformed XML (line, column) or a DistinctParty without FixedRef/Profile/name
 */
export function readSdnAdvancedXml(xml: string, file: string): { entries: SdnEntry[]; publishDate: string | null } {
  const doc = parseXml(xml, file, ARRAYS);
  const root = child(doc, 'Sanctions');
  if (!root) throw xmlFieldError(file, xml, 'Sanctions', 0, 'Sanctions', 'root element <Sanctions> not found (is this SDN_ADVANCED.XML?)');
  const doi = child(root, 'DateOfIssue');
  const publishDate = doi && text(doi, 'Year') !== ''
    ? `${text(doi, 'Year')}-${text(doi, 'Month').padStart(2, '0')}-${text(doi, 'Day').padStart(2, '0')}`
    : null;
  const sets = child(root, 'ReferenceValueSets');
  const aliasTypes = refMap(sets, 'AliasTypeValues', 'AliasType');
  const featureTypes = refMap(sets, 'FeatureTypeValues', 'FeatureType');
  const subTypes = refMap(sets, 'PartySubTypeValues', 'PartySubType');
  const partyTypes = refMap(sets, 'PartyTypeValues', 'PartyType');
  const countryVals = refMap(sets, 'CountryValues', 'Country');
  const namePartTypes = refMap(sets, 'NamePartTypeValues', 'NamePartType');
  const sanctionsTypes = refMap(sets, 'SanctionsTypeValues', 'SanctionsType');
  const detailRefs = refMap(sets, 'DetailReferenceValues', 'DetailReference');
  const locations = new Map<string, { country: string; line: string }>();
  for (const loc of children(child(root, 'Locations'), 'Location')) {
    const country = children(loc, 'LocationCountry').map((c) => text(countryVals.get(attr(c, 'CountryID')), '#text')).find((c) => c !== '') ?? '';
    const parts = children(loc, 'LocationPart').map((p) => text(child(p, 'LocationPartValue'), 'Value')).filter((x) => x !== '');
    locations.set(attr(loc, 'ID'), { country, line: [...parts, country].filter((x) => x !== '').join(', ') });
  }
  const programsByProfile = new Map<string, string[]>();
  for (const se of children(child(root, 'SanctionsEntries'), 'SanctionsEntry')) {
    const pid = attr(se, 'ProfileID');
    const list = programsByProfile.get(pid) ?? [];
    for (const sm of children(se, 'SanctionsMeasure')) {
      const st = text(sanctionsTypes.get(attr(sm, 'SanctionsTypeID')), '#text');
      const comment = text(sm, 'Comment');
      if (comment !== '' && (st === '' || /program/i.test(st)) && !list.includes(comment)) list.push(comment);
    }
    programsByProfile.set(pid, list);
  }

  const entries: SdnEntry[] = [];
  children(child(root, 'DistinctParties'), 'DistinctParty').forEach((dp, i) => {
    const where = (field: string, problem: string) => xmlFieldError(file, xml, 'DistinctParty', i, `DistinctParty[${i}].${field}`, problem);
    const fixedRef = attr(dp, 'FixedRef');
    if (!/^\d+$/.test(fixedRef)) throw where('@FixedRef', `expected a positive integer, found ${JSON.stringify(fixedRef)}`);
    const profile = child(dp, 'Profile');
    if (!profile) throw where('Profile', `party ${fixedRef} has no Profile`);
    const sub = attr(profile, 'PartySubTypeID');
    const subNode = subTypes.get(sub);
    let type: SdnPartyType | undefined;
    if (subNode) {
      const subText = text(subNode, '#text').toLowerCase();
      const partyText = text(partyTypes.get(attr(subNode, 'PartyTypeID')), '#text').toLowerCase();
      type = subText === 'vessel' ? 'vessel' : subText === 'aircraft' ? 'aircraft' : partyText === 'individual' ? 'individual' : partyText === 'entity' ? 'entity' : DEFAULT_SUBTYPES[sub];
    } else type = DEFAULT_SUBTYPES[sub];
    if (!type) throw where('Profile.@PartySubTypeID', `unknown PartySubTypeID ${JSON.stringify(sub)}`);

    let primary: string | null = null;
    const aliases: SdnAlias[] = [];
    for (const identity of children(profile, 'Identity')) {
      const groupType = new Map<string, string>();
      for (const mg of children(child(identity, 'NamePartGroups'), 'MasterNamePartGroup')) {
        for (const g of children(mg, 'NamePartGroup')) groupType.set(attr(g, 'ID'), text(namePartTypes.get(attr(g, 'NamePartTypeID')), '#text'));
      }
      for (const alias of children(identity, 'Alias')) {
        const isPrimary = attr(alias, 'Primary') === 'true';
        const typeText = text(aliasTypes.get(attr(alias, 'AliasTypeID')), '#text').toLowerCase().replace(/\./g, '');
        const kind = typeText === 'fka' ? 'fka' : typeText === 'nka' ? 'nka' : 'aka';
        const weak = attr(alias, 'LowQuality') === 'true';
        children(alias, 'DocumentedName').forEach((dn, k) => {
          const name = composeName(children(dn, 'DocumentedNamePart'), groupType, type === 'individual');
          if (name === '') return;
          if (isPrimary && k === 0 && primary === null) primary = name;
          else aliases.push({ altNum: Number(attr(dn, 'ID')) || 0, kind, name, quality: weak ? 'weak' : 'strong', source: 'sdn_advanced.xml' });
        });
      }
    }
    if (primary === null) throw where('Profile.Identity.Alias', `party ${fixedRef} has no primary name (Alias Primary="true")`);

    const dca: SdnDigitalCurrencyAddress[] = [];
    const addresses: string[] = [];
    const countries: string[] = [];
    const birthYears: number[] = [];
    let title: string | null = null;
    for (const f of children(profile, 'Feature')) {
      const ft = text(featureTypes.get(attr(f, 'FeatureTypeID')), '#text');
      for (const fv of children(f, 'FeatureVersion')) {
        const details = children(fv, 'VersionDetail');
        const detailText = details.map((d) => text(d, '#text') || text(detailRefs.get(attr(d, 'DetailReferenceID')), '#text')).filter((x) => x !== '');
        const locs = children(fv, 'VersionLocation').map((vl) => locations.get(attr(vl, 'LocationID'))).filter((x) => x !== undefined);
        const dm = /^Digital Currency Address - ([A-Za-z0-9]+)$/.exec(ft);
        if (dm) {
          for (const a of detailText) dca.push({ currency: (dm[1] as string).toUpperCase(), address: a });
        } else if (/^Birthdate$/i.test(ft)) {
          const period = child(fv, 'DatePeriod');
          for (const edge of ['Start', 'End']) {
            for (const bound of ['From', 'To']) {
              const y = Number(text(child(child(period, edge), bound), 'Year'));
              if (y > 1800 && !birthYears.includes(y)) birthYears.push(y);
            }
          }
        } else if (/Nationality|Citizenship/i.test(ft)) {
          for (const l of locs) if (l.country !== '' && !countries.includes(l.country)) countries.push(l.country);
          for (const d of detailText) if (!countries.includes(d)) countries.push(d);
        } else if (/^Location$/i.test(ft)) {
          for (const l of locs) {
            if (l.line !== '') addresses.push(l.line);
            if (l.country !== '' && !countries.includes(l.country)) countries.push(l.country);
          }
        } else if (/^Title$/i.test(ft) && detailText[0]) {
          title = detailText[0];
        }
      }
    }
    birthYears.sort((a, b) => a - b);
    entries.push({
      entNum: Number(fixedRef),
      name: primary,
      type,
      programs: programsByProfile.get(attr(profile, 'ID')) ?? [],
      title,
      remarks: text(dp, 'Comment'),
      aliases,
      addresses,
      digitalCurrencyAddresses: dca,
      birthYears,
      countries,
    });
  });
  return { entries, publishDate };
}

/** Joins name parts: individuals as "LAST, First Middle" when part types say so, else in order. */
function composeName(parts: XNode[], groupType: Map<string, string>, individual: boolean): string {
  const vals = parts.map((p) => {
    const v = child(p, 'NamePartValue');
    return { value: text(v, '#text'), type: groupType.get(attr(v, 'NamePartGroupID')) ?? '' };
  }).filter((p) => p.value !== '');
  if (individual) {
    const last = vals.filter((p) => /last name|family/i.test(p.type)).map((p) => p.value);
    const rest = vals.filter((p) => !/last name|family/i.test(p.type)).map((p) => p.value);
    if (last.length > 0 && rest.length > 0) return `${last.join(' ')}, ${rest.join(' ')}`;
  }
  return vals.map((p) => p.value).join(' ');
}
