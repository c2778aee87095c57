import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { precisionAtK } from '../../src/metrics/precision.js';
import { rankingCase } from './ranking.arbitraries.js';

describe('precisionAtK', () => {
  it('is hits in the top k over k (hand-worked)', () => {
    expect(precisionAtK(['a', 'b', 'c', 'd'], ['b', 'd', 'z'], 3)).toBe(1 / 3);
    expect(precisionAtK(['a', 'b', 'c', 'd'], ['b', 'd', 'z'], 4)).toBe(2 / 4);
  });

  it('still divides by k when the list is shorter than k', () => {
    expect(precisionAtK(['a', 'b'], ['a', 'b'], 5)).toBe(2 / 5);
    expect(precisionAtK([], ['a'], 3)).toBe(0);
  });

  it('treats prototype-like ids as ordinary ids and counts repeated relevant ids once', () => {
    expect(precisionAtK(['__proto__', 'constructor'], new Set(['__proto__']), 2)).toBe(1 / 2);
    expect(precisionAtK(['x', 'toString'], ['toString', 'toString'], 2)).toBe(1 / 2);
  });

  it('rejects k ≤ 0, non-integer k, repeats in the list and a bare string as the relevant set', () => {
    for (const k of [0, -1, 1.5, Number.NaN]) {
      expect(() => precisionAtK(['a'], ['a'], k)).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT', field: 'k' }));
    }
    expect(() => precisionAtK(['a', 'a'], ['a'], 2)).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT', field: 'list[1]' }));
    expect(() => precisionAtK(['a'], 'a' as never, 1)).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT', field: 'relevant' }));
  });

  it('lies in [0, 1] and equals a brute-force count', () => {
    fc.assert(
      fc.property(rankingCase, ({ list, relevant, k }) => {
        const value = precisionAtK(list, relevant, k);
        expect(value).toBeGreaterThanOrEqual(0);
        expect(value).toBeLessThanOrEqual(1);
        expect(value).toBe(list.slice(0, k).filter((id) => relevant.includes(id)).length / k);
      }),
    );
  });
});
