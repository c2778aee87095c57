/**
 * Online server: never calls the LLM. Its cache has no scorer, only the L2 store the worker fills;
 * `rerank()` reads L1 synchronously, and misses are loaded from L2 in the background.
 * Run: `npx tsx examples/nearline/server.ts` after the worker (with REDIS_URL set).
 */
import { createScoreCache, llmBlend, rerank, serendipitySlots, type ScoreStore } from '../../src/index.js';
import { activeUsers, isMain, openStore } from './shared.js';

/** Serves two rounds of requests: the first finds L1 cold, the second reads what L2 delivered. */
export async function serve(store: ScoreStore): Promise<void> {
  const cache = createScoreCache({ store, lingerMs: 2 });
  const blend = llmBlend({ cache, weight: 0.5 });
  const slots = serendipitySlots({ source: cache, positions: [3, 7], minRelevance: 0.4, base: blend });
  for (const round of ['cold L1', 'warm L1']) {
    for (const user of activeUsers) {
      const { items } = rerank({ candidates: user.candidates, user: { id: user.id, profile: user.profile }, k: 8, strategy: slots });
      const line = items.map((item) => `${item.id}(${item.source})`).join(' ');
      console.log(`server [${round}] ${user.id.padEnd(5)} ${line}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100)); // the background L2 reads land meanwhile
  }
  const { hits, misses, storeHits, scorerCalls, storeErrors } = cache.stats();
  console.log(`server: hits=${hits} misses=${misses} loaded from L2=${storeHits} scorer calls=${scorerCalls} store errors=${storeErrors}`);
  await cache.close();
}

if (isMain(import.meta.url)) {
  const { store, kind, close } = await openStore();
  console.log(`server: L2 = ${kind}`);
  await serve(store);
  await close();
}
