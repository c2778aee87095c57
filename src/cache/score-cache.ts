import { RerankError } from '../errors/rerank-error.js';
import { retryDelay } from './backoff.js';
import { CircuitBreaker, type BreakerPermit, type BreakerState } from './circuit-breaker.js';
import { ProfileLru, type L1Entry } from './l1.js';
import { resolveScoreCacheOptions, type ResolvedScoreCacheOptions, type ScoreCacheOptions } from './options.js';
import { hashProfile } from './profile-key.js';
import type { ScoreRequestItem } from './scorer.js';
import { isValidStoredScore, pairKey, type ScoreRecord } from './store.js';
import { PRIORITY_MISS, PRIORITY_PREFETCH, PRIORITY_STALE, WorkQueue, type QueuedWork } from './work-queue.js';

/** Whose judgements to read: a user (or any owner of a profile). */
export interface ScoreSubject {
  /** The user id. The profile key when there is neither `profileKey` nor `profile`. */
  readonly key: string;
  /** The profile handed to the scorer (e.g. a SERAL cognition profile). */
  readonly profile?: unknown;
  /** An explicit, stable key of `profile`; wins over the `profileKey` option and the hash. */
  readonly profileKey?: string;
}

/** `states[i]` of a {@link ScoreView}: no usable score. */
export const SCORE_MISSING = 0;
/** `states[i]` of a {@link ScoreView}: a score younger than `ttlMs`. */
export const SCORE_FRESH = 1;
/** `states[i]` of a {@link ScoreView}: a score older than `ttlMs` but inside the stale window. */
export const SCORE_STALE = 2;

/** What {@link ScoreCache.peek} saw in L1, aligned with the ids asked for. */
export interface ScoreView {
  /** The resolved profile key. */
  readonly profileKey: string;
  /** The score of each id in [0, 1], NaN where there is no fresh-or-stale score. */
  readonly scores: Float64Array;
  /** {@link SCORE_MISSING}, {@link SCORE_FRESH} or {@link SCORE_STALE} for each id. */
  readonly states: Uint8Array;
  /**
   * Ids with no usable score (NaN in `scores`). Each was scheduled for a background refresh, unless
   * the queue was full of higher-priority work or the cache is closed (see `stats().dropped`).
   */
  readonly missing: readonly string[];
  /** Ids served from the stale window; each was scheduled for a refresh too. */
  readonly stale: readonly string[];
}

/** How {@link ScoreCache.prefetch} ended, in pairs. */
export interface PrefetchResult {
  /** Already fresh in L1; nothing to do. */
  readonly ready: number;
  /** Loaded fresh from the L2 store. */
  readonly loaded: number;
  /** Judged by the scorer. */
  readonly scored: number;
  /**
   * Ended without a score: the scorer failed after its retries, or L2 had none and there was no
   * scorer to ask (no `scorer` option, or the breaker refused it).
   */
  readonly failed: number;
  /** Dropped by a full queue, `invalidate()` or `close()`. */
  readonly dropped: number;
}

/** Counters since creation, and the current load. */
export interface ScoreCacheStats {
  /** Peeked pairs with a fresh score. */
  readonly hits: number;
  /** Peeked pairs with no usable score. */
  readonly misses: number;
  /** Peeked pairs served from the stale window. */
  readonly staleHits: number;
  /** Pairs written to L1 by the background path (from L2 or the scorer). */
  readonly refreshes: number;
  /** Pairs found fresh in L2. */
  readonly storeHits: number;
  /** Scorer invocations. */
  readonly scorerCalls: number;
  /** Failed pair attempts: a failed call counts each of its pairs; so does each `null` or invalid entry. */
  readonly failures: number;
  /** Entries the scorer returned that were neither `null` nor a number in [0, 1] (included in `failures`). */
  readonly invalidScores: number;
  /** Scorer calls that hit `timeoutMs` (their pairs are included in `failures`). */
  readonly timeouts: number;
  /** Pair retries scheduled. */
  readonly retries: number;
  /** Pairs dropped because the queue was full. */
  readonly dropped: number;
  /** Pairs that L2 lacked while the breaker refused the scorer (caches with a store); they end without a score. */
  readonly breakerRejected: number;
  /** Failed, timed-out, skipped or malformed L2 reads and writes. */
  readonly storeErrors: number;
  /** Pairs waiting: queued plus waiting to retry. Never above `maxQueue`. */
  readonly queueDepth: number;
  /** Batches in flight. Never above `concurrency`. */
  readonly activeBatches: number;
  /** Entries in L1. Never above `maxEntries`. */
  readonly entries: number;
  /** The circuit breaker's state. */
  readonly breaker: BreakerState;
}

