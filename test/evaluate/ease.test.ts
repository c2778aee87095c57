import fc from 'fast-check';
import { inverse, Matrix } from 'ml-matrix';
import { describe, expect, it } from 'vitest';
import { cooccurrence, easeScores, easeWeights, itemSpace, regularisedInverse, userColumns } from '../../src/evaluate/ease.js';
import { spdInverse } from '../../src/evaluate/linalg.js';
import { lambdaBeyondEdge } from '../../src/evaluate/protocol.js';

const rows = (lists: number[][]): Int32Array[] => lists.map((l) => Int32Array.from(l));

function expectMatrix(actual: Float64Array, expected: number[][], digits = 12): void {
  const n = expected.length;
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) expect(actual[i * n + j]).toBeCloseTo((expected[i] as number[])[j] as number, digits);
}

describe('EASE on hand-computed 3-item cases', () => {
  it('direct path (4 users ≥ 3 items): G = [[3,2,1],[2,3,2],[1,2,2]], λ = 1', () => {
    // Users: {0,1}, {1,2}, {0,1,2}, {0}. A = G + I = [[4,2,1],[2,4,2],[1,2,3]], det A = 24,
    // P = adj(A)/24 = [[8,−4,0],[−4,11,−6],[0,−6,12]]/24, and B_ij = −P_ij/P_jj off the diagonal.
    const X = rows([[0, 1], [1, 2], [0, 1, 2], [0]]);
    expectMatrix(cooccurrence(X, 3), [[3, 2, 1], [2, 3, 2], [1, 2, 2]]);
    expectMatrix(regularisedInverse(X, 3, 1), [[8 / 24, -4 / 24, 0], [-4 / 24, 11 / 24, -6 / 24], [0, -6 / 24, 12 / 24]]);
    expectMatrix(easeWeights(X, 3, 1), [[0, 4 / 11, 0], [1 / 2, 0, 1 / 2], [0, 6 / 11, 0]]);
  });

  it('Woodbury path (2 users < 3 items): G = [[1,1,0],[1,2,1],[0,1,1]], λ = 1', () => {
    // A = [[2,1,0],[1,3,1],[0,1,2]], det A = 8, P = [[5,−2,1],[−2,4,−2],[1,−2,5]]/8.
    const X = rows([[0, 1], [1, 2]]);
    expectMatrix(regularisedInverse(X, 3, 1), [[5 / 8, -2 / 8, 1 / 8], [-2 / 8, 4 / 8, -2 / 8], [1 / 8, -2 / 8, 5 / 8]]);
    const B = easeWeights(X, 3, 1);
    expectMatrix(B, [[0, 1 / 2, -1 / 5], [2 / 5, 0, 2 / 5], [-1 / 5, 1 / 2, 0]]);
    // A user who consumed items 0 and 2 scores item j with B_0j + B_2j.
    const scores = new Float64Array(3);
    easeScores(B, 3, Int32Array.from([0, 2]), scores);
    const expected = [0 - 1 / 5, 1 / 2 + 1 / 2, -1 / 5 + 0];
    expected.forEach((value, j) => expect(scores[j]).toBeCloseTo(value, 12));
  });

  it('both paths match ml-matrix inverse(XᵀX + λI) on random data (property)', () => {
    const data = fc.record({
      n: fc.integer({ min: 1, max: 9 }),
      m: fc.integer({ min: 1, max: 12 }),
      lambda: fc.double({ min: 0.5, max: 50, noNaN: true }),
      seed: fc.array(fc.boolean(), { minLength: 108, maxLength: 108 }),
    });
    fc.assert(
      fc.property(data, ({ n, m, lambda, seed }) => {
        const X = Array.from({ length: m }, (_, u) => Int32Array.from(Array.from({ length: n }, (_, i) => i).filter((i) => seed[(u * n + i) % seed.length])));
        const dense = new Matrix(m, n);
        X.forEach((row, u) => row.forEach((i) => dense.set(u, i, 1)));
        const reference = inverse(dense.transpose().mmul(dense).add(Matrix.eye(n).mul(lambda)));
        const ours = regularisedInverse(X, n, lambda);
        for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) expect(ours[i * n + j]).toBeCloseTo(reference.get(i, j), 10);
        const B = easeWeights(X, n, lambda);
        for (let j = 0; j < n; j++) expect(B[j * n + j]).toBe(0);
      }),
    );
  });
});

