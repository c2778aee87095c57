import { describeValue } from '../errors/describe-value.js';
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
 *
 * One loop per input type (`Float64Array`, `Float32Array`, plain arrays, anything else), so that
 * each loop's element reads stay monomorphic and compile to plain loads even when a process packs
 * several types. All four compute the same sum in the same order: four interleaved partial sums
 * (entries j ≡ 0, 1, 2, 3 mod 4, the tail into the first), added as `(s0 + s1) + (s2 + s3)`, which
 * breaks the chain of dependent additions that bounded a single running sum.
 */
export function tryWriteUnitVector(source: ArrayLike<number>, target: Float64Array, offset: number, dim: number): boolean {
  if (source.length !== dim) return false;
  if (source instanceof Float64Array) return tryWriteFloat64(source, target, offset, dim);
  if (source instanceof Float32Array) return tryWriteFloat32(source, target, offset, dim);
  if (Array.isArray(source)) return tryWriteArray(source as readonly unknown[], target, offset, dim);
  return tryWriteArrayLike(source, target, offset, dim);
}

/** Whether a plain sum of squares proves a vector valid and needs no rescaling (see {@link tryWriteUnitVector}). */
function usable(sumOfSquares: number): boolean {
  return sumOfSquares >= SMALLEST_SAFE_SUM_OF_SQUARES && sumOfSquares <= Number.MAX_VALUE;
}

function tryWriteFloat64(source: Float64Array, target: Float64Array, offset: number, dim: number): boolean {
  let s0 = 0;
  let s1 = 0;
  let s2 = 0;
  let s3 = 0;
  let j = 0;
  for (; j + 3 < dim; j += 4) {
    const x0 = source[j] as number;
    const x1 = source[j + 1] as number;
    const x2 = source[j + 2] as number;
    const x3 = source[j + 3] as number;
    s0 += x0 * x0;
    s1 += x1 * x1;
    s2 += x2 * x2;
    s3 += x3 * x3;
  }
  for (; j < dim; j++) {
    const x = source[j] as number;
    s0 += x * x;
  }
  const sumOfSquares = s0 + s1 + (s2 + s3);
  if (!usable(sumOfSquares)) return false;
  const factor = 1 / Math.sqrt(sumOfSquares);
  for (let j = 0; j < dim; j++) target[offset + j] = (source[j] as number) * factor;
  return true;
}

function tryWriteFloat32(source: Float32Array, target: Float64Array, offset: number, dim: number): boolean {
  let s0 = 0;
  let s1 = 0;
  let s2 = 0;
  let s3 = 0;
  let j = 0;
  for (; j + 3 < dim; j += 4) {
    const x0 = source[j] as number;
    const x1 = source[j + 1] as number;
    const x2 = source[j + 2] as number;
    const x3 = source[j + 3] as number;
    s0 += x0 * x0;
    s1 += x1 * x1;
    s2 += x2 * x2;
    s3 += x3 * x3;
  }
  for (; j < dim; j++) {
    const x = source[j] as number;
    s0 += x * x;
  }
  const sumOfSquares = s0 + s1 + (s2 + s3);
  if (!usable(sumOfSquares)) return false;
  const factor = 1 / Math.sqrt(sumOfSquares);
  for (let j = 0; j < dim; j++) target[offset + j] = (source[j] as number) * factor;
  return true;
}

/**
 * Plain arrays may hold anything, so every entry is checked to be a number; a NaN or infinite entry
 * makes the sum non-finite as well, so a usable sum proves the vector valid without a per-entry
 * finiteness check.
 */
function tryWriteArray(source: readonly unknown[], target: Float64Array, offset: number, dim: number): boolean {
  let s0 = 0;
  let s1 = 0;
  let s2 = 0;
  let s3 = 0;
  let j = 0;
  for (; j + 3 < dim; j += 4) {
    const x0 = source[j];
    const x1 = source[j + 1];
    const x2 = source[j + 2];
    const x3 = source[j + 3];
    if (typeof x0 !== 'number' || typeof x1 !== 'number' || typeof x2 !== 'number' || typeof x3 !== 'number') return false;
    s0 += x0 * x0;
    s1 += x1 * x1;
    s2 += x2 * x2;
    s3 += x3 * x3;
  }
  for (; j < dim; j++) {
    const x = source[j];
    if (typeof x !== 'number') return false;
    s0 += x * x;
  }
  const sumOfSquares = s0 + s1 + (s2 + s3);
  if (!usable(sumOfSquares)) return false;
  const factor = 1 / Math.sqrt(sumOfSquares);
  for (let j = 0; j < dim; j++) target[offset + j] = (source[j] as number) * factor;
  return true;
}

/**
 * Any other array-like (other typed arrays, array-like objects): same checks as {@link tryWriteArray}.
 * The body is deliberately a copy: one function fed both plain arrays and other array-likes turns its
 * element loads polymorphic in V8; the copy keeps the common plain-array path monomorphic.
 */
function tryWriteArrayLike(source: ArrayLike<unknown>, target: Float64Array, offset: number, dim: number): boolean {
  let s0 = 0;
  let s1 = 0;
  let s2 = 0;
  let s3 = 0;
  let j = 0;
  for (; j + 3 < dim; j += 4) {
    const x0 = source[j];
    const x1 = source[j + 1];
    const x2 = source[j + 2];
    const x3 = source[j + 3];
    if (typeof x0 !== 'number' || typeof x1 !== 'number' || typeof x2 !== 'number' || typeof x3 !== 'number') return false;
    s0 += x0 * x0;
    s1 += x1 * x1;
    s2 += x2 * x2;
    s3 += x3 * x3;
  }
  for (; j < dim; j++) {
    const x = source[j];
    if (typeof x !== 'number') return false;
    s0 += x * x;
  }
  const sumOfSquares = s0 + s1 + (s2 + s3);
  if (!usable(sumOfSquares)) return false;
  const factor = 1 / Math.sqrt(sumOfSquares);
  for (let j = 0; j < dim; j++) target[offset + j] = (source[j] as number) * factor;
  return true;
}

function writeScaled(source: ArrayLike<number>, target: Float64Array, offset: number, dim: number, factor: number): void {
  for (let j = 0; j < dim; j++) target[offset + j] = (source[j] as number) * factor;
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
      throw new RerankError('NON_FINITE_EMBEDDING', `${field}[${j}] is ${describeValue(x)}; embeddings must hold finite numbers.`, {
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
