import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isRerankError, itemVectors, type ItemVectorMethod } from '../../src/index.js';
import { denseMatrix, gram, rankApproximation, referenceEigen } from './reference.js';

type Pair = readonly [number, number];

/** Random small interaction data: n items, up to 15 users, distinct pairs after dedup. */
const data = fc
  .record({ n: fc.integer({ min: 2, max: 10 }), users: fc.integer({ min: 1, max: 15 }) })
  .chain(({ n, users }) =>
    fc.record({
      n: fc.constant(n),
      pairs: fc.array(fc.tuple(fc.integer({ min: 0, max: users - 1 }), fc.integer({ min: 0, max: n - 1 })), { minLength: 1, maxLength: 60 }),
    }),
  );
const methods = fc.constantFrom<ItemVectorMethod>('cosine', 'cooccurrence');

function fromPairs(n: number, pairs: readonly Pair[]) {
  return { numItems: n, users: pairs.map((p) => p[0]), items: pairs.map((p) => p[1]) };
}

function expectMatrixClose(actual: number[][], expected: number[][], tolerance: number): void {
  let worst = 0;
  actual.forEach((row, i) => row.forEach((x, j) => (worst = Math.max(worst, Math.abs(x - expected[i]![j]!)))));
  expect(worst).toBeLessThan(tolerance);
}

/** A fixed 60-item, 300-user matrix with three planted taste clusters and popularity skew. */
function clustered(): Pair[] {
  let state = 12345;
  const random = () => ((state = (Math.imul(state, 1103515245) + 12345) >>> 0) / 2 ** 32);
  const pairs: Pair[] = [];
  for (let u = 0; u < 300; u++) {
    const cluster = u % 3;
    for (let i = 0; i < 60; i++) {
      const inCluster = Math.floor(i / 20) === cluster;
      const popular = i % 20 < 4;
      const p = (inCluster ? 0.35 : 0.04) + (popular ? 0.3 : 0);
      if (random() < p) pairs.push([u, i]);
    }
  }
  return pairs;
}

describe('itemVectors: hand-worked case', () => {
  // Users {0: items 0,1}, {1: item 0}. XᵀX = [[2,1],[1,1]]; cosine M = [[1, 1/√2], [1/√2, 1]],
  // eigenvalues 1 ± 1/√2 with eigenvectors (1, ±1)/√2.
  const input = { numItems: 2, users: [0, 0, 1], items: [0, 1, 0] };

  it('dim 2 reproduces the cosine matrix exactly', () => {
    const { vectors, dim, eigenvalues } = itemVectors(input, { dim: 2 });
    expect(dim).toBe(2);
    expect(eigenvalues[0]).toBeCloseTo(1 + Math.SQRT1_2, 12);
    expect(eigenvalues[1]).toBeCloseTo(1 - Math.SQRT1_2, 12);
    expectMatrixClose(gram(vectors, 2, 2), [[1, Math.SQRT1_2], [Math.SQRT1_2, 1]], 1e-12);
  });

  it('dim 1 is the top eigenvector scaled by √λ, sign fixed positive', () => {
    const { vectors } = itemVectors(input, { dim: 1 });
    const expected = Math.sqrt(1 + Math.SQRT1_2) * Math.SQRT1_2;
    expect(vectors[0]).toBeCloseTo(expected, 12);
    expect(vectors[1]).toBeCloseTo(expected, 12);
  });

  it('the cooccurrence method factorises the raw XᵀX', () => {
    const { vectors, eigenvalues } = itemVectors(input, { dim: 2, method: 'cooccurrence' });
    expect(eigenvalues[0]).toBeCloseTo((3 + Math.sqrt(5)) / 2, 12);
    expectMatrixClose(gram(vectors, 2, 2), [[2, 1], [1, 1]], 1e-12);
  });
});

