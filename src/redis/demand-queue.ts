import { LRUCache } from 'lru-cache';
import { RerankError } from '../errors/rerank-error.js';
import { assertKnownOptions, numberOption } from '../_internals/options.js';
import type { DemandSink } from '../cache/demand.js';
import type { ScoreRequestItem } from '../cache/scorer.js';
import { pairKey } from '../cache/store.js';
import { commandSender, timedSender, type RedisCommandClient } from './client.js';

/** Default approximate cap on the demand stream's length (`XADD ... MAXLEN ~`). */
export const DEFAULT_DEMAND_MAX_LEN = 100_000;
/** Default de-duplication window per (profile key, item): 30 s. */
export const DEFAULT_DEMAND_DEDUPE_MS = 30_000;
/** Default cap on a profile's JSON in a demand entry: 16 KiB (UTF-16 code units). */
export const DEFAULT_MAX_PROFILE_CHARS = 16_384;
/** Default most pairs buffered while a send is in flight; beyond it new demand is dropped. */
export const DEFAULT_DEMAND_BUFFER = 10_000;

/** Options of {@link createRedisDemandQueue}. */
export interface RedisDemandQueueOptions {
  /** A connected node-redis or ioredis client (see `createRedisScoreStore`). */
  readonly client: RedisCommandClient;
  /** The demand stream's key; workers read it with `runScoreWorker({ stream })`. */
  readonly stream: string;
  /** Approximate stream length cap. @defaultValue {@link DEFAULT_DEMAND_MAX_LEN} */
  readonly maxLen?: number;
  /**
   * A pair published is not published again for this long, by this process (in memory) nor by any
   * other (a `SET NX PX` marker next to the stream). @defaultValue {@link DEFAULT_DEMAND_DEDUPE_MS}
   */
  readonly dedupeMs?: number;
  /** Largest profile JSON carried in an entry; larger ones are dropped and counted. @defaultValue {@link DEFAULT_MAX_PROFILE_CHARS} */
  readonly maxProfileChars?: number;
  /** Most pairs waiting to be sent. @defaultValue {@link DEFAULT_DEMAND_BUFFER} */
  readonly maxBuffer?: number;
  /** Most pairs per send (one Lua script call). @defaultValue 256 */
  readonly batchSize?: number;
  /** Time limit of one send; a send past it counts as failed (its pairs are dropped). @defaultValue 2000 */
  readonly commandTimeoutMs?: number;
}

/** Counters of a {@link RedisDemandQueue}. */
export interface DemandQueueStats {
  /** Pairs appended to the stream. */
  readonly published: number;
  /** Pairs skipped as already published inside the window (here or by another process). */
  readonly deduped: number;
  /** Pairs dropped: Redis down or slow (send failed), buffer full, or the queue closed. */
  readonly dropped: number;
  /** Pairs dropped because the profile's JSON exceeded `maxProfileChars` or could not be serialised. */
  readonly tooLarge: number;
  /** Failed sends (each drops its pairs). */
  readonly sendErrors: number;
  /** Pairs waiting to be sent. */
  readonly buffered: number;
}

/** A {@link DemandSink} on a Redis Stream. */
export interface RedisDemandQueue extends DemandSink {
  /** A snapshot of the counters. */
  stats(): DemandQueueStats;
  /** Resolves once everything buffered so far was sent (or dropped). */
  flush(): Promise<void>;
  /** Sends what is buffered, then drops any later demand. Idempotent. */
  close(): Promise<void>;
}

// ARGV: stream, maxLen, dedupeMs, then (dedupe key, profile key, item id, profile JSON or '') per pair.
// A pair is appended only when its dedupe marker was absent (SET NX), so concurrent servers publish it once.
const PUBLISH_SCRIPT = `local added = 0
for i = 4, #ARGV, 4 do
  if redis.call('SET', ARGV[i], '1', 'NX', 'PX', ARGV[3]) then
    if ARGV[i + 3] == '' then
      redis.call('XADD', ARGV[1], 'MAXLEN', '~', ARGV[2], '*', 'p', ARGV[i + 1], 'i', ARGV[i + 2])
    else
      redis.call('XADD', ARGV[1], 'MAXLEN', '~', ARGV[2], '*', 'p', ARGV[i + 1], 'i', ARGV[i + 2], 'f', ARGV[i + 3])
    end
    added = added + 1
  end
end
return added`;

interface Pending {
  readonly key: string;
  readonly profileKey: string;
  readonly itemId: string;
  readonly profileJson: string;
}

/**
 * The demand half of a nearline fleet on Redis Streams (SERAL, arXiv 2502.13539: judge nearline the
 * traffic that actually arrives). Give it to a server's cache, `createScoreCache({ store, demand })`:
 * every pair L2 could not fill becomes one stream entry `{ p: profileKey, i: itemId, f: profileJSON }`
 * for `runScoreWorker`.
 *
 * - Off the request path: `publish()` only buffers; sends run in the background, one Lua script call
 *   per batch (`SET NX PX` marker, then `XADD ... MAXLEN ~ maxLen`).
 * - De-duplicated per (profile key, item) for `dedupeMs`, in this process and across processes.
 * - Never throws into the caller: when Redis is down a send fails, its pairs are dropped and counted,
 *   and forgotten by the local de-dup so the next miss publishes them again.
 * - The profile travels in the entry as JSON, capped at `maxProfileChars` (larger or non-JSON profiles
 *   are dropped and counted). Workers pass the parsed JSON to the scorer, so profiles must be plain data.
 *
 * @throws {@link RerankError} `UNKNOWN_OPTION` / `INVALID_OPTION` for bad options.
 */
