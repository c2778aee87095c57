/**
 * An online server of the fleet: no scorer. rerank() reads L1; misses go to L2 in the background,
 * and what L2 cannot fill is published to the demand stream for the workers.
 * Started by main.ts (env REDIS_URL, NAME); stops on SIGTERM.
 */
import { createClient } from 'redis';
import { llmBlend, rerank } from '../../src/index.js';
import { createRedisDemandQueue, createRedisScoreStore, createScoreCache } from '../../src/redis/index.js';
import { candidatesAt, env, PREFIX, report, STREAM, users } from './shared.js';

const client = createClient({ url: env('REDIS_URL'), disableOfflineQueue: true, socket: { reconnectStrategy: () => 200 } });
client.on('error', () => {}); // counted by the store and the demand queue; the server keeps serving
await client.connect();
const demand = createRedisDemandQueue({ client, stream: STREAM });
const cache = createScoreCache({ store: createRedisScoreStore({ client, prefix: PREFIX }), demand });
const strategy = llmBlend({ cache, weight: 0.5 });
const salt = Number(env('NAME').replace(/\D/g, '')) || 0;
const start = Date.now();
let running = true;
let requests = 0;
let last = cache.stats();

const ticker = setInterval(() => {
  const now = cache.stats();
  const reads = now.hits + now.staleHits + now.misses - (last.hits + last.staleHits + last.misses);
  report('SERVER', { name: env('NAME'), requests, hitRate: reads === 0 ? 0 : (now.hits + now.staleHits - last.hits - last.staleHits) / reads, demand: demand.stats() });
  last = now;
}, 1000);

process.once('SIGTERM', () => (running = false));
process.once('SIGINT', () => (running = false)); // Ctrl-C reaches the whole process group; main.ts coordinates
while (running) {
  const user = users[requests % users.length] as (typeof users)[number];
  rerank({ candidates: candidatesAt(Date.now() - start, salt), user, k: 10, strategy });
  requests++;
  await new Promise((resolve) => setTimeout(resolve, 5));
}
clearInterval(ticker);
await cache.close();
await demand.close();
client.destroy();
