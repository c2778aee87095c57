import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ScoreRequestItem } from '../../src/cache/scorer.js';
import { calibrate, CALIBRATOR_FORMAT, loadCalibrator } from '../../src/llm/calibrate.js';
import { calibratedScorer } from '../../src/llm/calibrated-scorer.js';

/** A small LCG (Numerical Recipes constants) for synthetic data, independent of the library. */
function lcg(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 4294967296;
  };
}

const sigmoid = (z: number) => 1 / (1 + Math.exp(-z));

function syntheticLogistic(n: number, a: number, b: number, seed: number) {
  const random = lcg(seed);
  const scores: number[] = [];
  const labels: boolean[] = [];
  for (let i = 0; i < n; i++) {
    const s = random();
    scores.push(s);
    labels.push(random() < sigmoid(a * s + b));
  }
  return { scores, labels };
}

describe('calibrate: Platt', () => {
  it('recovers the parameters of a known logistic link (a = 4, b = −2, n = 20,000)', () => {
    const { scores, labels } = syntheticLogistic(20_000, 4, -2, 7);
    const json = calibrate(scores, labels, { method: 'platt' }).toJSON();
    if (json.method !== 'platt') throw new Error('expected platt');
    expect(Math.abs(json.a - 4)).toBeLessThan(0.25);
    expect(Math.abs(json.b - -2)).toBeLessThan(0.15);
  });

  it('lands on a stationary point of the regularised cross-entropy (gradient computed here from the formula)', () => {
    const { scores, labels } = syntheticLogistic(500, 2, -1, 3);
    const json = calibrate(scores, labels, { method: 'platt' }).toJSON();
    if (json.method !== 'platt') throw new Error('expected platt');
    const positives = labels.filter(Boolean).length;
    const negatives = labels.length - positives;
    let ga = 0;
    let gb = 0;
    scores.forEach((s, i) => {
      const t = labels[i] ? (positives + 1) / (positives + 2) : 1 / (negatives + 2);
      const p = sigmoid(json.a * s + json.b);
      ga += (p - t) * s;
      gb += p - t;
    });
    expect(Math.abs(ga)).toBeLessThan(1e-8);
    expect(Math.abs(gb)).toBeLessThan(1e-8);
  });

  it('stays finite and increasing on perfectly separable data (Platt targets regularise)', () => {
    const c = calibrate([0.1, 0.2, 0.8, 0.9], [false, false, true, true], { method: 'platt' });
    const json = c.toJSON();
    expect(json.method === 'platt' && Number.isFinite(json.a) && json.a > 0 && Number.isFinite(json.b)).toBe(true);
    expect(c.apply(0.9)).toBeGreaterThan(c.apply(0.1));
    expect(c.apply(0.9)).toBeLessThan(1);
  });

  it('gives a flat map at the mean Platt target when every score is equal', () => {
    // targets: t₊ = (1 + 1)/(1 + 2) = 2/3 for the positive, t₋ = 1/(2 + 2) = 1/4 for the negatives
    const c = calibrate([0.5, 0.5, 0.5], [true, false, false], { method: 'platt' });
    const mean = (2 / 3 + 1 / 4 + 1 / 4) / 3;
    expect(c.toJSON()).toMatchObject({ a: 0 });
    expect(c.apply(0.5)).toBeCloseTo(mean, 12);
    expect(c.apply(0.9)).toBeCloseTo(mean, 12);
  });

  it('is deterministic', () => {
    const { scores, labels } = syntheticLogistic(300, 3, -1, 11);
    expect(calibrate(scores, labels, { method: 'platt' }).toJSON()).toEqual(calibrate(scores, labels, { method: 'platt' }).toJSON());
  });
});

