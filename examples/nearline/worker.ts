/**
 * Nearline worker: judges every active user's candidates and fills the shared L2 store.
 * Run: `npx tsx examples/nearline/worker.ts` (with REDIS_URL set, a separate server process reads the result).
 */
import { createScoreCache, type ScoreStore } from '../../src/index.js';
import { activeUsers, isMain, judge, openStore } from './shared.js';

/** Scores all active users' candidates into `store`; resolves when every pair has ended. */
export async function runWorker(store: ScoreStore): Promise<void> {
  // The worker's own cache is just the machinery: batching, retries, breaker, L2 write-back.
  const cache = createScoreCache({ scorer: judge, store, batchSize: 16, concurrency: 2 });
  for (const user of activeUsers) {
    const result = await cache.prefetch({ key: user.id, profile: user.profile }, user.candidates.map((c) => c.id));
    console.log(`worker: ${user.id.padEnd(5)} ${JSON.stringify(result)}`);
  }
  const { scorerCalls, failures, storeErrors } = cache.stats();
  console.log(`worker: done — ${scorerCalls} scorer calls, ${failures} failures, ${storeErrors} store errors`);
  await cache.close();
}

if (isMain(import.meta.url)) {
  const { store, kind, close } = await openStore();
  console.log(`worker: L2 = ${kind}`);
  await runWorker(store);
  await close();
}
