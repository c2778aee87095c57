import { describe, expect, it } from 'vitest';
import { createScoreCache, SCORE_FRESH, SCORE_MISSING, SCORE_STALE } from '../../src/cache/score-cache.js';
import { createMemoryScoreStore } from '../../src/cache/memory-store.js';
import { RerankError } from '../../src/errors/rerank-error.js';
import { FakeTime, fakeTimeCaches, flush, heldScorer, instantScorer } from './fake-time.js';

const profile = { interests: ['jazz', 'hiking'] };
const u1 = { key: 'u1', profile };

const make = fakeTimeCaches();

describe('createScoreCache: acceptance shape with every default', () => {
  it('peeks synchronously, prefetches, reports stats and closes', async () => {
    const { scorer } = instantScorer((item) => (item.itemId === 'a' ? 0.25 : 0.75));
    const cache = createScoreCache({ scorer });
    const view = cache.peek({ key: 'u1', profile }, ['a', 'b']);
    expect(view.scores).toBeInstanceOf(Float64Array);
    expect([...view.scores].every(Number.isNaN)).toBe(true);
    expect(view.missing).toEqual(['a', 'b']);
    const result = await cache.prefetch({ key: 'u1', profile }, ['a', 'b']);
    expect(result.ready + result.scored).toBe(2);
    expect([...cache.peek({ key: 'u1', profile }, ['a', 'b']).scores]).toEqual([0.25, 0.75]);
    expect(cache.stats()).toMatchObject({ misses: 2, hits: 2, failures: 0, dropped: 0, breaker: 'closed' });
    await cache.close();
  });
});

describe('L1 freshness', () => {
  it('serves fresh before ttlMs, stale until ttlMs + staleMs, then nothing', async () => {
    const time = new FakeTime();
    const { scorer, seen } = instantScorer(() => 0.4);
    const cache = make(time, { scorer, ttlMs: 100, staleMs: 50, lingerMs: 0 });
    cache.put(u1, 'a', 0.9);
    let view = cache.peek(u1, ['a']);
    expect([view.states[0], view.scores[0]]).toEqual([SCORE_FRESH, 0.9]);
    await time.advance(99);
    expect(cache.peek(u1, ['a']).states[0]).toBe(SCORE_FRESH);
    expect(seen.length).toBe(0);
    time.now = 100; // exactly ttlMs old: stale, and a refresh is scheduled
    view = cache.peek(u1, ['a']);
    expect([view.states[0], view.scores[0]]).toEqual([SCORE_STALE, 0.9]);
    expect(view.stale).toEqual(['a']);
    await time.advance(0);
    expect(seen.length).toBe(1);
    expect(cache.peek(u1, ['a']).scores[0]).toBe(0.4); // refreshed at t=100
    await time.advance(149); // t=249: 149 old, stale
    view = cache.peek(u1, ['a']);
    expect(view.states[0]).toBe(SCORE_STALE);
  });

  it('treats an entry at exactly ttlMs + staleMs as missing', async () => {
    const time = new FakeTime();
    const { scorer } = heldScorer();
    const cache = make(time, { scorer, ttlMs: 100, staleMs: 50 });
    cache.put(u1, 'a', 0.9);
    time.now = 149;
    expect(cache.peek(u1, ['a']).states[0]).toBe(SCORE_STALE);
    time.now = 150;
    const view = cache.peek(u1, ['a']);
    expect(view.states[0]).toBe(SCORE_MISSING);
    expect(Number.isNaN(view.scores[0])).toBe(true);
    expect(view.missing).toEqual(['a']);
  });

  it('bounds L1 by maxEntries: the least recently used profile goes first', () => {
    const time = new FakeTime();
    const cache = make(time, { scorer: heldScorer().scorer, maxEntries: 3 });
    const [a, b, c] = [{ key: 'ua' }, { key: 'ub' }, { key: 'uc' }];
    cache.put(a, 'x', 0.1);
    cache.put(b, 'x', 0.2);
    cache.put(b, 'y', 0.2);
    cache.peek(a, ['x']); // ua is now more recent than ub
    cache.put(c, 'x', 0.3); // 4 > 3: evicts ub (both entries)
    expect(cache.stats().entries).toBe(2);
    expect(cache.peek(a, ['x']).states[0]).toBe(SCORE_FRESH);
    expect([...cache.peek(b, ['x', 'y']).states]).toEqual([SCORE_MISSING, SCORE_MISSING]);
    expect(cache.peek(c, ['x']).states[0]).toBe(SCORE_FRESH);
  });

  it('bounds a lone profile by dropping its oldest writes', () => {
    const time = new FakeTime();
    const cache = make(time, { scorer: heldScorer().scorer, maxEntries: 2 });
    cache.put(u1, 'a', 0.1);
    cache.put(u1, 'b', 0.2);
    cache.put(u1, 'a', 0.15); // rewrite: 'a' is now the newest
    cache.put(u1, 'c', 0.3);
    expect(cache.stats().entries).toBe(2);
    expect([...cache.peek(u1, ['a', 'b', 'c']).states]).toEqual([SCORE_FRESH, SCORE_MISSING, SCORE_FRESH]);
  });
});

