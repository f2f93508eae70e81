import { isMap, isSeq, LineCounter, parseDocument, type YAMLMap, type YAMLSeq } from 'yaml';
import { LabelInputError } from '../errors.js';
import type { SourceFile } from './readSourceFile.js';

/** A parsed YAML label file: plain values plus the line of every top-level key and list item. */
export interface YamlSource {
  root: Record<string, unknown>;
  /** 1-based line of a top-level key. */
  keyLine(key: string): number;
  /** The list under a top-level key with a line finder per item and per item field. */
  list(key: string): { items: unknown[]; itemLine(i: number): number; fieldLine(i: number, field: string): number };
}

/**
 * Parses a TagPack/ActorPack YAML file with the YAML failsafe schema: every scalar stays the string that was
 * written, so unquoted `0x…` addresses are not read as hex integers, `NO` (Norway) is not `false` under a
 * `%YAML 1.1` directive and dates stay as written. Callers convert booleans themselves.
 *
 * @throws LabelInputError naming file, line and column of a YAML syntax error, or when the top level is not a mapping.
 */
export function parseYamlSource(file: SourceFile): YamlSource {
  const lc = new LineCounter();
  const doc = parseDocument(file.text, { lineCounter: lc, schema: 'failsafe', prettyErrors: false, uniqueKeys: false });
  const err = doc.errors[0];
  if (err !== undefined) {
    const pos = lc.linePos(err.pos[0]);
    throw new LabelInputError({ file: file.path, line: pos.line, field: `yaml (column ${pos.col})` }, `malformed YAML: ${err.message.split('\n')[0]}`, {
      code: 'LH_LABEL_YAML',
      cause: err,
    });
  }
  if (!isMap(doc.contents)) {
    throw new LabelInputError({ file: file.path, line: 1, field: '(document)' }, 'expected a YAML mapping at the top level', { code: 'LH_LABEL_YAML' });
  }
  const rootNode = doc.contents as YAMLMap;
  let root: Record<string, unknown>;
  try {
    // yaml's default alias budget (100) stops "billion laughs" expansion; real TagPacks use no aliases.
    root = (doc.toJS() ?? {}) as Record<string, unknown>;
  } catch (cause) {
    throw new LabelInputError({ file: file.path, line: 0, field: '(document)' }, `cannot expand YAML: ${(cause as Error).message}`, { code: 'LH_LABEL_YAML', cause });
  }
  const lineAt = (offset: number | undefined): number => (offset === undefined ? 0 : lc.linePos(offset).line);
  const keyLineIn = (map: YAMLMap, key: string): number => {
    for (const p of map.items) {
      const k = p.key as { value?: unknown; range?: [number, number, number] } | null;
      if (k !== null && typeof k === 'object' && k.value === key) return lineAt(k.range?.[0]);
    }
    return 0;
  };
  return {
    root,
    keyLine: (key) => keyLineIn(rootNode, key),
    list(key) {
      const node = rootNode.get(key, true);
      const seq = isSeq(node) ? (node as YAMLSeq) : undefined;
      const items = Array.isArray(root[key]) ? (root[key] as unknown[]) : [];
      return {
        items,
        itemLine: (i) => lineAt((seq?.items[i] as { range?: [number, number, number] } | undefined)?.range?.[0]),
        fieldLine: (i, field) => {
          const item = seq?.items[i];
          if (isMap(item)) {
            const l = keyLineIn(item as YAMLMap, field);
            if (l > 0) return l;
          }
          return lineAt((item as { range?: [number, number, number] } | undefined)?.range?.[0]);
        },
      };
    },
  };
}

/** A scalar as a trimmed string, or null when absent/empty/`null`/`~`. */
export function str(v: unknown): string | null {
  if (v === undefined || v === null) return null;
  if (typeof v === 'object') return JSON.stringify(v);
  const s = String(v).trim();
  return s === '' || s === 'null' || s === '~' ? null : s;
}

/** A YAML boolean written as true/false/yes/no (any case); null when absent; undefined when not a boolean. */
export function bool(v: unknown): boolean | null | undefined {
  const s = str(v);
  if (s === null) return null;
  const l = s.toLowerCase();
  if (l === 'true' || l === 'yes') return true;
  if (l === 'false' || l === 'no') return false;
  return undefined;
}

/** A list of strings from a YAML list or a single scalar. */
export function strList(v: unknown): string[] {
  if (v === undefined || v === null) return [];
  if (Array.isArray(v)) return v.map(str).filter((x): x is string => x !== null);
  const s = str(v);
  return s === null ? [] : [s];
}
