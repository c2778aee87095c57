import { describeValue, quoteText } from '../../errors/describe-value.js';
import { isRerankError, RerankError } from '../../errors/rerank-error.js';
import { assertKnownOptions, guardOptions, numberOption } from '../../_internals/options.js';
import { topIndices } from '../../_internals/top-k.js';
import { SCORE_FRESH, SCORE_MISSING, type ScoreCache } from '../../cache/score-cache.js';
import { isScoreCache, normalisedRelevance, peekCandidates, SOURCE_FALLBACK, SOURCE_LLM, SOURCE_STALE } from '../../cache/signal.js';
import type { PackedRequest, Reranker, Selection } from '../../types.js';

/** Default weight of the LLM judgement in {@link llmBlend}: an even mix. */
export const DEFAULT_LLM_BLEND_WEIGHT = 0.5;

/**
 * A host feature standing in for a missing judgement: a number in [0, 1] for candidate `index`
 * of the packed request (read `request.candidates.ids[index]`, its embedding, etc.).
 */
export type SerendipityFeature = (request: PackedRequest, index: number) => number;

/** Counters of one {@link llmBlend} strategy, across every request it ranked. */
export interface LlmBlendStats {
  /** Requests in which `options.fallback` threw, so that request fell back to `'relevance'`. */
  readonly fallbackErrors: number;
  /** The most recent error thrown by `options.fallback`, or undefined. */
  readonly lastFallbackError: unknown;
}

/** The strategy {@link llmBlend} returns: a {@link Reranker} with counters. */
export interface LlmBlendReranker extends Reranker {
  /** Counters since the strategy was created. */
  stats(): LlmBlendStats;
}

/** Options of {@link llmBlend}. */
export interface LlmBlendOptions {
  /** The nearline score cache to read (see `createScoreCache`). Required. */
  readonly cache: ScoreCache;
  /**
   * Weight `w` of the LLM judgement, in [0, 1]; 0 gives relevance order.
   * @defaultValue {@link DEFAULT_LLM_BLEND_WEIGHT}
   */
  readonly weight?: number;
  /**
   * What stands in for the judgement `s` of a candidate the cache has no fresh-or-stale score for:
   * `'relevance'` sets `s = r̂`, so the item scores its normalised relevance alone; a
   * {@link SerendipityFeature} supplies `s` per candidate. A feature that throws does not fail the
   * request: that request uses `'relevance'` for every missing judgement instead, and the throw is
   * counted in {@link LlmBlendReranker.stats} (`fallbackErrors`, `lastFallbackError`).
   * @defaultValue `'relevance'`
   */
  readonly fallback?: 'relevance' | SerendipityFeature;
}

/**
 * Blends relevance with a cached LLM serendipity judgement, SERAL-style (arXiv 2502.13539): the
 * judgements are produced nearline and read here synchronously from L1, so ranking never waits
 * for the LLM. Score: `(1 − w)·r̂_i + w·s_i`, where `r̂` is min-max normalised relevance and `s_i`
 * the judgement in [0, 1] (fresh, or stale inside the cache's window); without one, `s_i` comes
 * from `fallback`. Top `k` by score, ties by the lower input index. Reading the cache schedules
 * refreshes for misses and stale entries. O(n log k) plus the L1 look-ups.
 *
 * Score parts: `relevance` = `(1 − w)·r̂`, `serendipity` = `w·s`. Sources: `'llm'`, `'stale'` or
 * `'fallback'` per item. Needs `rerank({ user })`.
 *
 * @throws {@link RerankError} `INVALID_OPTION` / `UNKNOWN_OPTION` for bad options;
 * `INVALID_REQUEST` at rerank time without a user; `INVALID_OPTION` when a fallback feature returns
 * something other than a number in [0, 1]. Never because of the scorer or the store, nor because
 * the fallback feature throws (see {@link LlmBlendOptions.fallback}).
 */
export function llmBlend(options: LlmBlendOptions): LlmBlendReranker {
  return guardOptions('llmBlend', () => buildLlmBlend(options));
}

function buildLlmBlend(options: LlmBlendOptions): LlmBlendReranker {
  const known = assertKnownOptions('llmBlend', options, ['cache', 'weight', 'fallback']);
  const { cache } = known;
  if (!isScoreCache(cache)) {
    throw new RerankError('INVALID_OPTION', 'llmBlend: option "cache" must be a score cache from createScoreCache({ scorer }).', {
      field: 'options.cache',
    });
  }
  const weight = numberOption('llmBlend', 'weight', known.weight, DEFAULT_LLM_BLEND_WEIGHT, { min: 0, max: 1 });
  const fallback = known.fallback ?? 'relevance';
  if (fallback !== 'relevance' && typeof fallback !== 'function') {
    throw new RerankError('INVALID_OPTION', `llmBlend: option "fallback" must be 'relevance' or a function (request, index) => number in [0, 1].`, {
      field: 'options.fallback',
      value: fallback,
    });
  }
  let fallbackErrors = 0;
  let lastFallbackError: unknown;
  return {
    name: `llmBlend(weight=${weight})`,
    stage: 'post',
    requires: {},
    stats: () => ({ fallbackErrors, lastFallbackError }),
    select(request: PackedRequest, k: number): Selection {
      const view = peekCandidates(cache, request, 'llmBlend');
      const relevance = normalisedRelevance(request.candidates.relevance);
      const n = relevance.length;
      const judgement = new Float64Array(n);
      for (let i = 0; i < n; i++) judgement[i] = view.states[i] !== SCORE_MISSING ? (view.scores[i] as number) : (relevance[i] as number);
      if (fallback !== 'relevance') {
        try {
          for (let i = 0; i < n; i++) if (view.states[i] === SCORE_MISSING) judgement[i] = checkedFeature(fallback(request, i), request, i);
        } catch (error) {
          if (isRerankError(error)) throw error;
          fallbackErrors++;
          lastFallbackError = error;
          for (let i = 0; i < n; i++) if (view.states[i] === SCORE_MISSING) judgement[i] = relevance[i] as number;
        }
      }
      const blended = new Float64Array(n);
      for (let i = 0; i < n; i++) blended[i] = (1 - weight) * (relevance[i] as number) + weight * (judgement[i] as number);
      const indices = topIndices(blended, k);
      const m = indices.length;
      const scores = new Float64Array(m);
      const relevancePart = new Float64Array(m);
      const serendipityPart = new Float64Array(m);
      const sources: string[] = new Array(m);
      for (let slot = 0; slot < m; slot++) {
        const i = indices[slot] as number;
        scores[slot] = blended[i] as number;
        relevancePart[slot] = (1 - weight) * (relevance[i] as number);
        serendipityPart[slot] = weight * (judgement[i] as number);
        const state = view.states[i];
        sources[slot] = state === SCORE_FRESH ? SOURCE_LLM : state === SCORE_MISSING ? SOURCE_FALLBACK : SOURCE_STALE;
      }
      return { indices, scores, parts: { relevance: relevancePart, serendipity: serendipityPart }, sources };
    },
  };
}

function checkedFeature(value: unknown, request: PackedRequest, index: number): number {
  if (typeof value === 'number' && value >= 0 && value <= 1) return value;
  throw new RerankError(
    'INVALID_OPTION',
    `llmBlend: options.fallback returned ${describeValue(value)} for candidate ${quoteText(request.candidates.ids[index] as string)}; it must return a number in [0, 1].`,
    { field: 'options.fallback', value },
  );
}