/**
 * A two-tier cache of LLM serendipity judgements, read synchronously online and filled nearline
 * (SERAL, arXiv 2502.13539: the LLM never sits on the request path). Create with {@link createScoreCache}.
 */
export interface ScoreCache {
  /**
   * Reads L1 only, synchronously, and returns at once. Misses and stale entries are scheduled for a
   * background refresh (L2 first, then the scorer). Never waits on, or throws because of, the scorer or store.
   *
   * @throws {@link RerankError} `INVALID_ARGUMENT` / `INVALID_ID` for a malformed subject or ids.
   */
  peek(subject: ScoreSubject, itemIds: readonly string[]): ScoreView;
  /** Refreshes every pair that is not fresh and resolves when each has ended. Never rejects because of the scorer or store. */
  prefetch(subject: ScoreSubject, itemIds: readonly string[]): Promise<PrefetchResult>;
  /** Writes a judgement obtained elsewhere (e.g. pushed by a worker) into L1 as fresh now. */
  put(subject: ScoreSubject, itemId: string, score: number): void;
  /** Forgets a profile's L1 entries and pending work (by subject or by resolved profile key). L2 entries expire by TTL. */
  invalidate(subject: ScoreSubject | string): void;
  /** The profile key a subject resolves to. */
  profileKeyOf(subject: ScoreSubject): string;
  /** A snapshot of the counters. */
  stats(): ScoreCacheStats;
  /** Stops timers, drops pending work, aborts in-flight calls and waits for them to settle. Idempotent. */
  close(): Promise<void>;
}

type Outcome = 'loaded' | 'scored' | 'failed' | 'dropped';

interface Job extends QueuedWork {
  readonly key: string;
  readonly profileKey: string;
  readonly profile: unknown;
  readonly itemId: string;
  attempts: number;
  discard: boolean;
  done: boolean;
  waiters: ((outcome: Outcome) => void)[] | undefined;
}

const TIMED_OUT = Symbol('timed out');

type Counters = {
  -readonly [K in Exclude<keyof ScoreCacheStats, 'queueDepth' | 'activeBatches' | 'entries' | 'breaker'>]: number;
};

function isScore(value: unknown): value is number {
  return typeof value === 'number' && value >= 0 && value <= 1;
}

class NearlineScoreCache implements ScoreCache {
  private readonly l1: ProfileLru;
  private readonly queue = new WorkQueue<Job>();
  /** Every job not yet done (queued, running or waiting to retry), by pair key: the in-flight de-dup. */
  private readonly jobs = new Map<string, Job>();
  private readonly breaker: CircuitBreaker;
  private readonly lifetime = new AbortController();
  private readonly running = new Set<Promise<void>>();
  private readonly retryGroups = new Map<unknown, Job[]>();
  private pumpTimer: unknown = undefined;
  private pumpAt = Infinity;
  private waiting = 0;
  private active = 0;
  private closed = false;
  private closing: Promise<void> | undefined;
  private readonly counters: Counters = {
    hits: 0, misses: 0, staleHits: 0, refreshes: 0, storeHits: 0, scorerCalls: 0, failures: 0,
    invalidScores: 0, timeouts: 0, retries: 0, dropped: 0, breakerRejected: 0, storeErrors: 0,
  };

  constructor(private readonly o: ResolvedScoreCacheOptions) {
    this.l1 = new ProfileLru(o.maxEntries);
    this.breaker = new CircuitBreaker(o.breakerThreshold, o.breakerCooldownMs);
  }