describe('profile keys', () => {
  it('hashes the profile canonically: key order does not matter, a changed profile misses', () => {
    const time = new FakeTime();
    const cache = make(time, { scorer: heldScorer().scorer });
    cache.put({ key: 'u1', profile: { a: 1, b: [1, 2] } }, 'x', 0.5);
    expect(cache.peek({ key: 'u1', profile: { b: [1, 2], a: 1 } }, ['x']).scores[0]).toBe(0.5);
    expect(cache.peek({ key: 'u1', profile: { a: 1, b: [1, 3] } }, ['x']).states[0]).toBe(SCORE_MISSING);
  });

  it('uses user.id without a profile, an explicit profileKey first, then the profileKey option', () => {
    const time = new FakeTime();
    const cache = make(time, { scorer: heldScorer().scorer, profileKey: (p) => `v${(p as { version: number }).version}` });
    expect(cache.profileKeyOf({ key: 'u1' })).toBe('u1');
    expect(cache.profileKeyOf({ key: 'u1', profile: { version: 3 } })).toBe('v3');
    expect(cache.profileKeyOf({ key: 'u1', profile: { version: 3 }, profileKey: 'explicit' })).toBe('explicit');
  });

  it('rejects a cyclic profile and an empty key with a RerankError', () => {
    const time = new FakeTime();
    const cache = make(time, { scorer: heldScorer().scorer });
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect(() => cache.peek({ key: 'u1', profile: cyclic }, ['a'])).toThrow(RerankError);
    expect(() => cache.peek({ key: '' }, ['a'])).toThrow(/subject.key/);
    expect(() => cache.peek(u1, [1 as unknown as string])).toThrow(/itemIds\[0\]/);
  });
});

