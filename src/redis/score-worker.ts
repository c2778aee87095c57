import { RerankError } from '../errors/rerank-error.js';
import { assertKnownOptions, numberOption } from '../_internals/options.js';
import type { BreakerState } from '../cache/circuit-breaker.js';
import { NearlineScoreCache } from '../cache/nearline-cache.js';
import { resolveScoreCacheOptions } from '../cache/options.js';
import type { SerendipityScorer } from '../cache/scorer.js';
import type { ScoreStore } from '../cache/store.js';
import { commandSender, timedSender, type RedisCommandClient } from './client.js';
import { parseGroupInfo } from './stream-replies.js';
import { StreamWorker, type StreamWorkerCounters } from './stream-worker.js';

/** Default idle time after which another consumer reclaims a pending entry: 60 s. */
export const DEFAULT_CLAIM_IDLE_MS = 60_000;
/** Default deliveries after which an entry goes to the dead-letter stream. */
export const DEFAULT_MAX_DELIVERIES = 5;

/** Options of {@link runScoreWorker}. Judging options default as in `createScoreCache`. */
export interface ScoreWorkerOptions {
  /** A connected node-redis or ioredis client; may be shared (the worker never sends blocking commands). */
  readonly client: RedisCommandClient;
  /** The demand stream (as given to `createRedisDemandQueue`). */
  readonly stream: string;
  /** Consumer group; created (with the stream) if missing. */
  readonly group: string;
  /** This worker's consumer name, unique in the group (e.g. host name + pid). */
  readonly consumer: string;
  /** The judge, e.g. `openAICompatibleScorer` from `serendipity-rerank/llm`. */
  readonly scorer: SerendipityScorer;
  /** The L2 store the servers read, e.g. `createRedisScoreStore({ client })`. */
  readonly store: ScoreStore;
  /**
   * Idle time after which a pending entry (a crashed worker's) is reclaimed. A live worker resets the
   * idle time of the entries it is working on every `claimIdleMs / 3` (`XCLAIM ... JUSTID`), so slow
   * judgements are not reclaimed; keep it well above the worker's event-loop stalls.
   * @defaultValue {@link DEFAULT_CLAIM_IDLE_MS}
   */
  readonly claimIdleMs?: number;
  /** Failed deliveries after which an entry is dead-lettered. @defaultValue {@link DEFAULT_MAX_DELIVERIES} */
  readonly maxDeliveries?: number;
  /** Dead-letter stream. @defaultValue `${stream}:dead` */
  readonly deadLetterStream?: string;
  /** Entries per `XREADGROUP` / `XAUTOCLAIM`. @defaultValue `batchSize` */
  readonly readCount?: number;
  /** Wait before reading again after an empty read. @defaultValue 50 */
  readonly pollMs?: number;
  /** Reads being processed at once. @defaultValue `concurrency` */
  readonly maxReadsInFlight?: number;
  /** How often `stats()` lag is refreshed (`XINFO GROUPS`). @defaultValue 1000 */
  readonly statsIntervalMs?: number;
  /** Time limit of each stream command (a dropped connection must not stall the loop). @defaultValue 5000 */
  readonly commandTimeoutMs?: number;
  /** Called with each Redis error of the loop (the loop backs off and goes on). */
  readonly onError?: (error: unknown) => void;
  /** Pairs per scorer call. @defaultValue 32 */
  readonly batchSize?: number;
  /** Scorer calls in flight. @defaultValue 4 */
  readonly concurrency?: number;
  /** Per-call scorer timeout. @defaultValue 10 000 */
  readonly timeoutMs?: number;
  /** Retries per failed pair inside one delivery. @defaultValue 2 */
  readonly retries?: number;
  /** First retry delay. @defaultValue 200 */
  readonly retryBaseMs?: number;
  /** Consecutive failed calls that open the breaker. @defaultValue 5 */
  readonly breakerThreshold?: number;
  /** Open-breaker cool-down. @defaultValue 30 000 */
  readonly breakerCooldownMs?: number;
  /** Freshness of a judgement; fresher ones in L2 are not judged again. @defaultValue 10 minutes */
  readonly ttlMs?: number;
  /** Stale window after `ttlMs` (part of the L2 TTL). @defaultValue 1 hour */
  readonly staleMs?: number;
  /** Timeout of one L2 read or write. @defaultValue 250 */
  readonly storeTimeoutMs?: number;
}

/** Counters and load of a worker. */
export interface ScoreWorkerStats extends Readonly<StreamWorkerCounters> {
  /** Entries of the group not yet acknowledged: undelivered plus pending (`XINFO GROUPS`, refreshed every `statsIntervalMs`). */
  readonly lag: number;
  /** Delivered but not acknowledged, over every consumer of the group. */
  readonly pending: number;
  /** Acknowledged entries per second over the last stats interval. */
  readonly pairsPerSecond: number;
  /** Entries this worker is processing. */
  readonly inFlight: number;
  /** Redis errors of the loop (reads, claims, acks, stats). */
  readonly errors: number;
  /** Scorer calls made. */
  readonly scorerCalls: number;
  /** The scorer breaker's state. */
  readonly breaker: BreakerState;
}