  profileKeyOf(subject: ScoreSubject): string {
    if (subject === null || typeof subject !== 'object' || typeof subject.key !== 'string' || subject.key === '') {
      throw new RerankError('INVALID_ARGUMENT', 'subject.key must be a non-empty string (usually the user id), e.g. { key: user.id, profile }.', {
        field: 'subject.key',
      });
    }
    const { profileKey, profile } = subject;
    if (profileKey !== undefined) return checkedKey(profileKey, 'subject.profileKey');
    if (profile === undefined) return subject.key;
    if (this.o.profileKey !== undefined) return checkedKey(this.o.profileKey(profile), 'options.profileKey(profile)');
    return hashProfile(profile);
  }

  peek(subject: ScoreSubject, itemIds: readonly string[]): ScoreView {
    const profileKey = this.profileKeyOf(subject);
    assertIdList(itemIds);
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
        counters.hits++;
      } else if (age < ttlMs + staleMs) {
        scores[i] = (entry as L1Entry).score;
        states[i] = SCORE_STALE;
        counters.staleHits++;
        stale.push(itemId);
        this.schedule(pairKey(profileKey, itemId), profileKey, subject.profile, itemId, PRIORITY_STALE, undefined);
      } else {
        if (entry !== undefined) this.l1.deleteFrom(profileKey, bucket as Map<string, L1Entry>, itemId);
        scores[i] = Number.NaN;
        counters.misses++;
        missing.push(itemId);
        this.schedule(pairKey(profileKey, itemId), profileKey, subject.profile, itemId, PRIORITY_MISS, undefined);
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
      pending.push(new Promise((resolve) => this.schedule(pairKey(profileKey, itemId), profileKey, subject.profile, itemId, PRIORITY_PREFETCH, resolve)));
    });
    const tally = { loaded: 0, scored: 0, failed: 0, dropped: 0 };
    for (const outcome of await Promise.all(pending)) tally[outcome]++;
    return { ready, ...tally };
  }

  put(subject: ScoreSubject, itemId: string, score: number): void {
    const profileKey = this.profileKeyOf(subject);
    if (typeof itemId !== 'string') throw invalidId(0, itemId);
    if (!isScore(score)) {
      throw new RerankError('INVALID_ARGUMENT', `put(): score must be a number in [0, 1], got ${String(score)}.`, { field: 'score', value: score });
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
  }

  stats(): ScoreCacheStats {
    return {
      ...this.counters,
      queueDepth: this.queue.size + this.waiting,
      activeBatches: this.active,
      entries: this.l1.size,
      breaker: this.breaker.state(this.o.clock()),
    };
  }

  close(): Promise<void> {
    if (this.closing !== undefined) return this.closing;
    this.closed = true;
    this.clearPumpTimer();
    for (const [handle, group] of this.retryGroups) {
      this.o.scheduler.clearTimeout(handle);
      for (const job of group) this.finish(job, 'dropped');
    }
    this.retryGroups.clear();
    this.waiting = 0;
    for (const job of this.queue.drain()) this.finish(job, 'dropped');
    this.lifetime.abort(new RerankError('CACHE_CLOSED', 'the score cache was closed'));
    this.closing = Promise.allSettled([...this.running]).then(() => undefined);
    return this.closing;
  }

  /** Queues the pair unless it is already pending; applies the queue bound. */
  private schedule(key: string, profileKey: string, profile: unknown, itemId: string, priority: number, waiter: ((outcome: Outcome) => void) | undefined): void {
    if (this.closed) {
      waiter?.('dropped');
      return;
    }
    const existing = this.jobs.get(key);
    if (existing !== undefined) {
      if (waiter !== undefined) (existing.waiters ??= []).push(waiter);
      this.queue.raise(existing, priority);
      return;
    }
    if (this.queue.size + this.waiting >= this.o.maxQueue) {
      const victim = this.queue.peekVictim();
      this.counters.dropped++;
      if (victim === undefined || victim.priority > priority) {
        waiter?.('dropped');
        return;
      }
      this.queue.remove(victim);
      this.finish(victim, 'dropped');
    }
    const job: Job = { key, profileKey, profile, itemId, priority, queued: false, attempts: 0, discard: false, done: false, waiters: waiter && [waiter] };
    this.jobs.set(key, job);
    this.queue.push(job);
    this.kick();
  }

  /** Arranges a dispatch: at once for a full batch, after `lingerMs` for a partial one. */
  private kick(): void {
    if (this.active >= this.o.concurrency) return; // a finishing batch dispatches
    const delay = this.queue.size >= this.o.batchSize ? 0 : this.o.lingerMs;
    this.schedulePump(this.o.clock() + delay);
  }

  private schedulePump(at: number): void {
    if (this.closed || (this.pumpTimer !== undefined && this.pumpAt <= at)) return;
    this.clearPumpTimer();
    this.pumpAt = at;
    this.pumpTimer = this.o.scheduler.setTimeout(() => {
      this.pumpTimer = undefined;
      this.pumpAt = Infinity;
      this.pump();
    }, Math.max(0, Math.ceil(at - this.o.clock())));
  }

  private clearPumpTimer(): void {
    if (this.pumpTimer === undefined) return;
    this.o.scheduler.clearTimeout(this.pumpTimer);
    this.pumpTimer = undefined;
    this.pumpAt = Infinity;
  }

  /** Starts batches while there is work, a free slot and the breaker allows. */
  private pump(): void {
    while (!this.closed && this.queue.size > 0 && this.active < this.o.concurrency) {
      const now = this.o.clock();
      const permit = this.o.scorer === undefined ? undefined : this.breaker.tryAcquire(now);
      if (permit === undefined && this.o.scorer !== undefined && this.o.store === undefined) {
        // Nothing can progress without the scorer. Open: wake up when a probe is allowed.
        // Half-open: the probe's completion pumps.
        if (this.breaker.state(now) === 'open') this.schedulePump(this.breaker.reopensAt());
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
      const run: Promise<void> = this.runBatch(batch, permit)
        .then(() => {
          this.running.delete(run);
          this.active--;
          this.pump();
        })
        .catch(() => undefined); // only a throwing host-injected scheduler; never unhandled
      this.running.add(run);
    }
  }

  /** Serves a batch from L2, then the scorer. Never rejects. */
  private async runBatch(batch: Job[], permit: BreakerPermit): Promise<void> {
    const controller = new AbortController();
    const onClose = (): void => controller.abort(this.lifetime.signal.reason);
    this.lifetime.signal.addEventListener('abort', onClose, { once: true });
    let scored = false;
    try {
      const remaining = this.o.store === undefined ? batch : await this.readStore(batch, controller.signal);
      if (remaining.length > 0 && permit !== undefined && !this.closed) {
        scored = true;
        await this.callScorer(remaining, permit, controller);
      } else {
        if (this.o.scorer !== undefined && !this.closed) this.counters.breakerRejected += remaining.length;
        for (const job of remaining) this.finish(job, this.closed ? 'dropped' : 'failed');
      }
    } catch {
      // Only a host-injected clock or scheduler can get here; never let it escape.
      for (const job of batch) this.finish(job, 'failed');
    } finally {
      if (!scored) this.breaker.release(permit);
      this.lifetime.signal.removeEventListener('abort', onClose);
    }
  }

  /** Reads the batch from L2; returns the jobs it could not finish. */
  private async readStore(batch: Job[], signal: AbortSignal): Promise<Job[]> {
    const store = this.o.store as NonNullable<ResolvedScoreCacheOptions['store']>;
    let results: unknown;
    try {
      const keys = batch.map(({ profileKey, itemId }) => ({ profileKey, itemId }));
      results = await this.withTimeout(() => store.getMany(keys, signal), this.o.storeTimeoutMs, signal, undefined);
    } catch {
      if (!this.closed) this.counters.storeErrors++;
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
      if (!isValidStoredScore(record)) {
        this.counters.storeErrors++;
        remaining.push(job);
        return;
      }
      const at = Math.min(record.scoredAt, now);
      const age = now - at;
      if (age >= this.o.ttlMs) {
        // Too old to finish the job; still worth serving as stale while the scorer runs.
        if (age < this.o.ttlMs + this.o.staleMs) this.write(job, record.score, at);
        remaining.push(job);
      } else if (this.write(job, record.score, at)) {
        this.counters.storeHits++;
        this.finish(job, 'loaded');
      } else {
        this.finish(job, 'dropped');
      }
    });
    return remaining;
  }

  private async callScorer(jobs: Job[], permit: BreakerPermit, controller: AbortController): Promise<void> {
    const scorer = this.o.scorer as NonNullable<ResolvedScoreCacheOptions['scorer']>;
    const counters = this.counters;
    counters.scorerCalls++;
    const items: ScoreRequestItem[] = jobs.map(({ profileKey, profile, itemId }) => ({ profileKey, profile, itemId }));
    for (const job of jobs) job.attempts++;
    let results: unknown;
    let callOk = true;
    try {
      results = await this.withTimeout(() => scorer(items, controller.signal), this.o.timeoutMs, controller.signal, () =>
        controller.abort(new RerankError('SCORER_TIMEOUT', `the scorer did not answer within timeoutMs=${this.o.timeoutMs}`)),
      );
    } catch (error) {
      callOk = false;
      if (error === TIMED_OUT) counters.timeouts++;
    }
    if (this.closed) {
      for (const job of jobs) this.finish(job, 'dropped');
      return;
    }
    if (callOk && (!Array.isArray(results) || results.length !== jobs.length)) callOk = false;
    const now = this.o.clock();
    const failed: Job[] = [];
    const scored: Job[] = [];
    const records: ScoreRecord[] = [];
    if (callOk) {
      jobs.forEach((job, i) => {
        const value: unknown = (results as unknown[])[i];
        if (isScore(value)) {
          if (this.write(job, value, now)) {
            records.push({ profileKey: job.profileKey, itemId: job.itemId, score: value, scoredAt: now });
            scored.push(job);
          } else {
            this.finish(job, 'dropped');
          }
        } else {
          if (value !== null) counters.invalidScores++;
          counters.failures++;
          failed.push(job);
        }
      });
    } else {
      counters.failures += jobs.length;
      failed.push(...jobs);
    }
    this.breaker.record(permit, callOk, now);
    this.retryOrGiveUp(failed);
    // L1 already serves the scores; the pairs end once L2 has them too (or the write failed).
    if (records.length > 0) await this.writeStore(records);
    for (const job of scored) this.finish(job, 'scored');
  }

  /** Schedules retries with backoff for jobs that have attempts left; gives up on the rest. */
  private retryOrGiveUp(failed: Job[]): void {
    const byAttempt = new Map<number, Job[]>();
    let room = this.o.maxQueue - this.queue.size - this.waiting;
    for (const job of failed) {
      if (job.attempts > this.o.retries || job.discard) {
        this.finish(job, job.discard ? 'dropped' : 'failed');
        continue;
      }
      if (room <= 0) {
        // A retry counts against maxQueue like new work; with no room it is dropped.
        this.counters.dropped++;
        this.finish(job, 'dropped');
        continue;
      }
      room--;
      const group = byAttempt.get(job.attempts);
      if (group === undefined) byAttempt.set(job.attempts, [job]);
      else group.push(job);
    }
    for (const [attempt, group] of byAttempt) {
      this.counters.retries += group.length;
      this.waiting += group.length;
      const delay = retryDelay(attempt, this.o.retryBaseMs, this.o.retryMaxMs, this.o.random);
      const handle = this.o.scheduler.setTimeout(() => {
        this.retryGroups.delete(handle);
        this.waiting -= group.length;
        for (const job of group) {
          if (job.discard) this.finish(job, 'dropped');
          else this.queue.push(job);
        }
        this.kick();
      }, delay);
      this.retryGroups.set(handle, group);
    }
  }

  /** Writes a judgement to L1 unless L1 already holds a newer one; false when the job was invalidated. */
  private write(job: Job, score: number, at: number): boolean {
    if (job.discard) return false;
    const existing = this.l1.peek(job.profileKey, job.itemId);
    if (existing === undefined || existing.at < at) {
      this.l1.set(job.profileKey, job.itemId, { score, at });
      this.counters.refreshes++;
    }
    return true;
  }

  /**
   * Writes to L2 within `storeTimeoutMs`, holding the batch's slot meanwhile (so L2 writes are
   * bounded by `concurrency` and a slow store slows refreshes rather than piling up writes).
   * Never rejects; failures count as store errors.
   */
  private async writeStore(records: ScoreRecord[]): Promise<void> {
    const store = this.o.store;
    if (store === undefined) return;
    try {
      await this.withTimeout(() => store.setMany(records, this.o.ttlMs + this.o.staleMs), this.o.storeTimeoutMs, this.lifetime.signal, undefined);
    } catch {
      if (!this.closed) this.counters.storeErrors++;
    }
  }

  private finish(job: Job, outcome: Outcome): void {
    if (job.done) return;
    job.done = true;
    job.queued = false;
    if (this.jobs.get(job.key) === job) this.jobs.delete(job.key);
    const waiters = job.waiters;
    job.waiters = undefined;
    if (waiters !== undefined) for (const waiter of waiters) waiter(outcome);
  }

  /**
   * Runs `start()` and settles with it, unless `ms` pass first (rejects with {@link TIMED_OUT} after
   * calling `onTimeout`) or `signal` aborts (rejects). A synchronous throw becomes a rejection, and a
   * late rejection of the original promise is absorbed, so nothing is ever unhandled.
   */
  private withTimeout<T>(start: () => Promise<T>, ms: number, signal: AbortSignal, onTimeout: (() => void) | undefined): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      let settled = false;
      const settle = (): boolean => {
        if (settled) return false;
        settled = true;
        this.o.scheduler.clearTimeout(timer);
        signal.removeEventListener('abort', onAbort);
        return true;
      };
      const onAbort = (): void => {
        if (settle()) reject(signal.reason);
      };
      const timer = this.o.scheduler.setTimeout(() => {
        if (!settle()) return;
        onTimeout?.();
        reject(TIMED_OUT);
      }, ms);
      if (signal.aborted) {
        onAbort();
        return;
      }
      signal.addEventListener('abort', onAbort, { once: true });
      let promise: Promise<T>;
      try {
        promise = Promise.resolve(start());
      } catch (error) {
        if (settle()) reject(error);
        return;
      }
      promise.then(
        (value) => {
          if (settle()) resolve(value);
        },
        (error: unknown) => {
          if (settle()) reject(error);
        },
      );
    });
  }
}