describe('background refresh', () => {
  it('batches up to batchSize at once and lingers for a partial batch', async () => {
    const time = new FakeTime();
    const { scorer, calls } = heldScorer();
    const cache = make(time, { scorer, batchSize: 3, lingerMs: 10, concurrency: 4 });
    cache.peek(u1, ['a', 'b']);
    await time.advance(9);
    expect(calls.length).toBe(0);
    await time.advance(1);
    expect(calls.map((call) => call.batch.map((item) => item.itemId))).toEqual([['a', 'b']]);
    cache.peek(u1, ['c', 'd', 'e', 'f', 'g', 'h', 'i']);
    await time.advance(0);
    expect(calls.slice(1).map((call) => call.batch.length)).toEqual([3, 3, 1]);
    expect(calls[1]?.batch[0]).toEqual({ profileKey: cache.profileKeyOf(u1), profile, itemId: 'c' });
  });

  it('never scores the same pair twice concurrently', async () => {
    const time = new FakeTime();
    const { scorer, calls } = heldScorer();
    const cache = make(time, { scorer, lingerMs: 0 });
    cache.peek(u1, ['a', 'b']);
    await time.advance(0);
    cache.peek(u1, ['a', 'b', 'a']);
    const prefetch = cache.prefetch(u1, ['b']);
    await time.advance(100);
    expect(calls.length).toBe(1);
    calls[0]?.resolve([0.1, 0.2]);
    expect(await prefetch).toEqual({ ready: 0, loaded: 0, scored: 1, failed: 0, dropped: 0 });
    expect([...cache.peek(u1, ['a', 'b']).scores]).toEqual([0.1, 0.2]);
  });

  it('keeps at most `concurrency` scorer calls in flight', async () => {
    const time = new FakeTime();
    const held = heldScorer();
    const cache = make(time, { scorer: held.scorer, batchSize: 1, concurrency: 2, lingerMs: 0 });
    cache.peek(u1, ['a', 'b', 'c', 'd', 'e']);
    await time.advance(0);
    expect(held.active()).toBe(2);
    expect(cache.stats()).toMatchObject({ activeBatches: 2, queueDepth: 3 });
    held.calls[0]?.resolve([0.5]);
    await time.advance(0);
    expect(held.calls.length).toBe(3);
    for (const call of held.calls) call.resolve([0.5]);
    await time.advance(0);
    for (const call of held.calls) call.resolve([0.5]);
    await time.advance(0);
    expect(held.maxActive()).toBe(2);
    expect(held.calls.length).toBe(5);
  });

  it('aborts a call after timeoutMs, counts it, and frees the slot', async () => {
    const time = new FakeTime();
    const held = heldScorer();
    const cache = make(time, { scorer: held.scorer, timeoutMs: 100, retries: 0, lingerMs: 0 });
    cache.peek(u1, ['a']);
    await time.advance(99);
    expect(held.calls[0]?.signal.aborted).toBe(false);
    await time.advance(1);
    expect(held.calls[0]?.signal.aborted).toBe(true);
    expect((held.calls[0]?.signal.reason as RerankError).code).toBe('SCORER_TIMEOUT');
    expect(cache.stats()).toMatchObject({ timeouts: 1, failures: 1, activeBatches: 0 });
    expect(cache.peek(u1, ['a']).states[0]).toBe(SCORE_MISSING);
  });

  it('retries with capped exponential backoff and equal jitter, then gives up', async () => {
    const time = new FakeTime();
    const callTimes: number[] = [];
    const scorer = (): Promise<never> => {
      callTimes.push(time.now);
      return Promise.reject(new Error('LLM down'));
    };
    const cache = make(time, { scorer, retries: 3, retryBaseMs: 100, retryMaxMs: 250, lingerMs: 0, breakerThreshold: 100 });
    const done = cache.prefetch(u1, ['a']);
    await time.advance(10_000);
    // random() = 0.5; delay_j = d/2 + 0.5·d/2 with d = min(250, 100·2^(j−1)).
    const d1 = 100 / 2 + (0.5 * 100) / 2;
    const d2 = 200 / 2 + (0.5 * 200) / 2;
    const d3 = 250 / 2 + (0.5 * 250) / 2;
    expect(callTimes).toEqual([0, d1, d1 + d2, d1 + d2 + d3]);
    expect(await done).toEqual({ ready: 0, loaded: 0, scored: 0, failed: 1, dropped: 0 });
    expect(cache.stats()).toMatchObject({ failures: 4, retries: 3, queueDepth: 0 });
  });

  it('opens the breaker after threshold failures, probes after the cool-down, closes on success', async () => {
    const time = new FakeTime();
    const held = heldScorer();
    const cache = make(time, { scorer: held.scorer, breakerThreshold: 2, breakerCooldownMs: 1000, retries: 0, lingerMs: 0, batchSize: 1, concurrency: 1 });
    cache.peek(u1, ['a', 'b', 'c', 'd']);
    await time.advance(0);
    held.calls[0]?.reject(new Error('boom'));
    await time.advance(0);
    held.calls[1]?.reject(new Error('boom'));
    await time.advance(0);
    expect(cache.stats().breaker).toBe('open');
    // An open breaker fails what is pending at once instead of holding it for the cool-down.
    expect(cache.stats()).toMatchObject({ breakerRejected: 2, queueDepth: 0 });
    await time.advance(999);
    cache.peek(u1, ['c']);
    await time.advance(0);
    expect(held.calls.length).toBe(2); // open: no calls
    await time.advance(1);
    cache.peek(u1, ['c']);
    await time.advance(0);
    expect(held.calls.length).toBe(3); // half-open probe
    expect(cache.stats().breaker).toBe('half-open');
    held.calls[2]?.reject(new Error('still down'));
    await time.advance(0);
    expect(cache.stats().breaker).toBe('open');
    await time.advance(1000);
    cache.peek(u1, ['d']);
    await time.advance(0);
    expect(held.calls.length).toBe(4);
    held.calls[3]?.resolve([0.3]);
    await time.advance(0);
    expect(cache.stats().breaker).toBe('closed');
    cache.peek(u1, ['e']);
    await time.advance(0);
    expect(held.calls.length).toBe(5);
  });

  it('bounds the queue: drops the oldest of the lowest priority, or the newcomer when it is lowest', async () => {
    const time = new FakeTime();
    const held = heldScorer();
    const cache = make(time, { scorer: held.scorer, maxQueue: 3, batchSize: 1, concurrency: 1, lingerMs: 0, retries: 0 });
    cache.peek(u1, ['busy']);
    await time.advance(0); // 'busy' is in flight, the queue is empty
    cache.put(u1, 's', 0.5);
    time.now += 10 * 60_000 + 1; // 's' is now stale
    cache.peek(u1, ['m1', 'm2', 's']); // queue: miss m1, miss m2, stale s
    expect(cache.stats()).toMatchObject({ queueDepth: 3, dropped: 0 });
    cache.peek(u1, ['m3']); // full: drops the stale refresh (lowest priority)
    expect(cache.stats()).toMatchObject({ queueDepth: 3, dropped: 1 });
    cache.peek(u1, ['m4']); // full of misses: drops the oldest miss, m1
    expect(cache.stats()).toMatchObject({ queueDepth: 3, dropped: 2 });
    const late = cache.prefetch(u1, ['p']); // prefetch ranks below misses: dropped itself
    expect(await late).toMatchObject({ dropped: 1 });
    expect(cache.stats().dropped).toBe(3);
    const order: string[] = [];
    for (let step = 0; step < 4; step++) {
      const call = held.calls[held.calls.length - 1];
      order.push(...(call?.batch.map((item) => item.itemId) ?? []));
      call?.resolve([0.5]);
      await time.advance(0);
    }
    expect(order).toEqual(['busy', 'm2', 'm3', 'm4']);
  });
});

