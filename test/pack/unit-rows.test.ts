import { describe, expect, it } from 'vitest';
import { RerankError } from '../../src/errors/rerank-error.js';
import { intraListDiversity } from '../../src/metrics/intra-list-diversity.js';

describe('metric vectors (unitRows)', () => {
  it.each([
    ['{ length: 2 ** 40 }', { length: 2 ** 40 }],
    ['{ length: -1 }', { length: -1 }],
    ['{ length: 1.5 }', { length: 1.5 }],
  ])('reject a first vector of absurd length %s with INVALID_ARGUMENT, not a RangeError', (_name, vector) => {
    let thrown: unknown;
    try {
      intraListDiversity([vector as ArrayLike<number>, [1, 0]]);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(RerankError);
    expect((thrown as RerankError).code).toBe('INVALID_ARGUMENT');
    expect((thrown as RerankError).field).toBe('vectors[0]');
  });

  it('handle subnormal vectors (fault 1): orthogonal subnormal vectors have diversity 1', () => {
    expect(intraListDiversity([[1e-309, 0], [0, 2e-309]])).toBeCloseTo(1, 12);
  });
});
