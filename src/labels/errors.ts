import { LedgerhoundError } from '../core/index.js';

/** Where a problem in a label source is: file, 1-based line (0 when the file as a whole is at fault) and field. */
export interface LabelInputLocation {
  file: string;
  line: number;
  field: string;
}

/** One invalid record of a label source, kept so `--skip-invalid` can report why it was skipped. */
export interface LabelInputProblem extends LabelInputLocation {
  problem: string;
}

/**
 * A label source (TagPack, OFAC, CSV, STIX, incident list) that cannot be imported as it is.
 * The message reads `packs/ofac.yaml:1234 tags[410].address: invalid BTC address "T..." (...)`.
 */
export class LabelInputError extends LedgerhoundError {
  override name = 'LabelInputError';
  readonly file: string;
  readonly line: number;
  readonly field: string;
  readonly problem: string;

  constructor(loc: LabelInputLocation, problem: string, options: { code?: string; hint?: string; cause?: unknown; more?: number } = {}) {
    const where = loc.line > 0 ? `${loc.file}:${loc.line}` : loc.file;
    const more = options.more ? ` (and ${options.more} more invalid record${options.more === 1 ? '' : 's'} in this import)` : '';
    super(options.code ?? 'LH_LABEL_INPUT', `${where} ${loc.field}: ${problem}${more}`, {
      details: { file: loc.file, line: loc.line, field: loc.field, problem, more: options.more ?? 0 },
      ...(options.hint === undefined ? {} : { hint: options.hint }),
      ...(options.cause === undefined ? {} : { cause: options.cause }),
    });
    this.file = loc.file;
    this.line = loc.line;
    this.field = loc.field;
    this.problem = problem;
  }
}
