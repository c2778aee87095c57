import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { dotPairUnrolled, dotUnrolled } from '../../src/_internals/dot.js';

describe('dotUnrolled', () => {
  it('equals the plain sum exactly on small integers (no rounding), at every length and offset', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: -1000, max: 1000 }), { maxLength: 40 }),
        fc.array(fc.integer({ min: -1000, max: 1000 }), { maxLength: 40 }),
        fc.nat(5),
        (a, b, offset) => {
          const length = Math.max(0, Math.min(a.length, b.length) - offset);
          let expected = 0;
          for (let j = 0; j < length; j++) expected += (a[offset + j] as number) * (b[offset + j] as number);
          expect(dotUnrolled(Float64Array.from(a), offset, Float64Array.from(b), offset, length)).toBe(expected);
        },
      ),
    );
  });

  it('sums as (s0 + s1) + (s2 + s3) then the tail: 1·1 + 2·1 + 3·1 + 4·1 + 5·1 = 15', () => {
    const ones = new Float64Array([1, 1, 1, 1, 1]);
    expect(dotUnrolled(new Float64Array([1, 2, 3, 4, 5]), 0, ones, 0, 5)).toBe(15);
    expect(dotUnrolled(new Float64Array([9, 1, 2]), 1, new Float64Array([9, 3, 4]), 1, 2)).toBe(1 * 3 + 2 * 4);
  });
});

describe('dotPairUnrolled', () => {
  it('gives both dot products bit for bit as two dotUnrolled calls, at every length and offset', () => {
    const values = fc.array(fc.double({ min: -1e3, max: 1e3, noNaN: true }), { minLength: 30, maxLength: 30 });
    fc.assert(
      fc.property(values, values, values, fc.nat(5), fc.nat(5), fc.nat(5), fc.nat(24), (a, b, c, ao, bo, co, length) => {
        const [fa, fb, fc64] = [Float64Array.from(a), Float64Array.from(b), Float64Array.from(c)];
        const out = new Float64Array(2);
        dotPairUnrolled(fa, ao, fb, bo, fc64, co, length, out);
        expect(out[0]).toBe(dotUnrolled(fa, ao, fc64, co, length));
        expect(out[1]).toBe(dotUnrolled(fb, bo, fc64, co, length));
      }),
    );
  });
});
