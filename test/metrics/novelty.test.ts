import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { novelty } from '../../src/metrics/novelty.js';

describe('novelty (MIUF)', () => {
  it('is the mean of −log2(users(i)/numUsers) (hand-worked)', () => {
    expect(novelty([1, 4, 16], 16)).toBeCloseTo((-Math.log2(1 / 16) - Math.log2(4 / 16) - Math.log2(16 / 16)) / 3, 15);
    expect(novelty([16], 16)).toBe(0);
  });

  it('counts an item nobody interacted with as one user, and gives 0 for an empty list', () => {
    expect(novelty([0, 1], 8)).toBe((-Math.log2(1 / 8) - Math.log2(1 / 8)) / 2);
    expect(novelty([], 8)).toBe(0);
  });

  it('rejects a bad numUsers or count', () => {
    for (const numUsers of [0, 0.5, -3, Number.NaN, Number.POSITIVE_INFINITY]) {
      expect(() => novelty([1], numUsers)).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT', field: 'numUsers' }));
    }
    for (const count of [-1, Number.NaN, 11]) {
      expect(() => novelty([1, count], 10)).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT', field: 'itemUserCounts[1]' }));
    }
  });

  it('lies in [0, log2(numUsers)]', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 10_000 }).chain((numUsers) =>
          fc.record({ numUsers: fc.constant(numUsers), counts: fc.array(fc.integer({ min: 0, max: numUsers }), { maxLength: 20 }) }),
        ),
        ({ numUsers, counts }) => {
          const value = novelty(counts, numUsers);
          expect(value).toBeGreaterThanOrEqual(0);
          expect(value).toBeLessThanOrEqual(Math.log2(numUsers) + 1e-12);
        },
      ),
    );
  });
});
