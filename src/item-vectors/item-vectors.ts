import { RerankError } from '../errors/rerank-error.js';
import { mulberry32 } from '../_internals/random.js';
import { assertKnownOptions, numberOption } from '../_internals/options.js';
import { interactionRows, type InteractionRows, type Interactions } from './interactions.js';
import { symmetricEigen } from './symmetric-eigen.js';

/**
 * Which matrix the item vectors factorise (X the binary user × item matrix, D = diag of the items'
 * user counts, i.e. the diagonal of XᵀX):
 * - `cosine`: the cosine-normalised co-occurrence `D^-½·XᵀX·D^-½` (entry i,j is the cosine of the
 *   item columns of X). Popularity is divided out, so similar vectors mean "liked by the same
 *   people", not "both popular".
 * - `cooccurrence`: the raw co-occurrence `XᵀX`. Dominated by popularity: the leading direction is
 *   roughly the popularity vector, so cosine between vectors partly measures "both popular".
 */
export type ItemVectorMethod = 'cosine' | 'cooccurrence';

/** Default {@link ItemVectorOptions.method}. @defaultValue `'cosine'` */
export const DEFAULT_ITEM_VECTOR_METHOD: ItemVectorMethod = 'cosine';
/** Default vector dimension. @defaultValue 64 */
export const DEFAULT_ITEM_VECTOR_DIM = 64;
/** Default extra columns of the randomised range finder. @defaultValue 32 */
export const DEFAULT_ITEM_VECTOR_OVERSAMPLING = 32;
/** Default number of subspace (power) iterations. @defaultValue 10 */
export const DEFAULT_ITEM_VECTOR_ITERATIONS = 10;
/** Default seed of the random start. @defaultValue 1 */
export const DEFAULT_ITEM_VECTOR_SEED = 1;

/** Options of {@link itemVectors}. */
export interface ItemVectorOptions {
  /** Which matrix to factorise. @defaultValue {@link DEFAULT_ITEM_VECTOR_METHOD} */
  readonly method?: ItemVectorMethod;
  /** Vector dimension d (capped at the number of items). @defaultValue {@link DEFAULT_ITEM_VECTOR_DIM} */
  readonly dim?: number;
  /** Extra basis columns p; the subspace has `d + p` columns. @defaultValue {@link DEFAULT_ITEM_VECTOR_OVERSAMPLING} */
  readonly oversampling?: number;
  /** Subspace iterations q; more sharpen the trailing eigenvectors. @defaultValue {@link DEFAULT_ITEM_VECTOR_ITERATIONS} */
  readonly iterations?: number;
  /** Seed of the Gaussian start (mulberry32); same seed and input, same vectors. @defaultValue {@link DEFAULT_ITEM_VECTOR_SEED} */
  readonly seed?: number;
}

/** What {@link itemVectors} returns. */
export interface ItemVectorResult {
  /** Item vectors, row-major `numItems × dim`: row i is item i's vector. Items with no interactions get a zero row. */
  readonly vectors: Float64Array;
  /** Vector dimension (the requested `dim`, capped at `numItems`). */
  readonly dim: number;
  /** The d largest eigenvalues of the factorised matrix, largest first (the squared column norms of `vectors`). */
  readonly eigenvalues: Float64Array;
  /** The factorised matrix. */
  readonly method: ItemVectorMethod;
}

const OPTIONS = ['method', 'dim', 'oversampling', 'iterations', 'seed'] as const;
const OWNER = 'itemVectors';

/** Column weights w of `Y = X·diag(w)`: `1/√count` for `cosine`, 1 for `cooccurrence`, 0 for unused items. */
function columnWeights(rows: InteractionRows, method: ItemVectorMethod): Float64Array {
  return Float64Array.from(rows.itemCounts, (count) => (count === 0 ? 0 : method === 'cosine' ? 1 / Math.sqrt(count) : 1));
}

/**
 * `out = M·basis` for `M = YᵀY`, `Y = X·diag(w)`, each of the `width` rows of `basis` (length n)
 * multiplied as `Yᵀ(Y·b)` through the sparse rows of X: O(nnz · width), and M is never formed.
 * Four basis rows share each pass over a user's items (four independent sums, each added in item
 * order, so every value is the same as one row at a time).
 */