function checkedKey(key: unknown, field: string): string {
  if (typeof key !== 'string' || key === '') {
    throw new RerankError('INVALID_ARGUMENT', `${field} must be a non-empty string, got ${String(key)}.`, { field, value: key });
  }
  return key;
}

function assertIdList(itemIds: unknown): asserts itemIds is readonly string[] {
  if (!Array.isArray(itemIds)) {
    throw new RerankError('INVALID_ARGUMENT', 'itemIds must be an array of item id strings.', { field: 'itemIds' });
  }
}

function invalidId(index: number, value: unknown): RerankError {
  return new RerankError('INVALID_ID', `itemIds[${index}] must be a string, got ${typeof value}.`, { field: `itemIds[${index}]`, value });
}

/**
 * Creates the nearline LLM score cache: L1 in-process (`lru-cache`, bounded by `maxEntries`, with
 * `ttlMs` freshness and a `staleMs` stale-while-revalidate window), an optional L2 {@link ScoreStore},
 * and a background refresh path with batching, a concurrency limit, in-flight de-duplication,
 * per-call timeouts, retries with capped exponential backoff and jitter, a circuit breaker and a
 * bounded priority queue. This is the nearline half of SERAL (arXiv 2502.13539): online ranking
 * reads judgements synchronously with {@link ScoreCache.peek} and never waits for the LLM.
 *
 * @throws {@link RerankError} `UNKNOWN_OPTION` / `INVALID_OPTION` for bad options.
 *
 * @example
 * ```ts
 * const cache = createScoreCache({ scorer });
 * const view = cache.peek({ key: 'u1', profile }, ['a', 'b']); // synchronous, L1 only
 * await cache.prefetch({ key: 'u1', profile }, ['a', 'b']);
 * rerank({ candidates, user: { id: 'u1', profile }, k: 10, strategy: llmBlend({ cache, weight: 0.5 }) });
 * await cache.close();
 * ```
 */
export function createScoreCache(options: ScoreCacheOptions): ScoreCache {
  return new NearlineScoreCache(resolveScoreCacheOptions(options));
}
