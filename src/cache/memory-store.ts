import { LRUCache } from 'lru-cache';
import { assertKnownOptions, numberOption } from '../_internals/options.js';
import { systemClock, type Clock } from './clock.js';
import { pairKey, type ScoreKey, type ScoreRecord, type ScoreStore, type StoredScore } from './store.js';

/** Default bound of {@link createMemoryScoreStore}: 100,000 judgements (lru-cache preallocates its slots). */
export const DEFAULT_MEMORY_STORE_MAX_ENTRIES = 100_000;

/** Options of {@link createMemoryScoreStore}. */
export interface MemoryScoreStoreOptions {
  /**
   * Most records kept; the least recently used go first.
   * @defaultValue {@link DEFAULT_MEMORY_STORE_MAX_ENTRIES}
   */
  readonly maxEntries?: number;
  /**
   * Clock for expiry, in the same units as the cache's clock.
   * @defaultValue `Date.now`
   */
  readonly clock?: Clock;
}

interface MemoryRecord extends StoredScore {
  readonly expiresAt: number;
}

/**
 * An in-process {@link ScoreStore}: a bounded LRU map with per-record expiry. Useful as the L2 of a
 * single process (a worker and a server sharing one cache), in tests, and in the nearline example.
 * For several processes use the Redis store in `serendipity-rerank/redis`. `invalidate(profileKey)`
 * deletes the profile's records (a scan of the store).
 *
 * @throws {@link RerankError} `UNKNOWN_OPTION` / `INVALID_OPTION` for bad options.
 */
export function createMemoryScoreStore(options?: MemoryScoreStoreOptions): ScoreStore {
  assertKnownOptions('createMemoryScoreStore', options, ['maxEntries', 'clock']);
  const max = numberOption('createMemoryScoreStore', 'maxEntries', options?.maxEntries, DEFAULT_MEMORY_STORE_MAX_ENTRIES, {
    min: 1,
    integer: true,
  });
  const clock = options?.clock ?? systemClock;
  const records = new LRUCache<string, MemoryRecord>({ max });
  return {
    getMany(keys: readonly ScoreKey[]): Promise<readonly (StoredScore | null)[]> {
      const now = clock();
      return Promise.resolve(
        keys.map(({ profileKey, itemId }) => {
          const key = pairKey(profileKey, itemId);
          const record = records.get(key);
          if (record === undefined) return null;
          if (now >= record.expiresAt) {
            records.delete(key);
            return null;
          }
          return { score: record.score, scoredAt: record.scoredAt };
        }),
      );
    },
    setMany(batch: readonly ScoreRecord[], ttlMs: number): Promise<void> {
      const expiresAt = clock() + ttlMs;
      for (const { profileKey, itemId, score, scoredAt } of batch) {
        records.set(pairKey(profileKey, itemId), { score, scoredAt, expiresAt });
      }
      return Promise.resolve();
    },
    invalidate(profileKey: string): Promise<void> {
      const start = pairKey(profileKey, '');
      for (const key of [...records.keys()]) if (key.startsWith(start)) records.delete(key);
      return Promise.resolve();
    },
  };
}
