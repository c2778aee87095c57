/**
 * Nearline score cache benchmark (run: `npx tsx benchmarks/cache.ts`).
 *
 * 1. Online overhead: `peek()` of 1,000 items on a warm L1, against an MMR rerank at
 *    N = 1000, k = 50, d = 64 (target: peek ≤ 10% of MMR), plus llmBlend end to end.
 * 2. Refresh throughput with a zero-latency scorer (L1 only, and with an in-memory L2).
 * 3. Fault cases: rerank(llmBlend) latency on a cold cache whose scorer or store misbehaves,
 *    next to the healthy case; every call must return a full list and never throw.
 * All numbers come from this one run; the ratios are what to compare across machines.
 */
import { performance } from 'node:perf_hooks';
import {
  createMemoryScoreStore,
  createScoreCache,
  llmBlend,
  mmr,
  relevance,
  rerank,
  type Candidate,
  type ScoreCache,
  type ScoreStore,
  type SerendipityScorer,
} from '../src/index.js';
import { mulberry32 as seeded } from '../src/_internals/random.js';
import { gaussianVectors, medianMs } from './cache/timing.js';

const N = 1000;
const K = 50;
const DIM = 64;
const random = seeded(42);
const vectors = gaussianVectors(N + 20, DIM, random);
const candidates: Candidate[] = Array.from({ length: N }, (_, i) => ({ id: `item-${i}`, relevance: random(), embedding: vectors[i] as number[] }));
const ids = candidates.map((c) => c.id);
const profile = { longTerm: ['jazz', 'hiking', 'sci-fi', 'cooking'], shortTerm: ['bossa nova'], edges: ['opera', 'climbing'] };
const user = { id: 'u1', profile, history: Array.from({ length: 20 }, (_, h) => ({ id: `seen-${h}`, embedding: vectors[N + h] as number[] })) };
const subject = { key: user.id, profile };
const fmt = (ms: number): string => `${(ms * 1000).toFixed(1)} µs`;

async function closeAll(caches: ScoreCache[]): Promise<void> {
  await Promise.all(caches.map((cache) => cache.close()));
}

// ---------------------------------------------------------------- 1. online overhead
const never: SerendipityScorer = () => new Promise(() => {});
const warm = createScoreCache({ scorer: never, maxEntries: 10_000 });
const keyed = { key: 'u1', profileKey: 'cognition-v1' };
ids.forEach((id, i) => {
  warm.put(subject, id, ((i * 7919) % 1000) / 1000);
  warm.put(keyed, id, ((i * 7919) % 1000) / 1000);
});
const peekMs = medianMs(() => warm.peek(subject, ids));
const peekKeyedMs = medianMs(() => warm.peek(keyed, ids));
const mmrStrategy = mmr({ lambda: 0.6 });
const mmrMs = medianMs(() => rerank({ candidates, user, k: K, strategy: mmrStrategy }), 100, 10);
const relevanceMs = medianMs(() => rerank({ candidates, user, k: K, strategy: relevance() }));
const blend = llmBlend({ cache: warm, weight: 0.5 });
const blendMs = medianMs(() => rerank({ candidates, user, k: K, strategy: blend }));
const warmStats = warm.stats();
console.log('== 1. online overhead (warm L1, N=1000, k=50, d=64)');
console.table([
  { what: 'peek(1000 ids), profile hashed', median: fmt(peekMs), 'vs MMR': `${((100 * peekMs) / mmrMs).toFixed(2)}%` },
  { what: 'peek(1000 ids), explicit profileKey', median: fmt(peekKeyedMs), 'vs MMR': `${((100 * peekKeyedMs) / mmrMs).toFixed(2)}%` },
  { what: 'rerank mmr(λ=0.6)', median: fmt(mmrMs), 'vs MMR': '100%' },
  { what: 'rerank relevance()', median: fmt(relevanceMs), 'vs MMR': `${((100 * relevanceMs) / mmrMs).toFixed(2)}%` },
  { what: 'rerank llmBlend(w=0.5), all hits', median: fmt(blendMs), 'vs MMR': `${((100 * blendMs) / mmrMs).toFixed(2)}%` },
]);
console.log(`target peek ≤ 10% of MMR: ${peekMs / mmrMs <= 0.1 ? 'met' : 'NOT met'} (ratio ${(peekMs / mmrMs).toFixed(4)}); misses during the run: ${warmStats.misses}`);
await closeAll([warm]);

