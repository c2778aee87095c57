import { describeValue } from '../errors/describe-value.js';
import { RerankError } from '../errors/rerank-error.js';
import { SCORE_FRESH, SCORE_STALE, type PrefetchResult, type ScoreCache, type ScoreCacheStats, type ScoreSubject, type ScoreView } from './cache-types.js';
import { CircuitBreaker } from './circuit-breaker.js';
import { ProfileLru, type L1Entry } from './l1.js';
import { PumpTimer } from './pump-timer.js';
import type { ResolvedScoreCacheOptions } from './options.js';
import { newCounters, type Job, type JobSink, type Outcome } from './refresh-job.js';
import { RetryPolicy } from './retry-policy.js';
import type { ScoreRequestItem } from './scorer.js';
import { BatchRunner } from './batch-runner.js';
import { StoreAccess } from './store-access.js';
import { pairKey } from './store.js';
import { assertIdList, checkedKey, invalidId, isScore, resolveProfileKey } from './subject.js';
import { PRIORITY_MISS, PRIORITY_PREFETCH, PRIORITY_STALE, WorkQueue } from './work-queue.js';

/**
 * The orchestrator of the score cache: L1 reads, the priority queue, batching and dispatch. The
 * policies live beside it: L2 access (`StoreAccess`), scorer calls with timeout and breaker outcome
 * (`callScorer`), retries (`RetryPolicy`).
 */
export class NearlineScoreCache implements ScoreCache, JobSink {
  private readonly l1: ProfileLru;
  private readonly queue = new WorkQueue<Job>();
  /** Every job not yet done (queued, running or waiting to retry), by pair key: the in-flight de-dup. */
  private readonly jobs = new Map<string, Job>();
  private readonly breaker: CircuitBreaker;
  private readonly retry: RetryPolicy;
  private readonly storeAccess: StoreAccess | undefined;
  private readonly batches: BatchRunner;
  private readonly lifetime = new AbortController();
  private readonly running = new Set<Promise<void>>();
  private readonly pumpTimer: PumpTimer;
  private active = 0;
  private closed = false;
  private closing: Promise<void> | undefined;
  /** The id array and profile of the last peek in this synchronous turn: a repeat is not counted twice. */
  private lastPeekIds: readonly string[] | undefined;
  private lastPeekKey = '';
  private readonly counters = newCounters();

  constructor(private readonly o: ResolvedScoreCacheOptions) {
    this.l1 = new ProfileLru(o.maxEntries);
    this.pumpTimer = new PumpTimer(o.clock, o.scheduler, () => this.pump());
    this.breaker = new CircuitBreaker(o.breakerThreshold, o.breakerCooldownMs);
    this.retry = new RetryPolicy(o);
    this.storeAccess = o.store && new StoreAccess(o, o.store, this.counters, () => this.closed, this.lifetime.signal);
    this.batches = new BatchRunner(o, {
      counters: this.counters,
      breaker: this.breaker,
      retry: this.retry,
      storeAccess: this.storeAccess,
      jobs: this,
      l1: this.l1,
      lifetime: this.lifetime.signal,
      isClosed: () => this.closed,
      room: () => this.o.maxQueue - this.queue.size - this.retry.waiting,
      requeue: (group) => {
        for (const job of group) {
          if (job.discard) this.finish(job, 'dropped');
          else this.queue.push(job);
        }
        this.kick();
      },
    });
  }

  profileKeyOf(subject: ScoreSubject): string {
    return resolveProfileKey(subject, this.o.profileKey);
  }

