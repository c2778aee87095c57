import { RerankError } from '../errors/rerank-error.js';
import { assertKnownOptions } from '../_internals/options.js';
import type { ScoreKey, ScoreRecord, ScoreStore, StoredScore } from '../cache/store.js';

/**
 * The two client shapes the Redis store accepts, duck-typed so the library never imports a Redis
 * client: node-redis (v4+) exposes `sendCommand(args)`, ioredis exposes `call(command, ...args)`.
 */
export type RedisCommandClient =
  | { sendCommand(args: string[]): Promise<unknown> }
  | { call(command: string, ...args: string[]): Promise<unknown> };

/** Default key prefix of {@link createRedisScoreStore}. */
export const DEFAULT_REDIS_PREFIX = 'serendipity:score:';

/** Options of {@link createRedisScoreStore}. */
export interface RedisScoreStoreOptions {
  /**
   * A connected node-redis or ioredis client. Give it an `'error'` listener, and prefer
   * `disableOfflineQueue: true` (node-redis) / `enableOfflineQueue: false` (ioredis) so commands
   * fail fast while Redis is down instead of piling up in memory.
   */
  readonly client: RedisCommandClient;
  /**
   * Prefix of every key.
   * @defaultValue {@link DEFAULT_REDIS_PREFIX}
   */
  readonly prefix?: string;
}

/**
 * The Redis key of a pair: `prefix + len(profileKey) + ':' + profileKey + ':' + itemId`. The length
 * prefix makes the split unambiguous whatever characters the two parts contain.
 */
export function redisScoreKey(prefix: string, { profileKey, itemId }: ScoreKey): string {
  return `${prefix}${profileKey.length}:${profileKey}:${itemId}`;
}

/** Encodes a judgement as `score|scoredAt` (shortest round-trip decimal forms). */
export function encodeStoredScore({ score, scoredAt }: StoredScore): string {
  return `${score}|${scoredAt}`;
}

/** Decodes {@link encodeStoredScore}; null for anything malformed, so a bad value is a miss, never a score. */
export function decodeStoredScore(value: unknown): StoredScore | null {
  const text = typeof value === 'string' ? value : value instanceof Uint8Array ? new TextDecoder().decode(value) : undefined;
  if (text === undefined) return null;
  const bar = text.indexOf('|');
  if (bar <= 0) return null;
  const score = Number(text.slice(0, bar));
  const scoredAt = Number(text.slice(bar + 1));
  if (!(score >= 0 && score <= 1) || !Number.isFinite(scoredAt)) return null;
  return { score, scoredAt };
}

/**
 * A {@link ScoreStore} in Redis, the shared L2 between nearline workers and online servers
 * (SERAL, arXiv 2502.13539). One string key per pair, read with `MGET` and written with
 * `SET key value PX ttl` (commands issued together, so clients pipeline them). Works with
 * node-redis and ioredis through {@link RedisCommandClient}. Multi-key `MGET` needs every key on one
 * node: in Redis Cluster, put a hash tag such as `{scores}` in `prefix`.
 *
 * Errors (Redis down, timeouts) surface as rejections; the score cache counts them and carries on.
 *
 * @throws {@link RerankError} `INVALID_OPTION` when `client` has neither `sendCommand` nor `call`.
 *
 * @example
 * ```ts
 * import { createClient } from 'redis';
 * import { createRedisScoreStore } from 'serendipity-rerank/redis';
 * const client = createClient({ url: process.env.REDIS_URL, disableOfflineQueue: true });
 * client.on('error', (error) => log.warn(error));
 * await client.connect();
 * const cache = createScoreCache({ scorer, store: createRedisScoreStore({ client }) });
 * ```
 */
export function createRedisScoreStore(options: RedisScoreStoreOptions): ScoreStore {
  assertKnownOptions('createRedisScoreStore', options, ['client', 'prefix']);
  const client = options?.client as Partial<{ sendCommand: (args: string[]) => Promise<unknown>; call: (command: string, ...args: string[]) => Promise<unknown> }>;
  let send: (args: string[]) => Promise<unknown>;
  if (client !== null && typeof client === 'object' && typeof client.sendCommand === 'function') {
    const sendCommand = client.sendCommand.bind(client);
    send = (args) => sendCommand(args);
  } else if (client !== null && typeof client === 'object' && typeof client.call === 'function') {
    const call = client.call.bind(client);
    send = ([command, ...args]) => call(command as string, ...args);
  } else {
    throw new RerankError('INVALID_OPTION', 'createRedisScoreStore: option "client" must be a node-redis client (sendCommand) or an ioredis client (call).', {
      field: 'options.client',
    });
  }
  const prefix = options.prefix ?? DEFAULT_REDIS_PREFIX;
  if (typeof prefix !== 'string') {
    throw new RerankError('INVALID_OPTION', 'createRedisScoreStore: option "prefix" must be a string.', { field: 'options.prefix', value: prefix });
  }
  return {
    async getMany(keys: readonly ScoreKey[]): Promise<readonly (StoredScore | null)[]> {
      if (keys.length === 0) return [];
      const reply = await send(['MGET', ...keys.map((key) => redisScoreKey(prefix, key))]);
      if (!Array.isArray(reply) || reply.length !== keys.length) {
        throw new RerankError('INVALID_ARGUMENT', `Redis MGET returned ${Array.isArray(reply) ? reply.length : typeof reply} for ${keys.length} keys.`);
      }
      return reply.map(decodeStoredScore);
    },
    async setMany(records: readonly ScoreRecord[], ttlMs: number): Promise<void> {
      const px = String(Math.max(1, Math.ceil(ttlMs)));
      await Promise.all(records.map((record) => send(['SET', redisScoreKey(prefix, record), encodeStoredScore(record), 'PX', px])));
    },
  };
}
