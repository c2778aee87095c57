import { assertKnownOptions, numberOption } from '../../_internals/options.js';
import type { PackedRequest, Requirements, ScoringReranker } from '../../types.js';
import { BLEND_OPTION_NAMES, type BlendOptions, featureBlend, resolveBlendOptions } from './blend.js';
import { candidateCategories, historyCategories } from './packed-fields.js';

/** Default share of history items at or below which a category counts as rare (0 = absent only). */
export const DEFAULT_RARE_SHARE = 0.05;

/** Options of {@link categoryNoveltyFeature}. */
export interface CategoryNoveltyOptions {
  /**
   * A category is novel for the user when at most this share of their history items carry it
   * (`0` = only categories absent from the history). In [0, 1).
   * @defaultValue {@link DEFAULT_RARE_SHARE} (0.05)
   */
  readonly rareShare?: number;
}

/** Fields {@link categoryNoveltyFeature} reads. */
export const CATEGORY_NOVELTY_REQUIRES: Requirements = { categories: 'required', historyCategories: 'required' };

function resolveRareShare(owner: string, value: unknown): number {
  return numberOption(owner, 'rareShare', value, DEFAULT_RARE_SHARE, { min: 0, max: 1, maxExclusive: true });
}

function categoryNoveltyValues(request: PackedRequest, rareShare: number, owner: string): Float64Array {
  const candidates = candidateCategories(request, owner);
  const history = historyCategories(request, owner);
  const h = request.history.n;
  const carriers = new Float64Array(request.vocabulary.length);
  for (let p = 0; p < history.codes.length; p++) {
    const code = history.codes[p] as number;
    carriers[code] = (carriers[code] as number) + 1; // codes are unique within a row: one per item
  }
  const n = request.candidates.n;
  const result = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const start = candidates.offsets[i] as number;
    const end = candidates.offsets[i + 1] as number;
    if (end === start) continue;
    let novel = 0;
    for (let p = start; p < end; p++) {
      const share = h === 0 ? 0 : (carriers[candidates.codes[p] as number] as number) / h;
      if (share <= rareShare) novel++;
    }
    result[i] = novel / (end - start);
  }
  return result;
}

/**
 * Category novelty: the share of a candidate's categories that are absent or rare in the user's
 * history, `|{c ∈ C_i : p_H(c) ≤ rareShare}| / |C_i|` with `p_H(c)` the share of history items
 * carrying c (a category-level unexpectedness; Kotkov et al., KBS 2016, "unexpectedness as
 * difference from the user profile"). In [0, 1].
 *
 * A candidate without categories gets 0 (no evidence). Empty history: every category is absent,
 * so every candidate with categories gets 1. O(|H| labels + n labels).
 *
 * @param request - Packed with {@link CATEGORY_NOVELTY_REQUIRES}.
 * @throws {@link RerankError} `MISSING_CATEGORIES` / `MISSING_HISTORY`, `INVALID_OPTION`.
 */
export function categoryNoveltyFeature(request: PackedRequest, options?: CategoryNoveltyOptions): Float64Array {
  assertKnownOptions('categoryNoveltyFeature', options, ['rareShare']);
  return categoryNoveltyValues(request, resolveRareShare('categoryNoveltyFeature', options?.rareShare), 'categoryNoveltyFeature');
}

/** Options of {@link categoryNoveltyBlend}. */
export interface CategoryNoveltyBlendOptions extends BlendOptions, CategoryNoveltyOptions {}

/**
 * Pre-processing re-ranker: blends relevance with {@link categoryNoveltyFeature}
 * (`score = (1 − w)·N(rel) + w·N(novelty)`, see docs/design.md#pre-processing-blends). `weight: 0` is relevance order.
 *
 * Score parts: `relevance`, `categoryNovelty` (summing to the score).
 */
export function categoryNoveltyBlend(options?: CategoryNoveltyBlendOptions): ScoringReranker {
  assertKnownOptions('categoryNoveltyBlend', options, [...BLEND_OPTION_NAMES, 'rareShare']);
  const blend = resolveBlendOptions('categoryNoveltyBlend', options);
  const rareShare = resolveRareShare('categoryNoveltyBlend', options?.rareShare);
  return featureBlend({
    name: `categoryNoveltyBlend(weight=${blend.weight},rareShare=${rareShare})`,
    stage: 'pre',
    requires: CATEGORY_NOVELTY_REQUIRES,
    part: 'categoryNovelty',
    blend,
    feature: (request) => categoryNoveltyValues(request, rareShare, 'categoryNoveltyBlend'),
  });
}
