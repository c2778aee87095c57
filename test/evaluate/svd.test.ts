import fc from 'fast-check';
import { EigenvalueDecomposition, Matrix } from 'ml-matrix';
import { describe, expect, it } from 'vitest';
import { cooccurrence } from '../../src/evaluate/ease.js';
import { multiplyCooccurrence, truncatedSvdEmbeddings } from '../../src/evaluate/svd.js';

const lists = fc
  .record({ n: fc.integer({ min: 2, max: 12 }), m: fc.integer({ min: 1, max: 15 }) })
  .chain(({ n, m }) =>
    fc.record({
      n: fc.constant(n),
      X: fc.array(fc.uniqueArray(fc.integer({ min: 0, max: n - 1 }), { maxLength: n }).map((r) => Int32Array.from(r.sort((a, b) => a - b))), {
        minLength: m,
        maxLength: m,
      }),
    }),
  );

describe('multiplyCooccurrence', () => {
  it('equals the dense product G·v with G = XᵀX (property)', () => {
    fc.assert(
      fc.property(lists, fc.array(fc.double({ min: -1, max: 1, noNaN: true }), { minLength: 24, maxLength: 24 }), ({ n, X }, v) => {
        const gram = cooccurrence(X, n);
        const basis = Float64Array.from({ length: 2 * n }, (_, i) => v[i % 24] as number);
        const out = new Float64Array(2 * n);
        multiplyCooccurrence(X, n, basis, 2, out);
        for (let r = 0; r < 2; r++) {
          for (let i = 0; i < n; i++) {
            let expected = 0;
            for (let k = 0; k < n; k++) expected += (gram[i * n + k] as number) * (basis[r * n + k] as number);
            expect(out[r * n + i]).toBeCloseTo(expected, 10);
          }
        }
      }),
    );
  });
});

describe('truncatedSvdEmbeddings', () => {
  it('reconstructs G exactly (vᵢ·vⱼ = G_ij) when dim ≥ n (property)', () => {
    fc.assert(
      fc.property(lists, ({ n, X }) => {
        const gram = cooccurrence(X, n);
        const { vectors, dim } = truncatedSvdEmbeddings(X, n, { dim: n, seed: 3 });
        expect(dim).toBe(n);
        for (let i = 0; i < n; i++) {
          for (let j = 0; j < n; j++) {
            let dot = 0;
            for (let d = 0; d < dim; d++) dot += (vectors[i * dim + d] as number) * (vectors[j * dim + d] as number);
            expect(dot).toBeCloseTo(gram[i * n + j] as number, 8);
          }
        }
      }),
      { numRuns: 40 },
    );
  });

  it('keeps the top-d eigenvalues of G: the squared column norms match ml-matrix EVD', () => {
    // A fixed 30-item, 40-user matrix with a decaying spectrum (users draw from nested item ranges).
    const n = 30;
    const X = Array.from({ length: 40 }, (_, u) => Int32Array.from(Array.from({ length: 3 + (u % 9) }, (_, t) => (u * 7 + t * (1 + (u % 4))) % n)).sort());
    const unique = X.map((r) => Int32Array.from(new Set(r)));
    const gram = cooccurrence(unique, n);
    const reference = new EigenvalueDecomposition(new Matrix(Array.from({ length: n }, (_, i) => Array.from(gram.subarray(i * n, i * n + n)))), {
      assumeSymmetric: true,
    }).realEigenvalues.sort((a, b) => b - a);
    const d = 5;
    const { vectors } = truncatedSvdEmbeddings(unique, n, { dim: d, seed: 9 });
    for (let c = 0; c < d; c++) {
      let norm = 0;
      for (let i = 0; i < n; i++) norm += (vectors[i * d + c] as number) ** 2;
      expect(norm).toBeCloseTo(reference[c] as number, 6);
    }
  });

  it('is deterministic for a seed', () => {
    const X = [Int32Array.from([0, 1]), Int32Array.from([1, 2]), Int32Array.from([0, 2, 3])];
    expect(truncatedSvdEmbeddings(X, 4, { dim: 2, seed: 5 }).vectors).toEqual(truncatedSvdEmbeddings(X, 4, { dim: 2, seed: 5 }).vectors);
  });
});
