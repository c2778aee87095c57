import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { createScoreCache, type ScoreCache } from '../../../src/cache/score-cache.js';
import { RerankError } from '../../../src/errors/rerank-error.js';
import { rerank } from '../../../src/rerank.js';
import { llmBlend } from '../../../src/strategies/post/llm-blend.js';
import type { Candidate } from '../../../src/types.js';
import { describeRerankerContract } from '../../contract/reranker-contract.js';
import { FakeTime, heldScorer, instantScorer } from '../../cache/fake-time.js';

/** Deterministic pseudo-judgement of an id in [0, 1). */
function judgement(id: string): number {
  let h = 7;
  for (let i = 0; i < id.length; i++) h = (h * 31 + id.charCodeAt(i)) % 1009;
  return h / 1009;
}

const CONTRACT_IDS = ['__proto__', 'constructor', 'hasOwnProperty', ...Array.from({ length: 30 }, (_, i) => `item-${i}`)];

/** A cache holding judgements for two thirds of the contract's ids (the rest take the fallback); time never moves. */
function warmCache(): ScoreCache {
  const time = new FakeTime();
  const cache = createScoreCache({ scorer: heldScorer().scorer, clock: time.clock, scheduler: time.scheduler });
  CONTRACT_IDS.forEach((id, i) => {
    if (i % 3 !== 2) cache.put({ key: 'user-1' }, id, judgement(id));
  });
  return cache;
}

describeRerankerContract({
  name: 'llmBlend({ weight: 0.5 }) on a partly warm cache',
  make: () => llmBlend({ cache: warmCache(), weight: 0.5 }),
  noop: () => llmBlend({ cache: warmCache(), weight: 0 }),
});
describeRerankerContract({
  name: 'llmBlend on a fresh (cold) cache',
  make: () => llmBlend({ cache: createScoreCache({ scorer: instantScorer().scorer, scheduler: new FakeTime().scheduler }) }),
});

let time: FakeTime;
let caches: ScoreCache[] = [];
function cacheWith(scores: Record<string, number>, scorer = heldScorer().scorer): ScoreCache {
  const cache = createScoreCache({ scorer, clock: time.clock, scheduler: time.scheduler, ttlMs: 100, staleMs: 100, lingerMs: 0 });
  for (const [id, score] of Object.entries(scores)) cache.put({ key: 'u1' }, id, score);
  caches.push(cache);
  return cache;
}
afterEach(async () => {
  await Promise.all(caches.map((cache) => cache.close()));
  caches = [];
});

const candidates: Candidate[] = [
  { id: 'a', relevance: 2 },
  { id: 'b', relevance: 4 },
  { id: 'c', relevance: 6 },
];

