import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { tryWriteUnitVector, writeUnitVector } from '../../src/_internals/vector.js';
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

/** The straightforward algorithm: validate every entry, then rescale only when the plain sum is unusable. */
function referenceUnit(source: readonly unknown[], dim: number): number[] | string {
  if (source.length !== dim) return 'DIMENSION_MISMATCH';
  // the plain sum of squares in four partial sums, entry j going to partial j mod 4 (the last
  // dim mod 4 entries to the first), added as (s0 + s1) + (s2 + s3)
  const partial = new Float64Array(4);
  const unrolled = dim - (dim % 4);
  let largest = 0;
  for (let j = 0; j < dim; j++) {
    const x = source[j];
    if (typeof x !== 'number' || !Number.isFinite(x)) return `NON_FINITE_EMBEDDING at [${j}]`;
    largest = Math.max(largest, Math.abs(x));
    const slot = j < unrolled ? j % 4 : 0;
    partial[slot] = (partial[slot] as number) + x * x;
  }
  let sumOfSquares = (partial[0] as number) + (partial[1] as number) + ((partial[2] as number) + (partial[3] as number));
  if (largest === 0) return 'ZERO_VECTOR';
  let scale = 1;
  // A largest entry below 2^-1000 has a reciprocal that may overflow: lift the vector by the exact 2^600 first.
  const lift = largest < 2 ** -1000 ? 2 ** 600 : 1;
  if (!Number.isFinite(sumOfSquares) || sumOfSquares < 1e-280) {
    scale = 1 / (largest * lift);
    sumOfSquares = 0;
    for (let j = 0; j < dim; j++) sumOfSquares += ((source[j] as number) * lift * scale) ** 2;
  }
  const inverseNorm = scale / Math.sqrt(sumOfSquares);
  return source.map((x) => (x as number) * lift * inverseNorm);
}

function actualUnit(source: readonly unknown[], dim: number): number[] | string {
  const out = new Float64Array(dim);
  try {
    writeUnitVector(source as number[], out, 0, dim, 'v');
  } catch (error) {
    const { code, field } = error as RerankError;
    return code === 'NON_FINITE_EMBEDDING' ? `${code} at ${field?.slice(1)}` : code;
  }
  return Array.from(out);
}

describe('writeUnitVector against the validate-every-entry reference', () => {
  const entry = fc.oneof(
    { weight: 8, arbitrary: fc.double({ noNaN: true, noDefaultInfinity: true }) },
    { weight: 2, arbitrary: fc.double({ min: -1e-150, max: 1e-150, noNaN: true }) },
    { weight: 2, arbitrary: fc.constantFrom(0, -0, 1e200, -1e200, 1e-200, Number.MIN_VALUE, Number.MAX_VALUE) },
    { weight: 1, arbitrary: fc.constantFrom<unknown>(Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, '1', null, undefined, true) },
  );

  it('returns the same bits, or the same error at the same entry, for any vector', () => {
    fc.assert(
      fc.property(fc.array(entry, { maxLength: 12 }), (source) => {
        expect(actualUnit(source, source.length)).toEqual(referenceUnit(source, source.length));
      }),
      { numRuns: 2000 },
    );
  });

  it('has a fast path that writes the same bits when it applies and nothing when it does not', () => {
    fc.assert(
      fc.property(fc.array(entry, { maxLength: 12 }), fc.integer({ min: -1, max: 1 }), (source, lengthError) => {
        const dim = Math.max(0, source.length + lengthError);
        const out = new Float64Array(dim + 2).fill(7);
        const written = tryWriteUnitVector(source as number[], out, 1, dim);
        const reference = referenceUnit(source, dim);
        if (written) expect(Array.from(out)).toEqual([7, ...(reference as number[]), 7]);
        else expect(out.every((x) => x === 7)).toBe(true);
      }),
      { numRuns: 2000 },
    );
  });

  it('reports a length mismatch before looking at the entries', () => {
    expect(actualUnit([Number.NaN, 1], 3)).toBe('DIMENSION_MISMATCH');
  });
});

describe('writeUnitVector error messages', () => {
  it('name the type of a wrong-typed entry, and survive entries String() cannot convert', () => {
    const message = (vector: unknown[]): string => {
      try {
        writeUnitVector(vector as number[], new Float64Array(2), 0, 2, 'candidates[0].embedding');
      } catch (error) {
        expect(error).toBeInstanceOf(RerankError);
        expect((error as RerankError).code).toBe('NON_FINITE_EMBEDDING');
        return (error as RerankError).message;
      }
      return 'no error';
    };
    expect(message([1, '0.5'])).toBe('candidates[0].embedding[1] is string "0.5"; embeddings must hold finite numbers.');
    expect(message([Number.NaN, 1])).toBe('candidates[0].embedding[0] is NaN; embeddings must hold finite numbers.');
    expect(message([Object.create(null), 1])).toBe('candidates[0].embedding[0] is an object with a null prototype; embeddings must hold finite numbers.');
  });
});
