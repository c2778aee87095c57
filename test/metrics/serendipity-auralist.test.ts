import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { serendipityAuralist } from '../../src/metrics/serendipity-auralist.js';
import { vectorsArb } from './ranking.arbitraries.js';

describe('serendipityAuralist', () => {
  it('is the mean of (1 − mean cos to the history) · rel (hand-worked)', () => {
    const history = [[1, 0], [0, 1]];
    // [1, 1]: cos √2/2 to both → mean √2/2. [−1, 0]: cos −1 and 0 → mean −1/2.
    const expected = ((1 - Math.SQRT1_2) * 1 + (1 - -0.5) * 0.5) / 2;
    expect(serendipityAuralist([[1, 1], [-1, 0]], history, [1, 0.5])).toBeCloseTo(expected, 15);
  });

  it('takes the mean similarity to an empty history as 0, and gives 0 for an empty list', () => {
    expect(serendipityAuralist([[1, 0], [0, 1]], [], [1, 0])).toBe((1 + 0) / 2);
    expect(serendipityAuralist([], [[1, 0]], [])).toBe(0);
  });

  it('rejects misaligned or non-finite relevance and bad vectors', () => {
    expect(() => serendipityAuralist([[1, 0]], [[1, 0]], [1, 1])).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT', field: 'relevance' }));
    expect(() => serendipityAuralist([[1, 0]], [[1, 0]], [Number.NaN])).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT', field: 'relevance[0]' }));
    expect(() => serendipityAuralist([[1, 0]], [[0, 0]], [1])).toThrow(expect.objectContaining({ code: 'ZERO_VECTOR' }));
    expect(() => serendipityAuralist([[1, 0]], [[1]], [1])).toThrow(expect.objectContaining({ code: 'DIMENSION_MISMATCH' }));
  });

  it('lies in [0, 2] for binary relevance and is 0 when nothing is relevant', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 5 }).chain((dim) =>
          fc.tuple(vectorsArb(dim), vectorsArb(dim)).chain(([list, history]) =>
            fc.record({
              list: fc.constant(list),
              history: fc.constant(history),
              rel: fc.array(fc.constantFrom(0, 1), { minLength: list.length, maxLength: list.length }),
            }),
          ),
        ),
        ({ list, history, rel }) => {
          const value = serendipityAuralist(list, history, rel);
          expect(value).toBeGreaterThanOrEqual(-1e-12);
          expect(value).toBeLessThanOrEqual(2 + 1e-12);
          expect(serendipityAuralist(list, history, rel.map(() => 0))).toBe(0);
        },
      ),
    );
  });
});
