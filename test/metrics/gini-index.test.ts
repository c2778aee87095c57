import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { giniIndex } from '../../src/metrics/gini-index.js';
import { ID_POOL } from './ranking.arbitraries.js';

/** Mean absolute difference form: G = Σ_a Σ_b |x_a − x_b| / (2 n² mean) — equal to the sorted form. */
function giniByPairs(counts: readonly number[]): number {
  const n = counts.length;
  const total = counts.reduce((s, x) => s + x, 0);
  if (total === 0) return 0;
  let sum = 0;
  for (const a of counts) for (const b of counts) sum += Math.abs(a - b);
  return sum / (2 * n * total);
}

describe('giniIndex', () => {
  it('follows the sorted-exposure formula (hand-worked)', () => {
    // Exposure over catalogue [a, b, c, d]: a 2, b 1, c 0, d 0 → sorted 0, 0, 1, 2; n = 4, Σ = 3.
    // Σ (2i − n − 1)·P_(i) = (−3)·0 + (−1)·0 + 1·1 + 3·2 = 7 → 7 / (4·3).
    expect(giniIndex([['a', 'b'], ['a']], ['a', 'b', 'c', 'd'])).toBeCloseTo(7 / 12, 15);
  });

  it('is 0 for equal exposure and for no exposure at all', () => {
    expect(giniIndex([['a', 'b'], ['c', 'd']], ['a', 'b', 'c', 'd'])).toBe(0);
    expect(giniIndex([[], []], ['a', 'b'])).toBe(0);
  });

  it('reaches (n−1)/n when one item takes all exposure', () => {
    expect(giniIndex([['a'], ['a'], ['a']], ['a', 'b', 'c', 'd', 'e'])).toBeCloseTo(4 / 5, 15);
  });

  it('rejects an id outside the catalogue', () => {
    expect(() => giniIndex([['x']], ['a'])).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
  });

  it('lies in [0, 1) and equals the mean-absolute-difference form', () => {
    fc.assert(
      fc.property(fc.array(fc.uniqueArray(fc.constantFrom(...ID_POOL))), (lists) => {
        const value = giniIndex(lists, ID_POOL);
        expect(value).toBeGreaterThanOrEqual(0);
        expect(value).toBeLessThan(1);
        const counts = ID_POOL.map((id) => lists.filter((list) => list.includes(id)).length);
        expect(value).toBeCloseTo(giniByPairs(counts), 12);
      }),
    );
  });
});
