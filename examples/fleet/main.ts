/**
 * The nearline fleet in one command (SERAL, arXiv 2502.13539, on Redis Streams): starts a private
 * redis-server, a local OpenAI-compatible test LLM, two workers and two online servers, and prints a
 * live line per second: demand lag, judgements per second, LLM calls and each server's hit rate.
 * Ctrl-C stops everything cleanly (servers, then workers finishing in-flight work, then Redis).
 *
 * Run: `npm run example:fleet` (needs `redis-server` on the PATH). DURATION_MS=20000 stops by itself.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startFakeOpenAIServer } from '../llm-nearline/fake-openai-server.js';

const freePort = () =>
  new Promise<number>((resolve) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });

function exited(child: ChildProcess): Promise<void> {
  return child.exitCode !== null || child.signalCode !== null ? Promise.resolve() : new Promise((resolve) => child.once('exit', () => resolve()));
}

// 1. redis-server on a free loopback port, data in a temporary directory.
const port = await freePort();
const dir = mkdtempSync(join(tmpdir(), 'fleet-example-'));
const redis = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir], { stdio: ['ignore', 'pipe', 'inherit'] });
redis.once('error', (error) => {
  console.error(`could not start redis-server (${error.message}); install it, e.g. apt-get install redis-server`);
  process.exit(1);
});
await new Promise<void>((resolve) => redis.stdout?.on('data', (chunk: Buffer) => chunk.toString().includes('Ready to accept') && resolve()));
const REDIS_URL = `redis://127.0.0.1:${port}`;

// 2. The test LLM: a deterministic judge answering after 20 ms.
let llmCalls = 0;
const llm = await startFakeOpenAIServer({ respond: () => (llmCalls++, { delayMs: 20 }) });
console.log(`redis-server at ${REDIS_URL}; test LLM at ${llm.baseURL}. Ctrl-C to stop.\n`);

// 3. Two workers and two servers, each a separate process.
const start = (file: string, name: string, extra: Record<string, string> = {}) => {
  const child = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(new URL(file, import.meta.url))], {
    env: { ...process.env, REDIS_URL, NAME: name, ...extra },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let buffered = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    buffered += chunk.toString();
    for (let nl = buffered.indexOf('\n'); nl >= 0; nl = buffered.indexOf('\n')) {
      const line = buffered.slice(0, nl);
      buffered = buffered.slice(nl + 1);
      const space = line.indexOf(' ');
      latest.set(name, { kind: line.slice(0, space), data: JSON.parse(line.slice(space + 1)) as Record<string, number> });
    }
  });
  return child;
};
const latest = new Map<string, { kind: string; data: Record<string, number> }>();
const workers = ['worker-1', 'worker-2'].map((name) => start('./worker.ts', name, { LLM_URL: llm.baseURL }));
const servers = ['server-1', 'server-2'].map((name) => start('./server.ts', name));

// 4. One status line per second.
const began = Date.now();
const ticker = setInterval(() => {
  const w = ['worker-1', 'worker-2'].map((name) => latest.get(name)?.data);
  const s = ['server-1', 'server-2'].map((name) => latest.get(name)?.data);
  const judged = w.reduce((sum, d) => sum + (d?.pairsPerSecond ?? 0), 0);
  const hit = s.map((d) => (d === undefined ? '  -' : `${Math.round((d.hitRate ?? 0) * 100)}%`.padStart(4))).join(' / ');
  console.log(
    `t=${String(Math.round((Date.now() - began) / 1000)).padStart(3)}s  lag=${String(w[0]?.lag ?? '-').padStart(4)}  ` +
      `judged/s=${judged.toFixed(0).padStart(4)}  LLM calls=${String(llmCalls).padStart(5)}  hit rate (server-1 / server-2) = ${hit}`,
  );
}, 1000);

// 5. Clean stop: servers first, then workers (they finish and acknowledge in-flight work), then Redis.
let stopping = false;
async function shutdown(): Promise<void> {
  if (stopping) return;
  stopping = true;
  clearInterval(ticker);
  console.log('\nstopping: servers, then workers (finishing in-flight work), then redis-server…');
  for (const child of servers) child.kill('SIGTERM');
  await Promise.all(servers.map(exited));
  for (const child of workers) child.kill('SIGTERM');
  await Promise.all(workers.map(exited));
  for (const name of ['worker-1', 'worker-2']) {
    const d = latest.get(name)?.data;
    if (d !== undefined) console.log(`${name}: acked ${d.acked}, judged ${d.scored}, already in L2 ${d.loaded}, reclaimed ${d.reclaimed}, dead-lettered ${d.deadLettered}`);
  }
  await llm.close();
  redis.kill('SIGTERM');
  await exited(redis);
  rmSync(dir, { recursive: true, force: true });
  console.log('stopped cleanly.');
}
process.once('SIGINT', () => void shutdown());
process.once('SIGTERM', () => void shutdown());
const duration = Number(process.env.DURATION_MS ?? 0);
if (duration > 0) setTimeout(() => void shutdown(), duration).unref();
