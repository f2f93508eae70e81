import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { LabelInputError } from '../errors.js';

/** A label source file read whole: its text (gunzipped when the name ends in .gz) and provenance. */
export interface SourceFile {
  path: string;
  text: string;
  /** sha256 of the bytes on disk (before decompression). */
  sha256: string;
  bytes: number;
}

/**
 * Reads a source file. The hash is over the file as stored, so it identifies exactly what was imported.
 * @throws LabelInputError naming the file when it cannot be read or decompressed.
 */
export function readSourceFile(path: string): SourceFile {
  const abs = resolve(path);
  let raw: Buffer;
  try {
    raw = readFileSync(abs);
  } catch (cause) {
    throw new LabelInputError({ file: abs, line: 0, field: 'file' }, `cannot read: ${(cause as Error).message}`, { code: 'LH_LABEL_READ', cause });
  }
  let content = raw;
  if (abs.endsWith('.gz')) {
    try {
      content = gunzipSync(raw);
    } catch (cause) {
      throw new LabelInputError({ file: abs, line: 0, field: 'file' }, `not a valid gzip file: ${(cause as Error).message}`, { cause });
    }
  }
  return { path: abs, text: content.toString('utf8'), sha256: createHash('sha256').update(raw).digest('hex'), bytes: raw.length };
}

/**
 * The files to import for a FILE|DIR argument: the file itself, or every file under the directory (recursively,
 * sorted by path) whose name matches `accept`.
 * @throws LabelInputError when the path does not exist or a directory holds no matching file.
 */
export function listSourceFiles(path: string, accept: (name: string) => boolean): string[] {
  const abs = resolve(path);
  let st: ReturnType<typeof statSync>;
  try {
    st = statSync(abs);
  } catch {
    throw new LabelInputError({ file: abs, line: 0, field: 'path' }, 'no such file or directory', { code: 'LH_LABEL_READ' });
  }
  if (!st.isDirectory()) return [abs];
  const out: string[] = [];
  const walk = (dir: string): void => {
    for (const name of readdirSync(dir).sort()) {
      const p = join(dir, name);
      if (statSync(p).isDirectory()) walk(p);
      else if (accept(name)) out.push(p);
    }
  };
  walk(abs);
  if (out.length === 0) throw new LabelInputError({ file: abs, line: 0, field: 'path' }, 'directory holds no file of this kind', { code: 'LH_LABEL_READ' });
  return out;
}
