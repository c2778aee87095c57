import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { rerank } from '../../../src/rerank.js';
import { categoryNoveltyBlend, categoryNoveltyFeature } from '../../../src/strategies/pre/category-novelty.js';
import { popularityNoveltyBlend, popularityNoveltyFeature } from '../../../src/strategies/pre/popularity-novelty.js';
import { describeRerankerContract, requestArb } from '../../contract/reranker-contract.js';
import { pack } from './helpers.js';

describe('popularityNoveltyFeature', () => {
  const candidates = [
    { id: 'a', relevance: 1, popularity: 8 },
    { id: 'b', relevance: 0.5, popularity: 1 },
    { id: 'c', relevance: 0, popularity: 0 },
  ];
  const request = pack(candidates, [], { popularity: 'required' });

  it('is −log2(popularity / numUsers), with 0 counted as 1', () => {
    expect(Array.from(popularityNoveltyFeature(request, { numUsers: 64 }))).toEqual([-Math.log2(8 / 64), -Math.log2(1 / 64), -Math.log2(1 / 64)]);
  });

  it('defaults numUsers to the largest popularity', () => {
    expect(Array.from(popularityNoveltyFeature(request))).toEqual([0, 3, 3]);
  });

  it('rejects a popularity above numUsers and a request packed without popularity', () => {
    expect(() => popularityNoveltyFeature(request, { numUsers: 4 })).toThrow(expect.objectContaining({ code: 'INVALID_POPULARITY' }));
    expect(() => popularityNoveltyFeature(pack(candidates, [], {}))).toThrow(expect.objectContaining({ code: 'MISSING_POPULARITY' }));
    expect(() => popularityNoveltyFeature(request, { numUsers: 0 })).toThrow(expect.objectContaining({ code: 'INVALID_OPTION' }));
  });

  it('lies in [0, log2(numUsers)]', () => {
    fc.assert(
      fc.property(requestArb(), (r) => {
        for (const x of popularityNoveltyFeature(pack(r.candidates, [], { popularity: 'required' }), { numUsers: 1000 })) {
          expect(x).toBeGreaterThanOrEqual(0);
          expect(x).toBeLessThanOrEqual(Math.log2(1000));
        }
      }),
    );
  });

  it('blends: a heavy weight promotes the rare item', () => {
    const { items } = rerank({ candidates, k: 2, strategy: popularityNoveltyBlend({ weight: 0.8 }) });
    // rel' = [1, 0.5, 0], novelty' = [0, 1, 1] → scores 0.2, 0.9, 0.8.
    expect(items.map((item) => item.id)).toEqual(['b', 'c']);
    expect(items[0]?.score).toBeCloseTo(0.2 * 0.5 + 0.8 * 1, 12);
  });
});

describe('categoryNoveltyFeature', () => {
  // 20 history items: 'drama' on all, 'comedy' on one (share 0.05), 'war' on two (share 0.1).
  const history = Array.from({ length: 20 }, (_, i) => ({
    id: `h${i}`,
    categories: ['drama', ...(i === 0 ? ['comedy'] : []), ...(i < 2 ? ['war'] : [])],
  }));
  const candidates = [
    { id: 'a', relevance: 1, categories: ['drama'] },
    { id: 'b', relevance: 0.5, categories: ['drama', 'comedy'] },
    { id: 'c', relevance: 0.4, categories: ['war', 'horror', 'comedy'] },
    { id: 'd', relevance: 0, categories: [] },
  ];
  const requires = { categories: 'required', historyCategories: 'required' } as const;

  it('is the share of categories at or below rareShare in the history', () => {
    const request = pack(candidates, history, requires);
    expect(Array.from(categoryNoveltyFeature(request))).toEqual([0, 1 / 2, 2 / 3, 0]);
    expect(Array.from(categoryNoveltyFeature(request, { rareShare: 0 }))).toEqual([0, 0, 1 / 3, 0]);
    expect(Array.from(categoryNoveltyFeature(request, { rareShare: 0.1 }))).toEqual([0, 1 / 2, 1, 0]);
  });

  it('counts every category as novel for an empty history (candidates without categories stay 0)', () => {
    expect(Array.from(categoryNoveltyFeature(pack(candidates, [], requires)))).toEqual([1, 1, 1, 0]);
  });

  it('lies in [0, 1]', () => {
    fc.assert(
      fc.property(requestArb(), (r) => {
        for (const x of categoryNoveltyFeature(pack(r.candidates, r.user.history ?? [], requires))) {
          expect(x).toBeGreaterThanOrEqual(0);
          expect(x).toBeLessThanOrEqual(1);
        }
      }),
    );
  });

  it('validates rareShare', () => {
    expect(() => categoryNoveltyBlend({ rareShare: 1 })).toThrow(expect.objectContaining({ code: 'INVALID_OPTION' }));
  });
});

describeRerankerContract({
  name: 'popularityNoveltyBlend()',
  make: () => popularityNoveltyBlend({ weight: 0.5 }),
  noop: () => popularityNoveltyBlend({ weight: 0 }),
});
describeRerankerContract({
  name: 'categoryNoveltyBlend()',
  make: () => categoryNoveltyBlend({ weight: 0.5 }),
  noop: () => categoryNoveltyBlend({ weight: 0 }),
});