describe('regression: retries-overflow-maxQueue (found by the model test)', () => {
  it('drops retries that do not fit in maxQueue instead of exceeding it', async () => {
    const time = new FakeTime();
    const held = heldScorer();
    const cache = make(time, { scorer: held.scorer, maxQueue: 5, concurrency: 2, batchSize: 2, lingerMs: 5, timeoutMs: 30, retries: 1 });
    cache.peek(u1, ['a', 'e', 'd']);
    await time.advance(0); // two hung batches: [a, e] and [d]
    cache.peek({ key: 'u2' }, ['a', 'b', 'e']); // queued: 3
    await time.advance(100); // both batches time out: 3 retries want in, 2 fit
    expect(cache.stats().queueDepth).toBeLessThanOrEqual(5);
    expect(cache.stats().dropped).toBe(1);
  });
});

describe('scorer faults never poison L1 and are all counted', () => {
  const faults: [string, () => (batch: readonly unknown[]) => unknown][] = [
    ['throws synchronously', () => () => { throw new Error('sync'); }],
    ['rejects', () => () => Promise.reject(new Error('async'))],
    ['returns NaN', () => (batch) => Promise.resolve(batch.map(() => Number.NaN))],
    ['returns out-of-range scores', () => (batch) => Promise.resolve(batch.map((_, i) => (i % 2 === 0 ? 1.5 : -0.1)))],
    ['returns the wrong length', () => (batch) => Promise.resolve([...batch.map(() => 0.5), 0.5])],
    ['returns a non-array', () => () => Promise.resolve({ 0: 0.5 })],
    ['returns strings', () => (batch) => Promise.resolve(batch.map(() => '0.5'))],
    ['returns null for every pair', () => (batch) => Promise.resolve(batch.map(() => null))],
  ];
  for (const [name, fault] of faults) {
    it(`when the scorer ${name}`, async () => {
      const time = new FakeTime();
      const cache = make(time, { scorer: fault() as never, retries: 1, lingerMs: 0 });
      const view = cache.peek(u1, ['a', 'b']);
      expect(view.missing).toEqual(['a', 'b']);
      const prefetch = cache.prefetch(u1, ['a', 'b']);
      await time.advance(60_000);
      expect(await prefetch).toMatchObject({ scored: 0, failed: 2 });
      const after = cache.peek(u1, ['a', 'b']);
      expect([...after.states]).toEqual([SCORE_MISSING, SCORE_MISSING]);
      expect(cache.stats()).toMatchObject({ failures: 4, refreshes: 0, entries: 0 });
    });
  }

  it('keeps valid entries of a partly invalid answer', async () => {
    const time = new FakeTime();
    const cache = make(time, { scorer: (batch) => Promise.resolve(batch.map((item) => (item.itemId === 'a' ? 0.3 : Number.POSITIVE_INFINITY))), retries: 0, lingerMs: 0 });
    const done = cache.prefetch(u1, ['a', 'b']);
    await time.advance(0);
    expect(await done).toMatchObject({ scored: 1, failed: 1 });
    const view = cache.peek(u1, ['a', 'b']);
    expect(view.scores[0]).toBe(0.3);
    expect(view.states[1]).toBe(SCORE_MISSING);
    expect(cache.stats()).toMatchObject({ invalidScores: 1, failures: 1 });
  });
});

