import { categoryDistribution } from '../../_internals/category-distribution.js';
import { assertKnownOptions, numberOption } from '../../_internals/options.js';
import type { PackedRequest, Reranker, Selection } from '../../types.js';

/** Default trade-off of {@link xquad}: equal weight on relevance and category coverage. */
export const DEFAULT_XQUAD_LAMBDA = 0.5;

/** Options of {@link xquad}. */
export interface XQuadOptions {
  /**
   * Weight λ ∈ [0, 1] of the coverage term; `1 − λ` weighs relevance. λ = 0 is the relevance order.
   *
   * @defaultValue {@link DEFAULT_XQUAD_LAMBDA} (0.5)
   */
  readonly lambda?: number;
}

/**
 * xQuAD, explicit query aspect diversification (Santos, Macdonald & Ounis, WWW 2010), in the
 * recommender form of Vargas, Castells & Vallet (SIGIR 2011) with item categories as the aspects.
 * Greedily places
 *
 * `argmax_{i ∉ S} (1−λ)·rel_i + λ·Σ_c p(c|u)·p(i|c)·Π_{j∈S} (1 − p(j|c))`,
 *
 * ties going to the lower input index (docs/formulas.md#conventions). Choices:
 * - `p(c|u)` is the user's history category distribution in Steck's form (RecSys 2018): each history
 *   item spreads weight `1/|cats(h)|` over its categories, divided by the number of history items
 *   with categories. When the history is empty or carries no categories, `p(c|u)` is uniform over
 *   the categories of the candidates (every aspect equally likely, as RankSys's `FeatureIntentModel`
 *   falls back to a uniform intent distribution). Categories the user never consumed get
 *   `p(c|u) = 0`, so when no candidate shares a category with the history the result is the
 *   relevance order.
 * - `p(i|c) = 1[c ∈ cats(i)]`, the *binary* xQuAD of Abdollahpouri, Burke & Mobasher (FLAIRS 2019):
 *   once a category is covered by a placed item, it adds nothing more, so the list first covers the
 *   user's categories (likely ones first, as far as relevance allows) and then continues by
 *   relevance.
 * - `rel_i` is the raw input relevance, not rescaled: the coverage term lies in [0, 1], so give
 *   relevance a comparable scale (e.g. min-max normalised) for λ to mean what it says.
 *
 * Score parts (they sum to the score): `relevance` = `(1−λ)·rel_i`, `diversity` = the λ-weighted
 * coverage term at the time the item was placed.
 *
 * Cost: O(k·n·c̄) time, c̄ the mean number of categories per candidate, with the coverage products
 * `Π_{j∈S}(1 − p(j|c))` kept in one `Float64Array` over the vocabulary; O(n + |vocabulary|) memory.
 *
 * @throws {@link RerankError} `INVALID_OPTION` / `UNKNOWN_OPTION` for bad options; `rerank()` raises
 *   `MISSING_CATEGORIES` when a candidate has no categories.
 *
 * @example
 * ```ts
 * rerank({ candidates, user, k: 10, strategy: xquad({ lambda: 0.5 }) });
 * ```
 */
export function xquad(options?: XQuadOptions): Reranker {
  assertKnownOptions('xquad', options, ['lambda']);
  const lambda = numberOption('xquad', 'lambda', options?.lambda, DEFAULT_XQUAD_LAMBDA, { min: 0, max: 1 });
  const relevanceWeight = 1 - lambda;
  return {
    name: `xquad(lambda=${lambda})`,
    stage: 'post',
    requires: { categories: 'required', historyCategories: 'optional' },
    select(request: PackedRequest, k: number): Selection {
      const { candidates } = request;
      const { n, relevance } = candidates;
      const { offsets, codes } = candidates.categories as NonNullable<typeof candidates.categories>;
      const userAspects = aspectWeights(request);
      // coverage[c] = Π_{j∈S} (1 − p(j|c)); binary p(j|c) makes it 1 until c is covered, then 0.
      const coverage = new Float64Array(userAspects.length).fill(1);
      const taken = new Uint8Array(n);
      const indices = new Int32Array(k);
      const scores = new Float64Array(k);
      const relevancePart = new Float64Array(k);
      const diversityPart = new Float64Array(k);

      for (let slot = 0; slot < k; slot++) {
        let best = -1;
        let bestScore = Number.NEGATIVE_INFINITY;
        let bestDiversity = 0;
        for (let i = 0; i < n; i++) {
          if (taken[i] === 1) continue;
          let novelty = 0;
          const end = offsets[i + 1] as number;
          for (let p = offsets[i] as number; p < end; p++) {
            const c = codes[p] as number;
            novelty += (userAspects[c] as number) * (coverage[c] as number);
          }
          const diversity = lambda * novelty;
          const score = relevanceWeight * (relevance[i] as number) + diversity;
          if (score > bestScore) {
            best = i;
            bestScore = score;
            bestDiversity = diversity;
          }
        }
        taken[best] = 1;
        indices[slot] = best;
        scores[slot] = bestScore;
        relevancePart[slot] = relevanceWeight * (relevance[best] as number);
        diversityPart[slot] = bestDiversity;
        const end = offsets[best + 1] as number;
        for (let p = offsets[best] as number; p < end; p++) coverage[codes[p] as number] = 0;
      }
      return { indices, scores, parts: { relevance: relevancePart, diversity: diversityPart } };
    },
  };
}

/**
 * `p(c|u)` over the request's vocabulary: the history category distribution, or uniform over the
 * candidates' categories when the history carries none.
 */
function aspectWeights(request: PackedRequest): Float64Array {
  const weights = new Float64Array(request.vocabulary.length);
  const { history, candidates } = request;
  if (history.categories !== undefined && categoryDistribution(history.categories, history.n, weights) > 0) return weights;
  const { codes } = candidates.categories as NonNullable<typeof candidates.categories>;
  let distinct = 0;
  for (let p = 0; p < codes.length; p++) {
    const c = codes[p] as number;
    if (weights[c] === 0) {
      weights[c] = 1;
      distinct++;
    }
  }
  if (distinct > 0) for (let c = 0; c < weights.length; c++) weights[c] = (weights[c] as number) / distinct;
  return weights;
}
