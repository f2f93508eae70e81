/**
 * The import rule of docs/ARCHITECTURE.md, checked on the source: data flows one way
 * (core → chain → store → {cluster, labels} → trace → screen → {api, cli}; sim uses only core and chain),
 * and a folder is entered only through an index.ts.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from './helpers/cli.js';

const ALLOWED: Record<string, readonly string[]> = {
  core: [],
  chain: ['core'],
  store: ['core', 'chain'],
  cluster: ['core', 'chain', 'store'],
  labels: ['core', 'chain', 'store'],
  trace: ['core', 'chain', 'store', 'cluster', 'labels'],
  screen: ['core', 'chain', 'store', 'cluster', 'labels', 'trace'],
  api: ['core', 'chain', 'store', 'cluster', 'labels', 'trace', 'screen'],
  sim: ['core', 'chain'],
  cli: ['core', 'chain', 'store', 'cluster', 'labels', 'trace', 'screen', 'api', 'sim'],
};

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    if (statSync(p).isDirectory()) return sources(p);
    return n.endsWith('.ts') && !n.endsWith('.test.ts') ? [p] : [];
  });
}

describe('module boundaries', () => {
  const src = join(REPO_ROOT, 'src');
  const files = sources(src);

  it('every top-level folder of src/ is in the rule', () => {
    const folders = readdirSync(src).filter((n) => statSync(join(src, n)).isDirectory());
    expect(folders.sort()).toEqual(Object.keys(ALLOWED).sort());
  });

  it('imports go left to right through index.ts files', () => {
    const problems: string[] = [];
    for (const f of files) {
      const from = relative(src, f).split('/')[0] as string;
      const text = readFileSync(f, 'utf8');
      for (const m of text.matchAll(/from '((?:\.\.\/)+)([a-z]+)\/([^']*)'/g)) {
        const ups = (m[1] as string).length / 3;
        const depth = relative(src, f).split('/').length - 1;
        if (ups !== depth) continue; // a relative import inside the same top-level folder
        const to = m[2] as string;
        if (to === from) continue;
        if (!ALLOWED[from]?.includes(to)) problems.push(`${relative(REPO_ROOT, f)} imports ${to}/ (not allowed from ${from}/)`);
        if (!(m[3] as string).endsWith('index.js')) problems.push(`${relative(REPO_ROOT, f)} imports ${to}/${m[3]} (enter a folder through its index.ts)`);
      }
    }
    expect(problems).toEqual([]);
  });
});
