import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { symmetricEigen } from '../../src/item-vectors/symmetric-eigen.js';
import { referenceEigen } from './reference.js';

const symmetric = fc.integer({ min: 1, max: 8 }).chain((n) =>
  fc.array(fc.double({ min: -10, max: 10, noNaN: true }), { minLength: n * n, maxLength: n * n }).map((raw) => {
    const a = new Float64Array(n * n);
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) a[i * n + j] = (raw[i * n + j]! + raw[j * n + i]!) / 2;
    return { n, a };
  }),
);

describe('symmetricEigen', () => {
  it('hand-worked: [[2, 1], [1, 2]] has eigenvalues 3 and 1 with eigenvectors (1, ±1)/√2', () => {
    const { values, vectors } = symmetricEigen(Float64Array.from([2, 1, 1, 2]), 2);
    expect(values[0]).toBeCloseTo(3, 14);
    expect(values[1]).toBeCloseTo(1, 14);
    expect(Math.abs(vectors[0]!)).toBeCloseTo(Math.SQRT1_2, 14);
    expect(vectors[0]! * vectors[1]!).toBeCloseTo(0.5, 14);
    expect(vectors[2]! * vectors[3]!).toBeCloseTo(-0.5, 14);
  });

  it('A·v = λ·v, V orthonormal, values descending, A = Σ λ v vᵀ, and the input is untouched (property)', () => {
    fc.assert(
      fc.property(symmetric, ({ n, a }) => {
        const copy = Float64Array.from(a);
        const { values, vectors } = symmetricEigen(a, n);
        expect(Array.from(a)).toEqual(Array.from(copy));
        const scale = Math.max(1, ...Array.from(a, Math.abs));
        for (let j = 0; j + 1 < n; j++) expect(values[j]!).toBeGreaterThanOrEqual(values[j + 1]!);
        for (let j = 0; j < n; j++) {
          for (let l = 0; l < n; l++) {
            let dot = 0;
            for (let k = 0; k < n; k++) dot += vectors[j * n + k]! * vectors[l * n + k]!;
            expect(Math.abs(dot - (j === l ? 1 : 0))).toBeLessThan(1e-10);
          }
          for (let i = 0; i < n; i++) {
            let av = 0;
            for (let k = 0; k < n; k++) av += a[i * n + k]! * vectors[j * n + k]!;
            expect(Math.abs(av - values[j]! * vectors[j * n + i]!)).toBeLessThan(1e-9 * scale);
          }
        }
      }),
      { numRuns: 200 },
    );
  });

  it('eigenvalues match the reference dense Jacobi (property)', () => {
    fc.assert(
      fc.property(symmetric, ({ n, a }) => {
        const rows = Array.from({ length: n }, (_, i) => Array.from(a.subarray(i * n, i * n + n)));
        const reference = referenceEigen(rows);
        const { values } = symmetricEigen(a, n);
        reference.values.forEach((v, j) => expect(Math.abs(values[j]! - v)).toBeLessThan(1e-9 * Math.max(1, Math.abs(v))));
      }),
      { numRuns: 100 },
    );
  });
});
