export type {
  OfacDataset,
  OfacSourceFile,
  SdnAlias,
  SdnDigitalCurrencyAddress,
  SdnEntry,
  SdnPartyType,
} from './types.js';
export { classifyOfacFile, loadOfac } from './load.js';
export type { LoadedOfacDataset } from './load.js';
export { OFAC_CSV_COLUMNS, parseOfacCsv } from './csv.js';
export type { OfacCsvKind, OfacCsvRecord } from './csv.js';
export { readCsvSet } from './csvSet.js';
export type { CsvInput, CsvSetInput } from './csvSet.js';
export { readSdnXml } from './sdnXml.js';
export { readSdnAdvancedXml } from './advancedXml.js';
export { readAddressList } from './addressList.js';
export { parseRemarks, yearsOf } from './remarks.js';
export type { RemarkFacts } from './remarks.js';
