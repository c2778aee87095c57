/**
 * One nearline worker of the fleet test: an openAICompatibleScorer against the test LLM server, in the
 * consumer group. Stops gracefully on SIGTERM and reports its stats; must then exit on its own.
 * Env: REDIS_URL, LLM_URL, CONSUMER, STREAM, PREFIX.
 */
import { createClient } from 'redis';
import { openAICompatibleScorer } from '../../src/llm/index.js';
import { createRedisScoreStore, runScoreWorker } from '../../src/redis/index.js';
import { describeItem } from './fleet-catalogue.js';

const env = (name: string): string => {
  const value = process.env[name];
  if (value === undefined) throw new Error(`missing ${name}`);
  return value;
};
const consumer = env('CONSUMER');
const client = createClient({ url: env('REDIS_URL'), disableOfflineQueue: true, socket: { reconnectStrategy: () => 50, connectTimeout: 500 } });
client.on('error', () => {});
await client.connect();
const scorer = openAICompatibleScorer({ baseURL: env('LLM_URL'), model: 'fake-judge', describeItem, maxRetries: 0, concurrency: 8, headers: { 'x-worker': consumer } });
const worker = runScoreWorker({
  client,
  stream: env('STREAM'),
  group: 'judges',
  consumer,
  scorer,
  store: createRedisScoreStore({ client, prefix: env('PREFIX') }),
  claimIdleMs: 1500,
  maxDeliveries: 3,
  retries: 0,
  breakerCooldownMs: 300,
  pollMs: 20,
});
process.stdout.write('READY\n');
process.once('SIGTERM', () => {
  void worker.stop().then(() => {
    client.destroy();
    process.stdout.write(`RESULT ${JSON.stringify(worker.stats())}\n`);
  });
});
