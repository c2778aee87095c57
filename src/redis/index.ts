/**
 * Redis for the nearline score cache: a shared L2 `ScoreStore`, a demand queue and stream workers.
 *
 * @module serendipity-rerank/redis
 */
// Public API of serendipity-rerank/redis: the Redis L2 store of the nearline score cache, and the
// nearline fleet on Redis Streams (demand queue for servers, workers in a consumer group).
// Kept in its own subpath so the core never depends on a Redis client.
export {
  createRedisScoreStore,
  redisScoreKey,
  redisGenerationKey,
  encodeStoredScore,
  decodeStoredScore,
  DEFAULT_REDIS_PREFIX,
  DEFAULT_GENERATION_TTL_MS,
} from './redis-score-store.js';
export type { RedisCommandClient, RedisScoreStoreOptions } from './redis-score-store.js';
export {
  createRedisDemandQueue,
  DEFAULT_DEMAND_MAX_LEN,
  DEFAULT_DEMAND_DEDUPE_MS,
  DEFAULT_MAX_PROFILE_CHARS,
  DEFAULT_DEMAND_BUFFER,
} from './demand-queue.js';
export type { RedisDemandQueue, RedisDemandQueueOptions, DemandQueueStats } from './demand-queue.js';
export { runScoreWorker, DEFAULT_CLAIM_IDLE_MS, DEFAULT_MAX_DELIVERIES } from './score-worker.js';
export type { ScoreWorker, ScoreWorkerOptions, ScoreWorkerStats } from './score-worker.js';
export { createScoreCache } from '../cache/score-cache.js';
export type { DemandSink } from '../cache/demand.js';

// The error class this entry throws, re-exported so CommonJS users catch the same class it throws.
export { RerankError, isRerankError } from '../errors/rerank-error.js';
