import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { rerank } from '../../../src/rerank.js';
import { haesBlend, haesElasticity } from '../../../src/strategies/pre/haes.js';
import { relevanceOrder } from '../../contract/reranker-contract.js';
import { describeRerankerContract, requestArb } from '../../contract/reranker-contract.js';
import { pack } from './helpers.js';

const requires = { historyCategories: 'required' } as const;
const candidates = [{ id: 'x', relevance: 1, categories: ['a', 'b', 'c', 'd'] }];
const withCategories = (rows: string[][]) => pack(candidates, rows.map((categories, i) => ({ id: `h${i}`, categories })), {
  ...requires,
  categories: 'required',
});

describe('haesElasticity', () => {
  it('is the category entropy normalised by ln K (hand-computed)', () => {
    // Items spread 1/|C|: weights a = 1 + 1/2 = 1.5, b = 1/2, over 2 items → p = (0.75, 0.25); K = 4.
    const expected = -(0.75 * Math.log(0.75) + 0.25 * Math.log(0.25)) / Math.log(4);
    expect(haesElasticity(withCategories([['a'], ['a', 'b']]))).toBeCloseTo(expected, 14);
    // numCategories overrides K.
    expect(haesElasticity(withCategories([['a'], ['a', 'b']]), { numCategories: 20 })).toBeCloseTo(
      -(0.75 * Math.log(0.75) + 0.25 * Math.log(0.25)) / Math.log(20),
      14,
    );
  });

  it('is 1 for a history spread evenly over all K categories and 0 for a single category', () => {
    expect(haesElasticity(withCategories([['a'], ['b'], ['c'], ['d']]))).toBeCloseTo(1, 14);
    expect(haesElasticity(withCategories([['a'], ['a'], ['a']]))).toBe(0);
  });

  it('is 0 for an empty history', () => {
    expect(haesElasticity(withCategories([]))).toBe(0);
  });

  it('lies in [0, 1]', () => {
    fc.assert(
      fc.property(requestArb(), (r) => {
        const e = haesElasticity(pack(r.candidates, r.user.history ?? [], { ...requires, categories: 'required' }));
        expect(e).toBeGreaterThanOrEqual(0);
        expect(e).toBeLessThanOrEqual(1);
      }),
    );
  });
});

describe('haesBlend', () => {
  const history = [
    { id: 'h1', embedding: [1, 0], categories: ['a'] },
    { id: 'h2', embedding: [1, 0.1], categories: ['b'] },
  ];
  const items = [
    { id: 'familiar', relevance: 1, embedding: [1, 0], categories: ['a'] },
    { id: 'novel', relevance: 0.5, embedding: [0, 1], categories: ['c'] },
    { id: 'low', relevance: 0, embedding: [1, 0.05], categories: ['a'] },
  ];

  it('scales the unexpectedness weight by the elasticity', () => {
    // K = 3 categories in the request, history p = (1/2, 1/2): e = ln 2 / ln 3.
    const e = Math.log(2) / Math.log(3);
    const { items: ranked } = rerank({ candidates: items, user: { id: 'u', history }, k: 3, strategy: haesBlend({ weight: 1 }) });
    const novel = ranked.find((item) => item.id === 'novel');
    // novel has the largest unexpectedness (normalised 1) and relevance' 0.5.
    expect(novel?.score).toBeCloseTo((1 - e) * 0.5 + e * 1, 12);
  });

  it('keeps relevance order when the history covers one category only', () => {
    const narrow = history.map((h) => ({ ...h, categories: ['a'] }));
    const { items: ranked } = rerank({ candidates: items, user: { id: 'u', history: narrow }, k: 3, strategy: haesBlend({ weight: 1 }) });
    expect(ranked.map((item) => item.id)).toEqual(relevanceOrder(items));
  });
});

describeRerankerContract({ name: 'haesBlend()', make: () => haesBlend({ weight: 0.8 }), noop: () => haesBlend({ weight: 0 }) });
