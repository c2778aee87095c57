import { spdInverse } from './linalg.js';

/** Items need at least this many train users to enter EASE (docs/evaluation.md#protocol). @defaultValue 5 */
export const MIN_ITEM_SUPPORT = 5;

/** The items a model runs on and how often each was consumed in train. */
export interface ItemSpace {
  /** Dataset item index of each column, ascending. */
  readonly items: Int32Array;
  /** Column of each dataset item, or -1 when the item is outside the space. */
  readonly column: Int32Array;
  /** Distinct train users of every dataset item (the popularity used for novelty and PM). */
  readonly userCounts: Float64Array;
}

/** Distinct users per dataset item in `positives` (one user counts once per item). */
export function countUsers(positives: readonly Int32Array[], numItems: number): Float64Array {
  const counts = new Float64Array(numItems);
  const lastUser = new Int32Array(numItems).fill(-1);
  positives.forEach((items, user) => {
    for (const item of items) {
      if (lastUser[item] !== user) {
        lastUser[item] = user;
        counts[item] = (counts[item] as number) + 1;
      }
    }
  });
  return counts;
}

/** The items with at least `minSupport` distinct train users. */
export function itemSpace(positives: readonly Int32Array[], numItems: number, minSupport: number = MIN_ITEM_SUPPORT): ItemSpace {
  const userCounts = countUsers(positives, numItems);
  const column = new Int32Array(numItems).fill(-1);
  const kept: number[] = [];
  for (let item = 0; item < numItems; item++) {
    if ((userCounts[item] as number) >= minSupport) {
      column[item] = kept.length;
      kept.push(item);
    }
  }
  return { items: Int32Array.from(kept), column, userCounts };
}

/** Each user's positives as distinct columns of `space` (items outside it dropped), ascending. */
export function userColumns(positives: readonly Int32Array[], space: ItemSpace): Int32Array[] {
  return positives.map((items) => {
    const columns = new Set<number>();
    for (const item of items) {
      const c = space.column[item] as number;
      if (c >= 0) columns.add(c);
    }
    return Int32Array.from([...columns].sort((a, b) => a - b));
  });
}

/** The item co-occurrence (Gram) matrix `G = XᵀX` of binary user×item rows, `n × n` row-major. */
export function cooccurrence(columns: readonly Int32Array[], n: number): Float64Array {
  const gram = new Float64Array(n * n);
  for (const row of columns) {
    for (const i of row) {
      const ri = i * n;
      for (const j of row) gram[ri + j] = (gram[ri + j] as number) + 1;
    }
  }
  return gram;
}

/**
 * `P = (XᵀX + λI)⁻¹` for the binary user×item matrix X given as sorted column lists per user
 * (`n` items). With fewer users than items it uses the Woodbury (push-through) identity
 * `(λI + XᵀX)⁻¹ = (I − Xᵀ(λI + XXᵀ)⁻¹X) / λ`, which inverts an `m × m` matrix instead of `n × n`
 * (ml-latest-small: 574 users vs 2000 items, about 40× less work); otherwise it inverts the
 * regularised co-occurrence matrix directly. Both go through {@link spdInverse}. Row-major `n × n`.
 */
export function regularisedInverse(columns: readonly Int32Array[], n: number, lambda: number): Float64Array {
  const m = columns.length;
  if (m >= n) {
    const gram = cooccurrence(columns, n);
    for (let i = 0; i < n; i++) gram[i * n + i] = (gram[i * n + i] as number) + lambda;
    return spdInverse(gram, n);
  }
  const usersOf: number[][] = Array.from({ length: n }, () => []);
  columns.forEach((row, u) => {
    for (const i of row) (usersOf[i] as number[]).push(u);
  });
  const kernel = new Float64Array(m * m);
  for (let u = 0; u < m; u++) kernel[u * m + u] = lambda;
  for (const users of usersOf) {
    for (const u of users) for (const v of users) kernel[u * m + v] = (kernel[u * m + v] as number) + 1;
  }
  const kernelInverse = spdInverse(kernel, m);
  // mx = (λI + XXᵀ)⁻¹·X, row-major m × n; column i is the sum of kernelInverse's rows of i's users.
  // Built transposed (n × m) so the accumulation reads and writes contiguous rows.
  const mxT = new Float64Array(n * m);
  for (let i = 0; i < n; i++) {
    const ri = i * m;
    for (const v of usersOf[i] as number[]) {
      const rv = v * m;
      for (let u = 0; u < m; u++) mxT[ri + u] = (mxT[ri + u] as number) + (kernelInverse[rv + u] as number);
    }
  }
  const mx = new Float64Array(m * n);
  for (let i = 0; i < n; i++) for (let u = 0; u < m; u++) mx[u * n + i] = mxT[i * m + u] as number;
  const inverse = new Float64Array(n * n);
  const scale = 1 / lambda;
  for (let i = 0; i < n; i++) {
    const ri = i * n;
    inverse[ri + i] = scale;
    for (const u of usersOf[i] as number[]) {
      const ru = u * n;
      for (let j = 0; j < n; j++) inverse[ri + j] = (inverse[ri + j] as number) - scale * (mx[ru + j] as number);
    }
  }
  return inverse;
}

/**
 * EASE item-item weights (Steck, "Embarrassingly Shallow Autoencoders for Sparse Data", WWW 2019,
 * closed form): `P = (XᵀX + λI)⁻¹`, `B = I − P·diag(1/diag(P))`, so `B_ij = −P_ij / P_jj` off the
 * diagonal and `B_jj = 0`. A user's score for item j is `Σ_{i ∈ user} B_ij`. Row-major `n × n`.
 *
 * @param columns - Each user's consumed items as sorted, distinct columns (the rows of binary X).
 */
export function easeWeights(columns: readonly Int32Array[], n: number, lambda: number): Float64Array {
  const weights = regularisedInverse(columns, n, lambda);
  const inverseDiagonal = new Float64Array(n);
  for (let j = 0; j < n; j++) inverseDiagonal[j] = 1 / (weights[j * n + j] as number);
  for (let i = 0; i < n; i++) {
    const ri = i * n;
    for (let j = 0; j < n; j++) weights[ri + j] = i === j ? 0 : -(weights[ri + j] as number) * (inverseDiagonal[j] as number);
  }
  return weights;
}

/** Writes a user's EASE scores `s_j = Σ_{i ∈ columns} B_ij` into `out` (length n). */
export function easeScores(weights: Float64Array, n: number, columns: Int32Array, out: Float64Array): void {
  out.fill(0);
  for (const i of columns) {
    const ri = i * n;
    for (let j = 0; j < n; j++) out[j] = (out[j] as number) + (weights[ri + j] as number);
  }
}
