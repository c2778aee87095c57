import { guardArguments } from '../_internals/metric-args.js';
import { unitRows } from '../_internals/unit-rows.js';
import { dotRows } from '../_internals/vector.js';

/**
 * Unexpectedness as distance to the closest history item (Kotkov et al., Computing 2020, the
 * "unexpectedness to the profile" family; docs/formulas.md#unexpectedness):
 *
 * `unexpectedness = (1/n) · Σ_{i ∈ list} (1 − max_{h ∈ H} cos(e_i, e_h))`,
 *
 * with `cos` in float64. An empty list gives 0. With an empty history nothing is expected, so each
 * item scores `1 − 0 = 1`: the maximum over an empty set is taken as 0, as in the MMR convention of
 * docs/formulas.md#conventions (`max_{j∈∅} = 0`).
 *
 * @param listVectors - Vectors of the list's items.
 * @param historyVectors - Vectors of the user's history items, of the same length.
 * @returns a value in [0, 2].
 * @throws {@link RerankError} `ZERO_VECTOR`, `DIMENSION_MISMATCH` or `NON_FINITE_EMBEDDING`.
 */
export function unexpectedness(listVectors: readonly ArrayLike<number>[], historyVectors: readonly ArrayLike<number>[]): number {
  return guardArguments('unexpectedness', () => unexpectednessUnchecked(listVectors, historyVectors));
}

function unexpectednessUnchecked(listVectors: readonly ArrayLike<number>[], historyVectors: readonly ArrayLike<number>[]): number {
  const list = unitRows('unexpectedness', listVectors, 'listVectors');
  const history = unitRows('unexpectedness', historyVectors, 'historyVectors', list.count > 0 ? list.dim : undefined);
  if (list.count === 0) return 0;
  let sum = 0;
  for (let i = 0; i < list.count; i++) {
    let closest = history.count === 0 ? 0 : Number.NEGATIVE_INFINITY;
    for (let h = 0; h < history.count; h++) {
      const similarity = dotRows(list.data, i * list.dim, history.data, h * history.dim, list.dim);
      if (similarity > closest) closest = similarity;
    }
    sum += 1 - closest;
  }
  return sum / list.count;
}

