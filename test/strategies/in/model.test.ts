import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { mulberry32 as random } from '../../../src/_internals/random.js';
import { loadSerendipityModel, MODEL_FORMAT, type TrainingSample } from '../../../src/strategies/in/model.js';
import { fitSerendipityModel } from '../../../src/train/index.js';

const TRUE = { intercept: -1, relevance: 2, a: -1.5, b: 0.8 };

function synthetic(n: number, seed: number): TrainingSample[] {
  const next = random(seed);
  return Array.from({ length: n }, () => {
    const relevance = next();
    const a = next() * 2 - 1;
    const b = (next() + next() + next()) * 2 - 3;
    const eta = TRUE.intercept + TRUE.relevance * relevance + TRUE.a * a + TRUE.b * b;
    return { relevance, features: [a, b], label: next() < 1 / (1 + Math.exp(-eta)) };
  });
}

const FEATURES = ['unexpectedness', 'popularityNovelty'] as const;

describe('fitSerendipityModel', () => {
  const samples = synthetic(40_000, 7);
  const model = fitSerendipityModel(samples, { features: [...FEATURES], l2: 1e-8 });

  it('recovers the weights of synthetic logistic data', () => {
    expect(model.training.converged).toBe(true);
    expect(model.intercept).toBeCloseTo(TRUE.intercept, 0);
    expect(Math.abs(model.intercept - TRUE.intercept)).toBeLessThan(0.15);
    expect(Math.abs((model.weights[0] as number) - TRUE.relevance)).toBeLessThan(0.15);
    expect(Math.abs((model.weights[1] as number) - TRUE.a)).toBeLessThan(0.15);
    expect(Math.abs((model.weights[2] as number) - TRUE.b)).toBeLessThan(0.15);
  });

  it('stops at a stationary point of the penalised log-likelihood (gradient computed independently)', () => {
    // Unpenalised gradient on the raw scale; with l2 = 1e-8 it must vanish.
    const gradient = [0, 0, 0, 0];
    for (const s of samples) {
      const x = [1, s.relevance, ...s.features];
      const eta = x.reduce((sum, v, j) => sum + v * (j === 0 ? model.intercept : (model.weights[j - 1] as number)), 0);
      const residual = 1 / (1 + Math.exp(-eta)) - (s.label ? 1 : 0);
      x.forEach((v, j) => (gradient[j] = (gradient[j] as number) + (residual * v) / samples.length));
    }
    for (const g of gradient) expect(Math.abs(g)).toBeLessThan(1e-6);
  });

  it('shrinks the weights as l2 grows', () => {
    const strong = fitSerendipityModel(samples, { features: [...FEATURES], l2: 1 });
    const norm = (w: readonly number[]) => Math.hypot(...w);
    expect(norm(strong.weights)).toBeLessThan(norm(model.weights));
  });

  it('is deterministic', () => {
    expect(fitSerendipityModel(samples, { features: [...FEATURES], l2: 1e-8 })).toEqual(model);
  });

  it('round-trips exactly through JSON', () => {
    const text = JSON.stringify(model);
    const loaded = loadSerendipityModel(JSON.parse(text));
    expect(loaded).toEqual(model);
    expect(JSON.stringify(loaded)).toBe(text);
    expect(loaded.format).toBe(MODEL_FORMAT);
  });

  it('rejects bad training data with INVALID_TRAINING_DATA', () => {
    const good = samples.slice(0, 200);
    const code = { code: 'INVALID_TRAINING_DATA' };
    expect(() => fitSerendipityModel([], { features: [...FEATURES] })).toThrow(expect.objectContaining(code));
    expect(() => fitSerendipityModel([...good, { relevance: 0.5, features: [1], label: 1 }], { features: [...FEATURES] })).toThrow(
      expect.objectContaining({ ...code, field: 'samples[200].features' }),
    );
    expect(() => fitSerendipityModel([...good, { relevance: 0.5, features: [1, Number.NaN], label: 1 }], { features: [...FEATURES] })).toThrow(
      expect.objectContaining({ ...code, field: 'samples[200].features[1]' }),
    );
    expect(() => fitSerendipityModel([...good, { relevance: Infinity, features: [1, 1], label: 0 }], { features: [...FEATURES] })).toThrow(
      expect.objectContaining(code),
    );
    expect(() => fitSerendipityModel([...good, { relevance: 0, features: [1, 1], label: 2 as never }], { features: [...FEATURES] })).toThrow(
      expect.objectContaining(code),
    );
    const oneClass = good.map((s) => ({ ...s, label: false }));
    expect(() => fitSerendipityModel(oneClass, { features: [...FEATURES] })).toThrow(expect.objectContaining(code));
  });

  it('rejects bad options', () => {
    expect(() => fitSerendipityModel(samples, { features: ['bogus' as never, 'purs'] })).toThrow(expect.objectContaining({ code: 'INVALID_OPTION' }));
    expect(() => fitSerendipityModel(samples, { features: [...FEATURES], l2: 0 })).toThrow(expect.objectContaining({ code: 'INVALID_OPTION' }));
    expect(() => fitSerendipityModel(samples, { features: ['purs', 'purs'] })).toThrow(expect.objectContaining({ code: 'INVALID_OPTION' }));
  });
});

