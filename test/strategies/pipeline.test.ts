import { describe, expect, it } from 'vitest';
import { rerank } from '../../src/rerank.js';
import { learned } from '../../src/strategies/in/learned.js';
import { MODEL_FORMAT, MODEL_VERSION } from '../../src/strategies/in/model.js';
import { resolveFeatureSpec } from '../../src/strategies/in/features.js';
import { pipeline } from '../../src/strategies/pipeline.js';
import { mmr } from '../../src/strategies/post/mmr.js';
import { relevance } from '../../src/strategies/post/relevance.js';
import { categoryNoveltyBlend } from '../../src/strategies/pre/category-novelty.js';
import { popularityNoveltyBlend } from '../../src/strategies/pre/popularity-novelty.js';
import { unexpectednessBlend } from '../../src/strategies/pre/unexpectedness.js';
import type { PackedRequest, ScoringReranker } from '../../src/types.js';
import { describeRerankerContract } from '../contract/reranker-contract.js';

const candidates = [
  { id: 'a', relevance: 1, popularity: 8 },
  { id: 'b', relevance: 0.5, popularity: 2 },
  { id: 'c', relevance: 0, popularity: 1 },
];

describe('pipeline()', () => {
  it("feeds each stage's score to the next as relevance (hand-computed)", () => {
    // Stage 1 (min-max): rel′ = [1, 0.5, 0], novelty log2(8/p) = [0, 2, 3] → [0, 2/3, 1];
    //   s1 = 0.5·rel′ + 0.5·novelty′ = [0.5, 7/12, 0.5].
    // Stage 2 (rank): rank(s1) = [0.25, 1, 0.25] (a and c tie), rank(novelty) = [0, 0.5, 1];
    //   s2 = 0.5·[0.25, 1, 0.25] + 0.5·[0, 0.5, 1] = [0.125, 0.75, 0.625].
    const strategy = pipeline(
      popularityNoveltyBlend({ weight: 0.5 }),
      popularityNoveltyBlend({ weight: 0.5, normalise: 'rank' }),
      relevance(),
    );
    const { items } = rerank({ candidates, k: 3, strategy });
    expect(items.map((item) => item.id)).toEqual(['b', 'c', 'a']);
    expect(items.map((item) => item.score)).toEqual([0.75, 0.625, 0.125]);
    expect(items.map((item) => item.parts.stage1)).toEqual([0.5 * 0.5 + 0.5 * (2 / 3), 0.5, 0.5]);
    expect(items.map((item) => item.parts.stage2)).toEqual([0.75, 0.625, 0.125]);
    expect(items.map((item) => item.relevance)).toEqual([0.5, 0, 1]); // the input relevance, untouched
  });

  it('unions the requirements of its stages and takes the final stage', () => {
    const strategy = pipeline(unexpectednessBlend(), categoryNoveltyBlend(), popularityNoveltyBlend(), relevance());
    expect(strategy.requires).toEqual({
      embeddings: 'required',
      historyEmbeddings: 'required',
      categories: 'required',
      historyCategories: 'required',
      popularity: 'required',
    });
    expect(strategy.stage).toBe('post');
    expect(strategy.name).toContain('→');
  });

  it('passes the same packed arrays to every stage (no re-packing)', () => {
    const seen: PackedRequest[] = [];
    const spy = (): ScoringReranker => ({
      name: 'spy',
      stage: 'pre',
      requires: { popularity: 'required' },
      score(request) {
        seen.push(request);
        return Float64Array.from(request.candidates.relevance, (r) => r + 1);
      },
      select: () => {
        throw new Error('not used');
      },
    });
    rerank({ candidates, k: 2, strategy: pipeline(spy(), spy(), relevance()) });
    expect(seen).toHaveLength(2);
    expect(seen[1]?.candidates.popularity).toBe(seen[0]?.candidates.popularity);
    expect(Array.from(seen[1]?.candidates.relevance ?? [])).toEqual([2, 1.5, 1]); // stage 1 output: input + 1
  });

  it('is a scoring reranker when its final stage scores', () => {
    const strategy = pipeline(popularityNoveltyBlend({ weight: 0.5 }), popularityNoveltyBlend({ weight: 0.5, normalise: 'rank' }));
    expect(typeof strategy.score).toBe('function');
    expect(typeof pipeline(relevance()).score).toBe('undefined');
    const { items } = rerank({ candidates, k: 3, strategy });
    expect(items.map((item) => item.score)).toEqual([0.75, 0.625, 0.125]);
  });

  it('rejects a missing selector, a non-scoring middle stage and bad stage output', () => {
    expect(() => (pipeline as (...s: unknown[]) => unknown)()).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
    expect(() => pipeline(relevance() as never, relevance())).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT', field: 'stages[0]' }));
    const broken: ScoringReranker = { ...popularityNoveltyBlend(), score: () => new Float64Array([1, Number.NaN, 2]) };
    expect(() => rerank({ candidates, k: 2, strategy: pipeline(broken, relevance()) })).toThrow(
      expect.objectContaining({ code: 'INVALID_STRATEGY_OUTPUT' }),
    );
    const short: ScoringReranker = { ...popularityNoveltyBlend(), score: () => new Float64Array(1) };
    expect(() => rerank({ candidates, k: 2, strategy: pipeline(short, relevance()) })).toThrow(
      expect.objectContaining({ code: 'INVALID_STRATEGY_OUTPUT' }),
    );
  });
});

const model = {
  format: MODEL_FORMAT,
  version: MODEL_VERSION,
  spec: resolveFeatureSpec({ features: ['popularityNovelty', 'purs', 'elasticity'] }, 'test'),
  weights: [2, 0.2, 1, -0.3],
  intercept: -2,
  training: { samples: 0, positives: 0, l2: 1, iterations: 0, converged: true },
} as const;

describeRerankerContract({
  name: 'pipeline(learned, unexpectednessBlend, relevance)',
  make: () => pipeline(learned({ model, weight: 0.5 }), unexpectednessBlend({ weight: 0.3 }), relevance()),
  noop: () => pipeline(learned({ model, weight: 0 }), unexpectednessBlend({ weight: 0 }), relevance()),
});

describeRerankerContract({
  name: 'pipeline(unexpectednessBlend, mmr)',
  make: () => pipeline(unexpectednessBlend({ weight: 0.4 }), mmr({ lambda: 0.7 })),
  noop: () => pipeline(unexpectednessBlend({ weight: 0 }), mmr({ lambda: 1 })),
});
