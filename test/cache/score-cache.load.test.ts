/**
 * Load: 10,000 rerank calls issued against cold caches while a slow scorer (20 ms per call) works
 * in the background. Checks bounds, not speed: the queue never exceeds maxQueue, scorer
 * concurrency never exceeds the limit, the heap stays bounded, and nothing is left unhandled.
 */
import { describe, expect, it } from 'vitest';
import { createScoreCache } from '../../src/cache/score-cache.js';
import type { SerendipityScorer } from '../../src/cache/scorer.js';
import { rerank } from '../../src/rerank.js';
import { llmBlend } from '../../src/strategies/post/llm-blend.js';
import { serendipitySlots } from '../../src/strategies/post/serendipity-slots.js';

const CALLS = 10_000;
const CONCURRENCY = 4;
const MAX_QUEUE = 2_000;

describe('score cache under load', () => {
  it('stays within its bounds with 10,000 rerank calls on cold caches and a slow scorer', { timeout: 30_000 }, async () => {
    /** A scorer taking 20 ms per call that honours abort, recording its own concurrency. */
    const slowScorer = () => {
      const meter = { active: 0, maxActive: 0, calls: 0 };
      const scorer: SerendipityScorer = (batch, signal) =>
        new Promise((resolve, reject) => {
          meter.calls++;
          meter.active++;
          meter.maxActive = Math.max(meter.maxActive, meter.active);
          const timer = setTimeout(() => {
            meter.active--;
            resolve(batch.map((item) => (item.itemId.length % 10) / 10));
          }, 20);
          signal.addEventListener('abort', () => {
            clearTimeout(timer);
            meter.active--;
            reject(signal.reason);
          });
        });
      return { scorer, meter };
    };
    const blendScorer = slowScorer();
    const slotsScorer = slowScorer();
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => unhandled.push(reason);
    process.on('unhandledRejection', onUnhandled);
    const blendCache = createScoreCache({ scorer: blendScorer.scorer, concurrency: CONCURRENCY, maxQueue: MAX_QUEUE });
    const slotsCache = createScoreCache({ scorer: slotsScorer.scorer, concurrency: CONCURRENCY, maxQueue: MAX_QUEUE, batchSize: 8 });
    const blend = llmBlend({ cache: blendCache, weight: 0.5 });
    const slots = serendipitySlots({ source: slotsCache, share: 0.2, minRelevance: 0.3 });
    const catalogue = Array.from({ length: 400 }, (_, i) => ({ id: `item-${i}`, relevance: ((i * 7919) % 400) / 400 }));
    const heapBefore = process.memoryUsage().heapUsed;
    let maxDepth = 0;
    try {
      for (let call = 0; call < CALLS; call++) {
        const start = (call * 37) % 380;
        const candidates = catalogue.slice(start, start + 20);
        const user = { id: `user-${call % 2_000}` };
        const { items } = rerank({ candidates, user, k: 10, strategy: call % 2 === 0 ? blend : slots });
        expect(items.length).toBe(10);
        if (call % 250 === 0) {
          maxDepth = Math.max(maxDepth, blendCache.stats().queueDepth, slotsCache.stats().queueDepth);
          await new Promise((resolve) => setImmediate(resolve)); // let scorer calls start and finish
        }
      }
      await new Promise((resolve) => setTimeout(resolve, 300));
      const heapGrowthMb = (process.memoryUsage().heapUsed - heapBefore) / 2 ** 20;
      for (const cache of [blendCache, slotsCache]) {
        const stats = cache.stats();
        expect(stats.queueDepth).toBeLessThanOrEqual(MAX_QUEUE);
        expect(stats.activeBatches).toBeLessThanOrEqual(CONCURRENCY);
        expect(stats.dropped).toBeGreaterThan(0); // far more cold pairs than the queue holds
        expect(stats.refreshes).toBeGreaterThan(0);
      }
      expect(maxDepth).toBeLessThanOrEqual(MAX_QUEUE);
      for (const { meter } of [blendScorer, slotsScorer]) {
        expect(meter.maxActive).toBeLessThanOrEqual(CONCURRENCY);
        expect(meter.calls).toBeGreaterThan(0);
      }
      // Bounded: queues hold ≤ 2 × 2,000 pairs and L1 ≤ 2 × 100,000 small entries; garbage aside, far below this.
      expect(heapGrowthMb).toBeLessThan(256);
      if (process.env.LOAD_REPORT) console.info(JSON.stringify({ heapGrowthMb, maxDepth, blend: blendCache.stats(), meters: [blendScorer.meter, slotsScorer.meter] }));
    } finally {
      await Promise.all([blendCache.close(), slotsCache.close()]);
      await new Promise((resolve) => setImmediate(resolve));
      process.off('unhandledRejection', onUnhandled);
    }
    expect(blendScorer.meter.active + slotsScorer.meter.active).toBe(0);
    expect(unhandled).toEqual([]);
  });
});
