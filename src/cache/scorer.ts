/** One (profile, item) pair to judge. */
export interface ScoreRequestItem {
  /** Stable key of `profile` (a cognition profile's `key`, or the user id). */
  readonly profileKey: string;
  /** The host's user profile, passed through untouched to the scorer. */
  readonly profile: unknown;
  /** The item to judge. */
  readonly itemId: string;
}

/**
 * The host's serendipity judge (usually an LLM) behind an async, batched function, as in SERAL
 * (arXiv 2502.13539): it runs nearline, and its answers are cached for the online ranker.
 *
 * Returns one entry per batch element, aligned with the batch: a score in [0, 1], or `null` for a
 * pair it failed to judge. It must stop work when `signal` aborts. Anything else it returns or
 * throws is treated as a failure by the cache, never as a score.
 */
export type SerendipityScorer = (
  batch: readonly ScoreRequestItem[],
  signal: AbortSignal,
) => Promise<readonly (number | null)[]>;
