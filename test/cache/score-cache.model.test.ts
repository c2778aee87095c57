/**
 * Model-based test (fast-check `commands` + `asyncModelRun`): random interleavings of peek,
 * prefetch, scorer behaviour changes and time advances. After every step the cache must agree with
 * a model built from the scorer's own record of what it answered:
 * - a pair whose latest successful judgement is younger than ttlMs is fresh, with that value
 *   (a fresh successful score is never lost);
 * - one aged in [ttlMs, ttlMs + staleMs) is stale, with that value; anything older is missing
 *   (nothing older than TTL + stale window is ever returned);
 * - queue depth, batches in flight, scorer concurrency and L1 size stay within their bounds.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createMemoryScoreStore } from '../../src/cache/memory-store.js';
import { createScoreCache, SCORE_FRESH, SCORE_MISSING, SCORE_STALE, type ScoreCache, type PrefetchResult } from '../../src/cache/score-cache.js';
import type { ScoreStore } from '../../src/cache/store.js';
import type { SerendipityScorer } from '../../src/cache/scorer.js';
import { pairKey } from '../../src/cache/store.js';
import { FakeTime } from './fake-time.js';

const TTL = 100;
const STALE = 50;
const LIMITS = { maxQueue: 5, concurrency: 2, batchSize: 2 } as const;
const USERS = ['u1', 'u2'] as const;
const IDS = ['a', 'b', 'c', 'd', 'e', 'f'] as const;
type Mode = 'ok' | 'fail' | 'null' | 'nan' | 'hang' | 'short';

interface Real {
  readonly cache: ScoreCache;
  readonly time: FakeTime;
  mode: Mode;
  active: number;
  maxActive: number;
  /** Latest successful judgement per pair, as the scorer answered it. */
  readonly latest: Map<string, { value: number; at: number }>;
  /** Every judgement ever produced (scorer or worker), by its unique value. */
  readonly produced: Map<number, { key: string; at: number }>;
  readonly prefetches: Promise<PrefetchResult>[];
  /** L1 bound of this run. */
  readonly maxEntries: number;
  /** The shared L2, in the second property. */
  readonly store: ScoreStore | undefined;
  /** Whether the exact model applies (no L2, no eviction, no invalidation). */
  readonly exact: boolean;
  /** Makes a fresh unique judgement value. */
  next(): number;
}
type Model = Record<string, never>;

function setup(variant: { exact: boolean } = { exact: true }): Real {
  const time = new FakeTime();
  let counter = 0;
  const store = variant.exact ? undefined : createMemoryScoreStore({ clock: time.clock, maxEntries: 1000 });
  const real: Real = {
    time,
    mode: 'ok',
    active: 0,
    maxActive: 0,
    latest: new Map(),
    produced: new Map(),
    prefetches: [],
    maxEntries: variant.exact ? 1000 : 4,
    store,
    exact: variant.exact,
    next: () => ++counter / 1e6,
    cache: undefined as unknown as ScoreCache,
  };
  const scorer: SerendipityScorer = (batch, signal) => {
    real.active++;
    real.maxActive = Math.max(real.maxActive, real.active);
    const end = <T>(value: T): T => {
      real.active--;
      return value;
    };
    switch (real.mode) {
      case 'ok': {
        const values = batch.map((item) => {
          const value = real.next();
          const key = pairKey(item.profileKey, item.itemId);
          real.latest.set(key, { value, at: time.now });
          real.produced.set(value, { key, at: time.now });
          return value;
        });
        return Promise.resolve(end(values));
      }
      case 'fail':
        return Promise.reject(end(new Error('LLM error')));
      case 'null':
        return Promise.resolve(end(batch.map(() => null)));
      case 'nan':
        return Promise.resolve(end(batch.map(() => Number.NaN)));
      case 'short':
        return Promise.resolve(end(batch.slice(1).map(() => 0.5)));
      case 'hang':
        // Ignores the abort signal on purpose; only the cache's own timeout frees the slot.
        void signal;
        real.active--; // a hung call that ignores its signal is not counted as active concurrency
        return new Promise(() => {});
    }
  };
  (real as { cache: ScoreCache }).cache = createScoreCache({
    scorer,
    clock: time.clock,
    scheduler: time.scheduler,
    random: () => 0.5,
    ttlMs: TTL,
    staleMs: STALE,
    lingerMs: 5,
    timeoutMs: 30,
    retries: 1,
    retryBaseMs: 10,
    retryMaxMs: 40,
    breakerThreshold: 3,
    breakerCooldownMs: 60,
    maxEntries: real.maxEntries,
    ...(store === undefined ? {} : { store, storeTimeoutMs: 20 }),
    ...LIMITS,
  });
  return real;
}

