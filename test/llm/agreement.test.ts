import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { agreement } from '../../src/llm/agreement.js';
import { mulberry32 } from '../../src/_internals/random.js';

// ---- brute-force definitions, written independently of the library ----
function bruteAuc(s: readonly number[], y: readonly boolean[]): number {
  let won = 0;
  let pairs = 0;
  for (let i = 0; i < s.length; i++) {
    if (!y[i]) continue;
    for (let j = 0; j < s.length; j++) {
      if (y[j]) continue;
      pairs++;
      won += (s[i] as number) > (s[j] as number) ? 1 : s[i] === s[j] ? 0.5 : 0;
    }
  }
  return won / pairs;
}

function bruteAccuracy(s: readonly number[], y: readonly boolean[]): number {
  let best = 0;
  for (const t of [...s, Infinity]) {
    const correct = s.filter((x, i) => (x >= t) === y[i]).length;
    best = Math.max(best, correct / s.length);
  }
  return best;
}

function bruteBrier(s: readonly number[], y: readonly boolean[]): number {
  return s.reduce((sum, x, i) => sum + (x - (y[i] ? 1 : 0)) ** 2, 0) / s.length;
}

function bruteEce(s: readonly number[], y: readonly boolean[], bins: number): number {
  let ece = 0;
  for (let b = 0; b < bins; b++) {
    const members = s.map((x, i) => i).filter((i) => Math.min(bins - 1, Math.floor((s[i] as number) * bins)) === b);
    if (members.length === 0) continue;
    const meanScore = members.reduce((sum, i) => sum + (s[i] as number), 0) / members.length;
    const meanLabel = members.reduce((sum, i) => sum + (y[i] ? 1 : 0), 0) / members.length;
    ece += (members.length / s.length) * Math.abs(meanScore - meanLabel);
  }
  return ece;
}

function type7(values: number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  const at = q * (sorted.length - 1);
  const lo = Math.floor(at);
  const hi = Math.min(sorted.length - 1, lo + 1);
  return (sorted[lo] as number) + ((sorted[hi] as number) - (sorted[lo] as number)) * (at - lo);
}

describe('agreement: hand-computed cases', () => {
  const scores = [0.1, 0.4, 0.35, 0.8];
  const labels = [false, false, true, true];

  it('auc, accuracy, threshold, brier and ece of a 4-pair example', () => {
    const report = agreement(scores, labels, { resamples: 0 });
    // positives {0.35, 0.8} vs negatives {0.1, 0.4}: 0.35 beats 0.1, 0.8 beats both → 3 of 4 pairs
    expect(report.auc).toBe(3 / 4);
    // threshold 0.35: 0.1 → no ✓, 0.35 → yes ✓, 0.4 → yes ✗, 0.8 → yes ✓
    expect(report.accuracy).toBe(3 / 4);
    expect(report.threshold).toBe(0.35);
    expect(report.brier).toBeCloseTo((0.1 ** 2 + 0.4 ** 2 + 0.65 ** 2 + 0.2 ** 2) / 4, 15);
    // 10 bins, one pair per bin: ECE = mean |s − y|
    expect(report.ece).toBeCloseTo((0.1 + 0.4 + 0.65 + 0.2) / 4, 15);
    // 2 bins: [0, 0.5) holds 0.1, 0.4, 0.35 (one positive); [0.5, 1] holds 0.8 (positive)
    expect(agreement(scores, labels, { resamples: 0, bins: 2 }).ece).toBeCloseTo((3 / 4) * Math.abs(0.85 / 3 - 1 / 3) + (1 / 4) * 0.2, 15);
    expect(report).toMatchObject({ n: 4, positives: 2 });
    expect(report.intervals).toBeUndefined();
  });

  it('counts tied positive/negative pairs as one half in the AUC', () => {
    // positives {0.5, 0.5}, negatives {0.5, 0.2}: each positive ties one negative (½) and beats one (1)
    expect(agreement([0.5, 0.5, 0.5, 0.2], [true, false, true, false], { resamples: 0 }).auc).toBe((0.5 + 1 + 0.5 + 1) / 4);
    // all scores equal → AUC ½
    expect(agreement([0.3, 0.3, 0.3], [true, false, false], { resamples: 0 }).auc).toBe(0.5);
  });

  it('reports threshold Infinity when predicting no positive is best', () => {
    const report = agreement([0.9, 0.1, 0.2], [false, false, true], { resamples: 0 });
    expect(report.accuracy).toBe(2 / 3);
    expect(report.threshold).toBe(0.2);
    const none = agreement([0.9, 0.8, 0.1], [false, false, true], { resamples: 0 });
    expect(none.accuracy).toBe(2 / 3);
    expect(none.threshold).toBe(Infinity);
  });
});

