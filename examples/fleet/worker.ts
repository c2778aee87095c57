/**
 * A nearline worker of the fleet: judges the demand stream with an OpenAI-compatible scorer, writes L2
 * and acknowledges. Started by main.ts (env REDIS_URL, LLM_URL, NAME); SIGTERM stops it gracefully.
 * Without LLM_URL it uses a zero-latency scorer (throughput.ts measures the fleet's own overhead).
 */
import { createClient } from 'redis';
import { openAICompatibleScorer } from '../../src/llm/index.js';
import { createRedisScoreStore, runScoreWorker } from '../../src/redis/index.js';
import { describeItem, env, GROUP, PREFIX, report, STREAM } from './shared.js';

const client = createClient({ url: env('REDIS_URL'), disableOfflineQueue: true, socket: { reconnectStrategy: () => 200 } });
client.on('error', () => {});
await client.connect();
const worker = runScoreWorker({
  client,
  stream: STREAM,
  group: GROUP,
  consumer: env('NAME'),
  scorer: process.env.LLM_URL
    ? openAICompatibleScorer({ baseURL: env('LLM_URL'), model: 'fake-judge', describeItem, concurrency: 8 })
    : (batch) => Promise.resolve(batch.map(() => 0.5)),
  store: createRedisScoreStore({ client, prefix: PREFIX }),
  claimIdleMs: 5_000,
});
const ticker = setInterval(() => report('WORKER', { name: env('NAME'), ...worker.stats() }), Number(process.env.REPORT_MS ?? 1000));
const stop = () => {
  clearInterval(ticker);
  void worker.stop().then(() => {
    report('WORKER-STOPPED', { name: env('NAME'), ...worker.stats() });
    client.destroy();
  });
};
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