/** A running worker. */
export interface ScoreWorker {
  /** Stops reading, finishes and acknowledges in-flight work, then resolves. Idempotent. */
  stop(): Promise<void>;
  /** A snapshot of the counters. */
  stats(): ScoreWorkerStats;
}

const WORKER_KEYS = [
  'client', 'stream', 'group', 'consumer', 'scorer', 'store', 'claimIdleMs', 'maxDeliveries', 'deadLetterStream', 'readCount', 'pollMs',
  'maxReadsInFlight', 'statsIntervalMs', 'commandTimeoutMs', 'onError', 'batchSize', 'concurrency', 'timeoutMs', 'retries', 'retryBaseMs', 'breakerThreshold',
  'breakerCooldownMs', 'ttlMs', 'staleMs', 'storeTimeoutMs',
] as const;

function requiredName(owner: string, name: string, value: unknown): string {
  if (typeof value !== 'string' || value === '') {
    throw new RerankError('INVALID_OPTION', `${owner}: option "${name}" must be a non-empty string.`, { field: `options.${name}` });
  }
  return value;
}

/**
 * A nearline worker of the fleet (SERAL, arXiv 2502.13539): consumes the demand stream that servers
 * fill through `createRedisDemandQueue`, in a Redis Streams consumer group.
 *
 * - Reads with `XREADGROUP`; skips pairs already fresh in L2; judges the rest through the score
 *   cache's machinery (batches, concurrency limit, timeout, retries, circuit breaker); writes L2, then `XACK`s.
 * - Reclaims entries idle for `claimIdleMs` with `XAUTOCLAIM` (a crashed worker's); delivery is at
 *   least once and L2 writes are idempotent.
 * - Entries that failed `maxDeliveries` deliveries, or cannot be decoded, go to `deadLetterStream`
 *   (atomically with their `XACK`).
 * - `stop()` finishes in-flight work, acknowledges it and resolves. Redis errors never stop the loop:
 *   it backs off, recreates a lost group, and goes on.
 *
 * @throws {@link RerankError} `UNKNOWN_OPTION` / `INVALID_OPTION` for bad options.
 */
