import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { maxDotUnrolled as maxDot } from '../../src/_internals/dot.js';

describe('maxDot', () => {
  it('equals the brute-force maximum of the row dot products for any dimension (property)', () => {
    const value = fc.double({ min: -2, max: 2, noNaN: true });
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 11 }), fc.integer({ min: 0, max: 6 }), fc.array(value, { minLength: 80, maxLength: 80 }), (dim, count, pool) => {
        const a = Float64Array.from({ length: dim + 3 }, (_, i) => pool[i % 80] as number);
        const b = Float64Array.from({ length: count * dim }, (_, i) => pool[(i * 7 + 3) % 80] as number);
        let expected = -Infinity;
        for (let j = 0; j < count; j++) {
          let dot = 0;
          for (let d = 0; d < dim; d++) dot += (a[3 + d] as number) * (b[j * dim + d] as number);
          expected = Math.max(expected, dot);
        }
        const actual = maxDot(a, 3, b, count, dim);
        if (count === 0) expect(actual).toBe(-Infinity);
        else expect(actual).toBeCloseTo(expected, 12);
      }),
    );
  });
});
