/**
 * One error base for the whole product. Every failure a user can cause has a stable `code`
 * (like fastify's FST_ERR_*), a short human message and structured `details`; the CLI prints
 * the message and exits non-zero, the API maps `code` to an HTTP status.
 */
export class LedgerhoundError extends Error {
  override name = 'LedgerhoundError';
  readonly code: string;
  readonly shortMessage: string;
  readonly details: Readonly<Record<string, unknown>>;

  constructor(
    code: string,
    shortMessage: string,
    options: { details?: Record<string, unknown>; cause?: unknown; hint?: string } = {},
  ) {
    const lines = [shortMessage];
    if (options.hint) lines.push(options.hint);
    super(lines.join('\n'), options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.shortMessage = shortMessage;
    this.details = options.details ?? {};
  }
}

/** Where a parse problem is: file (or input name), byte offset and field path. */
export interface ParseLocation {
  file?: string;
  offset: number;
  field: string;
}

/**
 * Malformed binary or text input. The message reads
 * `blk00012.dat @ 0x1f3a2c tx[17].vin[2].scriptSig: needs 2417 bytes, 1003 left`.
 */
export class ParseError extends LedgerhoundError {
  override name = 'ParseError';
  readonly file: string | undefined;
  readonly offset: number;
  readonly field: string;
  readonly problem: string;

  constructor(loc: ParseLocation, problem: string, code = 'LH_PARSE', cause?: unknown) {
    const where = `${loc.file ?? '<input>'} @ 0x${loc.offset.toString(16)}`;
    super(code, `${where} ${loc.field}: ${problem}`, {
      details: { file: loc.file, offset: loc.offset, field: loc.field, problem },
      cause,
    });
    this.file = loc.file;
    this.offset = loc.offset;
    this.field = loc.field;
    this.problem = problem;
  }
}

/** A command-line or API argument that is not acceptable (wrong form, out of range, unknown name). */
export class UsageError extends LedgerhoundError {
  override name = 'UsageError';
  constructor(message: string, details: Record<string, unknown> = {}, hint?: string) {
    super('LH_USAGE', message, hint === undefined ? { details } : { details, hint });
  }
}

/** Something asked for is not in the data (txid, address, block, label). */
export class NotFoundError extends LedgerhoundError {
  override name = 'NotFoundError';
  constructor(what: string, key: string, hint?: string) {
    super('LH_NOT_FOUND', `${what} ${key} not found`, hint === undefined ? { details: { what, key } } : { details: { what, key }, hint });
  }
}