export function runScoreWorker(options: ScoreWorkerOptions): ScoreWorker {
  const owner = 'runScoreWorker';
  assertKnownOptions(owner, options, WORKER_KEYS);
  const rawSend = commandSender(options?.client, owner);
  const stream = requiredName(owner, 'stream', options.stream);
  const group = requiredName(owner, 'group', options.group);
  const consumer = requiredName(owner, 'consumer', options.consumer);
  if (typeof options.scorer !== 'function') {
    throw new RerankError('INVALID_OPTION', `${owner}: option "scorer" must be a SerendipityScorer function.`, { field: 'options.scorer' });
  }
  const engineOptions = resolveScoreCacheOptions({
    scorer: options.scorer,
    store: options.store,
    lingerMs: 2,
    maxQueue: 1_000_000,
    ...pick(options, ['batchSize', 'concurrency', 'timeoutMs', 'retries', 'retryBaseMs', 'breakerThreshold', 'breakerCooldownMs', 'ttlMs', 'staleMs', 'storeTimeoutMs']),
  });
  if (engineOptions.store === undefined) {
    throw new RerankError('INVALID_OPTION', `${owner}: option "store" (the L2 the servers read) is required.`, { field: 'options.store' });
  }
  const positive = { min: 1, integer: true } as const;
  const claimIdleMs = numberOption(owner, 'claimIdleMs', options.claimIdleMs, DEFAULT_CLAIM_IDLE_MS, positive);
  const maxDeliveries = numberOption(owner, 'maxDeliveries', options.maxDeliveries, DEFAULT_MAX_DELIVERIES, positive);
  const readCount = numberOption(owner, 'readCount', options.readCount, engineOptions.batchSize, positive);
  const pollMs = numberOption(owner, 'pollMs', options.pollMs, 50, positive);
  const maxReads = numberOption(owner, 'maxReadsInFlight', options.maxReadsInFlight, engineOptions.concurrency, positive);
  const statsIntervalMs = numberOption(owner, 'statsIntervalMs', options.statsIntervalMs, 1000, positive);
  const send = timedSender(rawSend, numberOption(owner, 'commandTimeoutMs', options.commandTimeoutMs, 5000, positive));
  const deadLetterStream = options.deadLetterStream === undefined ? `${stream}:dead` : requiredName(owner, 'deadLetterStream', options.deadLetterStream);
  const onError = options.onError;

  const engine = new NearlineScoreCache(engineOptions);
  const counters: StreamWorkerCounters = { delivered: 0, acked: 0, loaded: 0, scored: 0, failed: 0, reclaimed: 0, deadLettered: 0, malformed: 0 };
  const store = engineOptions.store;
  const freshInStore = async (pairs: readonly { profileKey: string; itemId: string }[]): Promise<boolean[]> => {
    if (pairs.length === 0) return [];
    const records = await store.getMany(pairs.map(({ profileKey, itemId }) => ({ profileKey, itemId })), new AbortController().signal);
    const now = Date.now();
    return pairs.map((_, i) => {
      const record = records[i];
      return record != null && record.score >= 0 && record.score <= 1 && now - record.scoredAt < engineOptions.ttlMs;
    });
  };
  const worker = new StreamWorker(
    send,
    engine,
    { stream, group, consumer, deadLetterStream, claimIdleMs, maxDeliveries, readCount, freshInStore, saveRetryDelaysMs: [100, 300, 900] },
    counters,
  );
  const load = { lag: 0, pending: 0, pairsPerSecond: 0, errors: 0 };
  const inFlight = new Set<Promise<void>>();
  let running = true;
  let wake: (() => void) | undefined;
  const sleep = (ms: number): Promise<void> =>
    new Promise((resolve) => {
      const timer = setTimeout(() => {
        wake = undefined;
        resolve();
      }, ms);
      wake = () => {
        clearTimeout(timer);
        wake = undefined;
        resolve();
      };
    });
  const track = (done: Promise<void>): void => {
    const settled: Promise<void> = done.catch((error: unknown) => fail(error)).finally(() => inFlight.delete(settled));
    inFlight.add(settled);
  };
  const fail = (error: unknown): void => {
    load.errors++;
    try {
      onError?.(error);
    } catch {
      // a throwing host callback must not stop the loop
    }
  };

  let ackedAtLastStats = 0;
  let lastStatsAt = Date.now();
  const refreshStats = async (): Promise<void> => {
    const info = parseGroupInfo(await send(['XINFO', 'GROUPS', stream]), group);
    const now = Date.now();
    load.pairsPerSecond = ((counters.acked - ackedAtLastStats) * 1000) / Math.max(1, now - lastStatsAt);
    ackedAtLastStats = counters.acked;
    lastStatsAt = now;
    if (info !== undefined) {
      load.pending = info.pending;
      load.lag = info.pending + (info.lag ?? 0);
    }
  };

  const loop = (async () => {
    let backoff = pollMs;
    let nextClaim = 0;
    let nextStats = 0;
    let nextHeartbeat = 0;
    let needGroup = true;
    while (running) {
      try {
        if (needGroup) {
          await worker.ensureGroup();
          needGroup = false;
        }
        if (inFlight.size >= maxReads) {
          await Promise.race(inFlight);
          continue;
        }
        const now = Date.now();
        if (now >= nextHeartbeat) {
          nextHeartbeat = now + claimIdleMs / 3;
          await worker.heartbeat();
        }
        if (now >= nextStats) {
          nextStats = now + statsIntervalMs;
          await refreshStats();
        }
        let count = 0;
        if (now >= nextClaim) {
          const claimed = await worker.reclaim();
          track(claimed.done);
          count += claimed.count;
          if (claimed.count === 0) nextClaim = now + Math.max(pollMs, claimIdleMs / 4);
        }
        if (running && inFlight.size < maxReads) {
          const read = await worker.readNew();
          track(read.done);
          count += read.count;
        }
        backoff = pollMs;
        if (count === 0 && running) await sleep(pollMs);
      } catch (error) {
        fail(error);
        if (String((error as Error)?.message ?? error).includes('NOGROUP')) needGroup = true;
        if (running) await sleep(backoff);
        backoff = Math.min(backoff * 2, 2000);
      }
    }
    while (inFlight.size > 0) await Promise.allSettled([...inFlight]);
    await engine.close();
  })();

  let stopping: Promise<void> | undefined;
  return {
    stop(): Promise<void> {
      if (stopping === undefined) {
        running = false;
        wake?.();
        stopping = loop;
      }
      return stopping;
    },
    stats(): ScoreWorkerStats {
      const engineStats = engine.stats();
      return { ...counters, ...load, inFlight: worker.busy, scorerCalls: engineStats.scorerCalls, breaker: engineStats.breaker };
    },
  };
}

function pick<T extends object, K extends keyof T>(source: T, keys: readonly K[]): Partial<Pick<T, K>> {
  const out: Partial<Pick<T, K>> = {};
  for (const key of keys) if (source[key] !== undefined) out[key] = source[key];
  return out;
}