export function createRedisDemandQueue(options: RedisDemandQueueOptions): RedisDemandQueue {
  const owner = 'createRedisDemandQueue';
  assertKnownOptions(owner, options, ['client', 'stream', 'maxLen', 'dedupeMs', 'maxProfileChars', 'maxBuffer', 'batchSize', 'commandTimeoutMs']);
  const rawSend = commandSender(options?.client, owner);
  const stream = options.stream;
  if (typeof stream !== 'string' || stream === '') {
    throw new RerankError('INVALID_OPTION', `${owner}: option "stream" must be a non-empty string (the stream key).`, { field: 'options.stream' });
  }
  const positive = { min: 1, integer: true } as const;
  const maxLen = numberOption(owner, 'maxLen', options.maxLen, DEFAULT_DEMAND_MAX_LEN, positive);
  const dedupeMs = numberOption(owner, 'dedupeMs', options.dedupeMs, DEFAULT_DEMAND_DEDUPE_MS, positive);
  const maxProfileChars = numberOption(owner, 'maxProfileChars', options.maxProfileChars, DEFAULT_MAX_PROFILE_CHARS, positive);
  const maxBuffer = numberOption(owner, 'maxBuffer', options.maxBuffer, DEFAULT_DEMAND_BUFFER, positive);
  const batchSize = numberOption(owner, 'batchSize', options.batchSize, 256, positive);
  const send = timedSender(rawSend, numberOption(owner, 'commandTimeoutMs', options.commandTimeoutMs, 2000, positive));

  const seen = new LRUCache<string, true>({ max: Math.max(maxBuffer, 100_000), ttl: dedupeMs });
  const profileJson = new WeakMap<object, string | undefined>();
  let buffer: Pending[] = [];
  let sending: Promise<void> | undefined;
  let closed = false;
  const counts = { published: 0, deduped: 0, dropped: 0, tooLarge: 0, sendErrors: 0 };

  const serialise = (profile: unknown): string | undefined => {
    if (profile === undefined) return '';
    const cacheable = typeof profile === 'object' && profile !== null;
    if (cacheable && profileJson.has(profile)) return profileJson.get(profile);
    let json: string | undefined;
    try {
      json = JSON.stringify(profile);
    } catch {
      json = undefined;
    }
    if (json !== undefined && json.length > maxProfileChars) json = undefined;
    if (cacheable) profileJson.set(profile, json);
    return json;
  };

  async function drain(): Promise<void> {
    while (buffer.length > 0) {
      const batch = buffer.slice(0, batchSize);
      buffer = buffer.slice(batch.length);
      const args = ['EVAL', PUBLISH_SCRIPT, '0', stream, String(maxLen), String(dedupeMs)];
      for (const pair of batch) args.push(`${stream}:seen:${pair.profileKey.length}:${pair.profileKey}:${pair.itemId}`, pair.profileKey, pair.itemId, pair.profileJson);
      try {
        const added = Number(await send(args));
        const n = Number.isFinite(added) ? Math.min(batch.length, Math.max(0, added)) : 0;
        counts.published += n;
        counts.deduped += batch.length - n;
      } catch {
        counts.sendErrors++;
        counts.dropped += batch.length;
        for (const pair of batch) seen.delete(pair.key);
      }
    }
  }

  const kick = (): void => {
    if (sending !== undefined) return;
    // A macrotask away from the caller: publish() never waits on, or runs, a send.
    sending = new Promise<void>((resolve) => setTimeout(resolve, 0))
      .then(drain)
      .finally(() => {
        sending = undefined;
        if (buffer.length > 0) kick();
      });
  };

  return {
    publish(pairs: readonly ScoreRequestItem[]): void {
      try {
        for (const { profileKey, profile, itemId } of pairs) {
          if (closed || buffer.length >= maxBuffer) {
            counts.dropped++;
            continue;
          }
          const key = pairKey(profileKey, itemId);
          if (seen.has(key)) {
            counts.deduped++;
            continue;
          }
          const json = serialise(profile);
          if (json === undefined) {
            counts.tooLarge++;
            continue;
          }
          seen.set(key, true);
          buffer.push({ key, profileKey, itemId, profileJson: json });
        }
        if (buffer.length > 0) kick();
      } catch {
        // publish() must never throw into the cache; a hostile pair list is simply dropped.
        counts.dropped++;
      }
    },
    stats: () => ({ ...counts, buffered: buffer.length }),
    async flush(): Promise<void> {
      while (sending !== undefined) await sending;
    },
    async close(): Promise<void> {
      closed = true;
      while (sending !== undefined) await sending;
    },
  };
}
