import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { bootstrapDifferenceCi, bootstrapRatioCi } from '../../src/evaluate/bootstrap.js';
import { seededRandom } from '../../src/evaluate/random.js';

describe('bootstrapRatioCi', () => {
  it('gives a zero-width interval when every user has the same ratio', () => {
    const b = [1, 2, 0, 3, 1];
    const a = b.map((x) => 2 * x);
    expect(bootstrapRatioCi(a, b, { seed: 1, samples: 500 }).ci).toEqual([2, 2]);
  });

  it('brackets the point ratio Σa/Σb and is reproducible for a seed (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.integer({ min: 0, max: 3 }), fc.integer({ min: 1, max: 3 })), { minLength: 5, maxLength: 40 }), fc.integer(), (pairs, seed) => {
        const a = pairs.map((p) => p[0]);
        const b = pairs.map((p) => p[1]);
        const point = a.reduce((x, y) => x + y, 0) / b.reduce((x, y) => x + y, 0);
        const first = bootstrapRatioCi(a, b, { seed, samples: 400 });
        expect(first.ci[0]).toBeLessThanOrEqual(point + 1e-12);
        expect(first.ci[1]).toBeGreaterThanOrEqual(point - 1e-12);
        expect(bootstrapRatioCi(a, b, { seed, samples: 400 })).toEqual(first);
      }),
      { numRuns: 50 },
    );
  });

  it('narrows as the number of users grows (same per-user distribution)', () => {
    const random = seededRandom(7);
    const draw = (n: number): [number[], number[]] => {
      const a: number[] = [];
      const b: number[] = [];
      for (let i = 0; i < n; i++) {
        a.push(random() < 0.3 ? 1 : 0);
        b.push(random() < 0.2 ? 1 : 0);
      }
      return [a, b];
    };
    const [a1, b1] = draw(100);
    const [a2, b2] = draw(4000);
    const small = bootstrapRatioCi(a1, b1, { seed: 1, samples: 1000 }).ci;
    const large = bootstrapRatioCi(a2, b2, { seed: 1, samples: 1000 }).ci;
    expect(large[1] - large[0]).toBeLessThan((small[1] - small[0]) / 2);
    // The true ratio is 0.3/0.2 = 1.5; the large sample's interval covers it.
    expect(large[0]).toBeLessThan(1.5);
    expect(large[1]).toBeGreaterThan(1.5);
  });

  it('skips resamples with a zero denominator and rejects misaligned input', () => {
    expect(bootstrapRatioCi([1, 1], [0, 0], { seed: 1, samples: 50 })).toEqual({ ci: [Number.NaN, Number.NaN], skipped: 50 });
    expect(() => bootstrapRatioCi([1], [1, 2], { seed: 1 })).toThrow(RangeError);
  });
});

describe('bootstrapDifferenceCi', () => {
  it('gives the exact difference when every user differs by the same amount', () => {
    // each user adds 1 to a, so every resample of 5 users differs by exactly 5
    const b = [0, 2, 1, 0, 3];
    const a = b.map((x) => x + 1);
    expect(bootstrapDifferenceCi(a, b, { seed: 3, samples: 300 })).toEqual([5, 5]);
  });

  it('decides "above 0" exactly where the ratio interval decides "above 1", on the same resamples (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.integer({ min: 0, max: 4 }), fc.integer({ min: 1, max: 3 })), { minLength: 5, maxLength: 40 }), fc.integer(), (pairs, seed) => {
        // b ≥ 1 for every user: no resample has Σb = 0, so both intervals use every resample
        const a = pairs.map((p) => p[0]);
        const b = pairs.map((p) => p[1]);
        const [lower] = bootstrapDifferenceCi(a, b, { seed, samples: 400 });
        const ratio = bootstrapRatioCi(a, b, { seed, samples: 400 });
        expect(ratio.skipped).toBe(0);
        expect(lower > 0).toBe((ratio.ci[0] as number) > 1);
      }),
      { numRuns: 100 },
    );
  });

  it('stays defined where b has no mass, unlike the ratio', () => {
    const a = Array.from({ length: 200 }, (_, i) => (i % 4 === 0 ? 1 : 0));
    const b = new Array<number>(200).fill(0);
    expect(bootstrapRatioCi(a, b, { seed: 1, samples: 200 }).ci).toEqual([Number.NaN, Number.NaN]);
    const [lower, upper] = bootstrapDifferenceCi(a, b, { seed: 1, samples: 200 });
    expect(lower).toBeGreaterThan(0);
    expect(upper).toBeGreaterThanOrEqual(lower);
  });
});
