/**
 * One online server of the fleet test: no scorer; reads L2 and publishes demand. Issues rerank() load
 * with llmBlend, alternating request by request between a cache that publishes demand and one that
 * does not (same L2), and reports the pairs it asked for and the synchronous rerank() latencies.
 * Env: REDIS_URL, SERVER_INDEX, DURATION_MS, STREAM, PREFIX.
 */
import { performance } from 'node:perf_hooks';
import { createClient } from 'redis';
import { llmBlend, rerank, type Candidate } from '../../src/index.js';
import { createRedisDemandQueue, createRedisScoreStore, createScoreCache } from '../../src/redis/index.js';
import { candidatesAt, profileKeyOf, profileOf, SLOT_MS, usersOf } from './fleet-catalogue.js';

const env = (name: string): string => {
  const value = process.env[name];
  if (value === undefined) throw new Error(`missing ${name}`);
  return value;
};
const index = Number(env('SERVER_INDEX'));
const durationMs = Number(env('DURATION_MS'));
const client = createClient({ url: env('REDIS_URL'), disableOfflineQueue: true, socket: { reconnectStrategy: () => 50, connectTimeout: 500 } });
client.on('error', () => {});
await client.connect();

const store = createRedisScoreStore({ client, prefix: env('PREFIX') });
const queue = createRedisDemandQueue({ client, stream: env('STREAM'), dedupeMs: 120_000 });
let inRerank = false;
let publishedInsideRerank = 0;
let publishMs = 0;
const demand = {
  publish(pairs: Parameters<typeof queue.publish>[0]): void {
    if (inRerank) publishedInsideRerank++; // publishing must never run on the request path
    const t0 = performance.now();
    queue.publish(pairs);
    publishMs += performance.now() - t0;
  },
};
const on = createScoreCache({ store, demand, lingerMs: 2 });
const off = createScoreCache({ store, lingerMs: 2 });
const strategies = [llmBlend({ cache: on, weight: 0.5 }), llmBlend({ cache: off, weight: 0.5 })];
const samples: [number[], number[]] = [[], []];
/** When each pair was asked by the publishing cache, in 100 ms buckets (epoch ms). */
const asked = new Map<string, Set<number>>();
const users = usersOf(index);
const start = Date.now();
let request = 0;
let cycle = 0;
while (Date.now() - start < durationMs) {
  const slot = Math.floor((Date.now() - start) / SLOT_MS);
  cycle++;
  for (const [j, user] of users.entries()) {
    const ids = candidatesAt(user, slot);
    const candidates: Candidate[] = ids.map((id, i) => ({ id, relevance: ((i * 7 + index) % ids.length) / ids.length }));
    // Each user alternates between the two arms from one cycle to the next.
    const arm = (cycle + j) % 2;
    request++;
    inRerank = true;
    const t0 = performance.now();
    rerank({ candidates, user: { id: user, profile: profileOf(user), profileKey: profileKeyOf(user) }, k: 10, strategy: strategies[arm] as (typeof strategies)[0] });
    const t1 = performance.now();
    inRerank = false;
    (samples[arm] as number[]).push(t1 - t0);
    if (arm === 0) {
      const bucket = Math.floor(Date.now() / 100) * 100;
      for (const id of ids) {
        const pair = `${profileKeyOf(user)}\u0000${id}`;
        let times = asked.get(pair);
        if (times === undefined) asked.set(pair, (times = new Set()));
        times.add(bucket);
      }
    }
  }
  await new Promise((resolve) => setTimeout(resolve, 3));
}
await Promise.all([on.close(), off.close()]);
await queue.close();
const quantile = (xs: number[], q: number) => {
  const sorted = Float64Array.from(xs).sort();
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] as number;
};
const result = {
  asked: Object.fromEntries([...asked].map(([pair, times]) => [pair, [...times]])),
  requests: request,
  publishedInsideRerank,
  publishMs,
  latency: { on: samples[0], off: samples[1] },
  p99: { on: quantile(samples[0], 0.99), off: quantile(samples[1], 0.99) },
  cache: { on: on.stats(), off: off.stats() },
  demand: queue.stats(),
};
client.destroy();
process.stdout.write(`RESULT ${JSON.stringify(result)}\n`);
// Nothing else: the process must now exit on its own (no leaked handle).
