import { assertKnownOptions, numberOption } from '../../_internals/options.js';
import type { PackedRequest, Requirements, ScoringReranker } from '../../types.js';
import { BLEND_OPTION_NAMES, type BlendOptions, featureBlend, resolveBlendOptions } from './blend.js';
import { choiceOption } from './choice-option.js';
import { meanShift } from './mean-shift.js';
import { candidateEmbeddings, historyEmbeddings } from './packed-fields.js';
import { memoisedFeature } from './request-memo.js';

/** Default mean-shift bandwidth: Euclidean radius between unit vectors (1 ⇔ cosine ≥ 0.5). */
export const DEFAULT_PURS_BANDWIDTH = 1;
/** Default number of most recent history items clustered. */
export const DEFAULT_PURS_RECENT = 20;

/**
 * How distances to the interest centres are combined:
 * - `'weighted-mean'`: mean distance to the centres weighted by cluster size, as in PURS;
 * - `'nearest'`: distance to the nearest centre.
 */
export type PursAggregate = 'weighted-mean' | 'nearest';

/**
 * What the feature reports: the activation `f(d) = d·e^(−d)` of PURS (in [0, 1/e], peaking at
 * d = 1, so items far from every interest score low again), or the raw distance `d` (in [0, 2]).
 */
export type PursOutput = 'activation' | 'distance';

/** Options of {@link pursFeature}. */
export interface PursFeatureOptions {
  /**
   * Mean-shift bandwidth (Euclidean radius between unit vectors, > 0).
   * @defaultValue {@link DEFAULT_PURS_BANDWIDTH} (1)
   */
  readonly bandwidth?: number;
  /**
   * Only the last `recent` history items (the most recent, since history is oldest first) are clustered.
   * @defaultValue {@link DEFAULT_PURS_RECENT} (20)
   */
  readonly recent?: number;
  /**
   * How the distances to the centres are combined.
   * @defaultValue `'weighted-mean'`
   */
  readonly aggregate?: PursAggregate;
  /**
   * Activation or raw distance.
   * @defaultValue `'activation'`
   */
  readonly output?: PursOutput;
}

/** Validated {@link PursFeatureOptions}. */
export interface ResolvedPursOptions {
  /** Mean-shift bandwidth, > 0. */
  readonly bandwidth: number;
  /** Recent history items clustered, ≥ 1. */
  readonly recent: number;
  /** Distance aggregation. */
  readonly aggregate: PursAggregate;
  /** Activation or distance. */
  readonly output: PursOutput;
}

/** Names of the PURS feature options. */
export const PURS_OPTION_NAMES = ['bandwidth', 'recent', 'aggregate', 'output'] as const;

/** Fields {@link pursFeature} reads. */
export const PURS_REQUIRES: Requirements = { embeddings: 'required', historyEmbeddings: 'required' };

/**
 * Validates {@link PursFeatureOptions}.
 *
 * @throws {@link RerankError} `INVALID_OPTION`.
 */
export function resolvePursOptions(owner: string, options: PursFeatureOptions | undefined): ResolvedPursOptions {
  return {
    bandwidth: numberOption(owner, 'bandwidth', options?.bandwidth, DEFAULT_PURS_BANDWIDTH, { min: 0, minExclusive: true }),
    recent: numberOption(owner, 'recent', options?.recent, DEFAULT_PURS_RECENT, { min: 1, integer: true }),
    aggregate: choiceOption(owner, 'aggregate', options?.aggregate, ['weighted-mean', 'nearest']),
    output: choiceOption(owner, 'output', options?.output, ['activation', 'distance']),
  };
}

/** PURS activation `f(d) = d·e^(−d)` (Li et al., RecSys 2020); in [0, 1/e] for d ≥ 0, maximal at d = 1. */
export function pursActivation(distance: number): number {
  return distance * Math.exp(-distance);
}

