import { RerankError } from '../errors/rerank-error.js';
import { assertKnownOptions, numberOption } from '../_internals/options.js';
import type { ScoreKey, ScoreRecord, ScoreStore, StoredScore } from '../cache/store.js';
import { commandSender, replyText, type RedisCommandClient } from './client.js';

export type { RedisCommandClient } from './client.js';

/** Default key prefix of {@link createRedisScoreStore}. */
export const DEFAULT_REDIS_PREFIX = 'serendipity:score:';
/** Default lifetime of a profile's generation counter after its last `invalidate`: 7 days. */
export const DEFAULT_GENERATION_TTL_MS = 7 * 24 * 3_600_000;

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
  /**
   * How long a profile's generation counter lives after its last `invalidate()`. Must exceed the
   * cache's `ttlMs + staleMs`, so that entries of an old generation have expired when it resets.
   * @defaultValue {@link DEFAULT_GENERATION_TTL_MS}
   */
  readonly generationTtlMs?: number;
}

/**
 * The Redis key of a pair in `generation`: `prefix + len(profileKey) + ':' + profileKey + ':' + itemId`
 * for generation 0 (a profile never invalidated), with `g<generation>:` after the prefix otherwise.
 * The length prefix makes the split unambiguous whatever characters the two parts contain.
 */
export function redisScoreKey(prefix: string, { profileKey, itemId }: ScoreKey, generation = 0): string {
  return `${prefix}${generation === 0 ? '' : `g${generation}:`}${profileKey.length}:${profileKey}:${itemId}`;
}

/** The key of a profile's generation counter (never equal to a score key: those start with a digit or `g<digit>`). */
export function redisGenerationKey(prefix: string, profileKey: string): string {
  return `${prefix}gen:${profileKey.length}:${profileKey}`;
}

/** A score as a plain decimal (no exponent): the only form {@link decodeStoredScore} accepts. */
function plainDecimal(x: number): string {
  const text = String(x);
  const match = /^(\d)(?:\.(\d+))?e-(\d+)$/.exec(text);
  if (match === null) return text;
  return `0.${'0'.repeat(Number(match[3]) - 1)}${match[1]}${match[2] ?? ''}`;
}

/** Encodes a judgement as `score|scoredAt`: the score as a plain decimal, the time as JavaScript prints it. */
export function encodeStoredScore({ score, scoredAt }: StoredScore): string {
  return `${plainDecimal(score)}|${scoredAt}`;
}

const SCORE_TEXT = /^(?:0|1|0\.\d+)$/;
const TIME_TEXT = /^(?:0|[1-9]\d*)(?:\.\d+)?$/;

/**
 * Decodes {@link encodeStoredScore} strictly: the score must be the canonical decimal of a number in
 * [0, 1] (so `0x1`, ` 1 `, `1e0`, `1.0` and `0.50` are rejected) and the time a canonical,
 * non-negative, safe-integer-range number. Null for anything else, so a bad value is never a score.
 */
export function decodeStoredScore(value: unknown): StoredScore | null {
  const text = replyText(value);
  if (text === undefined) return null;
  const bar = text.indexOf('|');
  if (bar <= 0) return null;
  const scoreText = text.slice(0, bar);
  const timeText = text.slice(bar + 1);
  if (!SCORE_TEXT.test(scoreText) || !TIME_TEXT.test(timeText)) return null;
  const score = Number(scoreText);
  const scoredAt = Number(timeText);
  if (!(score >= 0 && score <= 1) || plainDecimal(score) !== scoreText) return null;
  if (!(scoredAt <= Number.MAX_SAFE_INTEGER) || String(scoredAt) !== timeText) return null;
  return { score, scoredAt };
}

/** What {@link createRedisScoreStore} returns for a value it cannot decode: the cache counts it as a store error. */
const MALFORMED: StoredScore = Object.freeze({ score: Number.NaN, scoredAt: Number.NaN });