  peek(subject: ScoreSubject, itemIds: readonly string[]): ScoreView {
    const profileKey = this.profileKeyOf(subject);
    assertIdList(itemIds);
    const count = this.firstReadThisTurn(profileKey, itemIds) ? 1 : 0;
    const n = itemIds.length;
    const scores = new Float64Array(n);
    const states = new Uint8Array(n);
    const missing: string[] = [];
    const stale: string[] = [];
    const now = this.o.clock();
    const { ttlMs, staleMs } = this.o;
    const counters = this.counters;
    const bucket = this.l1.bucket(profileKey);
    for (let i = 0; i < n; i++) {
      const itemId = itemIds[i];
      if (typeof itemId !== 'string') throw invalidId(i, itemId);
      const entry = bucket?.get(itemId);
      const age = entry === undefined ? Infinity : now - entry.at;
      if (age < ttlMs) {
        scores[i] = (entry as L1Entry).score;
        states[i] = SCORE_FRESH;
        counters.hits += count;
      } else if (age < ttlMs + staleMs) {
        scores[i] = (entry as L1Entry).score;
        states[i] = SCORE_STALE;
        counters.staleHits += count;
        stale.push(itemId);
        this.schedule(profileKey, subject.profile, itemId, PRIORITY_STALE, undefined, false);
      } else {
        if (entry !== undefined) this.l1.deleteFrom(profileKey, bucket as Map<string, L1Entry>, itemId);
        scores[i] = Number.NaN;
        counters.misses += count;
        missing.push(itemId);
        this.schedule(profileKey, subject.profile, itemId, PRIORITY_MISS, undefined, false);
      }
    }
    return { profileKey, scores, states, missing, stale };
  }

  async prefetch(subject: ScoreSubject, itemIds: readonly string[]): Promise<PrefetchResult> {
    const profileKey = this.profileKeyOf(subject);
    assertIdList(itemIds);
    if (this.closed) throw new RerankError('CACHE_CLOSED', 'prefetch() was called after close(); create a new cache.');
    const now = this.o.clock();
    let ready = 0;
    const pending: Promise<Outcome>[] = [];
    itemIds.forEach((itemId, i) => {
      if (typeof itemId !== 'string') throw invalidId(i, itemId);
      const entry = this.l1.peek(profileKey, itemId);
      if (entry !== undefined && now - entry.at < this.o.ttlMs) {
        ready++;
        return;
      }
      pending.push(new Promise((resolve) => this.schedule(profileKey, subject.profile, itemId, PRIORITY_PREFETCH, resolve, false)));
    });
    const tally = { loaded: 0, scored: 0, failed: 0, dropped: 0 };
    for (const outcome of await Promise.all(pending)) tally[outcome === 'unsaved' ? 'scored' : outcome]++;
    return { ready, ...tally };
  }

  /**
   * Refreshes each pair through L2 and the scorer whatever L1 holds (a fresh L1 judgement that L2
   * lacks is copied to L2 instead of being judged again), and resolves with each pair's outcome.
   * The engine of the stream worker (`runScoreWorker` in `serendipity-rerank/redis`).
   */
  settle(pairs: readonly ScoreRequestItem[]): Promise<Outcome[]> {
    return Promise.all(pairs.map((pair) => new Promise<Outcome>((resolve) => this.schedule(pair.profileKey, pair.profile, pair.itemId, PRIORITY_PREFETCH, resolve, true))));
  }

  put(subject: ScoreSubject, itemId: string, score: number): void {
    const profileKey = this.profileKeyOf(subject);
    if (typeof itemId !== 'string') throw invalidId(0, itemId);
    if (!isScore(score)) {
      throw new RerankError('INVALID_ARGUMENT', `put(): score must be a number in [0, 1], got ${describeValue(score)}.`, { field: 'score', value: score });
    }
    this.l1.set(profileKey, itemId, { score, at: this.o.clock() });
    const job = this.jobs.get(pairKey(profileKey, itemId));
    if (job?.queued) {
      this.queue.remove(job);
      this.finish(job, 'loaded');
    }
  }

  invalidate(subject: ScoreSubject | string): void {
    const profileKey = typeof subject === 'string' ? checkedKey(subject, 'profileKey') : this.profileKeyOf(subject);
    this.l1.deleteProfile(profileKey);
    for (const job of [...this.jobs.values()]) {
      if (job.profileKey !== profileKey) continue;
      job.discard = true;
      this.jobs.delete(job.key);
      if (job.queued) {
        this.queue.remove(job);
        this.finish(job, 'dropped');
      }
    }
    if (!this.closed) this.storeAccess?.invalidate(profileKey);
  }

  stats(): ScoreCacheStats {
    return {
      ...this.counters,
      queueDepth: this.queue.size + this.retry.waiting,
      activeBatches: this.active,
      entries: this.l1.size,
      breaker: this.breaker.state(this.o.clock()),
    };
  }

