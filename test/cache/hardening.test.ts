/**
 * Regression tests for faults found in the score cache by a red-team pass and a mutation spot-check,
 * each named after the fault. Each fails on the code before its fix (or kills the named mutant).
 */
import { describe, expect, it } from 'vitest';
import { rerank } from '../../src/rerank.js';
import { llmBlend } from '../../src/strategies/post/llm-blend.js';
import { serendipitySlots } from '../../src/strategies/post/serendipity-slots.js';
import { FakeTime, fakeTimeCaches, heldScorer } from './fake-time.js';

const make = fakeTimeCaches();

describe('issue 12, item 2: an open breaker is slow to fail', () => {
  it('open breaker fails fast: pending pairs end as failed at once (counted) and prefetch resolves promptly', async () => {
    const time = new FakeTime();
    let calls = 0;
    const cache = make(time, { scorer: () => (calls++, Promise.reject(new Error('LLM down'))) }); // defaults: 30 s cool-down
    const candidates = Array.from({ length: 300 }, (_, i) => ({ id: `c${i}`, relevance: i / 299 }));
    rerank({ candidates, user: { id: 'u1' }, k: 10, strategy: llmBlend({ cache, weight: 0.5 }) });
    let settled: unknown;
    void cache.prefetch({ key: 'u1' }, ['c1', 'c2']).then((result) => (settled = result));
    await time.advance(5_000); // far less than the 30 s cool-down
    expect(settled).toEqual({ ready: 0, loaded: 0, scored: 0, failed: 2, dropped: 0 });
    expect(cache.stats()).toMatchObject({ breaker: 'open', queueDepth: 0 });
    expect(cache.stats().breakerRejected).toBeGreaterThan(250);
    expect(calls).toBeLessThanOrEqual(10);
  });
});

describe('issue 12, item 5: the breaker sticks half-open when reading a probe result throws', () => {
  it('breaker stuck half-open: a probe whose answer throws on read records a failure, and later probes run', async () => {
    const time = new FakeTime();
    const answers: (() => unknown)[] = [
      () => Promise.reject(new Error('down')),
      () => Promise.resolve(new Proxy([0.5], { get: (t, p) => (p === 'length' ? (() => { throw new Error('hostile length'); })() : Reflect.get(t, p)) })),
      () => Promise.resolve([0.5]),
    ];
    let calls = 0;
    const cache = make(time, { scorer: () => (answers[Math.min(calls++, 2)] as () => Promise<number[]>)(), breakerThreshold: 1, breakerCooldownMs: 100, retries: 0, lingerMs: 0 });
    const first = cache.prefetch({ key: 'u' }, ['a']);
    await time.advance(0);
    await first;
    expect(cache.stats().breaker).toBe('open');
    await time.advance(100);
    const probe = cache.prefetch({ key: 'u' }, ['b']);
    await time.advance(0);
    expect(await probe).toMatchObject({ failed: 1 });
    expect(calls).toBe(2);
    expect(cache.stats().breaker).toBe('open'); // the hostile answer counted as a failed probe
    await time.advance(100);
    const next = cache.prefetch({ key: 'u' }, ['c']);
    await time.advance(0);
    expect(await next).toMatchObject({ scored: 1 });
    expect(calls).toBe(3);
    expect(cache.stats().breaker).toBe('closed');
  });
});

describe('issue 12, item 7: invalid scorer output never opens the breaker', () => {
  it('invalid scorer output opens the breaker: calls whose every pair is invalid count as failures', async () => {
    const time = new FakeTime();
    let calls = 0;
    const cache = make(time, {
      scorer: (batch) => (calls++, Promise.resolve(batch.map((_, i) => (i % 2 === 0 ? Number.NaN : 7)))),
      breakerThreshold: 3,
      retries: 0,
      lingerMs: 0,
      batchSize: 1,
      concurrency: 1,
    });
    for (let i = 0; i < 20; i++) {
      cache.peek({ key: 'u' }, [`i${i}`]);
      await time.advance(0);
    }
    expect(cache.stats().breaker).toBe('open');
    expect(calls).toBe(3);
    expect(cache.stats().invalidScores).toBe(3);
  });

  it('a call with at least one valid score is a success for the breaker', async () => {
    const time = new FakeTime();
    const cache = make(time, { scorer: (batch) => Promise.resolve(batch.map((_, i) => (i === 0 ? 0.5 : Number.NaN))), breakerThreshold: 1, retries: 0, lingerMs: 0 });
    for (const ids of [['a', 'b'], ['c', 'd']]) {
      const done = cache.prefetch({ key: 'u' }, ids);
      await time.advance(0);
      expect(await done).toMatchObject({ scored: 1, failed: 1 });
    }
    expect(cache.stats().breaker).toBe('closed');
  });
});

