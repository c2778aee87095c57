import type { BreakerState } from './circuit-breaker.js';

/** Whose judgements to read: a user (or any owner of a profile). */
export interface ScoreSubject {
  /** The user id. The profile key when there is neither `profileKey` nor `profile`. */
  readonly key: string;
  /** The profile handed to the scorer (e.g. a SERAL cognition profile). */
  readonly profile?: unknown;
  /** An explicit, stable key of `profile`; wins over the `profileKey` option and the hash. */
  readonly profileKey?: string;
}

/** `states[i]` of a {@link ScoreView}: no usable score. */
export const SCORE_MISSING = 0;
/** `states[i]` of a {@link ScoreView}: a score younger than `ttlMs`. */
export const SCORE_FRESH = 1;
/** `states[i]` of a {@link ScoreView}: a score older than `ttlMs` but inside the stale window. */
export const SCORE_STALE = 2;

/** What {@link ScoreCache.peek} saw in L1, aligned with the ids asked for. */
export interface ScoreView {
  /** The resolved profile key. */
  readonly profileKey: string;
  /** The score of each id in [0, 1], NaN where there is no fresh-or-stale score. */
  readonly scores: Float64Array;
  /** {@link SCORE_MISSING}, {@link SCORE_FRESH} or {@link SCORE_STALE} for each id. */
  readonly states: Uint8Array;
  /**
   * Ids with no usable score (NaN in `scores`). Each was scheduled for a background refresh, unless
   * the queue was full of higher-priority work or the cache is closed (see `stats().dropped`).
   */
  readonly missing: readonly string[];
  /** Ids served from the stale window; each was scheduled for a refresh too. */
  readonly stale: readonly string[];
}

/** How {@link ScoreCache.prefetch} ended, in pairs. */
export interface PrefetchResult {
  /** Already fresh in L1; nothing to do. */
  readonly ready: number;
  /** Loaded fresh from the L2 store. */
  readonly loaded: number;
  /** Judged by the scorer. */
  readonly scored: number;
  /**
   * Ended without a score: the scorer failed after its retries, the breaker was open (open breakers
   * fail pending pairs at once), or L2 had none and there was no scorer to ask.
   */
  readonly failed: number;
  /** Dropped by a full queue, `invalidate()` or `close()`. */
  readonly dropped: number;
}

/** Counters since creation, and the current load. */
export interface ScoreCacheStats {
  /**
   * Peeked pairs with a fresh score. A request read twice in the same synchronous turn with the same
   * id array (e.g. `serendipitySlots` over an `llmBlend` base sharing one cache) counts once.
   */
  readonly hits: number;
  /** Peeked pairs with no usable score (counted once per request, like `hits`). */
  readonly misses: number;
  /** Peeked pairs served from the stale window (counted once per request, like `hits`). */
  readonly staleHits: number;
  /** Pairs written to L1 by the background path (from L2 or the scorer). */
  readonly refreshes: number;
  /** Pairs found fresh in L2. */
  readonly storeHits: number;
  /** Scorer invocations. */
  readonly scorerCalls: number;
  /** Failed pair attempts: a failed call counts each of its pairs; so does each `null` or invalid entry. */
  readonly failures: number;
  /** Entries the scorer returned that were neither `null` nor a number in [0, 1] (included in `failures`). */
  readonly invalidScores: number;
  /** Scorer calls that hit `timeoutMs` (their pairs are included in `failures`). */
  readonly timeouts: number;
  /** Pair retries scheduled. */
  readonly retries: number;
  /** Pairs dropped because the queue was full. */
  readonly dropped: number;
  /** Pairs that ended without a score because the breaker refused the scorer (L2 had none to serve). */
  readonly breakerRejected: number;
  /** Failed, timed-out, skipped or malformed L2 reads and writes (including far-future timestamps). */
  readonly storeErrors: number;
  /** Pairs L2 could not fill that were handed to the `demand` sink (caches with no scorer). */
  readonly demanded: number;
  /** Pairs waiting: queued plus waiting to retry. Never above `maxQueue`. */
  readonly queueDepth: number;
  /** Batches in flight. Never above `concurrency`. */
  readonly activeBatches: number;
  /** Entries in L1. Never above `maxEntries`. */
  readonly entries: number;
  /** The circuit breaker's state. */
  readonly breaker: BreakerState;
}

/**
 * A two-tier cache of LLM serendipity judgements, read synchronously online and filled nearline
 * (SERAL, arXiv 2502.13539: the LLM never sits on the request path). Create with `createScoreCache`.
 */
export interface ScoreCache {
  /**
   * Reads L1 only, synchronously, and returns at once. Misses and stale entries are scheduled for a
   * background refresh (L2 first, then the scorer). Never waits on, or throws because of, the scorer or store.
   *
   * @throws {@link RerankError} `INVALID_ARGUMENT` / `INVALID_ID` for a malformed subject or ids.
   */
  peek(subject: ScoreSubject, itemIds: readonly string[]): ScoreView;
  /** Refreshes every pair that is not fresh and resolves when each has ended. Never rejects because of the scorer or store. */
  prefetch(subject: ScoreSubject, itemIds: readonly string[]): Promise<PrefetchResult>;
  /** Writes a judgement obtained elsewhere (e.g. pushed by a worker) into L1 as fresh now. */
  put(subject: ScoreSubject, itemId: string, score: number): void;
  /**
   * Forgets a profile's L1 entries and pending work (by subject or by resolved profile key), and asks
   * the L2 store to forget it too when the store supports it (`ScoreStore.invalidate`; the Redis store
   * bumps the profile's generation, making its old L2 entries unreachable at once). Other processes'
   * L1 entries live on until their `ttlMs`.
   */
  invalidate(subject: ScoreSubject | string): void;
  /** The profile key a subject resolves to. */
  profileKeyOf(subject: ScoreSubject): string;
  /** A snapshot of the counters. */
  stats(): ScoreCacheStats;
  /** Stops timers, drops pending work, aborts in-flight calls and waits for them to settle. Idempotent. */
  close(): Promise<void>;
}