describe('calibrate: isotonic (pool-adjacent-violators)', () => {
  it('pools violators, worked by hand', () => {
    // labels 1,0 at 0.1,0.2 violate monotonicity → pooled to 0.5; 0.3 and 0.4 (both 1) pool to 1.
    const c = calibrate([0.3, 0.1, 0.4, 0.2], [true, true, true, false], { method: 'isotonic' });
    expect(c.toJSON()).toEqual({ format: CALIBRATOR_FORMAT, method: 'isotonic', x: [0.1, 0.2, 0.3, 0.4], y: [0.5, 0.5, 1, 1] });
    expect(c.apply(0)).toBe(0.5);
    expect(c.apply(0.25)).toBeCloseTo(0.5 + (0.5 * (0.25 - 0.2)) / (0.3 - 0.2), 12);
    expect(c.apply(2)).toBe(1);
  });

  it('pools tied scores into one value', () => {
    const c = calibrate([0.5, 0.5, 0.5, 0.9], [true, false, false, true], { method: 'isotonic' });
    expect(c.toJSON()).toEqual({ format: CALIBRATOR_FORMAT, method: 'isotonic', x: [0.5, 0.9], y: [1 / 3, 1] });
  });

  it('property: the fit is monotone non-decreasing and inside [0, 1]', () => {
    const data = fc
      .array(fc.tuple(fc.double({ min: -5, max: 5, noNaN: true }), fc.boolean()), { minLength: 2, maxLength: 60 })
      .filter((pairs) => pairs.some(([, y]) => y) && pairs.some(([, y]) => !y));
    fc.assert(
      fc.property(data, fc.array(fc.double({ min: -6, max: 6, noNaN: true }), { minLength: 2, maxLength: 30 }), (pairs, probes) => {
        const c = calibrate(
          pairs.map(([s]) => s),
          pairs.map(([, y]) => y),
          { method: 'isotonic' },
        );
        const sorted = [...probes].sort((a, b) => a - b);
        let previous = -Infinity;
        for (const probe of sorted) {
          const value = c.apply(probe);
          expect(value).toBeGreaterThanOrEqual(0);
          expect(value).toBeLessThanOrEqual(1);
          expect(value).toBeGreaterThanOrEqual(previous - 1e-12);
          previous = value;
        }
      }),
      { numRuns: 300 },
    );
  });

  it('recovers a known calibration curve p(s) = s² (n = 20,000)', () => {
    const random = lcg(5);
    const scores: number[] = [];
    const labels: boolean[] = [];
    for (let i = 0; i < 20_000; i++) {
      const s = random();
      scores.push(s);
      labels.push(random() < s * s);
    }
    const c = calibrate(scores, labels, { method: 'isotonic' });
    for (const s of [0.2, 0.4, 0.6, 0.8]) expect(Math.abs(c.apply(s) - s * s)).toBeLessThan(0.06);
  });
});

describe('calibrators: serialisation and validation', () => {
  it('round-trips through JSON', () => {
    const { scores, labels } = syntheticLogistic(200, 3, -1, 2);
    for (const method of ['platt', 'isotonic'] as const) {
      const c = calibrate(scores, labels, { method });
      const loaded = loadCalibrator(JSON.parse(JSON.stringify(c)));
      for (const s of [-1, 0, 0.13, 0.5, 0.77, 1, 2]) expect(loaded.apply(s)).toBe(c.apply(s));
    }
  });

  it('rejects malformed calibrator JSON with INVALID_MODEL', () => {
    const bad = [
      null,
      {},
      { format: 'other/1', method: 'platt', a: 1, b: 0 },
      { format: CALIBRATOR_FORMAT, method: 'platt', a: 'x', b: 0 },
      { format: CALIBRATOR_FORMAT, method: 'isotonic', x: [0, 0], y: [0, 1] },
      { format: CALIBRATOR_FORMAT, method: 'isotonic', x: [0, 1], y: [0.5, 0.2] },
      { format: CALIBRATOR_FORMAT, method: 'isotonic', x: [0], y: [1.5] },
      { format: CALIBRATOR_FORMAT, method: 'beta' },
    ];
    for (const json of bad) expect(() => loadCalibrator(json)).toThrow(expect.objectContaining({ code: 'INVALID_MODEL' }));
  });

  it('rejects bad training data and bad scores with typed errors', () => {
    expect(() => calibrate([0.1, 0.2], [true, true], { method: 'platt' })).toThrow(expect.objectContaining({ code: 'INVALID_TRAINING_DATA' }));
    expect(() => calibrate([0.1], [true], { method: 'isotonic' })).toThrow(expect.objectContaining({ code: 'INVALID_TRAINING_DATA' }));
    expect(() => calibrate([0.1, 0.2], [true], { method: 'platt' })).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
    expect(() => calibrate([0.1, Number.NaN], [true, false], { method: 'platt' })).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT', field: 'scores[1]' }));
    expect(() => calibrate([0.1, 0.2], [true, 2 as never], { method: 'platt' })).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT', field: 'labels[1]' }));
    expect(() => calibrate([0.1, 0.2], [true, false], { method: 'beta' as never })).toThrow(expect.objectContaining({ code: 'INVALID_OPTION' }));
    const c = calibrate([0.1, 0.2], [false, true], { method: 'platt' });
    expect(() => c.apply(Number.NaN)).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
  });
});

describe('calibratedScorer', () => {
  it('applies the calibrator to scores and keeps failures null', async () => {
    const c = calibrate([0.1, 0.2, 0.3, 0.4], [false, true, false, true], { method: 'isotonic' });
    const inner = async (batch: readonly ScoreRequestItem[]) => batch.map((_, i) => [0.15, null, Number.NaN, 0.4][i] ?? null);
    const batch = ['a', 'b', 'c', 'd'].map((itemId) => ({ profileKey: 'u', profile: null, itemId }));
    const out = await calibratedScorer(inner, c)(batch, new AbortController().signal);
    expect(out).toEqual([c.apply(0.15), null, null, c.apply(0.4)]);
  });
});
