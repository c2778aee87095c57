import { assertCutoff, assertRankedList, guardArguments, hitsAtK, idSet } from '../_internals/metric-args.js';

/**
 * Serendipity of Ge, Delgado-Battenfeld & Jannach (RecSys 2010, "Beyond accuracy"; docs/formulas.md#ge-serendipity):
 * the share of the top k that is relevant and that a primitive recommender would not have shown,
 *
 * `serendipity@k = |{ i ∈ list[0..k) : i ∈ R, i ∉ PM }| / k`,
 *
 * where PM is the primitive recommender's list for the user (usually the most popular items the
 * user has not seen). Like {@link precisionAtK}, the denominator is `k` even for shorter lists.
 *
 * @param list - Recommended ids, best first, without repeats.
 * @param relevant - The relevant ids R.
 * @param primitive - The primitive recommender's ids PM.
 * @param k - Cutoff, a positive integer.
 * @returns a value in [0, 1].
 * @throws {@link RerankError} `INVALID_ARGUMENT` for k ≤ 0 or non-integer, or a list with repeats.
 */
export function serendipityGe(list: readonly string[], relevant: Iterable<string>, primitive: Iterable<string>, k: number): number {
  return guardArguments('serendipityGe', () => serendipityGeUnchecked(list, relevant, primitive, k));
}

function serendipityGeUnchecked(list: readonly string[], relevant: Iterable<string>, primitive: Iterable<string>, k: number): number {
  assertCutoff('serendipityGe', k);
  assertRankedList('serendipityGe', list);
  const relevantSet = idSet('serendipityGe', relevant, 'relevant');
  return hitsAtK(list, relevantSet, k, idSet('serendipityGe', primitive, 'primitive')) / k;
}
