import type { BreakerPermit, CircuitBreaker } from './circuit-breaker.js';
import type { ProfileLru } from './l1.js';
import type { ResolvedScoreCacheOptions } from './options.js';
import type { Counters, Job, JobSink } from './refresh-job.js';
import type { RetryPolicy } from './retry-policy.js';
import { callScorer } from './scorer-call.js';
import type { StoreAccess } from './store-access.js';
import type { ScoreRecord } from './store.js';

/** What a {@link BatchRunner} shares with the cache orchestrator. */
export interface BatchDeps {
  readonly counters: Counters;
  readonly breaker: CircuitBreaker;
  readonly retry: RetryPolicy;
  readonly storeAccess: StoreAccess | undefined;
  readonly jobs: JobSink;
  readonly l1: ProfileLru;
  readonly lifetime: AbortSignal;
  isClosed(): boolean;
  /** Free queue room (`maxQueue` minus queued and waiting to retry). */
  room(): number;
  /** Puts jobs whose retry delay passed back in the queue. */
  requeue(group: readonly Job[]): void;
}

/**
 * Runs one dispatched batch through the cache's tiers: L2 (`StoreAccess`), then the write-back of
 * fresh L1 judgements L2 lacks (stream workers), then the scorer (`callScorer`) with retries
 * (`RetryPolicy`), or, for a cache with no scorer, the demand sink.
 */
export class BatchRunner {
  constructor(
    private readonly o: ResolvedScoreCacheOptions,
    private readonly d: BatchDeps,
  ) {}

  /** Serves a batch from L2, then L1 write-back, then the scorer (or the demand sink). Never rejects. */
  async run(batch: Job[], permit: BreakerPermit): Promise<void> {
    const { o, d } = this;
    const controller = new AbortController();
    const onClose = (): void => controller.abort(d.lifetime.reason);
    d.lifetime.addEventListener('abort', onClose, { once: true });
    let permitUsed = false;
    try {
      let remaining = d.storeAccess === undefined ? batch : await d.storeAccess.read(batch, controller.signal, d.jobs);
      if (remaining.length > 0 && !d.isClosed()) remaining = await this.writeBack(remaining);
      if (remaining.length > 0 && permit !== undefined && !d.isClosed()) {
        permitUsed = true;
        await this.score(remaining, permit, controller);
      } else if (remaining.length > 0) {
        if (!d.isClosed() && o.demand !== undefined) this.publish(remaining);
        else if (!d.isClosed() && o.scorer !== undefined) d.counters.breakerRejected += remaining.length;
        for (const job of remaining) d.jobs.finish(job, d.isClosed() ? 'dropped' : 'failed');
      }
    } catch {
      // Only a host-injected clock or scheduler can get here; never let it escape.
      for (const job of batch) d.jobs.finish(job, 'failed');
    } finally {
      if (!permitUsed) d.breaker.release(permit);
      d.lifetime.removeEventListener('abort', onClose);
    }
  }

  /** Copies fresh L1 judgements of write-back jobs to L2; returns the jobs still to judge. */
  private async writeBack(jobs: Job[]): Promise<Job[]> {
    const { o, d } = this;
    if (d.storeAccess === undefined) return jobs;
    const now = o.clock();
    const copied: Job[] = [];
    const records: ScoreRecord[] = [];
    const rest: Job[] = [];
    for (const job of jobs) {
      const entry = job.writeBack ? d.l1.peek(job.profileKey, job.itemId) : undefined;
      if (entry === undefined || now - entry.at >= o.ttlMs) {
        rest.push(job);
        continue;
      }
      copied.push(job);
      records.push({ profileKey: job.profileKey, itemId: job.itemId, score: entry.score, scoredAt: entry.at });
    }
    if (records.length > 0) {
      const saved = await d.storeAccess.write(records);
      for (const job of copied) d.jobs.finish(job, saved ? 'scored' : 'unsaved');
    }
    return rest;
  }

  /** Hands pairs L2 could not fill to the demand sink; the sink must not throw, but is guarded anyway. */
  private publish(jobs: Job[]): void {
    const { o, d } = this;
    try {
      (o.demand as NonNullable<ResolvedScoreCacheOptions['demand']>).publish(jobs.map(({ profileKey, profile, itemId }) => ({ profileKey, profile, itemId })));
      d.counters.demanded += jobs.length;
    } catch {
      // A misbehaving host sink; the pairs simply stay missing.
    }
  }

  private async score(jobs: Job[], permit: BreakerPermit, controller: AbortController): Promise<void> {
    const { o, d } = this;
    const scorer = o.scorer as NonNullable<ResolvedScoreCacheOptions['scorer']>;
    const { scored, failed } = await callScorer(o, scorer, d.breaker, d.counters, jobs, permit, controller);
    if (d.isClosed()) {
      for (const job of jobs) d.jobs.finish(job, 'dropped');
      return;
    }
    const now = o.clock();
    const saved: Job[] = [];
    const records: ScoreRecord[] = [];
    for (const { job, score } of scored) {
      if (!d.jobs.write(job, score, now)) {
        d.jobs.finish(job, 'dropped');
        continue;
      }
      records.push({ profileKey: job.profileKey, itemId: job.itemId, score, scoredAt: now });
      saved.push(job);
    }
    this.retryOrGiveUp(failed);
    // L1 already serves the scores; the pairs end once L2 has them too (or the write failed).
    const stored = d.storeAccess === undefined || records.length === 0 || (await d.storeAccess.write(records));
    for (const job of saved) d.jobs.finish(job, stored ? 'scored' : 'unsaved');
  }

  /** Schedules retries for jobs with attempts left; gives up on the rest, and on all while the breaker is open. */
  private retryOrGiveUp(failed: readonly Job[]): void {
    const { o, d } = this;
    const open = d.breaker.state(o.clock()) === 'open';
    let room = d.room();
    const again: Job[] = [];
    for (const job of failed) {
      if (job.discard || job.attempts > o.retries) {
        d.jobs.finish(job, job.discard ? 'dropped' : 'failed');
      } else if (open) {
        d.counters.breakerRejected++;
        d.jobs.finish(job, 'failed');
      } else if (room <= 0) {
        // A retry counts against maxQueue like new work; with no room it is dropped.
        d.counters.dropped++;
        d.jobs.finish(job, 'dropped');
      } else {
        room--;
        again.push(job);
      }
    }
    d.counters.retries += d.retry.schedule(again, d.requeue);
  }
}
