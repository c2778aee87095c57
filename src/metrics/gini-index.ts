import { guardArguments } from '../_internals/metric-args.js';
import { exposureCounts } from '../_internals/exposure.js';

/**
 * Gini index of item exposure over the whole catalogue, in the form of RecBole's `GiniIndex`
 * (Fleder & Hosanagar, Management Science 2009; docs/formulas.md#gini-index):
 *
 * `Gini = Σ_{i=1..n} (2i − n − 1)·P_(i) / (n · Σ_i P_i)`,
 *
 * where `P_(1) ≤ … ≤ P_(n)` are the exposure counts (appearances across `lists`) of the n catalogue
 * items sorted ascending, unrecommended items included with 0. 0 means every item is shown equally
 * often, values near 1 that a few items take all exposure. When the lists are all empty there is no
 * exposure to be unequal and the index is 0.
 *
 * @param lists - One recommended list per user, each without repeats.
 * @param catalog - Every item that could be recommended (repeats count once); not empty.
 * @returns a value in [0, (n−1)/n] ⊂ [0, 1).
 * @throws {@link RerankError} `INVALID_ARGUMENT` for an empty catalogue, a list with repeats, or a
 *   listed id that is not in the catalogue.
 */
export function giniIndex(lists: readonly (readonly string[])[], catalog: Iterable<string>): number {
  return guardArguments('giniIndex', () => giniIndexUnchecked(lists, catalog));
}

function giniIndexUnchecked(lists: readonly (readonly string[])[], catalog: Iterable<string>): number {
  const counts = exposureCounts('giniIndex', lists, catalog).sort();
  const n = counts.length;
  let total = 0;
  let weighted = 0;
  for (let i = 1; i <= n; i++) {
    const exposure = counts[i - 1] as number;
    total += exposure;
    weighted += (2 * i - n - 1) * exposure;
  }
  return total === 0 ? 0 : weighted / (n * total);
}
