import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { precisionAtK } from '../../src/metrics/precision.js';
import { serendipityGe } from '../../src/metrics/serendipity-ge.js';
import { ID_POOL, rankingCase } from './ranking.arbitraries.js';

describe('serendipityGe', () => {
  it('counts relevant items the primitive recommender missed, over k (hand-worked)', () => {
    // Relevant in top 4: a, c, d; the primitive list has a → 2 serendipitous hits.
    expect(serendipityGe(['a', 'b', 'c', 'd', 'e'], ['a', 'c', 'd', 'e'], ['a', 'b'], 4)).toBe(2 / 4);
    expect(serendipityGe(['__proto__'], ['__proto__'], [], 3)).toBe(1 / 3);
  });

  it('rejects k ≤ 0 and a non-iterable primitive list', () => {
    expect(() => serendipityGe(['a'], ['a'], [], 0)).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
    expect(() => serendipityGe(['a'], ['a'], 3 as never, 1)).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT', field: 'primitive' }));
  });

  it('is at most precision, and equals it when the primitive list is empty', () => {
    fc.assert(
      fc.property(rankingCase, fc.array(fc.constantFrom(...ID_POOL)), ({ list, relevant, k }, primitive) => {
        const value = serendipityGe(list, relevant, primitive, k);
        expect(value).toBeGreaterThanOrEqual(0);
        expect(value).toBeLessThanOrEqual(precisionAtK(list, relevant, k));
        expect(serendipityGe(list, relevant, [], k)).toBe(precisionAtK(list, relevant, k));
      }),
    );
  });
});
