import { describe, expect, it } from 'vitest';
import { featureMatrix, resolveFeatureSpec } from '../../../src/strategies/in/features.js';
import { deriveSerendipityLabels } from '../../../src/strategies/in/labels.js';
import { pack } from '../pre/helpers.js';

// Four candidates; history = e1. Unexpectedness 1 − cos: a 0, b 1, c 1 − 1/√2, d 2.
const candidates = [
  { id: 'a', relevance: 0.9, embedding: [1, 0], categories: ['x'], popularity: 50 },
  { id: 'b', relevance: 0.1, embedding: [0, 1], categories: ['x'], popularity: 10 },
  { id: 'c', relevance: 0.5, embedding: [1, 1], categories: ['x'], popularity: 49 },
  { id: 'd', relevance: 0.5, embedding: [-1, 0], categories: ['x'], popularity: 80 },
];
const history = [{ id: 'h', embedding: [1, 0], categories: ['x'] }];

function column(name: Parameters<typeof resolveFeatureSpec>[0]['features'][number], extra = {}): number[] {
  const spec = resolveFeatureSpec({ features: [name], ...extra }, 'test');
  const m = featureMatrix(pack(candidates, history), spec);
  return [1, 3, 5, 7].map((at) => m[at] as number);
}

describe('rank and indicator features', () => {
  it('relevanceRank is the mid-rank of relevance (ties share the middle)', () => {
    // Sorted ascending: b (0), c and d tie at positions 1 and 2 → 1.5, a (3); divided by n − 1 = 3.
    expect(column('relevanceRank')).toEqual([3 / 3, 0 / 3, 1.5 / 3, 1.5 / 3]);
  });

  it('relevanceDiscount is 1/log2(2 + position) with 0-based mid-positions', () => {
    expect(column('relevanceDiscount')).toEqual([1 / Math.log2(2), 1 / Math.log2(2 + 3), 1 / Math.log2(2 + 1.5), 1 / Math.log2(2 + 1.5)]);
  });

  it('unexpectednessRank and unexpectedAboveMedian follow 1 − max cos', () => {
    // u = [0, 1, 1 − 1/√2, 2]: ascending a, c, b, d; median = (1 − 1/√2 + 1)/2.
    expect(column('unexpectednessRank')).toEqual([0, 2 / 3, 1 / 3, 1]);
    expect(column('unexpectedAboveMedian')).toEqual([0, 1, 0, 1]);
  });

  it('unexpectednessRecent only looks at the last `recent` history items', () => {
    const older = [{ id: 'old', embedding: [0, 1], categories: ['x'] }, ...history]; // oldest first; e1 is the latest
    const spec = resolveFeatureSpec({ features: ['unexpectednessRecent', 'unexpectedness'], recent: 1 }, 'test');
    const m = featureMatrix(pack(candidates, older), spec);
    // Recent = [e1]: u = [0, 1, 1 − 1/√2, 2]. All history = [e2, e1]: b is now expected (0).
    expect([0, 3, 6, 9].map((at) => m[at + 1])).toEqual([0, 1, 1 - Math.SQRT1_2, 2].map((x, i) => (i === 2 ? expect.closeTo(x, 12) : x)));
    expect([0, 3, 6, 9].map((at) => m[at + 2])).toEqual([0, 0, expect.closeTo(1 - Math.SQRT1_2, 12), 1]);
  });

  it('popular is 1 at or above popularAbove, which it requires', () => {
    expect(column('popular', { popularAbove: 50 })).toEqual([1, 0, 0, 1]);
    expect(() => resolveFeatureSpec({ features: ['popular'] }, 'test')).toThrow(expect.objectContaining({ code: 'INVALID_OPTION' }));
  });

  it('recomputes relevance features when only the relevance changes, and reuses the others', () => {
    const spec = resolveFeatureSpec({ features: ['relevanceRank', 'unexpectedness'] }, 'test');
    const request = pack(candidates, history);
    const first = featureMatrix(request, spec);
    const reversed = { ...request, candidates: { ...request.candidates, relevance: Float64Array.from(request.candidates.relevance, (r) => -r) } };
    const second = featureMatrix(reversed, spec);
    expect([0, 3, 6, 9].map((at) => second[at + 1])).toEqual([0, 1, 1.5 / 3, 1.5 / 3]);
    expect([0, 3, 6, 9].map((at) => second[at + 2])).toEqual([0, 3, 6, 9].map((at) => first[at + 2]));
    expect([0, 3, 6, 9].map((at) => second[at])).toEqual([0, 1, 0.5, 0.5]); // min-max of −relevance
  });

  it('serves a copy that keeps the id arrays but drops the embeddings from the memo, and only the settings a column reads split it', () => {
    const spec = resolveFeatureSpec({ features: ['unexpectedness', 'popularityNovelty'], numUsers: 100 }, 'test');
    const request = pack(candidates, history);
    const full = featureMatrix(request, spec);
    const slim = { ...request, candidates: { ...request.candidates, embeddings: undefined }, history: { ...request.history, embeddings: undefined } };
    expect(Array.from(featureMatrix(slim, spec))).toEqual(Array.from(full));
    // Another numUsers changes popularity novelty (recomputed from the popularity the copy keeps),
    // not unexpectedness, which is still read from the memo.
    const other = featureMatrix(slim, resolveFeatureSpec({ features: ['unexpectedness', 'popularityNovelty'], numUsers: 1000 }, 'test'));
    expect([1, 4, 7, 10].map((at) => other[at])).toEqual([1, 4, 7, 10].map((at) => full[at]));
    expect([2, 5, 8, 11].map((at) => (other[at] as number) - (full[at] as number))).toEqual([1, 1, 1, 1].map(() => expect.closeTo(Math.log2(10), 12)));
    // A copy with fresh id arrays is another request: without embeddings it cannot compute 1 − max cos.
    const fresh = { ...slim, candidates: { ...slim.candidates, ids: [...slim.candidates.ids] } };
    expect(() => featureMatrix(fresh, spec)).toThrow();
  });
});

describe('deriveSerendipityLabels with an unexpectedness mask', () => {
  it('also requires the candidate to be unexpected', () => {
    const labels = deriveSerendipityLabels({ candidates: ['a', 'b', 'c'], heldOut: ['a', 'b', 'c'], primitive: ['c'], unexpected: [true, false, true] });
    expect(Array.from(labels)).toEqual([1, 0, 0]);
    expect(() => deriveSerendipityLabels({ candidates: ['a'], heldOut: [], primitive: [], unexpected: [] })).toThrow(
      expect.objectContaining({ code: 'INVALID_ARGUMENT' }),
    );
  });
});