function multiply(rows: InteractionRows, weights: Float64Array, basis: Float64Array, width: number, out: Float64Array): void {
  const { indptr, indices, numItems: n } = rows;
  out.fill(0);
  for (let u = 0; u + 1 < indptr.length; u++) {
    const from = indptr[u] as number;
    const to = indptr[u + 1] as number;
    let r = 0;
    for (; r + 4 <= width; r += 4) {
      const r0 = r * n;
      const r1 = r0 + n;
      const r2 = r1 + n;
      const r3 = r2 + n;
      let p0 = 0;
      let p1 = 0;
      let p2 = 0;
      let p3 = 0;
      for (let p = from; p < to; p++) {
        const i = indices[p] as number;
        const w = weights[i] as number;
        p0 += w * (basis[r0 + i] as number);
        p1 += w * (basis[r1 + i] as number);
        p2 += w * (basis[r2 + i] as number);
        p3 += w * (basis[r3 + i] as number);
      }
      if (p0 === 0 && p1 === 0 && p2 === 0 && p3 === 0) continue;
      // A zero projection adds +0, which changes no entry (entries are never −0).
      for (let p = from; p < to; p++) {
        const i = indices[p] as number;
        const w = weights[i] as number;
        out[r0 + i] = (out[r0 + i] as number) + w * p0;
        out[r1 + i] = (out[r1 + i] as number) + w * p1;
        out[r2 + i] = (out[r2 + i] as number) + w * p2;
        out[r3 + i] = (out[r3 + i] as number) + w * p3;
      }
    }
    for (; r < width; r++) {
      const ro = r * n;
      let projection = 0;
      for (let p = from; p < to; p++) {
        const i = indices[p] as number;
        projection += (weights[i] as number) * (basis[ro + i] as number);
      }
      if (projection === 0) continue;
      for (let p = from; p < to; p++) {
        const i = indices[p] as number;
        out[ro + i] = (out[ro + i] as number) + (weights[i] as number) * projection;
      }
    }
  }
}

/** A row whose norm falls below this fraction of its norm before projection is treated as dependent. */
const DEPENDENT_ROW = 1e-10;

/** `Σ_k rows[ro + k]²`, summed in k order. */
function squaredNorm(rows: Float64Array, ro: number, n: number): number {
  let sum = 0;
  for (let k = 0; k < n; k++) sum += (rows[ro + k] as number) ** 2;
  return sum;
}

/** `rows[ro..] −= dot · rows[po..]`. */
function subtractScaled(rows: Float64Array, ro: number, po: number, dot: number, n: number): void {
  for (let k = 0; k < n; k++) rows[ro + k] = (rows[ro + k] as number) - dot * (rows[po + k] as number);
}

/** Scales row `ro` to unit length, or to zero when it lost all but {@link DEPENDENT_ROW} of its norm `before`. */
function normaliseRow(rows: Float64Array, ro: number, before: number, n: number): void {
  const after = squaredNorm(rows, ro, n);
  const scale = after > DEPENDENT_ROW * DEPENDENT_ROW * before && after > 0 ? 1 / Math.sqrt(after) : 0;
  for (let k = 0; k < n; k++) rows[ro + k] = (rows[ro + k] as number) * scale;
}

/**
 * Orthonormalises the `count` rows of length n (modified Gram–Schmidt, two passes); dependent rows
 * become zero. Rows go in pairs: both are projected off the finished rows before them with two
 * independent dot products per pass over a finished row (each summed in k order), then the second
 * is projected off the first, so every value is the same as one row at a time.
 */
