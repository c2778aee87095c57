import { RerankError } from '../errors/rerank-error.js';
import { assertKnownOptions, numberOption } from '../_internals/options.js';
import { systemClock, systemScheduler, type Clock, type Scheduler } from './clock.js';
import type { SerendipityScorer } from './scorer.js';
import type { DemandSink } from './demand.js';
import type { ScoreStore } from './store.js';

/** Default L1 bound: 100,000 (profile, item) judgements. */
export const DEFAULT_MAX_ENTRIES = 100_000;
/** Default freshness: 10 minutes. */
export const DEFAULT_TTL_MS = 10 * 60_000;
/** Default stale-while-revalidate window after the TTL: 1 hour. */
export const DEFAULT_STALE_MS = 60 * 60_000;
/** Default most pairs per scorer call. */
export const DEFAULT_BATCH_SIZE = 32;
/** Default wait for a batch to fill before dispatching it anyway. */
export const DEFAULT_LINGER_MS = 10;
/** Default most scorer calls in flight at once. */
export const DEFAULT_CONCURRENCY = 4;
/** Default per-call scorer timeout. */
export const DEFAULT_TIMEOUT_MS = 10_000;
/** Default retries of a failed pair after its first attempt. */
export const DEFAULT_RETRIES = 2;
/** Default first retry delay (before jitter). */
export const DEFAULT_RETRY_BASE_MS = 200;
/** Default cap on a retry delay. */
export const DEFAULT_RETRY_MAX_MS = 10_000;
/** Default consecutive failed scorer calls that open the circuit breaker. */
export const DEFAULT_BREAKER_THRESHOLD = 5;
/** Default time an open breaker waits before a half-open probe. */
export const DEFAULT_BREAKER_COOLDOWN_MS = 30_000;
/** Default bound on pending refresh work (queued plus waiting to retry). */
export const DEFAULT_MAX_QUEUE = 10_000;
/** Default timeout of one L2 read or write. */
export const DEFAULT_STORE_TIMEOUT_MS = 250;

/** Options of {@link createScoreCache}. Every field but `scorer` (or `store`) has a default. */
export interface ScoreCacheOptions {
  /**
   * The judge. May be omitted when `store` is given: the cache then only reads L2 (an online server
   * whose scores come from a nearline worker).
   */
  readonly scorer?: SerendipityScorer;
  /**
   * Second tier, read on an L1 miss before the scorer and written after it.
   * @defaultValue none (L1 only)
   */
  readonly store?: ScoreStore;
  /**
   * Demand sink of a cache with a `store` and no `scorer` (an online server of a nearline fleet):
   * pairs that L2 could not fill are handed to it, e.g. `createRedisDemandQueue` from
   * `serendipity-rerank/redis`, so that workers judge them.
   * @defaultValue none (misses L2 cannot fill simply stay missing)
   */
  readonly demand?: DemandSink;
  /**
   * Derives the profile key from a profile, when the subject carries a profile but no `profileKey`.
   * @defaultValue a stable hash of the profile's canonical JSON (see `hashProfile`)
   */
  readonly profileKey?: (profile: unknown) => string;
  /** Most L1 entries (LRU eviction). @defaultValue {@link DEFAULT_MAX_ENTRIES} */
  readonly maxEntries?: number;
  /** How long a judgement is fresh, in ms. @defaultValue {@link DEFAULT_TTL_MS} */
  readonly ttlMs?: number;
  /** How long after `ttlMs` a judgement is still served (as stale) while it is refreshed. @defaultValue {@link DEFAULT_STALE_MS} */
  readonly staleMs?: number;
  /** Most pairs per scorer call. @defaultValue {@link DEFAULT_BATCH_SIZE} */
  readonly batchSize?: number;
  /** How long a partial batch waits for more pairs. @defaultValue {@link DEFAULT_LINGER_MS} */
  readonly lingerMs?: number;
  /** Most scorer calls (batches) in flight. @defaultValue {@link DEFAULT_CONCURRENCY} */
  readonly concurrency?: number;
  /**
   * Per-call timeout; the call's signal is aborted when it passes and its slot is freed (a scorer
   * that ignores the signal may then run beyond `concurrency`). @defaultValue {@link DEFAULT_TIMEOUT_MS}
   */
  readonly timeoutMs?: number;
  /** Retries per failed pair. @defaultValue {@link DEFAULT_RETRIES} */
  readonly retries?: number;
  /** First retry delay before jitter. @defaultValue {@link DEFAULT_RETRY_BASE_MS} */
  readonly retryBaseMs?: number;
  /** Largest retry delay before jitter. @defaultValue {@link DEFAULT_RETRY_MAX_MS} */
  readonly retryMaxMs?: number;
  /** Consecutive failed calls that open the breaker. @defaultValue {@link DEFAULT_BREAKER_THRESHOLD} */
  readonly breakerThreshold?: number;
  /** Open-breaker cool-down before a probe. @defaultValue {@link DEFAULT_BREAKER_COOLDOWN_MS} */
  readonly breakerCooldownMs?: number;
  /** Most pending pairs (queued or waiting to retry); beyond it work is dropped. @defaultValue {@link DEFAULT_MAX_QUEUE} */
  readonly maxQueue?: number;
  /** Timeout of one L2 read or write. @defaultValue {@link DEFAULT_STORE_TIMEOUT_MS} */
  readonly storeTimeoutMs?: number;
  /** Time source. @defaultValue `Date.now` */
  readonly clock?: Clock;
  /** Timer source. @defaultValue the global `setTimeout` / `clearTimeout` */
  readonly scheduler?: Scheduler;
  /** Uniform [0, 1) numbers for retry jitter. @defaultValue `Math.random` */
  readonly random?: () => number;
}

