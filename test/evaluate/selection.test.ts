import { describe, expect, it } from 'vitest';
import { bootstrapRatioCi } from '../../src/evaluate/bootstrap.js';
import type { StrategyEvaluation } from '../../src/evaluate/evaluate.js';
import { SELECTION_BOOTSTRAP_SEED, selectForFloor, testNdcgPredictionLower, validationNdcgLowerBound } from '../../src/evaluate/selection.js';

function evaluation(ndcg: number[], geHits: number): StrategyEvaluation {
  const values = Float64Array.from(ndcg);
  return {
    outcomes: { ndcg: values, serendipityHits: new Float64Array(ndcg.length), unexpectedHits: new Float64Array(ndcg.length) },
    metrics: { ndcg: values.reduce((a, b) => a + b, 0) / values.length, serendipityHitCount: geHits } as StrategyEvaluation['metrics'],
  };
}

const users = 200;
const base = evaluation(Array.from({ length: users }, (_, u) => 0.1 + (u % 10) / 20), 100);
/** Every user at `ratio` × base, plus noise that averages out, so the point estimate is exactly `ratio`. */
function scaled(ratio: number, noise: number, geHits: number): StrategyEvaluation {
  const values = Array.from(base.outcomes.ndcg, (x, u) => x * ratio + (u % 2 === 0 ? noise : -noise));
  return evaluation(values, geHits);
}

describe('selection with a margin', () => {
  it('the lower bound is the bootstrap CI lower end with the selection seed', () => {
    const point = scaled(0.97, 0.05, 120);
    const expected = bootstrapRatioCi(point.outcomes.ndcg, base.outcomes.ndcg, { seed: SELECTION_BOOTSTRAP_SEED, samples: 500 }).ci[0];
    expect(validationNdcgLowerBound(point, { baseValidation: base, samples: 500 })).toBe(expected);
    expect(expected).toBeLessThan(0.97);
  });

  it('a point whose ratio only just clears the floor does not qualify; a safe one does', () => {
    const razor = scaled(0.952, 0.08, 300); // most Ge hits, point estimate above 0.95, noisy
    const safe = scaled(0.99, 0.0, 150);
    const inputs = { baseValidation: base, samples: 500 };
    expect(validationNdcgLowerBound(razor, inputs)).toBeLessThan(0.95);
    const choice = selectForFloor(
      [
        { param: 'razor', onValidation: razor, onTest: razor },
        { param: 'safe', onValidation: safe, onTest: safe },
      ],
      0.95,
      inputs,
    );
    expect(choice?.param).toBe('safe');
  });

  it('the margin is the prediction bound r − √2·(r − lo): the validation CI widened by √2 around the validation ratio', () => {
    const point = scaled(0.97, 0.05, 120);
    const inputs = { baseValidation: base, samples: 500 };
    const ratio = point.metrics.ndcg / base.metrics.ndcg;
    const lower = validationNdcgLowerBound(point, inputs);
    expect(ratio).toBeCloseTo(0.97, 12);
    expect(testNdcgPredictionLower(point, inputs)).toBeCloseTo(ratio - Math.SQRT2 * (ratio - lower), 12);
    expect(testNdcgPredictionLower(point, { ...inputs, widening: 1 })).toBeCloseTo(lower, 12);
  });

  it('a point whose validation CI clears the floor but whose prediction bound does not is not chosen', () => {
    const inputs = { baseValidation: base, samples: 500 };
    // Search the noise for a point between the two bounds: CI lower end ≥ 0.95 > prediction bound.
    const between = [0.02, 0.03, 0.04, 0.05, 0.06]
      .map((noise) => scaled(0.965, noise, 300))
      .find((p) => validationNdcgLowerBound(p, inputs) >= 0.95 && testNdcgPredictionLower(p, inputs) < 0.95);
    expect(between).toBeDefined();
    const safe = scaled(0.99, 0.0, 150);
    const points = [
      { param: 'between', onValidation: between as StrategyEvaluation, onTest: between as StrategyEvaluation },
      { param: 'safe', onValidation: safe, onTest: safe },
    ];
    expect(selectForFloor(points, 0.95, inputs)?.param).toBe('safe');
    expect(selectForFloor(points, 0.95, { ...inputs, widening: 1 })?.param).toBe('between');
  });

  it('returns undefined when no point qualifies', () => {
    const weak = scaled(0.9, 0.0, 500);
    expect(selectForFloor([{ param: 1, onValidation: weak, onTest: weak }], 0.95, { baseValidation: base, samples: 200 })).toBeUndefined();
  });
});
