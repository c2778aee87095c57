import fc from 'fast-check';

/** Ids drawn from a small pool that includes prototype-like names. */
export const ID_POOL = ['a', 'b', 'c', 'd', 'e', 'f', 'g', '__proto__', 'constructor', 'toString'] as const;

/** A ranked list (no repeats), a relevant set and a cutoff. */
export const rankingCase = fc.record({
  list: fc.uniqueArray(fc.constantFrom(...ID_POOL), { maxLength: ID_POOL.length }),
  relevant: fc.array(fc.constantFrom(...ID_POOL), { maxLength: 12 }),
  k: fc.integer({ min: 1, max: 12 }),
});

/** Non-zero vectors of one dimension. */
export const vectorsArb = (dim: number, minLength = 0, maxLength = 8) =>
  fc.array(
    fc
      .array(fc.double({ min: -10, max: 10, noNaN: true }), { minLength: dim, maxLength: dim })
      .filter((v) => v.some((x) => Math.abs(x) > 1e-3)),
    { minLength, maxLength },
  );