// ---------------------------------------------------------------- 2. refresh throughput
async function throughput(label: string, store: ScoreStore | undefined): Promise<Record<string, string | number>> {
  const instant: SerendipityScorer = (batch) => Promise.resolve(batch.map((item) => (item.itemId.length % 10) / 10));
  const cache = createScoreCache({ scorer: instant, ...(store === undefined ? {} : { store }), maxQueue: 200_000, maxEntries: 200_000, lingerMs: 0 });
  const users = 100;
  const t0 = performance.now();
  await Promise.all(Array.from({ length: users }, (_, u) => cache.prefetch({ key: `user-${u}` }, ids)));
  const seconds = (performance.now() - t0) / 1000;
  const stats = cache.stats();
  await cache.close();
  return { path: label, pairs: users * N, seconds: Number(seconds.toFixed(3)), 'pairs/s': Math.round((users * N) / seconds), scorerCalls: stats.scorerCalls, refreshes: stats.refreshes };
}
console.log('\n== 2. refresh throughput, zero-latency scorer (batchSize 32, concurrency 4)');
console.table([await throughput('scorer → L1', undefined), await throughput('L2 read → scorer → L1 + L2', createMemoryScoreStore())]);

// ---------------------------------------------------------------- 3. fault cases
const slowStore: ScoreStore = { getMany: () => new Promise(() => {}), setMany: () => new Promise(() => {}) };
const downStore: ScoreStore = { getMany: () => Promise.reject(new Error('ECONNREFUSED')), setMany: () => Promise.reject(new Error('ECONNREFUSED')) };
const faults: [string, SerendipityScorer, ScoreStore | undefined][] = [
  ['healthy scorer', (batch) => Promise.resolve(batch.map(() => 0.5)), undefined],
  ['scorer throws synchronously', () => { throw new Error('boom'); }, undefined],
  ['scorer rejects', () => Promise.reject(new Error('503')), undefined],
  ['scorer hangs (ignores abort)', () => new Promise(() => {}), undefined],
  ['scorer returns NaN / out of range', (batch) => Promise.resolve(batch.map((_, i) => (i % 2 ? Number.NaN : 7))), undefined],
  ['scorer returns wrong length', () => Promise.resolve([0.5]), undefined],
  ['store down (rejects)', (batch) => Promise.resolve(batch.map(() => 0.5)), downStore],
  ['store hangs (slow Redis)', (batch) => Promise.resolve(batch.map(() => 0.5)), slowStore],
];
console.log('\n== 3. fault cases: rerank(llmBlend) on a cold cache, N=1000, k=50; 300 calls, each for a new user');
const rows: Record<string, string | number>[] = [];
for (const [label, scorer, store] of faults) {
  const cache = createScoreCache({ scorer, ...(store === undefined ? {} : { store }), timeoutMs: 200, storeTimeoutMs: 50, breakerCooldownMs: 500 });
  const strategy = llmBlend({ cache });
  let call = 0;
  let full = 0;
  const samples: number[] = [];
  for (let round = 0; round < 300; round++) {
    const t0 = performance.now();
    const { items } = rerank({ candidates, user: { id: `cold-${call++}` }, k: K, strategy });
    samples.push(performance.now() - t0);
    if (items.length === K) full++;
    if (round % 20 === 0) await new Promise((resolve) => setTimeout(resolve, 5)); // let the background work run
  }
  samples.sort((a, b) => a - b);
  const stats = cache.stats();
  await cache.close();
  rows.push({
    case: label,
    'median rerank': fmt(samples[samples.length >> 1] as number),
    'full lists': `${full}/300`,
    failures: stats.failures,
    timeouts: stats.timeouts,
    storeErrors: stats.storeErrors,
    dropped: stats.dropped,
    breaker: stats.breaker,
  });
}
console.table(rows);
console.log('dropped = cold pairs beyond maxQueue (10,000): 300 new users × 1,000 items each arrive faster than any scorer drains them.');