describe('itemVectors: brute-force cross-checks', () => {
  it('dim = numItems reproduces the dense matrix, vᵢ·vⱼ = M_ij (property)', () => {
    fc.assert(
      fc.property(data, methods, ({ n, pairs }, method) => {
        const { vectors, dim } = itemVectors(fromPairs(n, pairs), { dim: n, method, seed: 3 });
        expect(dim).toBe(n);
        expectMatrixClose(gram(vectors, n, dim), denseMatrix(n, pairs, method), 1e-8);
      }),
      { numRuns: 60 },
    );
  });

  it('truncated: eigenvalues and the Gram matrix match the reference rank-d approximation when λ_d > λ_{d+1} (property)', () => {
    fc.assert(
      fc.property(data, methods, fc.integer({ min: 1, max: 4 }), ({ n, pairs }, method, d) => {
        fc.pre(d < n);
        const reference = referenceEigen(denseMatrix(n, pairs, method));
        const gap = reference.values[d - 1]! - reference.values[d]!;
        fc.pre(gap > 1e-3 * Math.max(1, reference.values[0]!));
        // Subspace iteration converges like (λ_{d+1}/λ_d)^iterations: with a narrow gap 30 iterations
        // cannot reach 1e-5, so only instances whose gap guarantees convergence are compared.
        fc.pre(Math.max(reference.values[d]!, 0) / reference.values[d - 1]! < 0.5);
        const { vectors, eigenvalues } = itemVectors(fromPairs(n, pairs), { dim: d, method, oversampling: 2, iterations: 30 });
        for (let c = 0; c < d; c++) expect(eigenvalues[c]).toBeCloseTo(Math.max(reference.values[c]!, 0), 6);
        expectMatrixClose(gram(vectors, n, d), rankApproximation(reference, d), 1e-5);
      }),
      { numRuns: 60 },
    );
  });

  it('the planted 60-item case: the top-3 subspace (the planted clusters, a wide eigengap) agrees with the dense eigendecomposition', () => {
    const pairs = clustered();
    for (const method of ['cosine', 'cooccurrence'] as const) {
      const reference = referenceEigen(denseMatrix(60, pairs, method));
      const d = 3;
      const { vectors, eigenvalues } = itemVectors(fromPairs(60, pairs), { dim: d, method, seed: 9 });
      for (let c = 0; c < d; c++) expect(eigenvalues[c]! / reference.values[c]!).toBeCloseTo(1, 6);
      // Subspace agreement: ‖P_est − P_ref‖_F, with P the orthogonal projector on the span of the vectors.
      const unitColumns = Array.from({ length: d }, (_, c) => {
        const column = Array.from({ length: 60 }, (_, i) => vectors[i * d + c]!);
        const norm = Math.hypot(...column);
        return column.map((x) => x / norm);
      });
      let distance = 0;
      for (let i = 0; i < 60; i++) {
        for (let j = 0; j < 60; j++) {
          let est = 0;
          let ref = 0;
          for (let c = 0; c < d; c++) {
            est += unitColumns[c]![i]! * unitColumns[c]![j]!;
            ref += reference.vectors[c]![i]! * reference.vectors[c]![j]!;
          }
          distance += (est - ref) ** 2;
        }
      }
      expect(Math.sqrt(distance)).toBeLessThan(1e-8);
    }
  });

  it('cosine vectors separate the planted clusters better than the raw co-occurrence ones', () => {
    // Within-cluster minus across-cluster mean cosine between items, excluding the popular items.
    const pairs = clustered();
    const separation = (method: ItemVectorMethod): number => {
      const { vectors, dim } = itemVectors(fromPairs(60, pairs), { dim: 3, method });
      const g = gram(vectors, 60, dim);
      let within = 0;
      let across = 0;
      let nw = 0;
      let na = 0;
      for (let i = 0; i < 60; i++) {
        for (let j = i + 1; j < 60; j++) {
          if (i % 20 < 4 || j % 20 < 4) continue;
          const cos = g[i]![j]! / Math.sqrt(g[i]![i]! * g[j]![j]!);
          if (Math.floor(i / 20) === Math.floor(j / 20)) {
            within += cos;
            nw++;
          } else {
            across += cos;
            na++;
          }
        }
      }
      return within / nw - across / na;
    };
    expect(separation('cosine')).toBeGreaterThan(separation('cooccurrence'));
  });
});

