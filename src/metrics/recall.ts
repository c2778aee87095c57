import { assertCutoff, assertRankedList, guardArguments, hitsAtK, idSet } from '../_internals/metric-args.js';

/**
 * Recall at k with binary relevance (docs/formulas.md#precision-and-recall; Manning, Raghavan & Schütze,
 * "Introduction to Information Retrieval", §8.3):
 *
 * `recall@k = |{ i ∈ list[0..k) : i ∈ R }| / |R|`.
 *
 * With no relevant items (`|R| = 0`) recall is 0: there is nothing to retrieve, and 0 keeps
 * users without test positives from inflating a mean (the choice of ranx and RecBole).
 *
 * @param list - Recommended ids, best first, without repeats.
 * @param relevant - The relevant ids R; repeats count once.
 * @param k - Cutoff, a positive integer.
 * @returns a value in [0, 1].
 * @throws {@link RerankError} `INVALID_ARGUMENT` for k ≤ 0 or non-integer, or a list with repeats.
 */
export function recallAtK(list: readonly string[], relevant: Iterable<string>, k: number): number {
  return guardArguments('recallAtK', () => recallAtKUnchecked(list, relevant, k));
}

function recallAtKUnchecked(list: readonly string[], relevant: Iterable<string>, k: number): number {
  assertCutoff('recallAtK', k);
  assertRankedList('recallAtK', list);
  const relevantSet = idSet('recallAtK', relevant, 'relevant');
  return relevantSet.size === 0 ? 0 : hitsAtK(list, relevantSet, k) / relevantSet.size;
}