describe('L2 store', () => {
  it('reads L2 before the scorer and writes back to both tiers', async () => {
    const time = new FakeTime();
    const store = createMemoryScoreStore({ clock: time.clock });
    const worker = make(time, { store, scorer: instantScorer(() => 0.8).scorer, lingerMs: 0 });
    const filled = worker.prefetch(u1, ['a', 'b']);
    await time.advance(0);
    expect(await filled).toMatchObject({ scored: 2 });
    await time.advance(1000);
    // A read-only server: no scorer, L2 only.
    const server = make(time, { store, lingerMs: 0 });
    expect(server.peek(u1, ['a', 'b', 'c']).missing).toEqual(['a', 'b', 'c']);
    await time.advance(0);
    const view = server.peek(u1, ['a', 'b', 'c']);
    expect([...view.scores.subarray(0, 2)]).toEqual([0.8, 0.8]);
    expect(view.states[2]).toBe(SCORE_MISSING);
    expect(server.stats()).toMatchObject({ storeHits: 2, scorerCalls: 0 });
    // A cache with a scorer calls it only for what L2 lacks.
    const { scorer, seen } = instantScorer(() => 0.1);
    const both = make(time, { store, scorer, lingerMs: 0 });
    const mixed = both.prefetch(u1, ['a', 'c']);
    await time.advance(0);
    expect(await mixed).toEqual({ ready: 0, loaded: 1, scored: 1, failed: 0, dropped: 0 });
    expect(seen.map((batch) => batch.map((item) => item.itemId))).toEqual([['c']]);
  });

  it('regression: worker-close-loses-last-write — prefetch resolves only once L2 holds the scores', async () => {
    const time = new FakeTime();
    let release: () => void = () => {};
    const written: string[] = [];
    const store = {
      getMany: (keys: readonly unknown[]) => Promise.resolve(keys.map(() => null)),
      setMany: (records: readonly { itemId: string }[]) =>
        new Promise<void>((resolve) => {
          release = () => {
            written.push(...records.map((record) => record.itemId));
            resolve();
          };
        }),
    };
    const cache = make(time, { store, scorer: instantScorer(() => 0.6).scorer, lingerMs: 0 });
    let settled = false;
    const done = cache.prefetch(u1, ['a']).then((result) => {
      settled = true;
      return result;
    });
    await time.advance(10);
    expect(cache.peek(u1, ['a']).scores[0]).toBe(0.6); // L1 serves at once
    expect(settled).toBe(false); // but the pair has not ended: L2 does not have it yet
    release();
    expect(await done).toMatchObject({ scored: 1 });
    expect(written).toEqual(['a']);
  });

  it('keeps the L2 timestamp: a record older than ttlMs is served stale and refreshed by the scorer', async () => {
    const time = new FakeTime();
    const store = createMemoryScoreStore({ clock: time.clock });
    await store.setMany([{ profileKey: 'u1', itemId: 'a', score: 0.6, scoredAt: 0 }], 10_000);
    time.now = 150;
    const held = heldScorer();
    const cache = make(time, { store, scorer: held.scorer, ttlMs: 100, staleMs: 100, lingerMs: 0 });
    cache.peek({ key: 'u1' }, ['a']);
    await time.advance(0);
    const view = cache.peek({ key: 'u1' }, ['a']);
    expect([view.states[0], view.scores[0]]).toEqual([SCORE_STALE, 0.6]);
    expect(held.calls.length).toBe(1);
  });

  it('ages a fresh L2 record from when it was scored, not from when L1 loaded it', async () => {
    const time = new FakeTime();
    const store = createMemoryScoreStore({ clock: time.clock });
    await store.setMany([{ profileKey: 'u1', itemId: 'a', score: 0.6, scoredAt: 0 }], 10_000);
    time.now = 50;
    const cache = make(time, { store, scorer: heldScorer().scorer, ttlMs: 100, staleMs: 100, lingerMs: 0 });
    const done = cache.prefetch({ key: 'u1' }, ['a']);
    await time.advance(0);
    expect(await done).toMatchObject({ loaded: 1 });
    time.now = 99;
    expect(cache.peek({ key: 'u1' }, ['a']).states[0]).toBe(SCORE_FRESH);
    time.now = 100; // 100 ms after scoring, though only 50 ms after loading
    expect(cache.peek({ key: 'u1' }, ['a']).states[0]).toBe(SCORE_STALE);
  });

  it('keeps serving from L2 while the breaker refuses the scorer; pairs L2 lacks end at once', async () => {
    const time = new FakeTime();
    const store = createMemoryScoreStore({ clock: time.clock });
    const cache = make(time, { store, scorer: () => Promise.reject(new Error('LLM down')), retries: 0, breakerThreshold: 1, breakerCooldownMs: 10_000, lingerMs: 0 });
    const first = cache.prefetch(u1, ['a']);
    await time.advance(0);
    expect(await first).toMatchObject({ failed: 1 });
    expect(cache.stats().breaker).toBe('open');
    // A worker elsewhere writes 'b' to L2 meanwhile.
    await store.setMany([{ profileKey: cache.profileKeyOf(u1), itemId: 'b', score: 0.35, scoredAt: time.now }], 60_000);
    const second = cache.prefetch(u1, ['b', 'c']);
    await time.advance(0);
    expect(await second).toMatchObject({ loaded: 1, failed: 1 });
    expect(cache.peek(u1, ['b']).scores[0]).toBe(0.35);
    expect(cache.stats()).toMatchObject({ breakerRejected: 1, scorerCalls: 1, breaker: 'open' });
  });

  const storeFaults: [string, () => Promise<never>][] = [
    ['rejects', () => Promise.reject(new Error('ECONNREFUSED'))],
    ['hangs', () => new Promise<never>(() => {})],
  ];
  for (const [name, read] of storeFaults) {
    it(`falls through to the scorer when the store ${name}`, async () => {
      const time = new FakeTime();
      const store = { getMany: read, setMany: read };
      const cache = make(time, { store, scorer: instantScorer(() => 0.7).scorer, storeTimeoutMs: 50, lingerMs: 0 });
      const done = cache.prefetch(u1, ['a']);
      await time.advance(100);
      expect(await done).toMatchObject({ scored: 1 });
      expect(cache.peek(u1, ['a']).scores[0]).toBe(0.7);
      expect(cache.stats().storeErrors).toBe(2); // the read and the write
    });
  }

  it('ignores malformed store answers', async () => {
    const time = new FakeTime();
    const store = {
      getMany: () => Promise.resolve([{ score: 2, scoredAt: 0 }, { score: 0.5 }, 'x']),
      setMany: () => Promise.resolve(),
    };
    const cache = make(time, { store: store as never, scorer: instantScorer(() => 0.2).scorer, lingerMs: 0 });
    const done = cache.prefetch(u1, ['a', 'b', 'c']);
    await time.advance(0);
    expect(await done).toMatchObject({ loaded: 0, scored: 3 });
    expect(cache.stats().storeErrors).toBe(3);
  });
});

