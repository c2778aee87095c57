/** Sweeps after which {@link symmetricEigen} stops even if off-diagonal mass remains. */
const MAX_SWEEPS = 60;

/** Eigenvalues (descending) and matching unit eigenvectors of a small symmetric matrix. */
export interface SymmetricEigen {
  /** Eigenvalues, largest first. */
  readonly values: Float64Array;
  /** Eigenvectors as rows, row-major `n × n`: row `j` belongs to `values[j]`. */
  readonly vectors: Float64Array;
}

/**
 * Eigendecomposition `A = VΛVᵀ` of a symmetric `n × n` matrix (row-major; only read, never modified)
 * by the cyclic Jacobi method (Golub & Van Loan, *Matrix Computations*, 4th ed., §8.5): plane
 * rotations zero each off-diagonal entry in turn until the off-diagonal mass is below round-off
 * relative to the matrix norm. O(n³) per sweep and typically under ten sweeps; meant for the small
 * projected matrices of a subspace iteration (n ≲ 200), not for large matrices.
 */
export function symmetricEigen(a: Float64Array, n: number): SymmetricEigen {
  const m = Float64Array.from(a);
  const v = new Float64Array(n * n);
  for (let i = 0; i < n; i++) v[i * n + i] = 1;
  let total = 0;
  for (const x of m) total += x * x;
  const tolerance = 1e-30 * Math.max(total, Number.MIN_VALUE);
  for (let sweep = 0; sweep < MAX_SWEEPS; sweep++) {
    let off = 0;
    for (let p = 0; p < n; p++) for (let q = p + 1; q < n; q++) off += (m[p * n + q] as number) ** 2;
    if (off <= tolerance) break;
    for (let p = 0; p < n - 1; p++) {
      for (let q = p + 1; q < n; q++) {
        const apq = m[p * n + q] as number;
        if (apq === 0) continue;
        const app = m[p * n + p] as number;
        const aqq = m[q * n + q] as number;
        // Rotation angle that zeroes m[p][q] (the smaller root of t² + 2τt − 1 = 0).
        const tau = (aqq - app) / (2 * apq);
        const t = (tau >= 0 ? 1 : -1) / (Math.abs(tau) + Math.sqrt(1 + tau * tau));
        const c = 1 / Math.sqrt(1 + t * t);
        const s = t * c;
        for (let k = 0; k < n; k++) {
          const mkp = m[k * n + p] as number;
          const mkq = m[k * n + q] as number;
          m[k * n + p] = c * mkp - s * mkq;
          m[k * n + q] = s * mkp + c * mkq;
        }
        for (let k = 0; k < n; k++) {
          const mpk = m[p * n + k] as number;
          const mqk = m[q * n + k] as number;
          m[p * n + k] = c * mpk - s * mqk;
          m[q * n + k] = s * mpk + c * mqk;
        }
        // Accumulate V ← V·J; V's columns are stored here as rows (row j = eigenvector j).
        for (let k = 0; k < n; k++) {
          const vp = v[p * n + k] as number;
          const vq = v[q * n + k] as number;
          v[p * n + k] = c * vp - s * vq;
          v[q * n + k] = s * vp + c * vq;
        }
      }
    }
  }
  const order = Array.from({ length: n }, (_, i) => i).sort((x, y) => (m[y * n + y] as number) - (m[x * n + x] as number) || x - y);
  const values = Float64Array.from(order, (i) => m[i * n + i] as number);
  const vectors = new Float64Array(n * n);
  order.forEach((i, j) => vectors.set(v.subarray(i * n, i * n + n), j * n));
  return { values, vectors };
}
