import type { ResolvedScoreCacheOptions } from './options.js';
import type { Counters, Job, JobSink } from './refresh-job.js';
import { isValidStoredScore, type ScoreRecord, type ScoreStore } from './store.js';
import { withTimeout } from './with-timeout.js';

/**
 * How far in the future (cache clock) an L2 timestamp may lie before the record is treated as
 * malformed: a clock skew allowance between processes. Farther ones would otherwise read as fresh forever.
 */
export const MAX_STORE_CLOCK_SKEW_MS = 60_000;

/**
 * The L2 policy of the cache: bounded reads and writes (`storeTimeoutMs`), every failure counted as
 * a store error and never written to L1.
 */
export class StoreAccess {
  constructor(
    private readonly o: ResolvedScoreCacheOptions,
    private readonly store: ScoreStore,
    private readonly counters: Counters,
    private readonly isClosed: () => boolean,
    private readonly lifetime: AbortSignal,
  ) {}

  /**
   * Reads the batch from L2: fresh records end their job as `loaded`; records inside the stale window
   * are written to L1 (served as stale meanwhile) but the job goes on. Returns the unfinished jobs.
   */
  async read(batch: Job[], signal: AbortSignal, sink: JobSink): Promise<Job[]> {
    let results: unknown;
    try {
      const keys = batch.map(({ profileKey, itemId }) => ({ profileKey, itemId }));
      results = await withTimeout(this.o.scheduler, () => this.store.getMany(keys, signal), this.o.storeTimeoutMs, signal, undefined);
    } catch {
      if (!this.isClosed()) this.counters.storeErrors++;
      return batch;
    }
    if (!Array.isArray(results) || results.length !== batch.length) {
      this.counters.storeErrors++;
      return batch;
    }
    const now = this.o.clock();
    const remaining: Job[] = [];
    batch.forEach((job, i) => {
      const record: unknown = results[i];
      if (record == null) {
        remaining.push(job);
        return;
      }
      if (!isValidStoredScore(record) || record.scoredAt > now + MAX_STORE_CLOCK_SKEW_MS) {
        this.counters.storeErrors++;
        remaining.push(job);
        return;
      }
      const at = Math.min(record.scoredAt, now);
      const age = now - at;
      if (age >= this.o.ttlMs) {
        // Too old to finish the job; still worth serving as stale while the scorer runs.
        if (age < this.o.ttlMs + this.o.staleMs) sink.write(job, record.score, at);
        remaining.push(job);
      } else if (sink.write(job, record.score, at)) {
        this.counters.storeHits++;
        sink.finish(job, 'loaded');
      } else {
        sink.finish(job, 'dropped');
      }
    });
    return remaining;
  }

  /**
   * Writes within `storeTimeoutMs`, each record expiring after `ttlMs + staleMs`. Resolves true when
   * the store accepted them; never rejects (failures count as store errors).
   */
  async write(records: readonly ScoreRecord[]): Promise<boolean> {
    try {
      await withTimeout(this.o.scheduler, () => this.store.setMany(records, this.o.ttlMs + this.o.staleMs), this.o.storeTimeoutMs, this.lifetime, undefined);
      return true;
    } catch {
      if (!this.isClosed()) this.counters.storeErrors++;
      return false;
    }
  }

  /** Asks the store to forget a profile, when it can; a failure counts as a store error. */
  invalidate(profileKey: string): void {
    const forget = this.store.invalidate;
    if (typeof forget !== 'function') return;
    withTimeout(this.o.scheduler, () => forget.call(this.store, profileKey), this.o.storeTimeoutMs, this.lifetime, undefined).catch(() => {
      if (!this.isClosed()) this.counters.storeErrors++;
    });
  }
}
