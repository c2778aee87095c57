import { guardArguments } from '../_internals/metric-args.js';
import { describeValue } from '../errors/describe-value.js';
import { RerankError } from '../errors/rerank-error.js';
import { unitRows } from '../_internals/unit-rows.js';
import { dotRows } from '../_internals/vector.js';

/**
 * Serendipity in the form of Auralist (Zhang et al., WSDM 2012) as implemented by Microsoft
 * Recommenders' `serendipity` (docs/formulas.md#auralist-serendipity): the mean over the list of relevance times the
 * mean cosine distance to the history,
 *
 * `serendipity = (1/n) · Σ_{i ∈ list} (1 − mean_{h ∈ H} cos(e_i, e_h)) · rel_i`,
 *
 * with `cos` in float64. An empty list gives 0. With an empty history the mean similarity is taken
 * as 0, so each item contributes `rel_i` (consistent with {@link unexpectedness}, where an empty
 * history makes every item fully unexpected).
 *
 * @param listVectors - Vectors of the list's items.
 * @param historyVectors - Vectors of the user's history items, of the same length.
 * @param relevance - `rel_i` for each list item, aligned with `listVectors` (binary 0/1 in the
 *   usual offline protocol: 1 when the item is a test positive).
 * @returns a value in [0, 2·max rel] for non-negative relevance.
 * @throws {@link RerankError} `INVALID_ARGUMENT` when `relevance` is misaligned or not finite;
 *   `ZERO_VECTOR`, `DIMENSION_MISMATCH` or `NON_FINITE_EMBEDDING` for bad vectors.
 */
export function serendipityAuralist(
  listVectors: readonly ArrayLike<number>[],
  historyVectors: readonly ArrayLike<number>[],
  relevance: readonly number[],
): number {
  return guardArguments('serendipityAuralist', () => serendipityAuralistUnchecked(listVectors, historyVectors, relevance));
}

function serendipityAuralistUnchecked(
  listVectors: readonly ArrayLike<number>[],
  historyVectors: readonly ArrayLike<number>[],
  relevance: readonly number[],
): number {
  const list = unitRows('serendipityAuralist', listVectors, 'listVectors');
  const history = unitRows('serendipityAuralist', historyVectors, 'historyVectors', list.count > 0 ? list.dim : undefined);
  if (!Array.isArray(relevance) || relevance.length !== list.count) {
    throw new RerankError(
      'INVALID_ARGUMENT',
      `serendipityAuralist: relevance must hold one number per list vector (${list.count}), got ${Array.isArray(relevance) ? relevance.length : describeValue(relevance)}.`,
      { field: 'relevance' },
    );
  }
  if (list.count === 0) return 0;
  let sum = 0;
  for (let i = 0; i < list.count; i++) {
    const rel: unknown = relevance[i];
    if (typeof rel !== 'number' || !Number.isFinite(rel)) {
      throw new RerankError('INVALID_ARGUMENT', `serendipityAuralist: relevance[${i}] must be a finite number, got ${describeValue(rel)}.`, {
        field: `relevance[${i}]`,
        value: rel,
      });
    }
    let similarity = 0;
    for (let h = 0; h < history.count; h++) similarity += dotRows(list.data, i * list.dim, history.data, h * history.dim, list.dim);
    const meanSimilarity = history.count === 0 ? 0 : similarity / history.count;
    sum += (1 - meanSimilarity) * rel;
  }
  return sum / list.count;
}
