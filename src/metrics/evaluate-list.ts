import { describeValue } from '../errors/describe-value.js';
import { RerankError } from '../errors/rerank-error.js';
import { assertCutoff, assertRankedList, guardArguments, idSet } from '../_internals/metric-args.js';
import { intraListDiversity } from './intra-list-diversity.js';
import { ndcgAtK } from './ndcg.js';
import { novelty } from './novelty.js';
import { precisionAtK } from './precision.js';
import { recallAtK } from './recall.js';
import { serendipityAuralist } from './serendipity-auralist.js';
import { serendipityGe } from './serendipity-ge.js';
import { unexpectedness } from './unexpectedness.js';

/**
 * One user's list and what is known about it, for {@link evaluateList}. Only `list`, `relevant`
 * and `k` are required; each optional group enables the metrics that need it.
 */
export interface ListEvaluationInput {
  /** Recommended ids, best first, without repeats. Only the first `k` are evaluated. */
  readonly list: readonly string[];
  /** The user's relevant ids (e.g. test positives). */
  readonly relevant: Iterable<string>;
  /** Cutoff, a positive integer. */
  readonly k: number;
  /** A primitive recommender's list for the user (e.g. the most popular unseen items); enables `serendipityGe`. */
  readonly primitive?: Iterable<string>;
  /** Vectors of `list`'s items, aligned with `list`; enables `ild`. */
  readonly listVectors?: readonly ArrayLike<number>[];
  /** Vectors of the user's history; with `listVectors`, enables `unexpectedness` and `serendipityAuralist`. */
  readonly historyVectors?: readonly ArrayLike<number>[];
  /** Distinct-user counts of `list`'s items, aligned with `list`; with `numUsers`, enables `novelty`. */
  readonly itemUserCounts?: readonly number[];
  /** Number of users in the data. */
  readonly numUsers?: number;
}

/** Metrics of one list (see {@link evaluateList}); optional ones are present when their inputs were given. */
export interface ListMetrics {
  /** {@link precisionAtK}. */
  readonly precision: number;
  /** {@link recallAtK}. */
  readonly recall: number;
  /** {@link ndcgAtK}. */
  readonly ndcg: number;
  /** {@link intraListDiversity} of the top k. */
  readonly ild?: number;
  /** {@link novelty} (MIUF) of the top k. */
  readonly novelty?: number;
  /** {@link unexpectedness} of the top k. */
  readonly unexpectedness?: number;
  /** {@link serendipityGe}. */
  readonly serendipityGe?: number;
  /** {@link serendipityAuralist} of the top k with binary relevance (1 when the item is in `relevant`). */
  readonly serendipityAuralist?: number;
}

function alignedTopK<T>(values: readonly T[], list: readonly string[], depth: number, field: string): readonly T[] {
  if (!Array.isArray(values) || values.length !== list.length) {
    throw new RerankError(
      'INVALID_ARGUMENT',
      `evaluateList: ${field} must have one entry per list item (${list.length}), got ${Array.isArray(values) ? values.length : describeValue(values)}.`,
      { field },
    );
  }
  return values.slice(0, depth);
}

/**
 * Every metric of this module for one user's list at cutoff k, with the conventions of
 * docs/formulas.md#metrics: the list-level metrics (ILD, novelty, unexpectedness, Auralist serendipity) are
 * computed over the first `k` items, Auralist serendipity with binary relevance. An evaluation
 * harness calls it once per user and averages the rows with {@link meanOverUsers}; catalogue-level
 * metrics ({@link catalogCoverage}, {@link giniIndex}) take all users' lists at once.
 *
 * @throws {@link RerankError} `INVALID_ARGUMENT` (and the vector codes) as the individual metrics do,
 *   and when an aligned array's length differs from the list's.
 *
 * @example
 * ```ts
 * const rows = users.map((u) => evaluateList({ list: lists[u], relevant: test[u], k: 10 }));
 * const { precision, ndcg } = meanOverUsers(rows);
 * ```
 */
export function evaluateList(input: ListEvaluationInput): ListMetrics {
  return guardArguments('evaluateList', () => evaluateListUnchecked(input));
}

function evaluateListUnchecked(input: ListEvaluationInput): ListMetrics {
  if (input === null || typeof input !== 'object') {
    throw new RerankError('INVALID_ARGUMENT', 'evaluateList expects { list, relevant, k, ... }.', { field: 'input' });
  }
  const { list, k } = input;
  assertCutoff('evaluateList', k);
  assertRankedList('evaluateList', list);
  const relevant = idSet('evaluateList', input.relevant, 'relevant');
  const depth = Math.min(k, list.length);
  const vectors = input.listVectors === undefined ? undefined : alignedTopK(input.listVectors, list, depth, 'listVectors');
  const history = input.historyVectors;
  const counts = input.itemUserCounts;
  const numUsers = input.numUsers;
  return {
    precision: precisionAtK(list, relevant, k),
    recall: recallAtK(list, relevant, k),
    ndcg: ndcgAtK(list, relevant, k),
    ...(vectors === undefined ? {} : { ild: intraListDiversity(vectors) }),
    ...(counts === undefined || numUsers === undefined
      ? {}
      : { novelty: novelty(alignedTopK(counts, list, depth, 'itemUserCounts'), numUsers) }),
    ...(vectors === undefined || history === undefined ? {} : { unexpectedness: unexpectedness(vectors, history) }),
    ...(input.primitive === undefined ? {} : { serendipityGe: serendipityGe(list, relevant, input.primitive, k) }),
    ...(vectors === undefined || history === undefined
      ? {}
      : { serendipityAuralist: serendipityAuralist(vectors, history, list.slice(0, depth).map((id) => (relevant.has(id) ? 1 : 0))) }),
  };
}
