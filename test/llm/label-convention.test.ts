import { describe, expect, it } from 'vitest';
import { agreement } from '../../src/llm/agreement.js';
import { calibrate } from '../../src/llm/calibrate.js';
import { fitSerendipityModel } from '../../src/train/index.js';

// One label convention across the library: true/false and 1/0 mean the same everywhere.
describe('labels: booleans and 0/1 are interchangeable', () => {
  const scores = [0.05, 0.2, 0.3, 0.45, 0.5, 0.6, 0.7, 0.85, 0.9, 0.95];
  const booleans = [false, false, true, false, false, true, false, true, true, true];
  const numbers = booleans.map((label) => (label ? 1 : 0));

  it('calibrate (platt and isotonic) fits the same calibrator from either', () => {
    for (const method of ['platt', 'isotonic'] as const) {
      expect(calibrate(scores, numbers, { method }).toJSON()).toEqual(calibrate(scores, booleans, { method }).toJSON());
    }
  });

  it('agreement reports the same figures from either', () => {
    expect(agreement(scores, numbers)).toEqual(agreement(scores, booleans));
  });

  it('fitSerendipityModel fits the same model from either', () => {
    const samples = (labels: readonly (boolean | 0 | 1)[]) => scores.map((relevance, i) => ({ relevance, features: [i % 3], label: labels[i] as boolean | 0 | 1 }));
    const spec = { features: ['unexpectedness' as const] };
    expect(fitSerendipityModel(samples(numbers), spec)).toEqual(fitSerendipityModel(samples(booleans), spec));
  });

  it('every other label is a typed error naming the accepted forms', () => {
    for (const bad of [2, -1, 0.5, 'true', null]) {
      const labels = [...booleans.slice(1), bad] as unknown as boolean[];
      expect(() => calibrate(scores, labels, { method: 'platt' })).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT', message: expect.stringContaining('true/false or 1/0') }));
      expect(() =>
        fitSerendipityModel(scores.map((relevance, i) => ({ relevance, features: [i % 3], label: labels[i] as boolean })), { features: ['unexpectedness'] }),
      ).toThrow(expect.objectContaining({ code: 'INVALID_TRAINING_DATA', message: expect.stringContaining('true/false or 1/0') }));
    }
  });
});
