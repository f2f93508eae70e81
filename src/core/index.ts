export { LedgerhoundError, NotFoundError, ParseError, UsageError } from './errors.js';
export type { ParseLocation } from './errors.js';
