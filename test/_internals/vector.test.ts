import { describe, expect, it } from 'vitest';
import { writeUnitVector } from '../../src/_internals/vector.js';
import { RerankError } from '../../src/errors/rerank-error.js';

const unit = (v: number[]): number[] => {
  const out = new Float64Array(v.length);
  writeUnitVector(v, out, 0, v.length, 'v');
  return Array.from(out);
};

describe('writeUnitVector', () => {
  it('normalises a 3-4 vector to 0.6, 0.8', () => {
    const [x, y] = unit([3, 4]);
    expect(x).toBeCloseTo(0.6, 15);
    expect(y).toBeCloseTo(0.8, 15);
  });

  it('survives vectors whose squared norm overflows or underflows', () => {
    for (const scale of [1e200, 1e-200]) {
      const [x, y] = unit([3 * scale, 4 * scale]);
      expect(x).toBeCloseTo(0.6, 15);
      expect(y).toBeCloseTo(0.8, 15);
    }
  });

  it.each([
    [[0, 0], 'ZERO_VECTOR'],
    [[1, Number.NaN], 'NON_FINITE_EMBEDDING'],
    [[Number.POSITIVE_INFINITY, 1], 'NON_FINITE_EMBEDDING'],
    [[1, 2, 3], 'DIMENSION_MISMATCH'],
  ])('rejects %j with %s', (vector, code) => {
    const attempt = () => writeUnitVector(vector, new Float64Array(2), 0, 2, 'candidates[0].embedding');
    expect(attempt).toThrow(RerankError);
    try {
      attempt();
    } catch (error) {
      expect((error as RerankError).code).toBe(code);
      expect((error as RerankError).field).toMatch(/^candidates\[0\]\.embedding/);
    }
  });
});
