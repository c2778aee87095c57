import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { RerankError } from '../../../src/errors/rerank-error.js';
import { rerank } from '../../../src/rerank.js';
import { unexpectednessBlend, unexpectednessFeature } from '../../../src/strategies/pre/unexpectedness.js';
import { describeRerankerContract, requestArb } from '../../contract/reranker-contract.js';
import { cosine, pack } from './helpers.js';

const history = [
  { id: 'h1', embedding: [1, 0, 0] },
  { id: 'h2', embedding: [0, 1, 0] },
];
const candidates = [
  { id: 'a', relevance: 1, embedding: [1, 1, 0] },
  { id: 'b', relevance: 0.5, embedding: [0, 0, 2] },
  { id: 'c', relevance: 0, embedding: [-1, 0, 0] },
];
const requires = { embeddings: 'required', historyEmbeddings: 'required' } as const;

describe('unexpectednessFeature', () => {
  it("'min' is 1 − max cos to the history (hand-computed)", () => {
    const u = unexpectednessFeature(pack(candidates, history, requires));
    expect(u[0]).toBeCloseTo(1 - 1 / Math.SQRT2, 12);
    expect(u[1]).toBeCloseTo(1 - 0, 12);
    expect(u[2]).toBeCloseTo(1 - 0, 12); // cos to h1 = −1, to h2 = 0: the max is 0
  });

  it("'mean' is 1 − mean cos to the history (hand-computed)", () => {
    const u = unexpectednessFeature(pack(candidates, history, requires), { variant: 'mean' });
    expect(u[0]).toBeCloseTo(1 - (1 / Math.SQRT2 + 1 / Math.SQRT2) / 2, 12);
    expect(u[1]).toBeCloseTo(1, 12);
    expect(u[2]).toBeCloseTo(1 - (-1 + 0) / 2, 12);
  });

  it('gives 1 to every candidate when the history is empty', () => {
    expect(Array.from(unexpectednessFeature(pack(candidates, [], requires)))).toEqual([1, 1, 1]);
    expect(Array.from(unexpectednessFeature(pack(candidates, [], requires), { variant: 'mean' }))).toEqual([1, 1, 1]);
  });

  it('lies in [0, 2] and matches a brute-force cosine on random requests', () => {
    fc.assert(
      fc.property(requestArb(), fc.constantFrom('min', 'mean' as const), (request, variant) => {
        const u = unexpectednessFeature(pack(request.candidates, request.user.history ?? [], requires), { variant });
        request.candidates.forEach((c, i) => {
          const value = u[i] as number;
          expect(value).toBeGreaterThanOrEqual(0);
          expect(value).toBeLessThanOrEqual(2);
          const hist = request.user.history ?? [];
          if (hist.length === 0) return;
          const cosines = hist.map((h) => cosine(c.embedding as number[], h.embedding as number[]));
          const expected = variant === 'min' ? 1 - Math.max(...cosines) : 1 - cosines.reduce((s, x) => s + x, 0) / cosines.length;
          expect(value).toBeCloseTo(Math.min(2, Math.max(0, expected)), 9);
        });
      }),
      { numRuns: 80 },
    );
  });

  it('rejects a request packed without embeddings, and bad options', () => {
    const bare = pack(candidates, history, {});
    expect(() => unexpectednessFeature(bare)).toThrow(expect.objectContaining({ code: 'MISSING_EMBEDDING' }));
    const noHistory = pack(candidates, history, { embeddings: 'required' });
    expect(() => unexpectednessFeature(noHistory)).toThrow(expect.objectContaining({ code: 'MISSING_HISTORY' }));
    expect(() => unexpectednessFeature(pack(candidates, history, requires), { variant: 'max' as never })).toThrow(
      expect.objectContaining({ code: 'INVALID_OPTION' }),
    );
  });
});

