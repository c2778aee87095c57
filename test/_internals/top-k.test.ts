import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { topIndices } from '../../src/_internals/top-k.js';

/** Reference: a full stable sort by score descending, then index ascending. */
function sortedIndices(scores: readonly number[], excluded: readonly boolean[]): number[] {
  return scores
    .map((score, index) => ({ score, index }))
    .filter(({ index }) => !excluded[index])
    .sort((a, b) => b.score - a.score || a.index - b.index)
    .map(({ index }) => index);
}

describe('topIndices', () => {
  it('matches a full sort, ties by lower index, honouring exclusions', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: -3, max: 3 }), { maxLength: 60 }),
        fc.integer({ min: 1, max: 70 }),
        fc.array(fc.boolean(), { minLength: 60, maxLength: 60 }),
        (values, k, excludedFlags) => {
          const scores = Float64Array.from(values);
          const excluded = Uint8Array.from(excludedFlags.slice(0, values.length), Number);
          const expected = sortedIndices(values, excludedFlags).slice(0, k);
          expect(Array.from(topIndices(scores, k, excluded))).toEqual(expected);
          expect(Array.from(topIndices(scores, k))).toEqual(sortedIndices(values, []).slice(0, k));
        },
      ),
    );
  });

  it('handles a hand-worked case', () => {
    expect(Array.from(topIndices(Float64Array.from([0.1, 0.7, 0.7, 0.3]), 3))).toEqual([1, 2, 3]);
  });
});
