import { NearlineScoreCache } from './nearline-cache.js';
import { resolveScoreCacheOptions, type ScoreCacheOptions } from './options.js';
import type { ScoreCache } from './cache-types.js';

export { SCORE_MISSING, SCORE_FRESH, SCORE_STALE } from './cache-types.js';
export type { ScoreSubject, ScoreView, PrefetchResult, ScoreCacheStats, ScoreCache } from './cache-types.js';

/**
 * Creates the nearline LLM score cache: L1 in-process (`lru-cache`, bounded by `maxEntries`, with
 * `ttlMs` freshness and a `staleMs` stale-while-revalidate window), an optional L2 {@link ScoreStore},
 * and a background refresh path with batching, a concurrency limit, in-flight de-duplication,
 * per-call timeouts, retries with capped exponential backoff and jitter, a circuit breaker and a
 * bounded priority queue. This is the nearline half of SERAL (arXiv 2502.13539): online ranking
 * reads judgements synchronously with {@link ScoreCache.peek} and never waits for the LLM.
 *
 * A cache with a `store`, no `scorer` and a `demand` sink is an online server of a nearline fleet:
 * what L2 cannot fill is published for workers (`createRedisDemandQueue` and `runScoreWorker` in
 * `serendipity-rerank/redis`).
 *
 * @throws {@link RerankError} `UNKNOWN_OPTION` / `INVALID_OPTION` for bad options.
 *
 * @example
 * ```ts
 * const cache = createScoreCache({ scorer });
 * const view = cache.peek({ key: 'u1', profile }, ['a', 'b']); // synchronous, L1 only
 * await cache.prefetch({ key: 'u1', profile }, ['a', 'b']);
 * rerank({ candidates, user: { id: 'u1', profile }, k: 10, strategy: llmBlend({ cache, weight: 0.5 }) });
 * await cache.close();
 * ```
 */
export function createScoreCache(options: ScoreCacheOptions): ScoreCache {
  return new NearlineScoreCache(resolveScoreCacheOptions(options));
}
