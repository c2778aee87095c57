import { assertCutoff, assertRankedList, guardArguments, idSet } from '../_internals/metric-args.js';

/**
 * Normalised discounted cumulative gain at k with binary relevance (Järvelin & Kekäläinen,
 * ACM TOIS 2002; docs/formulas.md#ndcg):
 *
 * `nDCG@k = DCG@k / IDCG@k`, `DCG@k = Σ_{r=1..k} 1[list_r ∈ R] / log2(r + 1)`, and `IDCG@k` the
 * DCG of an ideal list with `min(k, |R|)` hits on top.
 *
 * With no relevant items (`IDCG = 0`) nDCG is 0, as in ranx. Ranks start at 1.
 *
 * @param list - Recommended ids, best first, without repeats.
 * @param relevant - The relevant ids R; repeats count once.
 * @param k - Cutoff, a positive integer.
 * @returns a value in [0, 1].
 * @throws {@link RerankError} `INVALID_ARGUMENT` for k ≤ 0 or non-integer, or a list with repeats.
 */
export function ndcgAtK(list: readonly string[], relevant: Iterable<string>, k: number): number {
  return guardArguments('ndcgAtK', () => ndcgAtKUnchecked(list, relevant, k));
}

function ndcgAtKUnchecked(list: readonly string[], relevant: Iterable<string>, k: number): number {
  assertCutoff('ndcgAtK', k);
  assertRankedList('ndcgAtK', list);
  const relevantSet = idSet('ndcgAtK', relevant, 'relevant');
  const idealHits = Math.min(k, relevantSet.size);
  if (idealHits === 0) return 0;
  let ideal = 0;
  for (let r = 1; r <= idealHits; r++) ideal += 1 / Math.log2(r + 1);
  let gain = 0;
  const depth = Math.min(k, list.length);
  for (let r = 1; r <= depth; r++) if (relevantSet.has(list[r - 1] as string)) gain += 1 / Math.log2(r + 1);
  return gain / ideal;
}