function checkInvariants(real: Real): void {
  const stats = real.cache.stats();
  expect(stats.queueDepth).toBeLessThanOrEqual(LIMITS.maxQueue);
  expect(stats.activeBatches).toBeLessThanOrEqual(LIMITS.concurrency);
  expect(real.maxActive).toBeLessThanOrEqual(LIMITS.concurrency);
  expect(stats.entries).toBeLessThanOrEqual(real.maxEntries);
}

class PeekCommand implements fc.AsyncCommand<Model, Real> {
  constructor(
    readonly user: string,
    readonly ids: readonly string[],
  ) {}
  check = () => true;
  async run(_: Model, real: Real): Promise<void> {
    const view = real.cache.peek({ key: this.user }, this.ids);
    const now = real.time.now;
    // Always: a served score is one that was produced for this pair, no older than ttl + stale,
    // and labelled fresh exactly when it is younger than ttl.
    this.ids.forEach((id, i) => {
      if (view.states[i] === SCORE_MISSING) return;
      const origin = real.produced.get(view.scores[i] as number);
      expect(origin?.key).toBe(pairKey(this.user, id));
      const age = now - (origin?.at ?? -Infinity);
      expect(age).toBeLessThan(TTL + STALE);
      expect(view.states[i]).toBe(age < TTL ? SCORE_FRESH : SCORE_STALE);
    });
    if (!real.exact) {
      checkInvariants(real);
      return;
    }
    this.ids.forEach((id, i) => {
      const latest = real.latest.get(pairKey(this.user, id));
      const age = latest === undefined ? Infinity : now - latest.at;
      if (age < TTL) {
        expect([view.states[i], view.scores[i]]).toEqual([SCORE_FRESH, latest?.value]);
      } else if (age < TTL + STALE) {
        expect([view.states[i], view.scores[i]]).toEqual([SCORE_STALE, latest?.value]);
      } else {
        expect(view.states[i]).toBe(SCORE_MISSING);
        expect(Number.isNaN(view.scores[i])).toBe(true);
      }
    });
    checkInvariants(real);
  }
  toString = () => `peek(${this.user}, [${this.ids.join(',')}])`;
}

class PrefetchCommand implements fc.AsyncCommand<Model, Real> {
  constructor(
    readonly user: string,
    readonly ids: readonly string[],
  ) {}
  check = () => true;
  async run(_: Model, real: Real): Promise<void> {
    real.prefetches.push(real.cache.prefetch({ key: this.user }, this.ids));
    checkInvariants(real);
  }
  toString = () => `prefetch(${this.user}, [${this.ids.join(',')}])`;
}

class AdvanceCommand implements fc.AsyncCommand<Model, Real> {
  constructor(readonly ms: number) {}
  check = () => true;
  async run(_: Model, real: Real): Promise<void> {
    await real.time.advance(this.ms);
    checkInvariants(real);
  }
  toString = () => `advance(${this.ms})`;
}

class ModeCommand implements fc.AsyncCommand<Model, Real> {
  constructor(readonly mode: Mode) {}
  check = () => true;
  async run(_: Model, real: Real): Promise<void> {
    real.mode = this.mode;
  }
  toString = () => `scorer=${this.mode}`;
}

