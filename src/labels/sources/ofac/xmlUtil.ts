import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { ParseError } from '../../../core/index.js';

/** Line (1-based) and byte offset of a character index in a text. */
export function lineAt(text: string, index: number): { line: number; offset: number } {
  let line = 1;
  for (let i = text.indexOf('\n'); i !== -1 && i < index; i = text.indexOf('\n', i + 1)) line++;
  return { line, offset: Buffer.byteLength(text.slice(0, index), 'utf8') };
}

/** Character index of the n-th (0-based) opening tag `<name` (followed by space, `>` or `/`). */
export function nthTagIndex(text: string, name: string, n: number): number {
  const re = new RegExp(`<(?:[A-Za-z_][\\w.-]*:)?${name}[\\s>/]`, 'g');
  let m: RegExpExecArray | null = re.exec(text);
  for (let k = 0; m !== null; k++, m = re.exec(text)) if (k === n) return m.index;
  return 0;
}

/** A ParseError located at the n-th `<tag` of an XML text. */
export function xmlFieldError(file: string, text: string, tag: string, n: number, field: string, problem: string): ParseError {
  const { line, offset } = lineAt(text, nthTagIndex(text, tag, n));
  return new ParseError({ file, offset, field: `line ${line} ${field}` }, problem, 'LH_OFAC_XML');
}

/**
 * Checks well-formedness (fast-xml-parser's validator gives line and column) and parses.
 * Namespace prefixes are removed; attributes are kept under `@_name`; values stay strings.
 */
export function parseXml(text: string, file: string, arrayTags: ReadonlySet<string>): Record<string, unknown> {
  const v = XMLValidator.validate(text, { allowBooleanAttributes: true });
  if (v !== true) {
    const { line, col, msg } = v.err;
    const lines = text.split('\n');
    let idx = 0;
    for (let i = 0; i < line - 1 && i < lines.length; i++) idx += (lines[i] as string).length + 1;
    idx += Math.max(0, col - 1);
    throw new ParseError(
      { file, offset: Buffer.byteLength(text.slice(0, idx), 'utf8'), field: `line ${line} column ${col}` },
      `malformed XML: ${msg}`,
      'LH_OFAC_XML',
    );
  }
  const parser = new XMLParser({
    ignoreAttributes: false,
    attributeNamePrefix: '@_',
    removeNSPrefix: true,
    parseTagValue: false,
    parseAttributeValue: false,
    trimValues: true,
    isArray: (name) => arrayTags.has(name),
  });
  return parser.parse(text) as Record<string, unknown>;
}

/** Node helpers over fast-xml-parser output. */
export type XNode = Record<string, unknown>;

export function child(node: unknown, name: string): XNode | undefined {
  if (node === null || typeof node !== 'object') return undefined;
  const c = (node as XNode)[name];
  if (Array.isArray(c)) return c[0] as XNode | undefined;
  return c !== null && typeof c === 'object' ? (c as XNode) : undefined;
}

export function children(node: unknown, name: string): XNode[] {
  if (node === null || typeof node !== 'object') return [];
  const c = (node as XNode)[name];
  if (c === undefined || c === null || c === '') return [];
  const arr = Array.isArray(c) ? c : [c];
  return arr.map((x) => (typeof x === 'object' && x !== null ? (x as XNode) : ({ '#text': String(x) } as XNode)));
}

/** Text of a child element (or of the node itself with name '#text'); '' when absent. */
export function text(node: unknown, name: string): string {
  if (node === null || typeof node !== 'object') return '';
  let c = (node as XNode)[name];
  if (Array.isArray(c)) c = c[0];
  if (c === undefined || c === null) return '';
  if (typeof c === 'object') return String((c as XNode)['#text'] ?? '').trim();
  return String(c).trim();
}

export function attr(node: unknown, name: string): string {
  if (node === null || typeof node !== 'object') return '';
  const v = (node as XNode)[`@_${name}`];
  return v === undefined || v === null ? '' : String(v);
}
