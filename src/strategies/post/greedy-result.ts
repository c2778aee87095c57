import type { Selection } from '../../types.js';

/**
 * A greedy re-ranker's {@link Selection} plus work counters, so benchmarks and tests can see how
 * much the lazy evaluation saved. The counters cost two integer increments; `select()` drops them.
 */
export interface GreedyResult extends Selection {
  /** Times a stale heap top was brought up to date (always 0 for the dense algorithm). */
  readonly refreshes: number;
  /** Incremental updates performed: one per (candidate, pick) pair evaluated after the first pick. */
  readonly updates: number;
}
