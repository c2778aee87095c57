import { RerankError } from '../index.js';

/**
 * Inverse of a symmetric positive-definite `n × n` matrix (row-major), through its Cholesky factor
 * `A = L·Lᵀ`: `W = L⁻¹` by forward substitution, then `A⁻¹ = Wᵀ·W`. Every inner loop is a dot
 * product of two contiguous rows, so this is about `n³/2` multiply-adds with no strided access
 * (ml-matrix's `CholeskyDecomposition.solve(I)` took ~100 s on a 2000 × 2000 matrix here; this
 * takes a few seconds). Used by EASE, whose Gram matrix plus `λI` is positive definite.
 *
 * @throws {@link RerankError} `INVALID_ARGUMENT` when a pivot is not positive (the matrix is not
 *   positive definite).
 */
export function spdInverse(a: Float64Array, n: number): Float64Array {
  const lower = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    const ri = i * n;
    for (let j = 0; j <= i; j++) {
      const rj = j * n;
      let sum = a[ri + j] as number;
      for (let k = 0; k < j; k++) sum -= (lower[ri + k] as number) * (lower[rj + k] as number);
      if (i === j) {
        if (!(sum > 0)) {
          throw new RerankError('INVALID_ARGUMENT', `spdInverse: pivot ${i} is ${sum}; the matrix is not positive definite (raise λ).`, {
            field: 'a',
          });
        }
        lower[ri + i] = Math.sqrt(sum);
      } else {
        lower[ri + j] = sum / (lower[rj + j] as number);
      }
    }
  }
  // Row j of `w` holds column j of L⁻¹ (entries j..n-1), so the products below read rows.
  const w = new Float64Array(n * n);
  for (let j = 0; j < n; j++) {
    const wj = j * n;
    w[wj + j] = 1 / (lower[j * n + j] as number);
    for (let i = j + 1; i < n; i++) {
      const ri = i * n;
      let sum = 0;
      for (let k = j; k < i; k++) sum += (lower[ri + k] as number) * (w[wj + k] as number);
      w[wj + i] = -sum / (lower[ri + i] as number);
    }
  }
  const inverse = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    const wi = i * n;
    for (let j = 0; j <= i; j++) {
      const wj = j * n;
      let sum = 0;
      for (let k = i; k < n; k++) sum += (w[wi + k] as number) * (w[wj + k] as number);
      inverse[i * n + j] = sum;
      inverse[j * n + i] = sum;
    }
  }
  return inverse;
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
