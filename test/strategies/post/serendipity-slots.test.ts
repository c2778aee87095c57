import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { createScoreCache, type ScoreCache } from '../../../src/cache/score-cache.js';
import { RerankError } from '../../../src/errors/rerank-error.js';
import { rerank } from '../../../src/rerank.js';
import { llmBlend } from '../../../src/strategies/post/llm-blend.js';
import { relevance } from '../../../src/strategies/post/relevance.js';
import { serendipitySlots } from '../../../src/strategies/post/serendipity-slots.js';
import type { Candidate, PackedRequest, ScoringReranker } from '../../../src/types.js';
import { describeRerankerContract } from '../../contract/reranker-contract.js';
import { FakeTime, heldScorer } from '../../cache/fake-time.js';

/** A serendipity feature: each candidate's first embedding coordinate (packed, unit-normalised). */
const firstCoordinate = (request: PackedRequest): Float64Array => {
  const { n } = request.candidates;
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) out[i] = (request.candidates.embeddings as Float64Array)[i * request.dim] as number;
  return out;
};
const featureStrategy: ScoringReranker = {
  name: 'firstCoordinate',
  stage: 'pre',
  requires: { embeddings: 'required' },
  select: () => {
    throw new Error('not used');
  },
  score: firstCoordinate,
};

function contractCache(): ScoreCache {
  const time = new FakeTime();
  const cache = createScoreCache({ scorer: heldScorer().scorer, clock: time.clock, scheduler: time.scheduler });
  ['__proto__', 'constructor', 'hasOwnProperty', ...Array.from({ length: 30 }, (_, i) => `item-${i}`)].forEach((id, i) => {
    if (i % 4 !== 0) cache.put({ key: 'user-1' }, id, ((i * 37) % 101) / 101);
  });
  return cache;
}

describeRerankerContract({
  name: 'serendipitySlots({ share: 0.3 }) from a scoring strategy',
  make: () => serendipitySlots({ source: featureStrategy, share: 0.3, minRelevance: 0.2 }),
  noop: () => serendipitySlots({ source: featureStrategy, share: 0 }),
  // Equal first coordinates can tie, so the set may change with the order of equal items.
  shuffleInvariant: false,
});
describeRerankerContract({
  name: 'serendipitySlots({ positions: [2, 5] }) from a score cache over llmBlend',
  make: () => {
    const cache = contractCache();
    return serendipitySlots({ source: cache, positions: [2, 5], base: llmBlend({ cache, weight: 0.3 }) });
  },
});

let caches: ScoreCache[] = [];
afterEach(async () => {
  await Promise.all(caches.map((cache) => cache.close()));
  caches = [];
});

// r̂ = relevance itself (min 0, max 1).
const candidates: Candidate[] = [
  { id: 'a', relevance: 1 },
  { id: 'b', relevance: 0.9 },
  { id: 'c', relevance: 0.8 },
  { id: 'd', relevance: 0.6 },
  { id: 'e', relevance: 0.3 },
  { id: 'f', relevance: 0 },
];
const fromTable = (table: Record<string, number>) => (request: PackedRequest) => request.candidates.ids.map((id) => table[id] ?? Number.NaN);

