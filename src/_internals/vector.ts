import { RerankError } from '../errors/rerank-error.js';

/** Below this the plain sum of squares may have lost precision to underflow, so the vector is rescaled. */
const SMALLEST_SAFE_SUM_OF_SQUARES = 1e-280;

/** Largest magnitudes below this (2^-1000) are rescaled by {@link SUBNORMAL_PRESCALE} before normalising. */
const TINIEST_SAFE_LARGEST = 2 ** -1000;

/** Exact power-of-two factor that lifts vectors of subnormal or near-subnormal entries into the normal range. */
const SUBNORMAL_PRESCALE = 2 ** 600;

/**
 * Writes `source / ‖source‖₂` into `target[offset .. offset + dim)`, validating it on the way.
 * Computed in float64; very large or very small vectors are rescaled by their largest entry first,
 * so the norm neither overflows nor underflows, and vectors of subnormal entries (e.g.
 * `[1e-309, 2e-309]`) are lifted by an exact power of two before that: the result is never NaN.
 *
 * @param field - Path of the vector in the request, used in error messages.
 * @throws {@link RerankError} `DIMENSION_MISMATCH`, `NON_FINITE_EMBEDDING` or `ZERO_VECTOR`.
 */
export function writeUnitVector(
  source: ArrayLike<number>,
  target: Float64Array,
  offset: number,
  dim: number,
  field: string,
): void {
  if (tryWriteUnitVector(source, target, offset, dim)) return;
  if (source.length !== dim) {
    throw new RerankError(
      'DIMENSION_MISMATCH',
      `${field} has ${source.length} dimensions but ${dim} were expected. All embeddings in a request (candidates, history and catalogue) must have the same length.`,
      { field, value: source.length },
    );
  }
  const largest = largestMagnitude(source, dim, field);
  // Below 2^-1000 the reciprocal of `largest` may overflow to Infinity (and the result to NaN), so
  // such vectors are first multiplied by 2^600, which is exact: every entry becomes a normal number.
  const prescale = largest < TINIEST_SAFE_LARGEST ? SUBNORMAL_PRESCALE : 1;
  const scale = 1 / (largest * prescale);
  let sumOfSquares = 0;
  for (let j = 0; j < dim; j++) {
    const x = (source[j] as number) * prescale * scale;
    sumOfSquares += x * x;
  }
  const factor = scale / Math.sqrt(sumOfSquares);
  if (prescale === 1) writeScaled(source, target, offset, dim, factor);
  else for (let j = 0; j < dim; j++) target[offset + j] = (source[j] as number) * prescale * factor;
}

/**
 * The common case of {@link writeUnitVector}, which needs no field path: writes `source` normalised
 * and returns true when it has length `dim` and a plain sum of squares that is usable as is.
 * Returns false, writing nothing, for every other vector (valid or not); the caller then calls
 * {@link writeUnitVector}, which gives the same bits for valid vectors.
 */
export function tryWriteUnitVector(source: ArrayLike<number>, target: Float64Array, offset: number, dim: number): boolean {
  if (source.length !== dim) return false;
  const sumOfSquares = plainSumOfSquares(source, dim);
  if (!(sumOfSquares >= SMALLEST_SAFE_SUM_OF_SQUARES && sumOfSquares <= Number.MAX_VALUE)) return false;
  writeScaled(source, target, offset, dim, 1 / Math.sqrt(sumOfSquares));
  return true;
}

function writeScaled(source: ArrayLike<number>, target: Float64Array, offset: number, dim: number, factor: number): void {
  for (let j = 0; j < dim; j++) target[offset + j] = (source[j] as number) * factor;
}

/**
 * `Σ source[j]²` for the common case, NaN as soon as an entry is not a number. Any NaN or infinite
 * entry makes the sum non-finite as well, so a finite sum of at least
 * {@link SMALLEST_SAFE_SUM_OF_SQUARES} proves the vector valid without a per-entry finiteness check.
 */
function plainSumOfSquares(source: ArrayLike<number>, dim: number): number {
  let sumOfSquares = 0;
  for (let j = 0; j < dim; j++) {
    const x = source[j] as number;
    if (typeof x !== 'number') return Number.NaN;
    sumOfSquares += x * x;
  }
  return sumOfSquares;
}

/**
 * `max_j |source[j]|`, validating every entry in order: the slow path for vectors whose plain sum
 * of squares is unusable.
 *
 * @throws {@link RerankError} `NON_FINITE_EMBEDDING` or `ZERO_VECTOR`.
 */
function largestMagnitude(source: ArrayLike<number>, dim: number, field: string): number {
  let largest = 0;
  for (let j = 0; j < dim; j++) {
    const x = source[j] as number;
    if (typeof x !== 'number' || !Number.isFinite(x)) {
      throw new RerankError('NON_FINITE_EMBEDDING', `${field}[${j}] is ${String(x)}; embeddings must hold finite numbers.`, {
        field: `${field}[${j}]`,
        value: x,
      });
    }
    const magnitude = Math.abs(x);
    if (magnitude > largest) largest = magnitude;
  }
  if (largest === 0) {
    throw new RerankError(
      'ZERO_VECTOR',
      `${field} is a zero vector, so its cosine similarity is undefined. Drop the item or give it a non-zero embedding.`,
      { field },
    );
  }
  return largest;
}

/** Dot product of rows `a[aOffset..aOffset+dim)` and `b[bOffset..bOffset+dim)`. */
export function dotRows(a: Float64Array, aOffset: number, b: Float64Array, bOffset: number, dim: number): number {
  let sum = 0;
  for (let j = 0; j < dim; j++) sum += (a[aOffset + j] as number) * (b[bOffset + j] as number);
  return sum;
}