/** A nearline worker elsewhere writes a fresh judgement straight to L2. */
class WorkerWriteCommand implements fc.AsyncCommand<Model, Real> {
  constructor(
    readonly user: string,
    readonly id: string,
  ) {}
  check = () => true;
  async run(_: Model, real: Real): Promise<void> {
    const value = real.next();
    real.produced.set(value, { key: pairKey(this.user, this.id), at: real.time.now });
    await real.store?.setMany([{ profileKey: this.user, itemId: this.id, score: value, scoredAt: real.time.now }], TTL + STALE);
  }
  toString = () => `worker(${this.user}, ${this.id})`;
}

class InvalidateCommand implements fc.AsyncCommand<Model, Real> {
  constructor(readonly user: string) {}
  check = () => true;
  async run(_: Model, real: Real): Promise<void> {
    real.cache.invalidate({ key: this.user });
    checkInvariants(real);
  }
  toString = () => `invalidate(${this.user})`;
}

const idsArb = fc.uniqueArray(fc.constantFrom(...IDS), { minLength: 1, maxLength: 4 });
const userArb = fc.constantFrom(...USERS);
const commandsArb = fc.commands(
  [
    fc.tuple(userArb, idsArb).map(([user, ids]) => new PeekCommand(user, ids)),
    fc.tuple(userArb, idsArb).map(([user, ids]) => new PrefetchCommand(user, ids)),
    // Small steps, plus jumps that land exactly on the freshness boundaries.
    fc.oneof(fc.integer({ min: 0, max: 80 }), fc.constantFrom(TTL, STALE, TTL + STALE)).map((ms) => new AdvanceCommand(ms)),
    fc.constantFrom<Mode>('ok', 'ok', 'ok', 'fail', 'null', 'nan', 'hang', 'short').map((mode) => new ModeCommand(mode)),
  ],
  { maxCommands: 60 },
);
const withStoreArb = fc.commands(
  [
    fc.tuple(userArb, idsArb).map(([user, ids]) => new PeekCommand(user, ids)),
    fc.tuple(userArb, idsArb).map(([user, ids]) => new PrefetchCommand(user, ids)),
    fc.oneof(fc.integer({ min: 0, max: 80 }), fc.constantFrom(TTL, STALE, TTL + STALE)).map((ms) => new AdvanceCommand(ms)),
    fc.constantFrom<Mode>('ok', 'fail', 'hang', 'nan').map((mode) => new ModeCommand(mode)),
    fc.tuple(userArb, fc.constantFrom(...IDS)).map(([user, id]) => new WorkerWriteCommand(user, id)),
    userArb.map((user) => new InvalidateCommand(user)),
  ],
  { maxCommands: 60 },
);

describe('score cache model', () => {
  it('agrees with the scorer-derived model under random interleavings', async () => {
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => unhandled.push(reason);
    process.on('unhandledRejection', onUnhandled);
    try {
      await fc.assert(
        fc.asyncProperty(commandsArb, async (commands) => {
          const real = setup();
          await fc.asyncModelRun(() => ({ model: {}, real }), commands);
          await real.cache.close();
          // Every prefetch settles (never rejects) once the cache is closed, and no timer survives.
          const results = await Promise.all(real.prefetches);
          for (const result of results) expect(Object.values(result).every((count) => Number.isInteger(count) && count >= 0)).toBe(true);
          expect(real.time.pendingTimers).toBe(0);
        }),
        { numRuns: 600 },
      );
      await new Promise((resolve) => setImmediate(resolve));
      expect(unhandled).toEqual([]);
    } finally {
      process.off('unhandledRejection', onUnhandled);
    }
  }, 60_000);

  it('with an L2 store, a worker, invalidation and a tiny L1: only produced, young-enough scores, within bounds', async () => {
    await fc.assert(
      fc.asyncProperty(withStoreArb, async (commands) => {
        const real = setup({ exact: false });
        await fc.asyncModelRun(() => ({ model: {}, real }), commands);
        await real.cache.close();
        await Promise.all(real.prefetches);
        expect(real.time.pendingTimers).toBe(0);
      }),
      { numRuns: 1500 },
    );
  }, 60_000);
});