  close(): Promise<void> {
    if (this.closing !== undefined) return this.closing;
    this.closed = true;
    this.pumpTimer.clear();
    for (const job of this.retry.cancelAll()) this.finish(job, 'dropped');
    for (const job of this.queue.drain()) this.finish(job, 'dropped');
    this.lifetime.abort(new RerankError('CACHE_CLOSED', 'the score cache was closed'));
    this.closing = Promise.allSettled([...this.running]).then(() => undefined);
    return this.closing;
  }

  write(job: Job, score: number, at: number): boolean {
    if (job.discard) return false;
    const existing = this.l1.peek(job.profileKey, job.itemId);
    if (existing === undefined || existing.at < at) {
      this.l1.set(job.profileKey, job.itemId, { score, at });
      this.counters.refreshes++;
    }
    return true;
  }

  finish(job: Job, outcome: Outcome): void {
    if (job.done) return;
    job.done = true;
    job.queued = false;
    if (this.jobs.get(job.key) === job) this.jobs.delete(job.key);
    const waiters = job.waiters;
    job.waiters = undefined;
    if (waiters !== undefined) for (const waiter of waiters) waiter(outcome);
  }

  /** True unless the same id array was already read for this profile in the current synchronous turn. */
  private firstReadThisTurn(profileKey: string, itemIds: readonly string[]): boolean {
    if (this.lastPeekIds === itemIds && this.lastPeekKey === profileKey) return false;
    if (this.lastPeekIds === undefined) queueMicrotask(() => (this.lastPeekIds = undefined));
    this.lastPeekIds = itemIds;
    this.lastPeekKey = profileKey;
    return true;
  }

  /** Queues the pair unless it is already pending; applies the queue bound. */
  private schedule(profileKey: string, profile: unknown, itemId: string, priority: number, waiter: ((outcome: Outcome) => void) | undefined, writeBack: boolean): void {
    if (this.closed) {
      waiter?.('dropped');
      return;
    }
    const key = pairKey(profileKey, itemId);
    const existing = this.jobs.get(key);
    if (existing !== undefined) {
      if (waiter !== undefined) (existing.waiters ??= []).push(waiter);
      existing.writeBack ||= writeBack;
      this.queue.raise(existing, priority);
      return;
    }
    if (this.queue.size + this.retry.waiting >= this.o.maxQueue) {
      const victim = this.queue.peekVictim();
      this.counters.dropped++;
      if (victim === undefined || victim.priority > priority) {
        waiter?.('dropped');
        return;
      }
      this.queue.remove(victim);
      this.finish(victim, 'dropped');
    }
    const job: Job = { key, profileKey, profile, itemId, priority, queued: false, attempts: 0, discard: false, writeBack, done: false, waiters: waiter && [waiter] };
    this.jobs.set(key, job);
    this.queue.push(job);
    this.kick();
  }

  /** Arranges a dispatch: at once for a full batch, after `lingerMs` for a partial one. */
  private kick(): void {
    if (this.active >= this.o.concurrency) return; // a finishing batch dispatches
    const delay = this.queue.size >= this.o.batchSize ? 0 : this.o.lingerMs;
    if (!this.closed) this.pumpTimer.schedule(this.o.clock() + delay);
  }

  /** Starts batches while there is work, a free slot and the breaker allows. */
  private pump(): void {
    while (!this.closed && this.queue.size > 0 && this.active < this.o.concurrency) {
      const now = this.o.clock();
      const permit = this.o.scorer === undefined ? undefined : this.breaker.tryAcquire(now);
      if (permit === undefined && this.o.scorer !== undefined && this.o.store === undefined) {
        // Nothing can progress without the scorer. Open: fail everything pending at once (never wait
        // out the cool-down). Half-open: a probe is in flight, and its completion pumps.
        if (this.breaker.state(now) === 'open') this.failQueued();
        return;
      }
      // With a store, batches still go out while the breaker refuses the scorer: L2 keeps serving.
      const batch: Job[] = [];
      while (batch.length < this.o.batchSize) {
        const job = this.queue.shift();
        if (job === undefined) break;
        batch.push(job);
      }
      this.active++;
      const run: Promise<void> = this.batches.run(batch, permit)
        .then(() => {
          this.running.delete(run);
          this.active--;
          this.pump();
        })
        .catch(() => undefined); // only a throwing host-injected scheduler; never unhandled
      this.running.add(run);
    }
  }

  private failQueued(): void {
    for (const job of this.queue.drain()) {
      this.counters.breakerRejected++;
      this.finish(job, 'failed');
    }
  }
}
