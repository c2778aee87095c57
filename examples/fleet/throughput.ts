/**
 * Throughput of the fleet machinery itself: N demand entries are published, then two worker processes
 * with a zero-latency scorer drain them (read, L2 check, "judge", L2 write, XACK). Prints pairs/s.
 * Run: `npx tsx examples/fleet/throughput.ts` (needs redis-server). PAIRS=20000 by default.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { createClient } from 'redis';
import { createRedisDemandQueue } from '../../src/redis/index.js';
import { GROUP, STREAM } from './shared.js';

const pairs = Number(process.env.PAIRS ?? 20_000);
const port = await new Promise<number>((resolve) => {
  const probe = createServer().listen(0, '127.0.0.1', () => {
    const { port: p } = probe.address() as { port: number };
    probe.close(() => resolve(p));
  });
});
const redis = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: ['ignore', 'pipe', 'inherit'] });
await new Promise<void>((resolve) => redis.stdout?.on('data', (chunk: Buffer) => chunk.toString().includes('Ready to accept') && resolve()));
const REDIS_URL = `redis://127.0.0.1:${port}`;
const client = createClient({ url: REDIS_URL });
await client.connect();
await client.sendCommand(['XGROUP', 'CREATE', STREAM, GROUP, '0', 'MKSTREAM']);

const demand = createRedisDemandQueue({ client, stream: STREAM, maxLen: pairs * 2, maxBuffer: pairs });
const profile = { likes: ['jazz', 'noir'] };
for (let i = 0; i < pairs; i += 1000) {
  demand.publish(Array.from({ length: Math.min(1000, pairs - i) }, (_, j) => ({ profileKey: `user${(i + j) % 500}`, profile, itemId: `item${i + j}` })));
  await demand.flush();
}
console.log(`published ${demand.stats().published} pairs`);

const exited = (child: ChildProcess) => new Promise<void>((resolve) => child.once('exit', () => resolve()));
const worker = fileURLToPath(new URL('./worker.ts', import.meta.url));
const started = Date.now();
const workers = ['w1', 'w2'].map((name) => spawn(process.execPath, ['--import', 'tsx', worker], { env: { ...process.env, REDIS_URL, NAME: name, LLM_URL: '' }, stdio: 'ignore' }));
let firstAck = 0;
let done = 0;
for (;;) {
  await new Promise((resolve) => setTimeout(resolve, 20));
  const info = (await client.sendCommand(['XINFO', 'GROUPS', STREAM])) as Record<string, unknown>[] | unknown[][];
  const group = info[0] as Record<string, unknown> | unknown[];
  const get = (key: string) => Number(Array.isArray(group) ? group[group.indexOf(key) + 1] : group[key]);
  const acked = pairs - get('lag') - get('pending');
  if (firstAck === 0 && acked > 0) firstAck = Date.now();
  if (acked >= pairs) {
    done = Date.now();
    break;
  }
}
const seconds = (done - firstAck) / 1000;
console.log(`2 workers, zero-latency scorer: ${pairs} pairs in ${seconds.toFixed(2)} s after the first ack = ${Math.round(pairs / seconds)} pairs/s (process start-up excluded; ${((done - started) / 1000).toFixed(1)} s with it)`);
for (const child of workers) child.kill('SIGTERM');
await Promise.all(workers.map(exited));
await demand.close();
client.destroy();
redis.kill('SIGTERM');
await exited(redis);
