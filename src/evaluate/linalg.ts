import { dotPairUnrolled as dotPair, dotUnrolled as dot } from '../_internals/dot.js';
import { RerankError } from '../index.js';

/**
 * Inverse of a symmetric positive-definite `n × n` matrix (row-major), through its Cholesky factor
 * `A = L·Lᵀ`: `W = L⁻¹` by forward substitution, then `A⁻¹ = Wᵀ·W`. Every inner loop is a dot
 * product of contiguous rows, about `n³/2` multiply-adds in all with no strided access
 * (ml-matrix's `CholeskyDecomposition.solve(I)` took ~100 s on a 2000 × 2000 matrix here; this
 * takes a few seconds). Each phase works on two rows at a time, so one load of a shared row feeds
 * two products and independent partial sums hide the latency of floating-point addition: 1.6–1.9×
 * faster than one dot product at a time at n = 1200 (same results to rounding). Used by EASE,
 * whose Gram matrix plus `λI` is positive definite.
 *
 * @throws {@link RerankError} `INVALID_ARGUMENT` when a pivot is not positive (the matrix is not
 *   positive definite).
 */
export function spdInverse(a: Float64Array, n: number): Float64Array {
  const lower = choleskyLower(a, n);
  return gramOfRows(inverseColumns(lower, n), n);
}

function notPositiveDefinite(pivot: number, value: number): never {
  throw new RerankError('INVALID_ARGUMENT', `spdInverse: pivot ${pivot} is ${value}; the matrix is not positive definite (raise λ).`, {
    field: 'a',
  });
}

/** The Cholesky factor L (row-major, zero above the diagonal), rows i and i + 1 together. */
function choleskyLower(a: Float64Array, n: number): Float64Array {
  const lower = new Float64Array(n * n);
  const pair = new Float64Array(2);
  let i = 0;
  for (; i + 1 < n; i += 2) {
    const r0 = i * n;
    const r1 = r0 + n;
    for (let j = 0; j < i; j++) {
      const rj = j * n;
      dotPair(lower, r0, lower, r1, lower, rj, j, pair);
      const pivot = lower[rj + j] as number;
      lower[r0 + j] = ((a[r0 + j] as number) - (pair[0] as number)) / pivot;
      lower[r1 + j] = ((a[r1 + j] as number) - (pair[1] as number)) / pivot;
    }
    const first = (a[r0 + i] as number) - dot(lower, r0, lower, r0, i);
    if (!(first > 0)) notPositiveDefinite(i, first);
    const pivot = Math.sqrt(first);
    lower[r0 + i] = pivot;
    lower[r1 + i] = ((a[r1 + i] as number) - dot(lower, r1, lower, r0, i)) / pivot;
    const second = (a[r1 + i + 1] as number) - dot(lower, r1, lower, r1, i + 1);
    if (!(second > 0)) notPositiveDefinite(i + 1, second);
    lower[r1 + i + 1] = Math.sqrt(second);
  }
  if (i < n) {
    const ri = i * n;
    for (let j = 0; j < i; j++) lower[ri + j] = ((a[ri + j] as number) - dot(lower, ri, lower, j * n, j)) / (lower[j * n + j] as number);
    const last = (a[ri + i] as number) - dot(lower, ri, lower, ri, i);
    if (!(last > 0)) notPositiveDefinite(i, last);
    lower[ri + i] = Math.sqrt(last);
  }
  return lower;
}

/**
 * `W = L⁻¹` by forward substitution, stored by columns: row j of the result holds column j of
 * `L⁻¹` (entries j..n−1, zero before), so every product reads rows. Columns j and j + 1 together.
 */
