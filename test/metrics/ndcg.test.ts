import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ndcgAtK } from '../../src/metrics/ndcg.js';
import { rankingCase } from './ranking.arbitraries.js';

describe('ndcgAtK', () => {
  it('matches the definition on hand-worked lists', () => {
    // Hits at ranks 1 and 3; |R| = 2 so the ideal list has hits at ranks 1 and 2.
    expect(ndcgAtK(['a', 'x', 'b'], ['a', 'b'], 3)).toBeCloseTo((1 + 1 / Math.log2(4)) / (1 + 1 / Math.log2(3)), 15);
    // One hit at rank 2, |R| = 3 but k = 2 caps the ideal at two hits.
    expect(ndcgAtK(['x', 'a', 'y'], ['a', 'b', 'c'], 2)).toBeCloseTo(1 / Math.log2(3) / (1 + 1 / Math.log2(3)), 15);
    expect(ndcgAtK(['a', 'b'], ['b', 'a'], 2)).toBe(1);
  });

  it('is 0 with no relevant items (IDCG = 0) and for an empty list', () => {
    expect(ndcgAtK(['a', 'b'], [], 2)).toBe(0);
    expect(ndcgAtK([], ['a'], 2)).toBe(0);
  });

  it('only reads the first k ids', () => {
    expect(ndcgAtK(['x', 'y', 'a'], ['a'], 2)).toBe(0);
  });

  it('rejects k ≤ 0', () => {
    expect(() => ndcgAtK(['a'], ['a'], -2)).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
  });

  it('lies in [0, 1] and is 1 exactly when the top min(k, |R|) slots are all relevant', () => {
    fc.assert(
      fc.property(rankingCase, ({ list, relevant, k }) => {
        const value = ndcgAtK(list, relevant, k);
        expect(value).toBeGreaterThanOrEqual(0);
        expect(value).toBeLessThanOrEqual(1 + 1e-12);
        const unique = new Set(relevant);
        const ideal = Math.min(k, unique.size);
        const perfect = ideal > 0 && list.length >= ideal && list.slice(0, ideal).every((id) => unique.has(id));
        if (perfect) expect(value).toBeCloseTo(1, 12);
        else expect(value).toBeLessThan(1);
      }),
    );
  });
});
