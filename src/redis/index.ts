// Public API of serendipity-rerank/redis: the Redis L2 store of the nearline score cache.
// Kept in its own subpath so the core never depends on a Redis client.
export {
  createRedisScoreStore,
  redisScoreKey,
  encodeStoredScore,
  decodeStoredScore,
  DEFAULT_REDIS_PREFIX,
} from './redis-score-store.js';
export type { RedisCommandClient, RedisScoreStoreOptions } from './redis-score-store.js';
