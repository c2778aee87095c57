import { assertKnownOptions, numberOption } from '../../_internals/options.js';
import { RerankError } from '../../errors/rerank-error.js';
import type { PackedRequest, Requirements, ScoringReranker } from '../../types.js';
import { BLEND_OPTION_NAMES, type BlendOptions, featureBlend, resolveBlendOptions } from './blend.js';
import { candidatePopularity } from './packed-fields.js';

/** Options of {@link popularityNoveltyFeature}. */
export interface PopularityNoveltyOptions {
  /**
   * Number of users in the system, the denominator of `popularity/numUsers`. Must be ≥ every
   * candidate's popularity.
   * @defaultValue the largest candidate popularity in the request (at least 1), so the most popular
   *   candidate gets novelty 0
   */
  readonly numUsers?: number;
}

/** Fields {@link popularityNoveltyFeature} reads. */
export const POPULARITY_NOVELTY_REQUIRES: Requirements = { popularity: 'required' };

function noveltyValues(request: PackedRequest, numUsers: number | undefined, owner: string): Float64Array {
  const popularity = candidatePopularity(request, owner);
  const n = popularity.length;
  let users = numUsers ?? 1;
  if (numUsers === undefined) for (let i = 0; i < n; i++) users = Math.max(users, popularity[i] as number);
  const result = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const count = popularity[i] as number;
    if (count > users) {
      throw new RerankError(
        'INVALID_POPULARITY',
        `${owner}: candidates[${i}].popularity is ${count}, more than numUsers = ${users}. Pass the real number of users as numUsers, or omit it to use the largest popularity.`,
        { field: `candidates[${i}].popularity`, value: count },
      );
    }
    result[i] = Math.log2(users / Math.max(count, 1)); // = −log2(max(count, 1)/users), without −0
  }
  return result;
}

/**
 * Popularity novelty, the mean-inverse-user-frequency term `−log2(users(i)/numUsers)` (Zhou et al.,
 * PNAS 2010; the `novelty` of docs/formulas.md#novelty), per candidate: rarely consumed items score high.
 * A popularity of 0 counts as 1, so the value is finite and in [0, log2(numUsers)].
 * Reads no history, so an empty history changes nothing.
 *
 * @param request - Packed with {@link POPULARITY_NOVELTY_REQUIRES}.
 * @throws {@link RerankError} `MISSING_POPULARITY` when popularity was not packed, `INVALID_POPULARITY`
 *   when a popularity exceeds `numUsers`, `INVALID_OPTION` for a bad `numUsers`.
 */
export function popularityNoveltyFeature(request: PackedRequest, options?: PopularityNoveltyOptions): Float64Array {
  assertKnownOptions('popularityNoveltyFeature', options, ['numUsers']);
  const numUsers = resolveNumUsers('popularityNoveltyFeature', options?.numUsers);
  return noveltyValues(request, numUsers, 'popularityNoveltyFeature');
}

/** Validates a `numUsers` option (undefined stays undefined: "use the largest popularity"). */
export function resolveNumUsers(owner: string, value: unknown): number | undefined {
  return value === undefined ? undefined : numberOption(owner, 'numUsers', value, 1, { min: 1 });
}

/** Options of {@link popularityNoveltyBlend}. */
export interface PopularityNoveltyBlendOptions extends BlendOptions, PopularityNoveltyOptions {}

/**
 * Pre-processing re-ranker: blends relevance with {@link popularityNoveltyFeature}
 * (`score = (1 − w)·N(rel) + w·N(novelty)`, see docs/design.md#pre-processing-blends). `weight: 0` is relevance order.
 * With min-max normalisation, `numUsers` does not change the order (novelty is an affine function of
 * `log2 popularity`); it matters for logging the feature and for learned models.
 *
 * Score parts: `relevance`, `novelty` (summing to the score).
 */
export function popularityNoveltyBlend(options?: PopularityNoveltyBlendOptions): ScoringReranker {
  assertKnownOptions('popularityNoveltyBlend', options, [...BLEND_OPTION_NAMES, 'numUsers']);
  const blend = resolveBlendOptions('popularityNoveltyBlend', options);
  const numUsers = resolveNumUsers('popularityNoveltyBlend', options?.numUsers);
  return featureBlend({
    name: `popularityNoveltyBlend(weight=${blend.weight})`,
    stage: 'pre',
    requires: POPULARITY_NOVELTY_REQUIRES,
    part: 'novelty',
    blend,
    feature: (request) => noveltyValues(request, numUsers, 'popularityNoveltyBlend'),
  });
}