function inverseColumns(lower: Float64Array, n: number): Float64Array {
  const w = new Float64Array(n * n);
  const pair = new Float64Array(2);
  let j = 0;
  for (; j + 1 < n; j += 2) {
    const w0 = j * n;
    const w1 = w0 + n;
    const next = (j + 1) * n;
    w[w0 + j] = 1 / (lower[j * n + j] as number);
    w[w1 + j + 1] = 1 / (lower[next + j + 1] as number);
    w[w0 + j + 1] = -((lower[next + j] as number) * (w[w0 + j] as number)) / (lower[next + j + 1] as number);
    for (let r = j + 2; r < n; r++) {
      const rr = r * n;
      // w[w1 + j] is 0, so both sums can run over k = j .. r − 1.
      dotPair(w, w0 + j, w, w1 + j, lower, rr + j, r - j, pair);
      const pivot = lower[rr + r] as number;
      w[w0 + r] = -(pair[0] as number) / pivot;
      w[w1 + r] = -(pair[1] as number) / pivot;
    }
  }
  if (j < n) w[j * n + j] = 1 / (lower[j * n + j] as number);
  return w;
}

/**
 * `Wᵀ·W` for `w` from {@link inverseColumns}: entry (p, q) is `Σ_{k ≥ max(p, q)} w[p][k]·w[q][k]`
 * (row p of `w` is zero before p), in 2 × 2 blocks of four independent sums. Symmetric, row-major.
 */
function gramOfRows(w: Float64Array, n: number): Float64Array {
  const out = new Float64Array(n * n);
  const put = (p: number, q: number, value: number): void => {
    out[p * n + q] = value;
    out[q * n + p] = value;
  };
  let p = 0;
  for (; p + 1 < n; p += 2) {
    const a0 = p * n;
    const a1 = a0 + n;
    // q = p is the diagonal block (w[a1 + p] is 0, and its two off-diagonal sums are equal).
    for (let q = 0; q <= p; q += 2) {
      const b0 = q * n;
      const b1 = b0 + n;
      let s00 = 0;
      let s01 = 0;
      let s10 = 0;
      let s11 = 0;
      for (let k = p; k < n; k++) {
        const x0 = w[a0 + k] as number;
        const x1 = w[a1 + k] as number;
        const y0 = w[b0 + k] as number;
        const y1 = w[b1 + k] as number;
        s00 += x0 * y0;
        s01 += x0 * y1;
        s10 += x1 * y0;
        s11 += x1 * y1;
      }
      put(p, q, s00);
      put(p, q + 1, s01);
      put(p + 1, q, s10);
      put(p + 1, q + 1, s11);
    }
  }
  if (p < n) for (let q = 0; q <= p; q++) put(p, q, dot(w, p * n + p, w, q * n + p, n - p));
  return out;
}

/** A row whose norm falls below this fraction of its norm before projection is linearly dependent. */
const DEPENDENT_ROW = 1e-10;

/**
 * Orthonormalises the `count` rows of length `n` stored in `rows` (modified Gram–Schmidt, twice for
 * stability). A row that loses all but {@link DEPENDENT_ROW} of its norm to the projections (it lies
 * in the span of the earlier rows, e.g. when the matrix has lower rank than the basis) is set to zero.
 */
export function orthonormaliseRows(rows: Float64Array, count: number, n: number): void {
  const norm = (offset: number): number => {
    let sum = 0;
    for (let k = 0; k < n; k++) sum += (rows[offset + k] as number) ** 2;
    return Math.sqrt(sum);
  };
  for (let pass = 0; pass < 2; pass++) {
    for (let r = 0; r < count; r++) {
      const ro = r * n;
      const before = norm(ro);
      for (let p = 0; p < r; p++) {
        const po = p * n;
        let dot = 0;
        for (let k = 0; k < n; k++) dot += (rows[ro + k] as number) * (rows[po + k] as number);
        for (let k = 0; k < n; k++) rows[ro + k] = (rows[ro + k] as number) - dot * (rows[po + k] as number);
      }
      const after = norm(ro);
      const scale = after > DEPENDENT_ROW * before ? 1 / after : 0;
      for (let k = 0; k < n; k++) rows[ro + k] = (rows[ro + k] as number) * scale;
    }
  }
}