describe('loadSerendipityModel', () => {
  const model = fitSerendipityModel(synthetic(2_000, 3), { features: [...FEATURES] });
  const json = JSON.parse(JSON.stringify(model)) as Record<string, unknown>;
  const invalid = { code: 'INVALID_MODEL' };

  it('rejects another version or format', () => {
    expect(() => loadSerendipityModel({ ...json, version: 2 })).toThrow(expect.objectContaining({ ...invalid, field: 'version' }));
    expect(() => loadSerendipityModel({ ...json, format: 'other' })).toThrow(expect.objectContaining({ ...invalid, field: 'format' }));
    expect(() => loadSerendipityModel(null)).toThrow(expect.objectContaining(invalid));
  });

  it('rejects weights of the wrong shape or non-finite values, and unknown features', () => {
    expect(() => loadSerendipityModel({ ...json, weights: [1, 2] })).toThrow(expect.objectContaining({ ...invalid, field: 'weights' }));
    expect(() => loadSerendipityModel({ ...json, weights: [1, 2, null] })).toThrow(expect.objectContaining({ ...invalid, field: 'weights[2]' }));
    expect(() => loadSerendipityModel({ ...json, intercept: '1' })).toThrow(expect.objectContaining({ ...invalid, field: 'intercept' }));
    const spec = json.spec as Record<string, unknown>;
    expect(() => loadSerendipityModel({ ...json, spec: { ...spec, features: ['nope', 'purs'] } })).toThrow(expect.objectContaining(invalid));
  });

  it('round-trips any finite weights exactly (JSON has no −0, so weights are never −0)', () => {
    fc.assert(
      fc.property(fc.array(fc.double({ noNaN: true, noDefaultInfinity: true }).map((x) => x + 0), { minLength: 4, maxLength: 4 }), (values) => {
        const custom = { ...model, weights: values.slice(0, 3), intercept: values[3] as number };
        expect(loadSerendipityModel(JSON.parse(JSON.stringify(custom)))).toEqual(custom);
      }),
    );
  });
});

describe('sample weights', () => {
  const base = synthetic(3_000, 5);
  it('a weight of 2 fits the same model as the sample written twice', () => {
    const weighted = base.map((s, i) => (i % 3 === 0 ? { ...s, weight: 2 } : s));
    const duplicated = base.flatMap((s, i) => (i % 3 === 0 ? [s, s] : [s]));
    const a = fitSerendipityModel(weighted, { features: [...FEATURES], l2: 1e-4 });
    const b = fitSerendipityModel(duplicated, { features: [...FEATURES], l2: 1e-4 });
    a.weights.forEach((w, j) => expect(w).toBeCloseTo(b.weights[j] as number, 8));
    expect(a.intercept).toBeCloseTo(b.intercept, 8);
  });

  it('rejects a weight that is not positive', () => {
    expect(() => fitSerendipityModel([...base, { relevance: 0, features: [0, 0], label: 1, weight: 0 }], { features: [...FEATURES] })).toThrow(
      expect.objectContaining({ code: 'INVALID_TRAINING_DATA', field: `samples[${base.length}].weight` }),
    );
  });
});