/** {@link ScoreCacheOptions} with every default applied. */
export interface ResolvedScoreCacheOptions {
  readonly scorer: SerendipityScorer | undefined;
  readonly store: ScoreStore | undefined;
  readonly demand: DemandSink | undefined;
  readonly profileKey: ((profile: unknown) => string) | undefined;
  readonly maxEntries: number;
  readonly ttlMs: number;
  readonly staleMs: number;
  readonly batchSize: number;
  readonly lingerMs: number;
  readonly concurrency: number;
  readonly timeoutMs: number;
  readonly retries: number;
  readonly retryBaseMs: number;
  readonly retryMaxMs: number;
  readonly breakerThreshold: number;
  readonly breakerCooldownMs: number;
  readonly maxQueue: number;
  readonly storeTimeoutMs: number;
  readonly clock: Clock;
  readonly scheduler: Scheduler;
  readonly random: () => number;
}

const KNOWN: readonly (keyof ScoreCacheOptions)[] = [
  'scorer', 'store', 'demand', 'profileKey', 'maxEntries', 'ttlMs', 'staleMs', 'batchSize', 'lingerMs', 'concurrency',
  'timeoutMs', 'retries', 'retryBaseMs', 'retryMaxMs', 'breakerThreshold', 'breakerCooldownMs', 'maxQueue',
  'storeTimeoutMs', 'clock', 'scheduler', 'random',
];

function optionalFunction<T>(name: string, value: T | undefined): T | undefined {
  if (value !== undefined && typeof value !== 'function') {
    throw new RerankError('INVALID_OPTION', `createScoreCache: option "${name}" must be a function, got ${typeof value}.`, {
      field: `options.${name}`,
      value,
    });
  }
  return value;
}

/**
 * Validates `options` and applies the defaults.
 *
 * @throws {@link RerankError} `UNKNOWN_OPTION` for a typo, `INVALID_OPTION` for a bad value or
 * when neither `scorer` nor `store` is given.
 */