describe('llmBlend', () => {
  it('scores (1 − w)·r̂ + w·s with min-max relevance, and relevance alone on a miss (hand-worked)', () => {
    time = new FakeTime();
    const cache = cacheWith({ a: 1, b: 0.2 });
    const { items } = rerank({ candidates, user: { id: 'u1' }, k: 3, strategy: llmBlend({ cache, weight: 0.5 }) });
    // r̂ = (r − 2) / (6 − 2) = [0, 0.5, 1]; a: 0.5·0 + 0.5·1 = 0.5; b: 0.5·0.5 + 0.5·0.2 = 0.35; c (miss): r̂ = 1.
    expect(items.map((item) => [item.id, item.score, item.source])).toEqual([
      ['c', 1, 'fallback'],
      ['a', 0.5, 'llm'],
      ['b', 0.5 * 0.5 + 0.5 * 0.2, 'llm'],
    ]);
    expect(items[1]?.parts).toEqual({ relevance: 0, serendipity: 0.5 });
    expect(items[0]?.parts).toEqual({ relevance: 0.5, serendipity: 0.5 });
  });

  it('marks stale judgements and schedules their refresh and the misses', async () => {
    time = new FakeTime();
    const { scorer, seen } = instantScorer(() => 0.9);
    const cache = cacheWith({ a: 1, b: 0.2 }, scorer);
    time.now = 150;
    const { items } = rerank({ candidates, user: { id: 'u1' }, k: 3, strategy: llmBlend({ cache }) });
    expect(items.map((item) => item.source).sort()).toEqual(['fallback', 'stale', 'stale']);
    await time.advance(0);
    expect(seen.flat().map((item) => item.itemId).sort()).toEqual(['a', 'b', 'c']);
    const after = rerank({ candidates, user: { id: 'u1' }, k: 3, strategy: llmBlend({ cache }) });
    expect(after.items.every((item) => item.source === 'llm')).toBe(true);
  });

  it('uses a host feature for misses and rejects a feature outside [0, 1]', () => {
    time = new FakeTime();
    const cache = cacheWith({ a: 1 });
    const feature = (request: { candidates: { ids: readonly string[] } }, i: number) => (request.candidates.ids[i] === 'b' ? 1 : 0);
    const { items } = rerank({ candidates, user: { id: 'u1' }, k: 3, strategy: llmBlend({ cache, weight: 0.8, fallback: feature }) });
    // a: 0.2·0 + 0.8·1 = 0.8; b: 0.2·0.5 + 0.8·1 = 0.9; c: 0.2·1 + 0.8·0 = 0.2.
    expect(items.map((item) => [item.id, item.source])).toEqual([
      ['b', 'fallback'],
      ['a', 'llm'],
      ['c', 'fallback'],
    ]);
    expect(items[0]?.score).toBeCloseTo(0.2 * 0.5 + 0.8, 15);
    expect(() => rerank({ candidates, user: { id: 'u1' }, k: 3, strategy: llmBlend({ cache, fallback: () => Number.NaN }) })).toThrow(
      /fallback returned NaN/,
    );
  });

  it('a throwing fallback feature degrades that request to the relevance fallback and is counted (issue 12 item 10)', () => {
    time = new FakeTime();
    const cache = cacheWith({ a: 1 });
    const boom = new Error('feature store down');
    let calls = 0;
    const strategy = llmBlend({
      cache,
      weight: 0.8,
      fallback: (_request, i) => {
        calls++;
        if (i === 2) throw boom;
        return 1;
      },
    });
    expect(strategy.stats()).toEqual({ fallbackErrors: 0, lastFallbackError: undefined });
    const { items } = rerank({ candidates, user: { id: 'u1' }, k: 3, strategy });
    // r̂ = (0, 0.5, 1). a: 0.2·0 + 0.8·1 = 0.8 (llm); b and c take s = r̂ (the feature's 1 for b is dropped):
    // b: 0.2·0.5 + 0.8·0.5 = 0.5; c: 0.2·1 + 0.8·1 = 1.
    expect(items.map((item) => [item.id, item.source])).toEqual([
      ['c', 'fallback'],
      ['a', 'llm'],
      ['b', 'fallback'],
    ]);
    expect(items.map((item) => item.score)).toEqual([1, 0.8, 0.2 * 0.5 + 0.8 * 0.5]);
    expect(calls).toBe(2);
    expect(strategy.stats()).toEqual({ fallbackErrors: 1, lastFallbackError: boom });
    rerank({ candidates, user: { id: 'u1' }, k: 1, strategy });
    expect(strategy.stats().fallbackErrors).toBe(2);
  });

  it('with weight 1 on a fully cached request orders by judgement, ties by input index (brute force)', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 4 }), { minLength: 1, maxLength: 12 }), fc.integer({ min: 1, max: 12 }), (levels, k) => {
        time = new FakeTime();
        const scores = Object.fromEntries(levels.map((level, i) => [`i${i}`, level / 4]));
        const cache = cacheWith(scores);
        const request = levels.map((_, i) => ({ id: `i${i}`, relevance: (i * 7) % 5 }));
        const ids = rerank({ candidates: request, user: { id: 'u1' }, k, strategy: llmBlend({ cache, weight: 1 }) }).items.map((item) => item.id);
        const expected = levels
          .map((level, i) => ({ id: `i${i}`, level, i }))
          .sort((x, y) => y.level - x.level || x.i - y.i)
          .slice(0, k)
          .map((x) => x.id);
        expect(ids).toEqual(expected);
      }),
      { numRuns: 50 },
    );
  });

  it('returns a valid list and never throws whatever the scorer does', { timeout: 30_000 }, async () => {
    time = new FakeTime();
    const behaviours = [
      () => {
        throw new Error('sync');
      },
      () => Promise.reject(new Error('async')),
      () => new Promise<never>(() => {}),
      (batch: readonly unknown[]) => Promise.resolve(batch.map(() => Number.NaN)),
      () => Promise.resolve([0.5]),
    ];
    for (const behaviour of behaviours) {
      const cache = cacheWith({}, behaviour as never);
      for (let round = 0; round < 5; round++) {
        const { items } = rerank({ candidates, user: { id: 'u1' }, k: 2, strategy: llmBlend({ cache }) });
        expect(items.map((item) => item.id)).toEqual(['c', 'b']);
        await time.advance(20_000);
      }
      expect(cache.stats().failures).toBeGreaterThan(0);
    }
  });

  it('reads the user profile and profileKey', () => {
    time = new FakeTime();
    const cache = cacheWith({});
    cache.put({ key: 'u1', profileKey: 'cognition-v2' }, 'a', 1);
    const { items } = rerank({ candidates, user: { id: 'u1', profileKey: 'cognition-v2', profile: { x: 1 } }, k: 1, strategy: llmBlend({ cache, weight: 1 }) });
    expect(items[0]?.source).toBe('llm');
  });

  it('rejects bad options and a request without a user', () => {
    time = new FakeTime();
    const cache = cacheWith({});
    expect(() => llmBlend({ cache, weight: 1.5 })).toThrow(/weight/);
    expect(() => llmBlend({ cache, wieght: 0.5 } as never)).toThrow(/unknown option "wieght"/);
    expect(() => llmBlend({ cache: {} as never })).toThrow(/cache/);
    expect(() => llmBlend({ cache, fallback: 'popularity' as never })).toThrow(/fallback/);
    expect(() => rerank({ candidates, k: 1, strategy: llmBlend({ cache }) })).toThrow(RerankError);
  });
});
