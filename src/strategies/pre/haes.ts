import { assertKnownOptions, numberOption } from '../../_internals/options.js';
import type { PackedRequest, Requirements, ScoringReranker } from '../../types.js';
import { BLEND_OPTION_NAMES, type BlendOptions, featureBlend, resolveBlendOptions } from './blend.js';
import { choiceOption } from './choice-option.js';
import { historyCategories } from './packed-fields.js';
import { UNEXPECTEDNESS_REQUIRES, type UnexpectednessVariant, unexpectednessFeature } from './unexpectedness.js';

/** Options of {@link haesElasticity}. */
export interface ElasticityOptions {
  /**
   * Number of categories in the catalogue, the `K` of the normaliser `log K` (e.g. 20 genres).
   * Values below the number of distinct categories in the history are raised to it.
   * @defaultValue the size of the request's category vocabulary: every category of the history and
   *   the candidates, plus the catalogue's when a `catalog` is passed. Pass it explicitly for
   *   values comparable across requests.
   */
  readonly numCategories?: number;
}

/**
 * Fields {@link haesElasticity} reads. Candidate categories are optional: when packed, they join
 * the request's vocabulary and so the default K.
 */
export const ELASTICITY_REQUIRES: Requirements = { historyCategories: 'required', categories: 'optional' };

function resolveNumCategories(owner: string, value: unknown): number | undefined {
  return value === undefined ? undefined : numberOption(owner, 'numCategories', value, 1, { min: 1, integer: true });
}

function elasticityValue(request: PackedRequest, numCategories: number | undefined, owner: string): number {
  const history = historyCategories(request, owner);
  const weights = new Float64Array(request.vocabulary.length);
  let total = 0;
  for (let row = 0; row < request.history.n; row++) {
    const start = history.offsets[row] as number;
    const end = history.offsets[row + 1] as number;
    for (let p = start; p < end; p++) {
      const code = history.codes[p] as number;
      weights[code] = (weights[code] as number) + 1 / (end - start);
    }
    if (end > start) total++;
  }
  let entropy = 0;
  let distinct = 0;
  for (let c = 0; c < weights.length; c++) {
    const w = weights[c] as number;
    if (w === 0) continue;
    distinct++;
    const p = w / total;
    entropy -= p * Math.log(p);
  }
  const k = Math.max(numCategories ?? request.vocabulary.length, distinct);
  if (k <= 1 || distinct <= 1) return 0;
  return Math.min(1, Math.max(0, entropy / Math.log(k)));
}

/**
 * HAES-style elasticity of the user (after Li, Wang et al., "HAES: A New Hybrid Approach for Movie
 * Recommendation with Elastic Serendipity", CIKM 2019): how widely the history ranges across
 * categories, which HAES uses to scale how much unexpectedness a user tolerates. We operationalise
 * it as the normalised Shannon entropy of the history's category distribution,
 * `e = −Σ_c p(c)·ln p(c) / ln K`, where each history item spreads weight `1/|C_h|` over its
 * categories (Steck, RecSys 2018) and K is the number of categories. In [0, 1]: 0 for a user who
 * only consumes one category, 1 for a user spread evenly over all K.
 *
 * Empty history (or no categories in it): 0 — nothing is known about the user's range, so no
 * extra unexpectedness is granted.
 *
 * @param request - Packed with {@link ELASTICITY_REQUIRES}.
 * @throws {@link RerankError} `MISSING_HISTORY`, `INVALID_OPTION`.
 */
export function haesElasticity(request: PackedRequest, options?: ElasticityOptions): number {
  assertKnownOptions('haesElasticity', options, ['numCategories']);
  return elasticityValue(request, resolveNumCategories('haesElasticity', options?.numCategories), 'haesElasticity');
}

/** Options of {@link haesBlend}. */
export interface HaesBlendOptions extends BlendOptions, ElasticityOptions {
  /**
   * Unexpectedness variant blended in (see {@link unexpectednessFeature}).
   * @defaultValue `'min'`
   */
  readonly variant?: UnexpectednessVariant;
}

/**
 * Pre-processing re-ranker with elastic serendipity (HAES, CIKM 2019): the weight of unexpectedness
 * is scaled per user by their {@link haesElasticity} `e_u`:
 * `score = (1 − w·e_u)·N(rel) + w·e_u·N(unexpectedness)` (see docs/design.md#pre-processing-blends). Users with a
 * narrow history keep close to relevance order; users who range widely get more unexpected items.
 * `weight: 0`, or an empty history, is relevance order.
 *
 * Score parts: `relevance`, `unexpectedness` (summing to the score).
 */
export function haesBlend(options?: HaesBlendOptions): ScoringReranker {
  assertKnownOptions('haesBlend', options, [...BLEND_OPTION_NAMES, 'numCategories', 'variant']);
  const blend = resolveBlendOptions('haesBlend', options);
  const numCategories = resolveNumCategories('haesBlend', options?.numCategories);
  const variant = choiceOption('haesBlend', 'variant', options?.variant, ['min', 'mean']);
  return featureBlend({
    name: `haesBlend(weight=${blend.weight},variant=${variant})`,
    stage: 'pre',
    requires: { ...UNEXPECTEDNESS_REQUIRES, ...ELASTICITY_REQUIRES },
    part: 'unexpectedness',
    blend,
    feature: (request) => unexpectednessFeature(request, { variant }),
    weightFor: (request) => blend.weight * elasticityValue(request, numCategories, 'haesBlend'),
  });
}