export function resolveScoreCacheOptions(options: ScoreCacheOptions): ResolvedScoreCacheOptions {
  const owner = 'createScoreCache';
  if (options === null || typeof options !== 'object') {
    throw new RerankError('INVALID_OPTION', `${owner} expects an options object such as { scorer }.`, { field: 'options' });
  }
  assertKnownOptions(owner, options, KNOWN);
  const scorer = optionalFunction('scorer', options.scorer);
  const store = options.store;
  if (store !== undefined && (typeof store !== 'object' || store === null || typeof store.getMany !== 'function' || typeof store.setMany !== 'function')) {
    throw new RerankError('INVALID_OPTION', `${owner}: option "store" must be a ScoreStore with getMany and setMany.`, {
      field: 'options.store',
    });
  }
  if (scorer === undefined && store === undefined) {
    throw new RerankError('INVALID_OPTION', `${owner}: pass a scorer, a store, or both (a cache with neither can never fill).`, {
      field: 'options.scorer',
    });
  }
  const demand = options.demand;
  if (demand !== undefined && (demand === null || typeof demand !== 'object' || typeof demand.publish !== 'function')) {
    throw new RerankError('INVALID_OPTION', `${owner}: option "demand" must be a DemandSink with a publish function.`, { field: 'options.demand' });
  }
  if (demand !== undefined && (scorer !== undefined || store === undefined)) {
    throw new RerankError('INVALID_OPTION', `${owner}: option "demand" is for a cache with a store and no scorer (a cache with a scorer judges its own misses).`, {
      field: 'options.demand',
    });
  }
  const scheduler = options.scheduler ?? systemScheduler;
  if (typeof scheduler.setTimeout !== 'function' || typeof scheduler.clearTimeout !== 'function') {
    throw new RerankError('INVALID_OPTION', `${owner}: option "scheduler" needs setTimeout and clearTimeout functions.`, {
      field: 'options.scheduler',
    });
  }
  const positive = { min: 1, integer: true } as const;
  const duration = { min: 0 } as const;
  const retryBaseMs = numberOption(owner, 'retryBaseMs', options.retryBaseMs, DEFAULT_RETRY_BASE_MS, duration);
  return {
    scorer,
    store,
    demand,
    profileKey: optionalFunction('profileKey', options.profileKey),
    maxEntries: numberOption(owner, 'maxEntries', options.maxEntries, DEFAULT_MAX_ENTRIES, positive),
    ttlMs: numberOption(owner, 'ttlMs', options.ttlMs, DEFAULT_TTL_MS, { min: 0, minExclusive: true }),
    staleMs: numberOption(owner, 'staleMs', options.staleMs, DEFAULT_STALE_MS, duration),
    batchSize: numberOption(owner, 'batchSize', options.batchSize, DEFAULT_BATCH_SIZE, positive),
    lingerMs: numberOption(owner, 'lingerMs', options.lingerMs, DEFAULT_LINGER_MS, duration),
    concurrency: numberOption(owner, 'concurrency', options.concurrency, DEFAULT_CONCURRENCY, positive),
    timeoutMs: numberOption(owner, 'timeoutMs', options.timeoutMs, DEFAULT_TIMEOUT_MS, { min: 0, minExclusive: true }),
    retries: numberOption(owner, 'retries', options.retries, DEFAULT_RETRIES, { min: 0, integer: true }),
    retryBaseMs,
    retryMaxMs: numberOption(owner, 'retryMaxMs', options.retryMaxMs, Math.max(DEFAULT_RETRY_MAX_MS, retryBaseMs), { min: retryBaseMs }),
    breakerThreshold: numberOption(owner, 'breakerThreshold', options.breakerThreshold, DEFAULT_BREAKER_THRESHOLD, positive),
    breakerCooldownMs: numberOption(owner, 'breakerCooldownMs', options.breakerCooldownMs, DEFAULT_BREAKER_COOLDOWN_MS, duration),
    maxQueue: numberOption(owner, 'maxQueue', options.maxQueue, DEFAULT_MAX_QUEUE, positive),
    storeTimeoutMs: numberOption(owner, 'storeTimeoutMs', options.storeTimeoutMs, DEFAULT_STORE_TIMEOUT_MS, { min: 0, minExclusive: true }),
    clock: optionalFunction('clock', options.clock) ?? systemClock,
    scheduler,
    random: optionalFunction('random', options.random) ?? Math.random,
  };
}
