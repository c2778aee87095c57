import { numberOption } from '../../_internals/options.js';
import type { PackedRequest, Requirements, ScoringReranker, Selection, Stage } from '../../types.js';
import { type Normalisation, normalisationOption, normaliseScores } from './normalise.js';

/** Default share of the feature in a blend. */
export const DEFAULT_BLEND_WEIGHT = 0.3;
/** Default per-request normalisation of relevance and feature. */
export const DEFAULT_NORMALISATION: Normalisation = 'minmax';

/** Options shared by every feature blend. */
export interface BlendOptions {
  /**
   * Share `w ∈ [0, 1]` of the feature: `score = (1 − w)·rel′ + w·feature′`. `0` is relevance order.
   * @defaultValue {@link DEFAULT_BLEND_WEIGHT} (0.3)
   */
  readonly weight?: number;
  /**
   * How relevance and the feature are put on one scale per request, so the blend does not depend on
   * the host's relevance scale (see {@link Normalisation}).
   * @defaultValue {@link DEFAULT_NORMALISATION} (`'minmax'`)
   */
  readonly normalise?: Normalisation;
}

/** Validated {@link BlendOptions}. */
export interface ResolvedBlendOptions {
  /** Share of the feature, in [0, 1]. */
  readonly weight: number;
  /** Per-request normalisation. */
  readonly normalise: Normalisation;
}

/** Names of the blend options, for `assertKnownOptions`. */
export const BLEND_OPTION_NAMES = ['weight', 'normalise'] as const;

/**
 * Validates {@link BlendOptions}.
 *
 * @throws {@link RerankError} `INVALID_OPTION`.
 */
export function resolveBlendOptions(owner: string, options: BlendOptions | undefined): ResolvedBlendOptions {
  return {
    weight: numberOption(owner, 'weight', options?.weight, DEFAULT_BLEND_WEIGHT, { min: 0, max: 1 }),
    normalise: normalisationOption(owner, options?.normalise, DEFAULT_NORMALISATION),
  };
}

/**
 * Indices of the `k` best items by `score`, then `relevance`, then lower index. O(n log n); run
 * once per request.
 */
export function topIndicesByScoreThenRelevance(score: Float64Array, relevance: Float64Array, k: number): Int32Array {
  const order = new Int32Array(score.length);
  for (let i = 0; i < order.length; i++) order[i] = i;
  order.sort((a, b) => (score[b] as number) - (score[a] as number) || (relevance[b] as number) - (relevance[a] as number) || a - b);
  return order.slice(0, Math.min(k, order.length));
}

/** What a feature blend is made of. */
export interface FeatureBlendSpec {
  /** Reranker name, e.g. `unexpectednessBlend(weight=0.3)`. */
  readonly name: string;
  /** Taxonomy stage. */
  readonly stage: Stage;
  /** Fields the feature reads. */
  readonly requires: Requirements;
  /** Name of the feature's score part, e.g. `unexpectedness`. */
  readonly part: string;
  /** Validated blend options. */
  readonly blend: ResolvedBlendOptions;
  /** The feature, one finite value per candidate, higher = more serendipitous. */
  readonly feature: (request: PackedRequest) => Float64Array;
  /** Per-request weight; defaults to `blend.weight`. Must return a value in [0, 1]. */
  readonly weightFor?: (request: PackedRequest) => number;
}

/**
 * Builds a {@link ScoringReranker} that blends a per-candidate feature with relevance:
 * `score_i = (1 − w)·N(rel)_i + w·N(feature)_i`, where `N` is the per-request
 * {@link Normalisation}. Relevance and feature are both normalised, so the weight means the same
 * across requests and relevance scales. Selection is the top k by score; equal scores (common with
 * rank normalisation, where two items can swap rank positions) go to the higher input relevance,
 * then to the lower input index, so the chosen set does not depend on the input order.
 *
 * Score parts: `relevance` = `(1 − w)·N(rel)` and `<part>` = `w·N(feature)`; they sum to the score.
 */
export function featureBlend(spec: FeatureBlendSpec): ScoringReranker {
  const { normalise } = spec.blend;
  const parts = (request: PackedRequest): { relevance: Float64Array; feature: Float64Array } => {
    const weight = spec.weightFor === undefined ? spec.blend.weight : spec.weightFor(request);
    const relevance = normaliseScores(request.candidates.relevance, normalise);
    const feature = normaliseScores(spec.feature(request), normalise);
    for (let i = 0; i < relevance.length; i++) {
      relevance[i] = (1 - weight) * (relevance[i] as number);
      feature[i] = weight * (feature[i] as number);
    }
    return { relevance, feature };
  };
  return {
    name: spec.name,
    stage: spec.stage,
    requires: spec.requires,
    score(request: PackedRequest): Float64Array {
      const { relevance, feature } = parts(request);
      for (let i = 0; i < relevance.length; i++) relevance[i] = (relevance[i] as number) + (feature[i] as number);
      return relevance;
    },
    select(request: PackedRequest, k: number): Selection {
      const { relevance, feature } = parts(request);
      const total = new Float64Array(relevance.length);
      for (let i = 0; i < total.length; i++) total[i] = (relevance[i] as number) + (feature[i] as number);
      const indices = topIndicesByScoreThenRelevance(total, request.candidates.relevance, k);
      const m = indices.length;
      const scores = new Float64Array(m);
      const relevancePart = new Float64Array(m);
      const featurePart = new Float64Array(m);
      for (let slot = 0; slot < m; slot++) {
        const index = indices[slot] as number;
        scores[slot] = total[index] as number;
        relevancePart[slot] = relevance[index] as number;
        featurePart[slot] = feature[index] as number;
      }
      return { indices, scores, parts: { relevance: relevancePart, [spec.part]: featurePart } };
    },
  };
}
