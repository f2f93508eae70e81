/**
 * The contract between the OFAC readers (SDN.CSV set, SDN.XML, SDN_ADVANCED.XML, plain per-currency
 * address lists) and their consumers: the address labeller (tags of category `sanctioned`) and
 * the name screener (src/screen/names).
 */

/** SDN party types as OFAC names them (`SDN_Type` column; blank in the CSV means entity). */
export type SdnPartyType = 'individual' | 'entity' | 'vessel' | 'aircraft';

export interface SdnAlias {
  /** OFAC `alt_num` (CSV) or `uid` (XML) of the alias. */
  altNum: number;
  /** a.k.a., f.k.a. (formerly), n.k.a. (now). */
  kind: 'aka' | 'fka' | 'nka';
  name: string;
  /** OFAC marks some aliases "weak" (low quality); strong unless stated. */
  quality: 'strong' | 'weak';
  /**
   * Where the alias was read (optional, added compatibly): ALT.CSV row, remarks text
   * (`a.k.a. 'X'` items carry no alt_num: altNum is then 0), SDN.XML aka, or SDN_ADVANCED alias.
   */
  source?: 'alt.csv' | 'remarks' | 'sdn.xml' | 'sdn_advanced.xml';
}

export interface SdnDigitalCurrencyAddress {
  /** OFAC's currency code as written in the list: XBT, ETH, XMR, USDT, ... */
  currency: string;
  address: string;
}

export interface SdnEntry {
  /** OFAC `ent_num` / XML `uid`: the stable listing id. */
  entNum: number;
  /** Primary name as listed ("KIM, Jong Un", "LAZARUS GROUP"). */
  name: string;
  type: SdnPartyType;
  /** Sanctions programmes, e.g. ["DPRK3", "CYBER2"]. */
  programs: string[];
  title: string | null;
  /** Full remarks, with any SDN_COMMENTS.CSV continuation appended. */
  remarks: string;
  aliases: SdnAlias[];
  /** Postal addresses (ADD.CSV / XML addressList), one free-text line each. */
  addresses: string[];
  digitalCurrencyAddresses: SdnDigitalCurrencyAddress[];
  /** Parsed from remarks or XML id lists where present. */
  birthYears: number[];
  countries: string[];
  /**
   * True when OFAC cut the remarks at 1,000 characters and no SDN_COMMENTS.CSV continuation was
   * loaded (optional, added compatibly): facts after the cut are missing.
   */
  remarksTruncated?: boolean;
}

/** One file read, for provenance (every import records the hash and time of its source file). */
export interface OfacSourceFile {
  path: string;
  sha256: string;
  kind: 'sdn.csv' | 'add.csv' | 'alt.csv' | 'sdn_comments.csv' | 'sdn.xml' | 'sdn_advanced.xml' | 'address-list';
  /** For plain per-currency address lists: the currency from the file name (XBT, ETH, ...). */
  currency?: string;
  bytes: number;
}

export interface OfacDataset {
  entries: SdnEntry[];
  /** Addresses from plain per-currency lists, which carry no SDN entry of their own. */
  listedAddresses: SdnDigitalCurrencyAddress[];
  files: OfacSourceFile[];
  /** Publication date when the source states it (XML `Publish_Date`), else null. */
  publishDate: string | null;
}