function orthonormaliseRows(rows: Float64Array, count: number, n: number): void {
  for (let pass = 0; pass < 2; pass++) {
    let r = 0;
    for (; r + 2 <= count; r += 2) {
      const ro = r * n;
      const so = ro + n;
      const before0 = squaredNorm(rows, ro, n);
      const before1 = squaredNorm(rows, so, n);
      for (let p = 0; p < r; p++) {
        const po = p * n;
        let dot0 = 0;
        let dot1 = 0;
        for (let k = 0; k < n; k++) {
          const x = rows[po + k] as number;
          dot0 += (rows[ro + k] as number) * x;
          dot1 += (rows[so + k] as number) * x;
        }
        if (dot0 !== 0) subtractScaled(rows, ro, po, dot0, n);
        if (dot1 !== 0) subtractScaled(rows, so, po, dot1, n);
      }
      normaliseRow(rows, ro, before0, n);
      let dot = 0;
      for (let k = 0; k < n; k++) dot += (rows[so + k] as number) * (rows[ro + k] as number);
      if (dot !== 0) subtractScaled(rows, so, ro, dot, n);
      normaliseRow(rows, so, before1, n);
    }
    for (; r < count; r++) {
      const ro = r * n;
      const before = squaredNorm(rows, ro, n);
      for (let p = 0; p < r; p++) {
        const po = p * n;
        let dot = 0;
        for (let k = 0; k < n; k++) dot += (rows[ro + k] as number) * (rows[po + k] as number);
        if (dot !== 0) subtractScaled(rows, ro, po, dot, n);
      }
      normaliseRow(rows, ro, before, n);
    }
  }
}

/** Relative tolerance under which two entries count as equally large for {@link columnSign}. */
const SIGN_TIE = 1e-9;

/**
 * The sign that makes a column's leading entry positive: the first entry whose magnitude is within
 * {@link SIGN_TIE} of the largest (so round-off cannot flip the choice between near-equal entries).
 */
function columnSign(column: Float64Array): number {
  let largest = 0;
  for (const x of column) largest = Math.max(largest, Math.abs(x));
  for (const x of column) if (Math.abs(x) >= (1 - SIGN_TIE) * largest) return x < 0 ? -1 : 1;
  return 1;
}

/** A standard normal draw (Box–Muller transform). */
function gaussian(random: () => number): number {
  return Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
}

/**
 * Item embeddings from an interaction matrix, for hosts without content embeddings: item i's vector
 * is row i of `V_d·Λ_d^{1/2}`, where `M = VΛVᵀ` is the eigendecomposition of the symmetric PSD
 * item-item matrix `M` chosen by `method` (see {@link ItemVectorMethod}) and `d` the top eigenpairs.
 * So `vᵢ·vⱼ` is the best rank-d approximation of `M_ij` (Eckart–Young): for `cosine`, the cosine of
 * items i and j's user sets. Equivalently, the rows are the right singular vectors of
 * `Y = X·D^-½` (or X) scaled by its singular values, the classic LSA/PureSVD item factors
 * (Cremonesi, Koren & Turrin, RecSys 2010).
 *
 * Method: randomised subspace iteration (Halko, Martinsson & Tropp, "Finding structure with
 * randomness", SIAM Review 53(2), 2011, Alg. 4.4 with Rayleigh–Ritz, §5.5): a seeded Gaussian
 * block of `d + oversampling` vectors is multiplied by M `iterations + 1` times, re-orthonormalised
 * after each product, and the projected matrix `QᵀMQ` is diagonalised by Jacobi rotations. Every
 * product `M·b = Yᵀ(Y·b)` is two sparse passes over the interactions, so time is
 * O(iterations · nnz · (d + p) + iterations · numItems · (d + p)²) and memory O(nnz + numItems · (d + p));
 * the `numItems²` matrix is never formed.
 *
 * Vectors are deterministic for a given input, options and seed; each column's sign is fixed so
 * that its first largest-magnitude entry (ties within 1e-9 relative) is positive. Items without
 * interactions get zero vectors (their cosine is undefined: give them a content vector, or leave
 * them out of the catalogue).
 *
 * @example
 * ```ts
 * // Three users' liked items (indices into your item list of length 4).
 * const { vectors, dim } = itemVectors({ numItems: 4, users: [0, 0, 1, 1, 2], items: [0, 1, 1, 2, 3] }, { dim: 2 });
 * const embedding = vectors.subarray(1 * dim, 2 * dim); // item 1
 * ```
 *
 * @throws {@link RerankError} `INVALID_ARGUMENT` for malformed interactions (see
 *   `interactionRows`), `UNKNOWN_OPTION` / `INVALID_OPTION` for bad options.
 */
