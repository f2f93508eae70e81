import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Database } from '../../src/store/index.js';

/** A fresh temp directory for crafted files and database files. */
export function tempDir(prefix = 'lh-labels-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

/** Writes a crafted file and returns its path. */
export function craft(dir: string, name: string, content: string): string {
  const p = join(dir, name);
  writeFileSync(p, content);
  return p;
}

/** A real DuckDB database file in a temp directory. */
export async function tempDb(): Promise<{ db: Database; dir: string; path: string }> {
  const dir = tempDir('lh-labels-db-');
  const path = join(dir, 'test.duckdb');
  return { db: await Database.open(path), dir, path };
}