describe('agreement: properties against brute force', () => {
  const data = fc
    .array(fc.tuple(fc.integer({ min: 0, max: 10 }).map((k) => k / 10), fc.boolean()), { minLength: 2, maxLength: 40 })
    .filter((pairs) => pairs.some(([, y]) => y) && pairs.some(([, y]) => !y));

  it('auc, accuracy, brier and ece equal their definitions (many ties)', () => {
    fc.assert(
      fc.property(data, fc.integer({ min: 1, max: 12 }), (pairs, bins) => {
        const s = pairs.map(([x]) => x);
        const y = pairs.map(([, l]) => l);
        const report = agreement(s, y, { resamples: 0, bins });
        expect(report.auc).toBeCloseTo(bruteAuc(s, y), 12);
        expect(report.accuracy).toBeCloseTo(bruteAccuracy(s, y), 12);
        expect(report.brier).toBeCloseTo(bruteBrier(s, y), 12);
        expect(report.ece).toBeCloseTo(bruteEce(s, y, bins), 12);
      }),
      { numRuns: 300 },
    );
  });
});

describe('agreement: bootstrap intervals', () => {
  const random = mulberry32(99);
  const scores = Array.from({ length: 60 }, () => Math.round(random() * 20) / 20);
  const labels = scores.map((s) => random() < s);

  it('equal a brute-force percentile bootstrap over the same seeded draws', () => {
    const resamples = 200;
    const report = agreement(scores, labels, { resamples, seed: 42, confidence: 0.9 });
    // Same draws as documented: Mulberry32(seed), n indices per resample, floor(u · n).
    const draw = mulberry32(42);
    const values = { auc: [] as number[], accuracy: [] as number[], brier: [] as number[], ece: [] as number[] };
    for (let r = 0; r < resamples; r++) {
      const s: number[] = [];
      const y: boolean[] = [];
      for (let k = 0; k < scores.length; k++) {
        const i = Math.floor(draw() * scores.length);
        s.push(scores[i] as number);
        y.push(labels[i] as boolean);
      }
      if (y.some(Boolean) && !y.every(Boolean)) values.auc.push(bruteAuc(s, y));
      values.accuracy.push(bruteAccuracy(s, y));
      values.brier.push(bruteBrier(s, y));
      values.ece.push(bruteEce(s, y, 10));
    }
    for (const metric of ['auc', 'accuracy', 'brier', 'ece'] as const) {
      expect(report.intervals?.[metric].low).toBeCloseTo(type7(values[metric], 0.05), 10);
      expect(report.intervals?.[metric].high).toBeCloseTo(type7(values[metric], 0.95), 10);
    }
  });

  it('is reproducible for a seed and brackets the point estimates on this sample', () => {
    const a = agreement(scores, labels, { seed: 7 });
    expect(agreement(scores, labels, { seed: 7 })).toEqual(a);
    expect(agreement(scores, labels, { seed: 8 }).intervals).not.toEqual(a.intervals);
    for (const metric of ['auc', 'brier', 'ece'] as const) {
      expect(a.intervals?.[metric].low).toBeLessThanOrEqual(a[metric]);
      expect(a.intervals?.[metric].high).toBeGreaterThanOrEqual(a[metric]);
    }
  });

  it('rejects bad input with typed errors', () => {
    expect(() => agreement([0.2, 1.5], [true, false])).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT', field: 'scores[1]' }));
    expect(() => agreement([0.2, 0.5], [true, true])).toThrow(expect.objectContaining({ code: 'INVALID_TRAINING_DATA' }));
    expect(() => agreement([0.2, 0.5], [true, false], { confidence: 1 })).toThrow(expect.objectContaining({ code: 'INVALID_OPTION' }));
    expect(() => agreement([0.2, 0.5], [true, false], { seeds: 1 } as never)).toThrow(expect.objectContaining({ code: 'UNKNOWN_OPTION' }));
  });
});