describe('spdInverse', () => {
  it('inverts a random SPD matrix (A·A⁻¹ = I) and rejects a singular one', () => {
    fc.assert(
      // Up to 17: odd and even sizes, so every two-row block and every leftover row and column runs.
      fc.property(fc.integer({ min: 1, max: 17 }), fc.array(fc.double({ min: -1, max: 1, noNaN: true }), { minLength: 64, maxLength: 64 }), (n, values) => {
        const R = new Matrix(n, n);
        for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) R.set(i, j, values[(i * n + j * 7) % 61] as number);
        const A = R.mmul(R.transpose()).add(Matrix.eye(n));
        const inv = spdInverse(Float64Array.from(A.to1DArray()), n);
        const product = A.mmul(new Matrix(Array.from({ length: n }, (_, i) => Array.from(inv.subarray(i * n, i * n + n)))));
        for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) expect(product.get(i, j)).toBeCloseTo(i === j ? 1 : 0, 9);
      }),
    );
    expect(() => spdInverse(Float64Array.from([1, 1, 1, 1]), 2)).toThrow(/not positive definite/);
  });

  it('names the first pivot that is not positive, in either row of a pair and in a leftover row', () => {
    // diag(1, …, 1) with a 2 × 2 block [[1, 1], [1, 1]] at rows (at, at + 1): pivot at + 1 is 0.
    const singularAt = (n: number, at: number): Float64Array => {
      const a = new Float64Array(n * n);
      for (let i = 0; i < n; i++) a[i * n + i] = 1;
      a[at * n + at + 1] = 1;
      a[(at + 1) * n + at] = 1;
      return a;
    };
    expect(() => spdInverse(singularAt(4, 0), 4)).toThrow(/pivot 1 is 0/);
    expect(() => spdInverse(singularAt(4, 1), 4)).toThrow(/pivot 2 is 0/);
    expect(() => spdInverse(singularAt(5, 3), 5)).toThrow(/pivot 4 is 0/);
    expect(() => spdInverse(Float64Array.from([-1]), 1)).toThrow(/pivot 0 is -1/);
  });
});

describe('itemSpace and userColumns', () => {
  it('keeps items with at least minSupport distinct users and counts each user once', () => {
    const positives = rows([[0, 1, 1], [1, 2], [1, 0], [3]]);
    const space = itemSpace(positives, 5, 2);
    expect(Array.from(space.userCounts)).toEqual([2, 3, 1, 1, 0]);
    expect(Array.from(space.items)).toEqual([0, 1]);
    expect(Array.from(space.column)).toEqual([0, 1, -1, -1, -1]);
    expect(userColumns(positives, space).map((c) => Array.from(c))).toEqual([[0, 1], [1], [0, 1], []]);
  });
});

describe('lambdaBeyondEdge', () => {
  it('steps past the edge the choice sits on by the grid’s own ratio there, to three significant digits', () => {
    expect(lambdaBeyondEdge([30, 100, 300, 1000], 1000)).toBe(3330); // 1000 · 1000/300 = 3333.3…
    expect(lambdaBeyondEdge([30, 100, 300, 1000], 30)).toBe(9); // 30 · 30/100
    expect(lambdaBeyondEdge([30, 100, 300, 1000, 3330], 3330)).toBe(11100); // 3330 · 3330/1000 = 11088.9
    expect(lambdaBeyondEdge([1000, 30, 300, 100], 1000)).toBe(3330); // order does not matter
  });

  it('stays put inside the grid and for a grid of one value', () => {
    expect(lambdaBeyondEdge([30, 100, 300, 1000], 100)).toBeUndefined();
    expect(lambdaBeyondEdge([30, 100, 300, 1000], 300)).toBeUndefined();
    expect(lambdaBeyondEdge([500], 500)).toBeUndefined();
    expect(lambdaBeyondEdge([500, 500], 500)).toBeUndefined();
  });
});
