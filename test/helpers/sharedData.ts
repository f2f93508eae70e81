import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The real data folder `../shared/data` beside the repository (read its README). */
export const SHARED_DATA = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'shared', 'data');

/**
 * Path of a file under ../shared/data. A missing file fails the test with its name: tests never
 * skip silently because real data is absent.
 */
export function sharedPath(...parts: string[]): string {
  const p = join(SHARED_DATA, ...parts);
  if (!existsSync(p)) throw new Error(`real test data missing: ${p} (expected ../shared/data beside the repo; see its README)`);
  return p;
}
