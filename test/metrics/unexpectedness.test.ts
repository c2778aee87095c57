import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { unexpectedness } from '../../src/metrics/unexpectedness.js';
import { vectorsArb } from './ranking.arbitraries.js';

describe('unexpectedness', () => {
  it('is the mean of 1 − max cos to the history (hand-worked)', () => {
    const history = [[1, 0], [0, 1]];
    // [1, 1]: max cos = √2/2. [−1, 0]: cos to [1,0] is −1, to [0,1] is 0 → max 0.
    expect(unexpectedness([[1, 1], [-1, 0]], history)).toBeCloseTo((1 - Math.SQRT1_2 + (1 - 0)) / 2, 15);
    expect(unexpectedness([[2, 0]], history)).toBeCloseTo(0, 15);
  });

  it('gives 1 per item for an empty history (max over ∅ = 0) and 0 for an empty list', () => {
    expect(unexpectedness([[1, 2], [3, 4]], [])).toBe(1);
    expect(unexpectedness([], [[1, 0]])).toBe(0);
  });

  it('rejects zero vectors and mismatched dimensions between list and history', () => {
    expect(() => unexpectedness([[1, 0]], [[0, 0]])).toThrow(expect.objectContaining({ code: 'ZERO_VECTOR', field: 'historyVectors[0]' }));
    expect(() => unexpectedness([[1, 0]], [[1, 0, 0]])).toThrow(expect.objectContaining({ code: 'DIMENSION_MISMATCH', field: 'historyVectors[0]' }));
    expect(() => unexpectedness([[0, 0]], [[1, 0]])).toThrow(expect.objectContaining({ code: 'ZERO_VECTOR', field: 'listVectors[0]' }));
  });

  it('lies in [0, 2] and is 0 when every list item is in the history', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 5 }).chain((dim) => fc.tuple(vectorsArb(dim), vectorsArb(dim))), ([list, history]) => {
        const value = unexpectedness(list, history);
        expect(value).toBeGreaterThanOrEqual(-1e-12);
        expect(value).toBeLessThanOrEqual(2 + 1e-12);
        if (list.length > 0) expect(unexpectedness(list, [...history, ...list])).toBeCloseTo(0, 12);
      }),
    );
  });
});
