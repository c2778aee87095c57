import { guardArguments } from '../_internals/metric-args.js';
import { unitRows } from '../_internals/unit-rows.js';
import { dotRows } from '../_internals/vector.js';

/**
 * Intra-list diversity (Ziegler et al., WWW 2005; docs/formulas.md#intra-list-diversity): the mean, over unordered
 * pairs of list items, of the cosine distance
 *
 * `ILD = (2 / (n(n−1))) · Σ_{a<b} (1 − cos(e_a, e_b))`,
 *
 * with `cos` in float64. A list with fewer than 2 items has no pairs and gives 0.
 * O(n²·d) for n vectors of dimension d.
 *
 * @param vectors - The list items' vectors, any non-zero finite vectors of one length.
 * @returns a value in [0, 2].
 * @throws {@link RerankError} `ZERO_VECTOR`, `DIMENSION_MISMATCH` or `NON_FINITE_EMBEDDING`.
 */
export function intraListDiversity(vectors: readonly ArrayLike<number>[]): number {
  return guardArguments('intraListDiversity', () => intraListDiversityUnchecked(vectors));
}

function intraListDiversityUnchecked(vectors: readonly ArrayLike<number>[]): number {
  const { count, dim, data } = unitRows('intraListDiversity', vectors, 'vectors');
  if (count < 2) return 0;
  let sum = 0;
  for (let a = 0; a < count; a++) {
    for (let b = a + 1; b < count; b++) sum += 1 - dotRows(data, a * dim, data, b * dim, dim);
  }
  return sum / ((count * (count - 1)) / 2);
}