describe('serendipitySlots', () => {
  it('fills reserved ranks with the most serendipitous candidates above the floor (hand-worked)', () => {
    // Serendipity: e is highest but below the floor 0.5; then d, c.
    const source = fromTable({ a: 0.1, b: 0.2, c: 0.5, d: 0.7, e: 0.9, f: 0.95 });
    const { items } = rerank({ candidates, user: { id: 'u' }, k: 5, strategy: serendipitySlots({ source, positions: [2, 4], minRelevance: 0.5 }) });
    // Rank 1 base a; rank 2 slot d; rank 3 base b; rank 4 slot c; rank 5 base: next not placed is e.
    expect(items.map((item) => item.id)).toEqual(['a', 'd', 'b', 'c', 'e']);
    expect(items.map((item) => item.source)).toEqual(['base', 'feature', 'base', 'feature', 'base']);
    expect(items.map((item) => item.score)).toEqual([1, 0.7, 0.9, 0.5, 0.3]);
    expect(items[1]?.parts).toEqual({ relevance: 0, slot: 0.7 });
    expect(items[0]?.parts).toEqual({ relevance: 1, slot: 0 });
  });

  it('spreads share·k slots evenly: k=10, share 0.2 → ranks ⌊0.5·5⌋+1 = 3 and ⌊1.5·5⌋+1 = 8', () => {
    const many: Candidate[] = Array.from({ length: 12 }, (_, i) => ({ id: `i${i}`, relevance: 1 - i / 11 }));
    // Only i10 and i9 (outside the relevance top 10) are serendipitous; no floor.
    const source = fromTable({ i10: 0.9, i9: 0.8 });
    const { items } = rerank({ candidates: many, user: { id: 'u' }, k: 10, strategy: serendipitySlots({ source, share: 0.2, minRelevance: 0 }) });
    expect(items.map((item) => item.id)).toEqual(['i0', 'i1', 'i10', 'i2', 'i3', 'i4', 'i5', 'i9', 'i6', 'i7']);
    // A serendipitous item the base already placed earlier is not moved: the slot takes the next one.
    const early = fromTable({ i1: 0.9, i9: 0.8 });
    const second = rerank({ candidates: many, user: { id: 'u' }, k: 10, strategy: serendipitySlots({ source: early, share: 0.2, minRelevance: 0 }) });
    expect(second.items.map((item) => item.id)).toEqual(['i0', 'i1', 'i9', 'i2', 'i3', 'i4', 'i5', 'i6', 'i7', 'i8']);
  });

  it('minRelevance is inclusive: r̂ exactly at the floor is eligible, just below is not (issue 12 item 16 boundary mutant)', () => {
    // r̂ = relevance (min 0, max 1). d has r̂ = 0.6 exactly and the highest serendipity; c (0.8) is next.
    const source = fromTable({ c: 0.5, d: 0.9 });
    const at = rerank({ candidates, user: { id: 'u' }, k: 3, strategy: serendipitySlots({ source, positions: [1], minRelevance: 0.6 }) });
    expect(at.items.map((item) => [item.id, item.source])).toEqual([
      ['d', 'feature'],
      ['a', 'base'],
      ['b', 'base'],
    ]);
    const above = rerank({ candidates, user: { id: 'u' }, k: 3, strategy: serendipitySlots({ source, positions: [1], minRelevance: 0.6000000000000001 }) });
    expect(above.items.map((item) => [item.id, item.source])).toEqual([
      ['c', 'feature'],
      ['a', 'base'],
      ['b', 'base'],
    ]);
  });

  it('falls back to the base when no candidate is eligible, and skips ranks beyond k', () => {
    const source = fromTable({ f: 1 }); // f is below any positive floor
    const { items } = rerank({ candidates, user: { id: 'u' }, k: 3, strategy: serendipitySlots({ source, positions: [1, 9] }) });
    expect(items.map((item) => item.id)).toEqual(['a', 'b', 'c']);
  });

  it('never moves more than the slot count, and slot items are the best eligible by serendipity (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ r: fc.integer({ min: 0, max: 100 }), s: fc.option(fc.integer({ min: 0, max: 20 }), { nil: undefined }) }), { minLength: 1, maxLength: 15 }),
        fc.integer({ min: 1, max: 15 }),
        fc.uniqueArray(fc.integer({ min: 1, max: 15 }), { maxLength: 5 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (rows, k, positions, floor) => {
          const request = rows.map((row, i) => ({ id: `i${i}`, relevance: row.r }));
          const table = Object.fromEntries(rows.flatMap((row, i) => (row.s === undefined ? [] : [[`i${i}`, row.s]])));
          const strategy = serendipitySlots({ source: fromTable(table), positions, minRelevance: floor });
          const { items } = rerank({ candidates: request, user: { id: 'u' }, k, strategy });
          const m = Math.min(k, rows.length);
          expect(items.length).toBe(m);
          const slotItems = items.filter((item) => item.source === 'feature');
          expect(slotItems.length).toBeLessThanOrEqual(positions.filter((p) => p <= m).length);
          for (const item of slotItems) expect(positions).toContain(item.rank);
          // Brute force: eligible candidates by serendipity desc, ties by index.
          const low = Math.min(...rows.map((row) => row.r));
          const high = Math.max(...rows.map((row) => row.r));
          const eligible = rows
            .map((row, i) => ({ i, s: row.s, rHat: high === low ? 1 : (row.r - low) / (high - low) }))
            .filter((x) => x.s !== undefined && x.rHat >= floor)
            .sort((x, y) => (y.s as number) - (x.s as number) || x.i - y.i);
          // The first slot (in rank order) takes the best eligible not placed at an earlier rank.
          const first = slotItems[0];
          if (first !== undefined) {
            const earlier = new Set(items.slice(0, first.rank - 1).map((item) => item.index));
            expect(first.index).toBe(eligible.find((x) => !earlier.has(x.i))?.i);
          }
        },
      ),
      { numRuns: 100 },
    );
  });

  it('reads a score cache: misses never fill a slot, fresh and stale judgements are labelled', () => {
    const time = new FakeTime();
    const cache = createScoreCache({ scorer: heldScorer().scorer, clock: time.clock, scheduler: time.scheduler, ttlMs: 100, staleMs: 100 });
    caches.push(cache);
    cache.put({ key: 'u' }, 'd', 0.9);
    time.now = 150;
    cache.put({ key: 'u' }, 'c', 0.8);
    const { items } = rerank({ candidates, user: { id: 'u' }, k: 4, strategy: serendipitySlots({ source: cache, positions: [1, 2, 3], minRelevance: 0 }) });
    expect(items.map((item) => [item.id, item.source])).toEqual([
      ['d', 'stale'],
      ['c', 'llm'],
      ['a', 'base'],
      ['b', 'base'],
    ]);
  });

  it('merges requirements of base and source, and names itself', () => {
    const strategy = serendipitySlots({ source: featureStrategy, base: relevance(), positions: [3] });
    expect(strategy.requires).toEqual({ embeddings: 'required' });
    expect(strategy.name).toBe('serendipitySlots(positions=3, minRelevance=0.5, base=relevance)');
  });

  it('rejects bad options and bad source output', () => {
    const source = fromTable({});
    expect(() => serendipitySlots({ source, positions: [2], share: 0.2 })).toThrow(/either/);
    expect(() => serendipitySlots({ source, positions: [0] })).toThrow(/positions/);
    expect(() => serendipitySlots({ source, positions: [2, 2] })).toThrow(/positions/);
    expect(() => serendipitySlots({ source, share: 2 })).toThrow(/share/);
    expect(() => serendipitySlots({ source: 42 as never })).toThrow(/source/);
    expect(() => serendipitySlots({ source, bogus: 1 } as never)).toThrow(RerankError);
    const short = () => [0.5];
    expect(() => rerank({ candidates, k: 2, strategy: serendipitySlots({ source: short }) })).toThrow(/returned 1 scores for 6/);
    const infinite = (request: PackedRequest) => request.candidates.ids.map(() => Number.POSITIVE_INFINITY);
    expect(() => rerank({ candidates, k: 2, strategy: serendipitySlots({ source: infinite }) })).toThrow(/Infinity/);
  });
});
