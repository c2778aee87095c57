import { EigenvalueDecomposition, Matrix } from 'ml-matrix';
import { orthonormaliseRows } from './linalg.js';
import { gaussian, seededRandom } from './random.js';

/** Dimension of the item vectors (docs/evaluation.md#protocol: d ≈ 64). @defaultValue 64 */
export const EMBEDDING_DIM = 64;
/** Extra columns of the randomised range finder. @defaultValue 32 */
export const OVERSAMPLING = 32;
/** Power (subspace) iterations of the randomised range finder. @defaultValue 10 */
export const POWER_ITERATIONS = 10;
/** Default seed of the random start. @defaultValue 1 */
export const SVD_SEED = 1;

/** Options of {@link truncatedSvdEmbeddings}. */
export interface SvdOptions {
  /** Vector dimension. @defaultValue {@link EMBEDDING_DIM} */
  readonly dim?: number;
  /** Oversampling columns. @defaultValue {@link OVERSAMPLING} */
  readonly oversampling?: number;
  /** Subspace iterations. @defaultValue {@link POWER_ITERATIONS} */
  readonly iterations?: number;
  /** Seed of the random start. @defaultValue {@link SVD_SEED} */
  readonly seed?: number;
}

/**
 * `out = G·basis` for `G = XᵀX`, each of the `width` rows of `basis` (length n) multiplied
 * separately, computed as `Xᵀ(X·v)` through the sparse rows of X: O(nnz · width) instead of O(n² · width).
 */
export function multiplyCooccurrence(columns: readonly Int32Array[], n: number, basis: Float64Array, width: number, out: Float64Array): void {
  out.fill(0);
  for (const row of columns) {
    for (let r = 0; r < width; r++) {
      const ro = r * n;
      let projection = 0;
      for (const i of row) projection += basis[ro + i] as number;
      for (const i of row) out[ro + i] = (out[ro + i] as number) + projection;
    }
  }
}

/**
 * Item vectors from a truncated SVD of the item co-occurrence matrix `G = XᵀX` (X the binary
 * user×item train matrix, given as sorted column lists per user). G is symmetric PSD, so its SVD is
 * its eigendecomposition `G = VΛVᵀ`. Randomised subspace iteration (Halko, Martinsson & Tropp,
 * SIAM Review 2011, Alg. 4.4) finds an orthonormal basis Q of G's dominant range using only sparse
 * products `Xᵀ(X·v)`; the small `QᵀGQ` is diagonalised with ml-matrix; item i's vector is row i of
 * `V_d·Λ_d^{1/2}`, so `vᵢ·vⱼ ≈ G_ij` (equivalently, X's right singular vectors scaled by its
 * singular values).
 *
 * @returns `n × dim` row-major vectors (dim capped at n).
 */
export function truncatedSvdEmbeddings(columns: readonly Int32Array[], n: number, options: SvdOptions = {}): { vectors: Float64Array; dim: number } {
  const dim = Math.min(options.dim ?? EMBEDDING_DIM, n);
  const width = Math.min(dim + (options.oversampling ?? OVERSAMPLING), n);
  const iterations = options.iterations ?? POWER_ITERATIONS;
  const random = seededRandom(options.seed ?? SVD_SEED);
  // Basis vectors are stored as rows (width × n) so every product reads contiguous memory.
  let basis = new Float64Array(width * n);
  for (let i = 0; i < basis.length; i++) basis[i] = gaussian(random);
  let image = new Float64Array(width * n);
  for (let pass = 0; pass <= iterations; pass++) {
    multiplyCooccurrence(columns, n, basis, width, image);
    orthonormaliseRows(image, width, n);
    [basis, image] = [image, basis];
  }
  multiplyCooccurrence(columns, n, basis, width, image);
  const small = new Matrix(width, width);
  for (let a = 0; a < width; a++) {
    for (let b = a; b < width; b++) {
      let dot = 0;
      for (let k = 0; k < n; k++) dot += (basis[a * n + k] as number) * (image[b * n + k] as number);
      small.set(a, b, dot);
      small.set(b, a, dot);
    }
  }
  const eigen = new EigenvalueDecomposition(small, { assumeSymmetric: true });
  const values = eigen.realEigenvalues;
  const order = values.map((_, i) => i).sort((a, b) => (values[b] as number) - (values[a] as number) || a - b);
  const eigenvectors = eigen.eigenvectorMatrix;
  const vectors = new Float64Array(n * dim);
  for (let c = 0; c < dim; c++) {
    const e = order[c] as number;
    const scale = Math.sqrt(Math.max(values[e] as number, 0));
    for (let r = 0; r < width; r++) {
      const weight = eigenvectors.get(r, e) * scale;
      const ro = r * n;
      for (let i = 0; i < n; i++) vectors[i * dim + c] = (vectors[i * dim + c] as number) + weight * (basis[ro + i] as number);
    }
  }
  return { vectors, dim };
}
