import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MapUnionFind, UnionFind } from './unionFind.js';

/** Reference partition: connected components by repeated relabelling (quadratic, obviously correct). */
function components(n: number, pairs: readonly [number, number][]): number[] {
  const label = Array.from({ length: n }, (_, i) => i);
  for (const [a, b] of pairs) {
    const la = label[a] as number;
    const lb = label[b] as number;
    if (la === lb) continue;
    const keep = Math.min(la, lb);
    const drop = Math.max(la, lb);
    for (let i = 0; i < n; i++) if (label[i] === drop) label[i] = keep;
  }
  return label;
}

const pairsArb = fc.integer({ min: 1, max: 60 }).chain((n) =>
  fc.tuple(fc.constant(n), fc.array(fc.tuple(fc.nat(n - 1), fc.nat(n - 1)), { maxLength: 120 })),
);

describe('UnionFind', () => {
  it('labels each set by its smallest id, matching a reference partition', () => {
    fc.assert(
      fc.property(pairsArb, ([n, pairs]) => {
        const uf = new UnionFind(n);
        for (const [a, b] of pairs) uf.union(a, b);
        expect(Array.from(uf.labels())).toEqual(components(n, pairs));
      }),
    );
  });

  it('gives the same labels whatever the order of the merges', () => {
    fc.assert(
      fc.property(
        pairsArb.chain(([n, pairs]) => fc.tuple(fc.constant(n), fc.constant(pairs), fc.shuffledSubarray(pairs, { minLength: pairs.length }))),
        ([n, pairs, shuffled]) => {
          const a = new UnionFind(n);
          for (const [x, y] of pairs) a.union(x, y);
          const b = new UnionFind(n);
          for (const [x, y] of shuffled) b.union(y, x);
          expect(Array.from(b.labels())).toEqual(Array.from(a.labels()));
        },
      ),
    );
  });

  it('union reports whether two sets were joined; the number of true results is n - #sets', () => {
    fc.assert(
      fc.property(pairsArb, ([n, pairs]) => {
        const uf = new UnionFind(n);
        let joined = 0;
        for (const [a, b] of pairs) if (uf.union(a, b)) joined++;
        const sets = new Set(components(n, pairs)).size;
        expect(joined).toBe(n - sets);
      }),
    );
  });

  it('resumes from labels (incremental) and grows with singletons', () => {
    fc.assert(
      fc.property(pairsArb, fc.array(fc.tuple(fc.nat(80), fc.nat(80)), { maxLength: 40 }), ([n, pairs], more) => {
        const uf = new UnionFind(n);
        for (const [a, b] of pairs) uf.union(a, b);
        const resumed = UnionFind.fromLabels(uf.labels());
        resumed.grow(n + 21);
        const extra = more.map(([a, b]) => [a % (n + 21), b % (n + 21)] as [number, number]);
        for (const [a, b] of extra) resumed.union(a, b);
        expect(Array.from(resumed.labels())).toEqual(components(n + 21, [...pairs, ...extra]));
      }),
    );
  });

  it('treats 0xffffffff labels as not yet clustered and rejects labels that are not roots', () => {
    const uf = UnionFind.fromLabels(Uint32Array.from([0, 0, 0xffffffff, 0]), 5);
    expect(Array.from(uf.labels())).toEqual([0, 0, 2, 0, 4]);
    expect(() => UnionFind.fromLabels(Uint32Array.from([0, 0, 0xffffffff, 2]))).toThrow(/id 3 has label 2/);
    expect(() => UnionFind.fromLabels(Uint32Array.from([1, 2, 2]))).toThrow(/id 0 has label 1/);
  });

  it('MapUnionFind (the benchmark baseline) computes the same partition', () => {
    fc.assert(
      fc.property(pairsArb, ([n, pairs]) => {
        const m = new MapUnionFind();
        const uf = new UnionFind(n);
        for (const [a, b] of pairs) expect(m.union(a, b)).toBe(uf.union(a, b));
        for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) expect(m.find(i) === m.find(j)).toBe(uf.find(i) === uf.find(j));
      }),
      { numRuns: 30 },
    );
  });
});