describe('invalidate and close', () => {
  it('invalidate forgets L1 entries and queued work of that profile only', async () => {
    const time = new FakeTime();
    const held = heldScorer();
    const cache = make(time, { scorer: held.scorer, lingerMs: 5 });
    const u2 = { key: 'u2' };
    cache.put(u1, 'a', 0.5);
    cache.put(u2, 'a', 0.5);
    const pending = cache.prefetch(u1, ['b']);
    cache.invalidate(u1);
    expect(await pending).toMatchObject({ dropped: 1 });
    expect(cache.peek(u1, ['a']).states[0]).toBe(SCORE_MISSING);
    expect(cache.peek(u2, ['a']).states[0]).toBe(SCORE_FRESH);
  });

  it('does not write back a result for a profile invalidated while in flight', async () => {
    const time = new FakeTime();
    const held = heldScorer();
    const cache = make(time, { scorer: held.scorer, lingerMs: 0 });
    cache.peek(u1, ['a']);
    await time.advance(0);
    cache.invalidate(cache.profileKeyOf(u1));
    held.calls[0]?.resolve([0.9]);
    await time.advance(0);
    expect(cache.peek(u1, ['a']).states[0]).toBe(SCORE_MISSING);
  });

  it('close() aborts in-flight calls, drops pending work, clears every timer', async () => {
    const time = new FakeTime();
    const held = heldScorer();
    const cache = make(time, { scorer: held.scorer, batchSize: 1, concurrency: 1, lingerMs: 0, retries: 2 });
    const first = cache.prefetch(u1, ['a']);
    const queued = cache.prefetch(u1, ['b']);
    await time.advance(0);
    expect(held.calls.length).toBe(1);
    await cache.close();
    expect(held.calls[0]?.signal.aborted).toBe(true);
    expect(await first).toMatchObject({ dropped: 1 });
    expect(await queued).toMatchObject({ dropped: 1 });
    expect(time.pendingTimers).toBe(0);
    expect(cache.stats()).toMatchObject({ queueDepth: 0, activeBatches: 0 });
    // Still readable, never schedules, prefetch refuses.
    expect(cache.peek(u1, ['c']).missing).toEqual(['c']);
    expect(time.pendingTimers).toBe(0);
    await expect(cache.prefetch(u1, ['c'])).rejects.toMatchObject({ code: 'CACHE_CLOSED' });
    await cache.close();
  });

  it('close() clears a pending retry timer', async () => {
    const time = new FakeTime();
    const cache = make(time, { scorer: () => Promise.reject(new Error('x')), lingerMs: 0, retries: 3 });
    const done = cache.prefetch(u1, ['a']);
    await time.advance(0);
    expect(cache.stats().queueDepth).toBe(1); // waiting to retry
    await cache.close();
    expect(await done).toMatchObject({ dropped: 1 });
    expect(time.pendingTimers).toBe(0);
    await flush();
  });
});

describe('options', () => {
  it('rejects typos, bad values and a cache that can never fill', () => {
    const scorer = instantScorer().scorer;
    expect(() => createScoreCache({ scorer, ttl: 5 } as never)).toThrow(/unknown option "ttl"/);
    expect(() => createScoreCache({ scorer, batchSize: 0 })).toThrow(/batchSize/);
    expect(() => createScoreCache({ scorer, concurrency: 1.5 })).toThrow(/concurrency/);
    expect(() => createScoreCache({ scorer, ttlMs: Number.NaN })).toThrow(/ttlMs/);
    expect(() => createScoreCache({ scorer, retryBaseMs: 500, retryMaxMs: 100 })).toThrow(/retryMaxMs/);
    expect(() => createScoreCache({})).toThrow(/scorer, a store/);
    expect(() => createScoreCache({ scorer: 'gpt' as never })).toThrow(/scorer/);
    expect(() => createScoreCache({ scorer }).put({ key: 'u' }, 'a', 1.2)).toThrow(RerankError);
  });
});
