import { assertKnownOptions, guardOptions } from '../../_internals/options.js';
import { RerankError } from '../../errors/rerank-error.js';
import type { ScoringReranker } from '../../types.js';
import { featureBlend, resolveBlendOptions } from '../pre/blend.js';
import type { Normalisation } from '../pre/normalise.js';
import { featureRequirements } from './features.js';
import { loadSerendipityModel, predictSerendipity, type SerendipityModel } from './model.js';

/** Default share of the predicted serendipity in the final score. */
export const DEFAULT_LEARNED_WEIGHT = 0.5;

/** Options of {@link learned}. */
export interface LearnedOptions {
  /** A model from `fitSerendipityModel` (`serendipity-rerank/train`) or {@link loadSerendipityModel} (validated again here). */
  readonly model: SerendipityModel;
  /**
   * The relevance ↔ serendipity knob `w ∈ [0, 1]`:
   * `score = (1 − w)·N(rel) + w·N(P(serendipitous))`. `0` is relevance order; `1` ranks by the
   * model alone (which itself sees relevance as an input).
   * @defaultValue {@link DEFAULT_LEARNED_WEIGHT} (0.5)
   */
  readonly weight?: number;
  /**
   * Per-request normalisation of relevance and predicted probability (see {@link Normalisation}).
   * @defaultValue `'minmax'`
   */
  readonly normalise?: Normalisation;
}

/**
 * In-processing re-ranker with a learned serendipity model (the in-processing family of Fu, Niu &
 * Maher, ACM CSUR 2023; a logistic stand-in for PURS-style learned unexpectedness, Li et al.,
 * RecSys 2020): predicts `P(serendipitous)` per candidate from relevance and the
 * pre-processing features, then trades it against relevance with `weight` (see
 * {@link LearnedOptions.weight}). A {@link ScoringReranker}, so it can feed {@link pipeline}.
 *
 * Score parts: `relevance` = `(1 − w)·N(rel)`, `serendipity` = `w·N(p̂)`, summing to the score.
 *
 * @throws {@link RerankError} `INVALID_MODEL` for a bad model, `INVALID_OPTION` / `UNKNOWN_OPTION`.
 *
 * @example
 * ```ts
 * const model = fitSerendipityModel(samples, { features: ['popularityNovelty', 'unexpectedness'] });
 * rerank({ candidates, user, k: 10, strategy: learned({ model, weight: 0.7 }) });
 * ```
 */
export function learned(options: LearnedOptions): ScoringReranker {
  return guardOptions('learned', () => buildLearned(options));
}

function buildLearned(options: LearnedOptions): ScoringReranker {
  if (options === null || typeof options !== 'object') {
    throw new RerankError('INVALID_OPTION', 'learned: options must be an object { model, weight?, normalise? }.', { field: 'options' });
  }
  assertKnownOptions('learned', options, ['model', 'weight', 'normalise']);
  const model = loadSerendipityModel(options.model);
  const blend = resolveBlendOptions('learned', { weight: options.weight ?? DEFAULT_LEARNED_WEIGHT, ...(options.normalise === undefined ? {} : { normalise: options.normalise }) });
  return featureBlend({
    name: `learned(weight=${blend.weight},features=${model.spec.features.join('+') || 'none'})`,
    stage: 'in',
    requires: featureRequirements(model.spec),
    part: 'serendipity',
    blend,
    feature: (request) => predictSerendipity(model, request),
  });
}
