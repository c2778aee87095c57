import type { ScoreCacheStats } from './cache-types.js';
import type { QueuedWork } from './work-queue.js';

/**
 * How one pair's refresh ended. `unsaved`: judged and in L1, but the L2 write failed (reported as
 * `scored` by `prefetch`; a stream worker does not acknowledge it).
 */
export type Outcome = 'loaded' | 'scored' | 'unsaved' | 'failed' | 'dropped';

/** One pending (profile, item) refresh, shared by every caller that asked for the pair meanwhile. */
export interface Job extends QueuedWork {
  readonly key: string;
  readonly profileKey: string;
  readonly profile: unknown;
  readonly itemId: string;
  attempts: number;
  /** Set by `invalidate()`: the job's result must not be written anywhere. */
  discard: boolean;
  /** A fresh L1 judgement may be copied to L2 instead of calling the scorer (stream workers). */
  writeBack: boolean;
  done: boolean;
  waiters: ((outcome: Outcome) => void)[] | undefined;
}

/** The mutable counters behind {@link ScoreCacheStats}. */
export type Counters = {
  -readonly [K in Exclude<keyof ScoreCacheStats, 'queueDepth' | 'activeBatches' | 'entries' | 'breaker'>]: number;
};

/** Fresh zeroed counters. */
export function newCounters(): Counters {
  return {
    hits: 0, misses: 0, staleHits: 0, refreshes: 0, storeHits: 0, scorerCalls: 0, failures: 0, invalidScores: 0,
    timeouts: 0, retries: 0, dropped: 0, breakerRejected: 0, storeErrors: 0, demanded: 0,
  };
}

/** What the batch policies need from the orchestrator to end jobs. */
export interface JobSink {
  /** Writes a judgement to L1 unless L1 holds a newer one; false when the job was invalidated. */
  write(job: Job, score: number, at: number): boolean;
  /** Ends a job once, notifying its waiters. */
  finish(job: Job, outcome: Outcome): void;
}
