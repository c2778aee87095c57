/** Identifies one cached judgement: a (profile, item) pair. */
export interface ScoreKey {
  /** The profile key (see {@link ScoreSubject}). */
  readonly profileKey: string;
  /** The item id. */
  readonly itemId: string;
}

/** A judgement as kept in a {@link ScoreStore}. */
export interface StoredScore {
  /** Serendipity score in [0, 1]. */
  readonly score: number;
  /** When the scorer produced it, in the cache clock's milliseconds (epoch ms by default). */
  readonly scoredAt: number;
}

/** One record written to a {@link ScoreStore}. */
export interface ScoreRecord extends ScoreKey, StoredScore {}

/**
 * The second cache tier (L2): a shared, asynchronous key-value store of judgements, such as Redis
 * (`createRedisScoreStore` in `serendipity-rerank/redis`) or {@link createMemoryScoreStore}.
 * A nearline worker fills it; online servers read it on an L1 miss before calling the scorer
 * (the nearline design of SERAL, arXiv 2502.13539).
 *
 * The cache treats every store as unreliable: a rejection, a hang past `storeTimeoutMs`, a result
 * of the wrong length or an invalid record counts as a store error and is never written to L1.
 */
export interface ScoreStore {
  /**
   * Reads `keys`; resolves to one entry per key, aligned with `keys`, `null` when absent or expired.
   * Should stop work when `signal` aborts.
   */
  getMany(keys: readonly ScoreKey[], signal: AbortSignal): Promise<readonly (StoredScore | null)[]>;
  /** Writes `records`, each expiring `ttlMs` milliseconds after the write. */
  setMany(records: readonly ScoreRecord[], ttlMs: number): Promise<void>;
  /**
   * Optional: makes every stored judgement of `profileKey` unreachable at once (called by
   * `ScoreCache.invalidate`). The Redis store bumps a per-profile generation that is part of every key.
   */
  invalidate?(profileKey: string): Promise<void>;
}

/** True when `value` is a well-formed {@link StoredScore} (score a finite number in [0, 1], finite time). */
export function isValidStoredScore(value: unknown): value is StoredScore {
  if (value === null || typeof value !== 'object') return false;
  const { score, scoredAt } = value as Partial<StoredScore>;
  return typeof score === 'number' && score >= 0 && score <= 1 && typeof scoredAt === 'number' && Number.isFinite(scoredAt);
}

/**
 * Joins a profile key and an item id into one map key. Two pairs can only collide when a host-chosen
 * profile key or item id itself contains the separator `\u0000`.
 */
export function pairKey(profileKey: string, itemId: string): string {
  return `${profileKey}\u0000${itemId}`;
}
