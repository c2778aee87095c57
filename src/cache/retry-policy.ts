import { retryDelay } from './backoff.js';
import type { ResolvedScoreCacheOptions } from './options.js';
import type { Job } from './refresh-job.js';

/**
 * Holds failed jobs for their retry delay (capped exponential backoff with jitter, see `retryDelay`),
 * one timer per attempt number, then hands them back to the queue.
 */
export class RetryPolicy {
  private readonly groups = new Map<unknown, Job[]>();
  /** Jobs waiting out a retry delay. */
  waiting = 0;

  constructor(private readonly o: ResolvedScoreCacheOptions) {}

  /**
   * Schedules `jobs` (every one with attempts left and room in the queue) and calls `requeue` with
   * each group when its delay passes. Returns the number scheduled.
   */
  schedule(jobs: readonly Job[], requeue: (group: readonly Job[]) => void): number {
    const byAttempt = new Map<number, Job[]>();
    for (const job of jobs) {
      const group = byAttempt.get(job.attempts);
      if (group === undefined) byAttempt.set(job.attempts, [job]);
      else group.push(job);
    }
    for (const [attempt, group] of byAttempt) {
      this.waiting += group.length;
      const delay = retryDelay(attempt, this.o.retryBaseMs, this.o.retryMaxMs, this.o.random);
      const handle = this.o.scheduler.setTimeout(() => {
        this.groups.delete(handle);
        this.waiting -= group.length;
        requeue(group);
      }, delay);
      this.groups.set(handle, group);
    }
    return jobs.length;
  }

  /** Cancels every timer and returns the jobs that were waiting. */
  cancelAll(): Job[] {
    const jobs: Job[] = [];
    for (const [handle, group] of this.groups) {
      this.o.scheduler.clearTimeout(handle);
      jobs.push(...group);
    }
    this.groups.clear();
    this.waiting = 0;
    return jobs;
  }
}