// One Lua helper for both scripts: the key of a pair under its profile's current generation (no
// generation part while the profile was never invalidated), reading each profile's generation once.
const KEY_FOR = `local gens = {}
local function keyFor(prefix, generationKey, suffix)
  local g = gens[generationKey]
  if g == nil then
    g = redis.call('GET', generationKey)
    gens[generationKey] = g
  end
  return prefix .. ((g and g ~= '0') and ('g' .. g .. ':') or '') .. suffix
end
`;

// ARGV: prefix, then (generation key, key suffix) per pair.
const GET_SCRIPT = `${KEY_FOR}local out = {}
for i = 2, #ARGV, 2 do
  out[#out + 1] = redis.call('GET', keyFor(ARGV[1], ARGV[i], ARGV[i + 1]))
end
return out`;

// ARGV: prefix, px, then (generation key, key suffix, value) per record.
const SET_SCRIPT = `${KEY_FOR}for i = 3, #ARGV, 3 do
  redis.call('SET', keyFor(ARGV[1], ARGV[i], ARGV[i + 1]), ARGV[i + 2], 'PX', ARGV[2])
end
return #ARGV`;

const INVALIDATE_SCRIPT = `local g = redis.call('INCR', KEYS[1])
redis.call('PEXPIRE', KEYS[1], ARGV[1])
return g`;

/**
 * A {@link ScoreStore} in Redis, the shared L2 between nearline workers and online servers
 * (SERAL, arXiv 2502.13539). One string key per pair, read and written by small Lua scripts (one
 * round trip per batch) that put the profile's generation in the key: `invalidate(profileKey)`
 * increments the generation, so every older entry of the profile becomes unreachable at once and
 * then expires by its TTL. Works with node-redis and ioredis through {@link RedisCommandClient}.
 * The scripts build keys from their arguments, so in Redis Cluster put a hash tag such as
 * `{scores}` in `prefix` to keep every key on one node.
 *
 * Values are decoded strictly ({@link decodeStoredScore}); a value that fails is returned as a
 * malformed record, which the score cache counts as a store error and treats as missing.
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
  const owner = 'createRedisScoreStore';
  assertKnownOptions(owner, options, ['client', 'prefix', 'generationTtlMs']);
  const send = commandSender(options?.client, owner);
  const prefix = options.prefix ?? DEFAULT_REDIS_PREFIX;
  if (typeof prefix !== 'string') {
    throw new RerankError('INVALID_OPTION', `${owner}: option "prefix" must be a string.`, { field: 'options.prefix', value: prefix });
  }
  const generationTtlMs = numberOption(owner, 'generationTtlMs', options.generationTtlMs, DEFAULT_GENERATION_TTL_MS, { min: 1, integer: true });
  const suffix = ({ profileKey, itemId }: ScoreKey): string => `${profileKey.length}:${profileKey}:${itemId}`;
  return {
    async getMany(keys: readonly ScoreKey[]): Promise<readonly (StoredScore | null)[]> {
      if (keys.length === 0) return [];
      const args = ['EVAL', GET_SCRIPT, '0', prefix];
      for (const key of keys) args.push(redisGenerationKey(prefix, key.profileKey), suffix(key));
      const reply = await send(args);
      if (!Array.isArray(reply) || reply.length !== keys.length) {
        throw new RerankError('INVALID_ARGUMENT', `Redis returned ${Array.isArray(reply) ? reply.length : typeof reply} values for ${keys.length} keys.`);
      }
      return reply.map((value: unknown) => (value == null ? null : (decodeStoredScore(value) ?? MALFORMED)));
    },
    async setMany(records: readonly ScoreRecord[], ttlMs: number): Promise<void> {
      if (records.length === 0) return;
      const args = ['EVAL', SET_SCRIPT, '0', prefix, String(Math.max(1, Math.ceil(ttlMs)))];
      for (const record of records) args.push(redisGenerationKey(prefix, record.profileKey), suffix(record), encodeStoredScore(record));
      await send(args);
    },
    async invalidate(profileKey: string): Promise<void> {
      await send(['EVAL', INVALIDATE_SCRIPT, '1', redisGenerationKey(prefix, profileKey), String(generationTtlMs)]);
    },
  };
}
