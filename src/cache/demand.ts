import type { ScoreRequestItem } from './scorer.js';

/**
 * Where a cache with no scorer sends the pairs L2 could not fill (missing, or only stale), so that a
 * nearline fleet judges them: SERAL's split of online serving from nearline LLM judgement
 * (arXiv 2502.13539), at fleet scale. The Redis Streams sink is `createRedisDemandQueue` in
 * `serendipity-rerank/redis`; its workers are `runScoreWorker`.
 *
 * The cache calls `publish` from its background refresh path, never from `peek()`/`rerank()`.
 */
export interface DemandSink {
  /**
   * Takes pairs to be judged. Must return at once and never throw: buffer, de-duplicate and send in
   * the background, and drop (and count) what cannot be sent.
   */
  publish(pairs: readonly ScoreRequestItem[]): void;
}
