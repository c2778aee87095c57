import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { intraListDiversity } from '../../src/metrics/intra-list-diversity.js';
import { vectorsArb } from './ranking.arbitraries.js';

const cos = (a: readonly number[], b: readonly number[]) => {
  const dot = a.reduce((s, x, j) => s + x * (b[j] as number), 0);
  return dot / (Math.hypot(...a) * Math.hypot(...b));
};

describe('intraListDiversity', () => {
  it('is the mean pairwise cosine distance (hand-worked)', () => {
    // Pairs: (x, y) orthogonal → 1; (x, −x) opposite → 2; (y, −x) orthogonal → 1.
    expect(intraListDiversity([[1, 0], [0, 3], [-2, 0]])).toBeCloseTo((1 + 2 + 1) / 3, 15);
    // 45°: 1 − cos 45° = 1 − √2/2; scale does not matter.
    expect(intraListDiversity([[1, 0], [5, 5]])).toBeCloseTo(1 - Math.SQRT1_2, 15);
  });

  it('is 0 for fewer than two items', () => {
    expect(intraListDiversity([])).toBe(0);
    expect(intraListDiversity([[1, 2, 3]])).toBe(0);
  });

  it('rejects zero vectors, mixed dimensions and non-finite entries with typed errors', () => {
    expect(() => intraListDiversity([[1, 0], [0, 0]])).toThrow(expect.objectContaining({ code: 'ZERO_VECTOR', field: 'vectors[1]' }));
    expect(() => intraListDiversity([[1, 0], [1, 0, 0]])).toThrow(expect.objectContaining({ code: 'DIMENSION_MISMATCH', field: 'vectors[1]' }));
    expect(() => intraListDiversity([[1, Number.NaN]])).toThrow(expect.objectContaining({ code: 'NON_FINITE_EMBEDDING' }));
    expect(() => intraListDiversity([[0, 0]])).toThrow(expect.objectContaining({ code: 'ZERO_VECTOR' }));
  });

  it('lies in [0, 2] and equals a brute-force mean over pairs', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 5 }).chain((dim) => vectorsArb(dim)), (vectors) => {
        const value = intraListDiversity(vectors);
        expect(value).toBeGreaterThanOrEqual(-1e-12);
        expect(value).toBeLessThanOrEqual(2 + 1e-12);
        let sum = 0;
        let pairs = 0;
        for (let a = 0; a < vectors.length; a++) {
          for (let b = a + 1; b < vectors.length; b++) {
            sum += 1 - cos(vectors[a] as number[], vectors[b] as number[]);
            pairs++;
          }
        }
        expect(value).toBeCloseTo(pairs === 0 ? 0 : sum / pairs, 9);
      }),
    );
  });
});