describe('issue 12, item 16: mutants the suite let through', () => {
  it('llmBlend ignoring stale judgements: a judgement past ttlMs but inside the stale window still drives the blend', async () => {
    const time = new FakeTime();
    const held = heldScorer(); // refreshes stay pending, so the stale values are what is served
    const cache = make(time, { scorer: held.scorer, ttlMs: 100, staleMs: 1_000 });
    const subject = { key: 'u1' };
    // Judgements inverse to relevance: with weight 1 the order is by judgement alone.
    for (const [id, s] of [['a', 0.1], ['b', 0.5], ['c', 0.9]] as const) cache.put(subject, id, s);
    await time.advance(150); // every judgement is now stale
    const candidates = [{ id: 'a', relevance: 3 }, { id: 'b', relevance: 2 }, { id: 'c', relevance: 1 }];
    const { items } = rerank({ candidates, user: { id: 'u1' }, k: 3, strategy: llmBlend({ cache, weight: 1 }) });
    expect(items.map((item) => [item.id, item.source, item.score])).toEqual([
      ['c', 'stale', 0.9],
      ['b', 'stale', 0.5],
      ['a', 'stale', 0.1],
    ]);
    await time.advance(1_000); // past the stale window: the fallback (normalised relevance) takes over
    const later = rerank({ candidates, user: { id: 'u1' }, k: 3, strategy: llmBlend({ cache, weight: 1 }) });
    expect(later.items.map((item) => [item.id, item.source])).toEqual([['a', 'fallback'], ['b', 'fallback'], ['c', 'fallback']]);
  });

  it('prefetch "ready" check at exactly ttlMs: a judgement exactly ttlMs old is not ready and is refreshed', async () => {
    const time = new FakeTime();
    let calls = 0;
    const cache = make(time, { scorer: (batch) => (calls++, Promise.resolve(batch.map(() => 0.4))), ttlMs: 100, lingerMs: 0 });
    cache.put({ key: 'u' }, 'a', 0.9);
    time.now = 99;
    expect(await cache.prefetch({ key: 'u' }, ['a'])).toMatchObject({ ready: 1, scored: 0 });
    time.now = 100;
    const result = cache.prefetch({ key: 'u' }, ['a']);
    await time.advance(0);
    expect(await result).toMatchObject({ ready: 0, scored: 1 });
    expect(calls).toBe(1);
  });

  it('retry back-off exponential, not linear: three retries at base 100 wait 100, 200, 400 (before jitter)', async () => {
    const time = new FakeTime();
    const callTimes: number[] = [];
    const cache = make(time, { scorer: () => (callTimes.push(time.now), Promise.reject(new Error('x'))), retries: 3, retryBaseMs: 100, retryMaxMs: 10_000, lingerMs: 0, breakerThreshold: 100 });
    const done = cache.prefetch({ key: 'u' }, ['a']);
    await time.advance(10_000);
    // random() = 0.5: delay = d/2 + 0.5·d/2 = 0.75·d with d = 100, 200, 400 (linear would give 300 last).
    expect(callTimes).toEqual([0, 75, 75 + 150, 75 + 150 + 300]);
    expect(await done).toMatchObject({ failed: 1 });
  });
});

describe('issue 15: stats double counting', () => {
  it('serendipitySlots over an llmBlend base sharing one cache counts each peeked pair once', async () => {
    const time = new FakeTime();
    const held = heldScorer();
    const cache = make(time, { scorer: held.scorer, lingerMs: 0 });
    cache.put({ key: 'u1' }, 'a', 0.9);
    const candidates = ['a', 'b', 'c', 'd'].map((id, i) => ({ id, relevance: 1 - i / 10 }));
    const strategy = serendipitySlots({ source: cache, positions: [2], base: llmBlend({ cache, weight: 0.5 }) });
    rerank({ candidates, user: { id: 'u1' }, k: 3, strategy });
    expect(cache.stats()).toMatchObject({ hits: 1, misses: 3 });
    await time.advance(0);
    rerank({ candidates, user: { id: 'u1' }, k: 3, strategy });
    expect(cache.stats()).toMatchObject({ hits: 2, misses: 6 }); // a second request counts again
  });

  it('two separate peeks with equal ids in different turns both count', async () => {
    const time = new FakeTime();
    const cache = make(time, { scorer: heldScorer().scorer });
    const ids = ['x'];
    cache.peek({ key: 'u' }, ids);
    await Promise.resolve();
    cache.peek({ key: 'u' }, ids);
    expect(cache.stats().misses).toBe(2);
  });
});
