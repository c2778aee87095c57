import { assertKnownOptions } from '../../_internals/options.js';
import { maxDotUnrolled } from '../../_internals/dot.js';
import { dotRows } from '../../_internals/vector.js';
import type { PackedRequest, Requirements, ScoringReranker } from '../../types.js';
import { BLEND_OPTION_NAMES, type BlendOptions, featureBlend, resolveBlendOptions } from './blend.js';
import { choiceOption } from './choice-option.js';
import { memoisedFeature } from './request-memo.js';
import { candidateEmbeddings, historyEmbeddings } from './packed-fields.js';

/**
 * Which distance to the history:
 * - `'min'`: distance to the nearest history item, `1 − max_h cos(e_i, e_h)` (the unexpectedness
 *   of docs/formulas.md#unexpectedness; Kotkov et al., KBS 2016; Adamopoulos & Tuzhilin, ACM TIST 2014);
 * - `'mean'`: mean distance, `1 − mean_h cos(e_i, e_h)` (the unexpectedness term of Auralist,
 *   Zhang et al., WSDM 2012).
 */
export type UnexpectednessVariant = 'min' | 'mean';

/** Default {@link UnexpectednessVariant}. */
export const DEFAULT_UNEXPECTEDNESS_VARIANT: UnexpectednessVariant = 'min';
const VARIANTS: readonly [UnexpectednessVariant, ...UnexpectednessVariant[]] = [DEFAULT_UNEXPECTEDNESS_VARIANT, 'mean'];

/** Options of {@link unexpectednessFeature}. */
export interface UnexpectednessFeatureOptions {
  /**
   * Distance to the nearest history item or mean distance to all of them.
   * @defaultValue {@link DEFAULT_UNEXPECTEDNESS_VARIANT} (`'min'`)
   */
  readonly variant?: UnexpectednessVariant;
}

/** Fields {@link unexpectednessFeature} reads. */
export const UNEXPECTEDNESS_REQUIRES: Requirements = { embeddings: 'required', historyEmbeddings: 'required' };

/**
 * Unexpectedness of each candidate as its cosine distance to the user's history, in [0, 2]
 * (see {@link UnexpectednessVariant}). Cosines in float64 over the packed unit vectors.
 *
 * Empty history: nothing is expected yet, so the cosine term is 0 (as for the max over an empty
 * set, docs/formulas.md#conventions) and every candidate gets 1. A constant feature leaves a blend in
 * relevance order. `'min'` costs O(n·|H|·d); `'mean'` O((n + |H|)·d), through the history centroid.
 * Inside `withRequestMemo` (request-memo.ts) the values are computed once per request and reused.
 *
 * @param request - Packed with {@link UNEXPECTEDNESS_REQUIRES}.
 * @throws {@link RerankError} `MISSING_EMBEDDING` / `MISSING_HISTORY` when the embeddings were not packed,
 *   `INVALID_OPTION` for a bad variant.
 */
export function unexpectednessFeature(request: PackedRequest, options?: UnexpectednessFeatureOptions): Float64Array {
  assertKnownOptions('unexpectednessFeature', options, ['variant']);
  const variant = choiceOption('unexpectednessFeature', 'variant', options?.variant, VARIANTS);
  const candidates = candidateEmbeddings(request, 'unexpectednessFeature');
  const history = historyEmbeddings(request, 'unexpectednessFeature');
  return memoisedFeature(`unexpectedness:${variant}`, request, () => distanceToHistory(request, candidates, history, variant));
}

function distanceToHistory(request: PackedRequest, candidates: Float64Array, history: Float64Array, variant: UnexpectednessVariant): Float64Array {
  const { dim } = request;
  const n = request.candidates.n;
  const h = request.history.n;
  const result = new Float64Array(n);
  if (h === 0) return result.fill(1);
  if (variant === 'mean') {
    // mean_h cos(e_i, e_h) = e_i · (Σ_h e_h) / |H| for unit vectors: O(n·d) instead of O(n·|H|·d).
    const centroid = new Float64Array(dim);
    for (let j = 0; j < h; j++) for (let t = 0; t < dim; t++) centroid[t] = (centroid[t] as number) + (history[j * dim + t] as number);
    for (let t = 0; t < dim; t++) centroid[t] = (centroid[t] as number) / h;
    for (let i = 0; i < n; i++) result[i] = clampDistance(1 - dotRows(candidates, i * dim, centroid, 0, dim));
    return result;
  }
  for (let i = 0; i < n; i++) result[i] = clampDistance(1 - maxDotUnrolled(candidates, i * dim, history, h, dim));
  return result;
}

/** Unit vectors give |cos| ≤ 1 up to rounding; clamp so the documented range [0, 2] holds exactly. */
function clampDistance(distance: number): number {
  return Math.min(2, Math.max(0, distance));
}

/** Options of {@link unexpectednessBlend}. */
export interface UnexpectednessBlendOptions extends BlendOptions, UnexpectednessFeatureOptions {}

/**
 * Pre-processing re-ranker: blends relevance with {@link unexpectednessFeature}
 * (`score = (1 − w)·N(rel) + w·N(u)`, see docs/design.md#pre-processing-blends). `weight: 0` is relevance order.
 *
 * Score parts: `relevance`, `unexpectedness` (summing to the score).
 *
 * @example
 * ```ts
 * rerank({ candidates, user, k: 10, strategy: unexpectednessBlend({ weight: 0.3, variant: 'min' }) });
 * ```
 */
export function unexpectednessBlend(options?: UnexpectednessBlendOptions): ScoringReranker {
  assertKnownOptions('unexpectednessBlend', options, [...BLEND_OPTION_NAMES, 'variant']);
  const blend = resolveBlendOptions('unexpectednessBlend', options);
  const variant = choiceOption('unexpectednessBlend', 'variant', options?.variant, VARIANTS);
  return featureBlend({
    name: `unexpectednessBlend(weight=${blend.weight},variant=${variant})`,
    stage: 'pre',
    requires: UNEXPECTEDNESS_REQUIRES,
    part: 'unexpectedness',
    blend,
    feature: (request) => unexpectednessFeature(request, { variant }),
  });
}
