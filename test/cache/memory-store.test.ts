import { describe, expect, it } from 'vitest';
import { createMemoryScoreStore } from '../../src/cache/memory-store.js';
import { normalisedRelevance } from '../../src/cache/signal.js';
import fc from 'fast-check';

const signal = new AbortController().signal;

describe('createMemoryScoreStore', () => {
  it('expires records ttlMs after the write and keeps the scorer timestamp', async () => {
    let now = 1000;
    const store = createMemoryScoreStore({ clock: () => now });
    await store.setMany([{ profileKey: 'p', itemId: '__proto__', score: 0.5, scoredAt: 900 }], 100);
    now = 1099;
    expect(await store.getMany([{ profileKey: 'p', itemId: '__proto__' }, { profileKey: 'q', itemId: 'x' }], signal)).toEqual([{ score: 0.5, scoredAt: 900 }, null]);
    now = 1100;
    expect(await store.getMany([{ profileKey: 'p', itemId: '__proto__' }], signal)).toEqual([null]);
  });

  it('is bounded by maxEntries and rejects bad options', async () => {
    const store = createMemoryScoreStore({ maxEntries: 2 });
    await store.setMany(['a', 'b', 'c'].map((itemId) => ({ profileKey: 'p', itemId, score: 0.1, scoredAt: 0 })), 60_000);
    const found = await store.getMany(['a', 'b', 'c'].map((itemId) => ({ profileKey: 'p', itemId })), signal);
    expect(found.filter((record) => record !== null).length).toBe(2);
    expect(() => createMemoryScoreStore({ maxEntries: 0 })).toThrow(/maxEntries/);
  });
});

describe('normalisedRelevance', () => {
  it('maps min to 0 and max to 1, keeps order, and maps all-equal relevance to 1 (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.double({ noNaN: true, noDefaultInfinity: true }), { minLength: 1, maxLength: 30 }), (values) => {
        const out = normalisedRelevance(Float64Array.from(values));
        const low = Math.min(...values);
        const high = Math.max(...values);
        values.forEach((v, i) => {
          const r = out[i] as number;
          expect(r >= 0 && r <= 1).toBe(true);
          if (low === high) expect(r).toBe(1);
          else if (v === low) expect(r).toBe(0);
          else if (v === high) expect(r).toBe(1);
          values.forEach((w, j) => {
            if (v < w) expect(r).toBeLessThanOrEqual(out[j] as number);
          });
        });
      }),
      { numRuns: 200 },
    );
    expect([...normalisedRelevance(Float64Array.from([-1e308, 0, 1e308]))]).toEqual([0, 0.5, 1]);
  });
});
