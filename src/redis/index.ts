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

// The error class this entry throws, re-exported so CommonJS users catch the same class it throws.
export { RerankError, isRerankError } from '../errors/rerank-error.js';