describe('itemVectors: determinism and input forms', () => {
  it('same input and seed give identical bits; another seed gives the same Gram matrix (property)', () => {
    fc.assert(
      fc.property(data, methods, ({ n, pairs }, method) => {
        const input = fromPairs(n, pairs);
        const a = itemVectors(input, { dim: n, method, seed: 5 });
        const b = itemVectors(input, { dim: n, method, seed: 5 });
        expect(Array.from(b.vectors)).toEqual(Array.from(a.vectors));
        const c = itemVectors(input, { dim: n, method, seed: 6 });
        expectMatrixClose(gram(c.vectors, n, n), gram(a.vectors, n, n), 1e-8);
      }),
      { numRuns: 30 },
    );
  });

  it('CSR rows and (user, item) pairs give the same vectors; duplicate pairs count once', () => {
    fc.assert(
      fc.property(data, ({ n, pairs }) => {
        const byUser = new Map<number, number[]>();
        for (const [u, i] of pairs) byUser.set(u, [...(byUser.get(u) ?? []), i]);
        const indptr = [0];
        const indices: number[] = [];
        for (const user of byUser.keys()) {
          indices.push(...byUser.get(user)!);
          indptr.push(indices.length);
        }
        const fromCsr = itemVectors({ numItems: n, indptr, indices }, { dim: 2 });
        const doubled = itemVectors(fromPairs(n, [...pairs, ...pairs]), { dim: 2 });
        const plain = itemVectors(fromPairs(n, pairs), { dim: 2 });
        expect(Array.from(fromCsr.vectors)).toEqual(Array.from(plain.vectors));
        expect(Array.from(doubled.vectors)).toEqual(Array.from(plain.vectors));
      }),
      { numRuns: 40 },
    );
  });

  it('items without interactions get zero vectors, even with no iterations', () => {
    for (const iterations of [0, 3]) {
      const { vectors, dim } = itemVectors({ numItems: 5, users: [0, 0, 1, 2], items: [0, 2, 2, 4] }, { dim: 3, iterations });
      for (const empty of [1, 3]) expect(Array.from(vectors.subarray(empty * dim, empty * dim + dim), Math.abs)).toEqual([0, 0, 0]);
    }
  });

  it('each column has its first largest-magnitude entry positive (property)', () => {
    fc.assert(
      fc.property(data, methods, ({ n, pairs }, method) => {
        const { vectors, dim } = itemVectors(fromPairs(n, pairs), { dim: 3, method });
        for (let c = 0; c < dim; c++) {
          const column = Array.from({ length: n }, (_, i) => vectors[i * dim + c]!);
          const largest = Math.max(...column.map(Math.abs));
          const leading = column.find((x) => Math.abs(x) >= (1 - 1e-9) * largest)!;
          expect(leading).toBeGreaterThanOrEqual(0);
        }
      }),
      { numRuns: 40 },
    );
  });

  it('memory follows the interactions: 200 000 items with a handful of pairs is fine', () => {
    // A dense 200 000² matrix would need 320 GB; the sparse products need a few (d + p) × n blocks.
    const numItems = 200_000;
    const { vectors, dim } = itemVectors({ numItems, users: [0, 0, 1, 1, 2], items: [7, 199_999, 7, 42, 42] }, { dim: 2, oversampling: 1, iterations: 2 });
    expect(vectors.length).toBe(numItems * dim);
    // Cosine matrix on items {7, 42, 199999}: [[1, ½, 1/√2], [½, 1, 0], [1/√2, 0, 1]]: its top eigenvector has positive weight on all three.
    expect(vectors[7 * dim]).toBeGreaterThan(0);
    expect(vectors[42 * dim]).toBeGreaterThan(0);
    expect(vectors[199_999 * dim]).toBeGreaterThan(0);
  });

  it('caps dim at the number of items', () => {
    const result = itemVectors({ numItems: 3, users: [0, 1], items: [0, 2] }, { dim: 10 });
    expect(result.dim).toBe(3);
    expect(result.vectors.length).toBe(9);
  });
});

describe('itemVectors: bad input', () => {
  const good = { numItems: 3, users: [0, 1], items: [0, 2] };
  const cases: [string, () => unknown, string, string][] = [
    ['null interactions', () => itemVectors(null as never), 'INVALID_ARGUMENT', 'interactions'],
    ['numItems 0', () => itemVectors({ ...good, numItems: 0 }), 'INVALID_ARGUMENT', 'interactions.numItems'],
    ['numItems 2.5', () => itemVectors({ ...good, numItems: 2.5 }), 'INVALID_ARGUMENT', 'interactions.numItems'],
    ['item out of range', () => itemVectors({ ...good, items: [0, 3] }), 'INVALID_ARGUMENT', 'interactions.items[1]'],
    ['negative user', () => itemVectors({ ...good, users: [-1, 0] }), 'INVALID_ARGUMENT', 'interactions.users[0]'],
    ['NaN item', () => itemVectors({ ...good, items: [Number.NaN, 0] }), 'INVALID_ARGUMENT', 'interactions.items[0]'],
    ['misaligned pairs', () => itemVectors({ ...good, items: [0] }), 'INVALID_ARGUMENT', 'interactions.items'],
    ['no arrays', () => itemVectors({ numItems: 3 } as never), 'INVALID_ARGUMENT', 'interactions'],
    ['indptr not ending at indices.length', () => itemVectors({ numItems: 3, indptr: [0, 1], indices: [0, 1] }), 'INVALID_ARGUMENT', 'interactions.indptr'],
    ['decreasing indptr', () => itemVectors({ numItems: 3, indptr: [0, 2, 1, 2], indices: [0, 1] }), 'INVALID_ARGUMENT', 'interactions.indptr[2]'],
    ['CSR index out of range', () => itemVectors({ numItems: 3, indptr: [0, 1], indices: [5] }), 'INVALID_ARGUMENT', 'interactions.indices[0]'],
    ['dim 0', () => itemVectors(good, { dim: 0 }), 'INVALID_OPTION', 'options.dim'],
    ['dim 1.5', () => itemVectors(good, { dim: 1.5 }), 'INVALID_OPTION', 'options.dim'],
    ['unknown method', () => itemVectors(good, { method: 'svd' as never }), 'INVALID_OPTION', 'options.method'],
    ['negative seed', () => itemVectors(good, { seed: -1 }), 'INVALID_OPTION', 'options.seed'],
    ['typo in an option', () => itemVectors(good, { dims: 4 } as never), 'UNKNOWN_OPTION', 'options.dims'],
  ];
  it.each(cases)('%s → %s', (_, call, code, field) => {
    let caught: unknown;
    try {
      call();
    } catch (error) {
      caught = error;
    }
    expect(isRerankError(caught)).toBe(true);
    expect((caught as { code: string }).code).toBe(code);
    expect((caught as { field: string }).field).toBe(field);
  });
});