export function itemVectors(interactions: Interactions, options: ItemVectorOptions = {}): ItemVectorResult {
  assertKnownOptions(OWNER, options, OPTIONS);
  const method = options.method ?? DEFAULT_ITEM_VECTOR_METHOD;
  if (method !== 'cosine' && method !== 'cooccurrence') {
    throw new RerankError('INVALID_OPTION', `${OWNER}: option "method" must be "cosine" or "cooccurrence", got ${String(method)}.`, {
      field: 'options.method',
      value: method,
    });
  }
  const requestedDim = numberOption(OWNER, 'dim', options.dim, DEFAULT_ITEM_VECTOR_DIM, { min: 1, integer: true });
  const oversampling = numberOption(OWNER, 'oversampling', options.oversampling, DEFAULT_ITEM_VECTOR_OVERSAMPLING, { min: 0, integer: true });
  const iterations = numberOption(OWNER, 'iterations', options.iterations, DEFAULT_ITEM_VECTOR_ITERATIONS, { min: 0, max: 1000, integer: true });
  const seed = numberOption(OWNER, 'seed', options.seed, DEFAULT_ITEM_VECTOR_SEED, { min: 0, max: 2 ** 32 - 1, integer: true });
  const rows = interactionRows(interactions);
  const n = rows.numItems;
  const dim = Math.min(requestedDim, n);
  const width = Math.min(dim + oversampling, n);
  const weights = columnWeights(rows, method);
  const random = mulberry32(seed);
  // Basis vectors are stored as rows (width × n) so every pass reads contiguous memory.
  let basis = new Float64Array(width * n);
  // Unused items (weight 0) start at 0 so they stay 0 even with no iterations.
  for (let i = 0; i < basis.length; i++) {
    const draw = gaussian(random);
    basis[i] = weights[i % n] === 0 ? 0 : draw;
  }
  let image = new Float64Array(width * n);
  orthonormaliseRows(basis, width, n);
  for (let pass = 0; pass < iterations; pass++) {
    multiply(rows, weights, basis, width, image);
    orthonormaliseRows(image, width, n);
    [basis, image] = [image, basis];
  }
  multiply(rows, weights, basis, width, image);
  // Rayleigh–Ritz: the projected matrix QᵀMQ, then its eigenvectors lifted back through Q.
  const small = new Float64Array(width * width);
  for (let a = 0; a < width; a++) {
    const ao = a * n;
    let b = a;
    // Four independent sums per pass over row a, each in k order.
    for (; b + 4 <= width; b += 4) {
      const b0 = b * n;
      let d0 = 0;
      let d1 = 0;
      let d2 = 0;
      let d3 = 0;
      for (let k = 0; k < n; k++) {
        const x = basis[ao + k] as number;
        d0 += x * (image[b0 + k] as number);
        d1 += x * (image[b0 + n + k] as number);
        d2 += x * (image[b0 + 2 * n + k] as number);
        d3 += x * (image[b0 + 3 * n + k] as number);
      }
      small[a * width + b] = small[b * width + a] = d0;
      small[a * width + b + 1] = small[(b + 1) * width + a] = d1;
      small[a * width + b + 2] = small[(b + 2) * width + a] = d2;
      small[a * width + b + 3] = small[(b + 3) * width + a] = d3;
    }
    for (; b < width; b++) {
      let dot = 0;
      for (let k = 0; k < n; k++) dot += (basis[ao + k] as number) * (image[b * n + k] as number);
      small[a * width + b] = dot;
      small[b * width + a] = dot;
    }
  }
  const eigen = symmetricEigen(small, width);
  const vectors = new Float64Array(n * dim);
  const column = new Float64Array(n);
  const eigenvalues = new Float64Array(dim);
  for (let c = 0; c < dim; c++) {
    const value = Math.max(eigen.values[c] as number, 0);
    eigenvalues[c] = value;
    column.fill(0);
    for (let r = 0; r < width; r++) {
      const weight = eigen.vectors[c * width + r] as number;
      if (weight === 0) continue;
      const ro = r * n;
      for (let i = 0; i < n; i++) column[i] = (column[i] as number) + weight * (basis[ro + i] as number);
    }
    const scale = columnSign(column) * Math.sqrt(value);
    for (let i = 0; i < n; i++) vectors[i * dim + c] = (column[i] as number) * scale;
  }
  return { vectors, dim, eigenvalues, method };
}
