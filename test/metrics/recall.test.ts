import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { recallAtK } from '../../src/metrics/recall.js';
import { rankingCase } from './ranking.arbitraries.js';

describe('recallAtK', () => {
  it('is hits in the top k over |R| (hand-worked)', () => {
    expect(recallAtK(['a', 'b', 'c', 'd'], ['b', 'd', 'z'], 3)).toBe(1 / 3);
    expect(recallAtK(['a', 'b', 'c', 'd'], ['b', 'd', 'z', 'b'], 4)).toBe(2 / 3);
  });

  it('is 0 when there are no relevant items', () => {
    expect(recallAtK(['a', 'b'], [], 2)).toBe(0);
    expect(recallAtK([], new Set<string>(), 2)).toBe(0);
  });

  it('rejects k ≤ 0', () => {
    expect(() => recallAtK(['a'], ['a'], 0)).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
  });

  it('lies in [0, 1], grows with k, and reaches 1 when the whole relevant set is listed within k', () => {
    fc.assert(
      fc.property(rankingCase, ({ list, relevant, k }) => {
        const value = recallAtK(list, relevant, k);
        expect(value).toBeGreaterThanOrEqual(0);
        expect(value).toBeLessThanOrEqual(1);
        expect(recallAtK(list, relevant, k + 1)).toBeGreaterThanOrEqual(value);
        const unique = new Set(relevant);
        if (unique.size > 0 && [...unique].every((id) => list.slice(0, k).includes(id))) expect(value).toBe(1);
      }),
    );
  });
});
