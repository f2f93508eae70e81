/**
 * Screening (KYT): address risk from precomputed cluster exposure, transaction screening, the versioned
 * risk rules and the audit log. Name screening lives in `names/` (its own index). See docs/SCREENING.md.
 */
export { AUDIT_SCHEMA_SQL, AuditLog, ruleSetTag } from './auditLog.js';
export type { AuditEntry, DbRunner } from './auditLog.js';
export { ExposureState, NONE as EXPOSURE_NONE } from './exposure.js';
export type { ExposureChain, ExposureParams, ExposureTx, RiskTopology } from './exposure.js';
export { defaultRulesPath, levelFor, loadRules, parseRules } from './rules.js';
export type { RuleFile, RuleSet, RuleSetInfo } from './rules.js';
export { checkAddress, normalizeBtcAddress, ScreeningIndex } from './ScreeningIndex.js';
export type { AddressRisk, DirectComponent, IndirectCategory, IndirectSide, RiskLabel } from './ScreeningIndex.js';
export { checkTxid, screenTransaction } from './screenTx.js';
export type { CounterpartyRisk, SideRisk, TxRisk } from './screenTx.js';
// Name screening (names/, issue 9), re-exported so other folders import the screen stage through this file.
export { evaluate, fitLogistic, NameIndex, openNameIndex, readEvalSet } from './names/index.js';
export type { ScreenNameHit, ScreenNameRequest, ScreenNameResult } from './names/index.js';
