import { describe, expect, it } from 'vitest';
import { rerank } from '../../../src/rerank.js';
import { featureMatrix, featureRequirements, resolveFeatureSpec } from '../../../src/strategies/in/features.js';
import { deriveSerendipityLabels } from '../../../src/strategies/in/labels.js';
import { learned } from '../../../src/strategies/in/learned.js';
import { MODEL_FORMAT, MODEL_VERSION, predictSerendipity, type SerendipityModel, trainingSamples } from '../../../src/strategies/in/model.js';
import { fitSerendipityModel } from '../../../src/train/index.js';
import { describeRerankerContract, requestArb } from '../../contract/reranker-contract.js';
import { ALL_FIELDS, pack } from '../pre/helpers.js';
import fc from 'fast-check';

const spec = resolveFeatureSpec({ features: ['popularityNovelty', 'unexpectedness', 'purs', 'categoryNovelty', 'elasticity', 'popularityNovelty*elasticity'] }, 'test');

/** A hand-written model: σ(−1 + 1·rel′ + 0.5·novelty). */
const handModel: SerendipityModel = {
  format: MODEL_FORMAT,
  version: MODEL_VERSION,
  spec: resolveFeatureSpec({ features: ['popularityNovelty'], numUsers: 16 }, 'test'),
  weights: [1, 0.5],
  intercept: -1,
  training: { samples: 0, positives: 0, l2: 1, iterations: 0, converged: true },
};
const candidates = [
  { id: 'popular', relevance: 10, popularity: 16 },
  { id: 'mid', relevance: 6, popularity: 4 },
  { id: 'rare', relevance: 0, popularity: 1 },
];

describe('featureMatrix', () => {
  it('puts the normalised relevance first, then the features and products in spec order', () => {
    const request = pack(
      [
        { id: 'a', relevance: 2, embedding: [1, 0], categories: ['x'], popularity: 4 },
        { id: 'b', relevance: 4, embedding: [0, 1], categories: ['y'], popularity: 1 },
      ],
      [
        { id: 'h1', embedding: [1, 0], categories: ['x'] },
        { id: 'h2', embedding: [1, 0], categories: ['y'] },
      ],
    );
    const m = featureMatrix(request, resolveFeatureSpec({ features: ['popularityNovelty', 'unexpectedness', 'historyLength', 'popularityNovelty*elasticity'] }, 't'));
    // rel′ = [0, 1]; novelty = log2(4/4), log2(4/1); u = 1 − 1, 1 − 0; history length log2(3); e = ln2/ln2 = 1.
    expect(Array.from(m)).toEqual([0, 0, 0, Math.log2(3), 0, 1, 2, 1, Math.log2(3), 2]);
  });

  it('unions the requirements of its features', () => {
    expect(featureRequirements(spec)).toEqual(ALL_FIELDS);
    expect(featureRequirements(resolveFeatureSpec({ features: ['historyLength'] }, 't'))).toEqual({});
  });
});

describe('learned()', () => {
  it('predicts σ(b + w·x) (hand-computed) and blends it with relevance', () => {
    const request = pack(candidates, [], { popularity: 'required' });
    const p = predictSerendipity(handModel, request);
    const sigma = (z: number) => 1 / (1 + Math.exp(-z));
    expect(p[0]).toBeCloseTo(sigma(-1 + 1 * 1 + 0.5 * 0), 14);
    expect(p[1]).toBeCloseTo(sigma(-1 + 1 * 0.6 + 0.5 * 2), 14);
    expect(p[2]).toBeCloseTo(sigma(-1 + 1 * 0 + 0.5 * 4), 14);
    const w = 0.5;
    const { items } = rerank({ candidates, k: 3, strategy: learned({ model: handModel, weight: w }) });
    const pn = (x: number) => (x - (p[0] as number)) / ((p[2] as number) - (p[0] as number)); // p rises with index here
    const expected = { popular: (1 - w) * 1 + w * pn(p[0] as number), mid: (1 - w) * 0.6 + w * pn(p[1] as number), rare: (1 - w) * 0 + w * 1 };
    expect(items.map((item) => item.id)).toEqual(['mid', 'popular', 'rare'].sort((a, b) => expected[b as 'mid'] - expected[a as 'mid']));
    for (const item of items) expect(item.score).toBeCloseTo(expected[item.id as 'mid'], 12);
    expect(Object.keys(items[0]?.parts ?? {})).toEqual(['relevance', 'serendipity']);
  });

  it('rejects an invalid model and unknown options', () => {
    expect(() => learned({ model: { ...handModel, version: 2 as never } })).toThrow(expect.objectContaining({ code: 'INVALID_MODEL' }));
    expect(() => learned({ model: handModel, lambda: 1 } as never)).toThrow(expect.objectContaining({ code: 'UNKNOWN_OPTION' }));
    expect(() => learned({ model: handModel, weight: -1 })).toThrow(expect.objectContaining({ code: 'INVALID_OPTION' }));
  });

  it('learns to promote what the labels reward, end to end from packed requests', () => {
    // Labels: rare items that are still relevant are the serendipitous ones.
    const samples = fc.sample(requestArb(), { numRuns: 120, seed: 11 }).flatMap((r) => {
      const request = pack(r.candidates, r.user.history ?? []);
      const labels = r.candidates.map((c) => (c.relevance > 0.3 && (c.popularity ?? 0) < 300 ? 1 : 0));
      return trainingSamples(request, labels, spec);
    });
    const model = fitSerendipityModel(samples, spec);
    expect(model.weights[0]).toBeGreaterThan(0); // relevance helps
    expect(model.weights[1]).toBeGreaterThan(0); // novelty helps
  });
});

describe('deriveSerendipityLabels', () => {
  it('labels held-out positives outside the primitive list, ids like __proto__ included', () => {
    const labels = deriveSerendipityLabels({
      candidates: ['__proto__', 'a', 'b', 'c', 'constructor'],
      heldOut: new Set(['__proto__', 'b', 'c', 'zz']),
      primitive: ['c', 'a'],
    });
    expect(Array.from(labels)).toEqual([1, 0, 1, 0, 0]);
  });

  it('rejects malformed input', () => {
    expect(() => deriveSerendipityLabels({ candidates: 'ab' as never, heldOut: [], primitive: [] })).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
    expect(() => deriveSerendipityLabels({ candidates: [], heldOut: 3 as never, primitive: [] })).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
  });
});

describe('trainingSamples', () => {
  it('rejects a label count that does not match the candidates', () => {
    expect(() => trainingSamples(pack(candidates, [], { popularity: 'required' }), [1], handModel.spec)).toThrow(
      expect.objectContaining({ code: 'INVALID_TRAINING_DATA' }),
    );
  });
});

const contractModel: SerendipityModel = {
  ...handModel,
  spec,
  weights: [1.5, 0.3, -0.4, 0.8, 0.2, 0.1, 0.05],
};
describeRerankerContract({
  name: 'learned()',
  make: () => learned({ model: contractModel, weight: 0.6 }),
  noop: () => learned({ model: contractModel, weight: 0 }),
});