function pursValues(request: PackedRequest, options: ResolvedPursOptions): Float64Array {
  const key = `purs:${options.bandwidth}:${options.recent}:${options.aggregate}:${options.output}`;
  return memoisedFeature(key, request, () => computePursValues(request, options));
}

function computePursValues(request: PackedRequest, options: ResolvedPursOptions): Float64Array {
  const candidates = candidateEmbeddings(request, 'pursFeature');
  const history = historyEmbeddings(request, 'pursFeature');
  const { dim } = request;
  const n = request.candidates.n;
  const result = new Float64Array(n);
  const h = Math.min(options.recent, request.history.n);
  if (h === 0) return result;
  const start = (request.history.n - h) * dim;
  const clusters = meanShift(history.subarray(start, start + h * dim), h, dim, options.bandwidth);
  const { centres, sizes, count } = clusters;
  for (let i = 0; i < n; i++) {
    let aggregate = options.aggregate === 'nearest' ? Infinity : 0;
    for (let c = 0; c < count; c++) {
      let sum = 0;
      for (let j = 0; j < dim; j++) {
        const diff = (candidates[i * dim + j] as number) - (centres[c * dim + j] as number);
        sum += diff * diff;
      }
      const distance = Math.sqrt(sum);
      if (options.aggregate === 'nearest') {
        if (distance < aggregate) aggregate = distance;
      } else aggregate += (sizes[c] as number) * distance;
    }
    const d = options.aggregate === 'nearest' ? aggregate : aggregate / h;
    result[i] = options.output === 'activation' ? pursActivation(d) : d;
  }
  return result;
}

/**
 * PURS unexpectedness (Li, Tuzhilin et al., "PURS: Personalized Unexpected Recommender System for
 * Improving User Satisfaction", RecSys 2020): the user's recent history embeddings are clustered
 * once per request with {@link meanShift}; each candidate's Euclidean distance `d` to the interest
 * centres (size-weighted mean by default) goes through the activation `f(d) = d·e^(−d)`.
 *
 * Ranges: `d ∈ [0, 2]` (unit vectors; centres lie in the unit ball); activation ∈ [0, 1/e].
 * Empty history: there are no interest centres and no evidence of unexpectedness, so every
 * candidate gets 0 (a constant, which leaves a blend in relevance order).
 * Cost: clustering O(H²·d·iterations) once, then O(n·clusters·d).
 *
 * @param request - Packed with {@link PURS_REQUIRES}.
 * @throws {@link RerankError} `INVALID_OPTION`, `MISSING_EMBEDDING` / `MISSING_HISTORY`.
 */
export function pursFeature(request: PackedRequest, options?: PursFeatureOptions): Float64Array {
  assertKnownOptions('pursFeature', options, PURS_OPTION_NAMES);
  return pursValues(request, resolvePursOptions('pursFeature', options));
}

/** Options of {@link pursBlend}. */
export interface PursBlendOptions extends BlendOptions, PursFeatureOptions {}

/**
 * Pre-processing re-ranker: blends relevance with {@link pursFeature}
 * (`score = (1 − w)·N(rel) + w·N(f(d))`, see docs/design.md#pre-processing-blends). `weight: 0` is relevance order.
 *
 * Score parts: `relevance`, `purs` (summing to the score).
 */
export function pursBlend(options?: PursBlendOptions): ScoringReranker {
  assertKnownOptions('pursBlend', options, [...BLEND_OPTION_NAMES, ...PURS_OPTION_NAMES]);
  const blend = resolveBlendOptions('pursBlend', options);
  const purs = resolvePursOptions('pursBlend', options);
  return featureBlend({
    name: `pursBlend(weight=${blend.weight},bandwidth=${purs.bandwidth},recent=${purs.recent})`,
    stage: 'pre',
    requires: PURS_REQUIRES,
    part: 'purs',
    blend,
    feature: (request) => pursValues(request, purs),
  });
}