describe('unexpectednessBlend', () => {
  it('scores (1 − w)·minmax(rel) + w·minmax(u) with parts summing to the score', () => {
    // rel' = [1, 0.5, 0]; u = [1 − 1/√2, 1, 1] → u' = [0, 1, 1].
    const w = 0.6;
    const { items } = rerank({ candidates, user: { id: 'u', history }, k: 3, strategy: unexpectednessBlend({ weight: w }) });
    const expected = { a: (1 - w) * 1 + w * 0, b: (1 - w) * 0.5 + w * 1, c: (1 - w) * 0 + w * 1 };
    expect(items.map((item) => item.id)).toEqual(['b', 'c', 'a']);
    for (const item of items) {
      expect(item.score).toBeCloseTo(expected[item.id as 'a' | 'b' | 'c'], 12);
      expect((item.parts.relevance as number) + (item.parts.unexpectedness as number)).toBeCloseTo(item.score, 12);
    }
  });

  it('is invariant to the relevance scale: affine for minmax, any increasing map for rank', () => {
    fc.assert(
      fc.property(requestArb(), fc.integer({ min: -4, max: 8 }), fc.integer({ min: -100, max: 100 }), (request, power, shift) => {
        const scale = 2 ** power;
        const order = (strategy: ReturnType<typeof unexpectednessBlend>, map: (r: number) => number) =>
          rerank({ ...request, candidates: request.candidates.map((c) => ({ ...c, relevance: map(c.relevance) })), strategy }).items.map(
            (item) => item.id,
          );
        const minmax = unexpectednessBlend({ weight: 0.4 });
        expect(order(minmax, (r) => r * scale + shift)).toEqual(order(minmax, (r) => r));
        const rank = unexpectednessBlend({ weight: 0.4, normalise: 'rank' });
        expect(order(rank, (r) => Math.exp(5 * r) - 3)).toEqual(order(rank, (r) => r));
      }),
      { numRuns: 60 },
    );
  });

  it('keeps scores in [0, 1]; at weight 1 it orders by unexpectedness, then relevance, then input index', () => {
    fc.assert(
      fc.property(requestArb({ tiedRelevance: true }), (request) => {
        const packed = pack(request.candidates, request.user.history ?? [], requires);
        const u = unexpectednessFeature(packed);
        const expected = request.candidates
          .map((c, i) => ({ id: c.id, u: u[i] as number, r: c.relevance, i }))
          .sort((a, b) => b.u - a.u || b.r - a.r || a.i - b.i)
          .map((c) => c.id);
        const { items } = rerank({ ...request, strategy: unexpectednessBlend({ weight: 1 }) });
        // Min-max normalisation is monotone, so ties in u stay ties and the order is the brute-force sort.
        expect(items.map((item) => item.id)).toEqual(expected.slice(0, request.k));
        for (const item of rerank({ ...request, strategy: unexpectednessBlend({ weight: 0.3 }) }).items) {
          expect(item.score).toBeGreaterThanOrEqual(0);
          expect(item.score).toBeLessThanOrEqual(1 + 1e-15);
        }
      }),
      { numRuns: 80 },
    );
  });

  it('validates its options', () => {
    expect(() => unexpectednessBlend({ weight: 1.5 })).toThrow(RerankError);
    expect(() => unexpectednessBlend({ normalise: 'zscore' as never })).toThrow(expect.objectContaining({ code: 'INVALID_OPTION' }));
    expect(() => unexpectednessBlend({ wieght: 0.2 } as never)).toThrow(expect.objectContaining({ code: 'UNKNOWN_OPTION' }));
  });
});

describeRerankerContract({
  name: 'unexpectednessBlend()',
  make: () => unexpectednessBlend({ weight: 0.5 }),
  noop: () => unexpectednessBlend({ weight: 0 }),
});
describeRerankerContract({
  name: "unexpectednessBlend({ variant: 'mean', normalise: 'rank' })",
  make: () => unexpectednessBlend({ weight: 0.5, variant: 'mean', normalise: 'rank' }),
  noop: () => unexpectednessBlend({ weight: 0, normalise: 'rank' }),
});
