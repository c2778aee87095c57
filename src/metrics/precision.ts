import { assertCutoff, assertRankedList, guardArguments, hitsAtK, idSet } from '../_internals/metric-args.js';

/**
 * Precision at k with binary relevance (docs/formulas.md#precision-and-recall; Manning, Raghavan & Schütze,
 * "Introduction to Information Retrieval", §8.4):
 *
 * `precision@k = |{ i ∈ list[0..k) : i ∈ R }| / k`.
 *
 * The denominator is always `k`, also when the list is shorter than `k` (missing slots count as
 * misses, so a short list is not rewarded). Only the first `k` ids are read.
 *
 * @param list - Recommended ids, best first, without repeats.
 * @param relevant - The relevant ids R (e.g. the user's test positives).
 * @param k - Cutoff, a positive integer.
 * @returns a value in [0, 1].
 * @throws {@link RerankError} `INVALID_ARGUMENT` for k ≤ 0 or non-integer, or a list with repeats.
 */
export function precisionAtK(list: readonly string[], relevant: Iterable<string>, k: number): number {
  return guardArguments('precisionAtK', () => precisionAtKUnchecked(list, relevant, k));
}

function precisionAtKUnchecked(list: readonly string[], relevant: Iterable<string>, k: number): number {
  assertCutoff('precisionAtK', k);
  assertRankedList('precisionAtK', list);
  return hitsAtK(list, idSet('precisionAtK', relevant, 'relevant'), k) / k;
}
