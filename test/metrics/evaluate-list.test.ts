import { describe, expect, it } from 'vitest';
import { evaluateList } from '../../src/metrics/evaluate-list.js';

describe('evaluateList', () => {
  it('computes the ranking metrics, and only those, from list, relevant and k', () => {
    const row = evaluateList({ list: ['a', 'x', 'b'], relevant: ['a', 'b'], k: 3 });
    expect(row).toEqual({
      precision: 2 / 3,
      recall: 2 / 2,
      ndcg: (1 + 1 / Math.log2(4)) / (1 + 1 / Math.log2(3)),
    });
  });

  it('adds each optional metric when its inputs are given, over the first k items', () => {
    const row = evaluateList({
      list: ['a', 'b', 'c'],
      relevant: ['b', 'c'],
      k: 2,
      primitive: ['a', 'b'],
      listVectors: [[1, 0], [0, 1], [5, 5]],
      historyVectors: [[1, 0]],
      itemUserCounts: [8, 2, 1],
      numUsers: 8,
    });
    // Top 2 = a, b. ILD: a ⟂ b → 1. Novelty: (−log2(8/8) − log2(2/8)) / 2 = 1.
    // Unexpectedness: (1 − 1 + 1 − 0) / 2. Ge: b is relevant but in PM → 0.
    // Auralist (binary rel a=0, b=1): ((1 − 1)·0 + (1 − 0)·1) / 2.
    expect(row.precision).toBe(1 / 2);
    expect(row.recall).toBe(1 / 2);
    expect(row.ild).toBeCloseTo(1, 15);
    expect(row.novelty).toBeCloseTo((-Math.log2(8 / 8) - Math.log2(2 / 8)) / 2, 15);
    expect(row.unexpectedness).toBeCloseTo((1 - 1 + (1 - 0)) / 2, 15);
    expect(row.serendipityGe).toBe(0);
    expect(row.serendipityAuralist).toBeCloseTo(((1 - 1) * 0 + (1 - 0) * 1) / 2, 15);
  });

  it('rejects aligned arrays of the wrong length and k ≤ 0', () => {
    expect(() => evaluateList({ list: ['a', 'b'], relevant: [], k: 2, listVectors: [[1, 0]] })).toThrow(
      expect.objectContaining({ code: 'INVALID_ARGUMENT', field: 'listVectors' }),
    );
    expect(() => evaluateList({ list: ['a'], relevant: [], k: 1, itemUserCounts: [1, 2], numUsers: 3 })).toThrow(
      expect.objectContaining({ code: 'INVALID_ARGUMENT', field: 'itemUserCounts' }),
    );
    expect(() => evaluateList({ list: ['a'], relevant: [], k: 0 })).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT', field: 'k' }));
  });
});
