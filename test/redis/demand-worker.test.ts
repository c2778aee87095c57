import { createClient } from 'redis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ScoreRequestItem } from '../../src/cache/scorer.js';
import { createRedisDemandQueue, createRedisScoreStore, createScoreCache, runScoreWorker } from '../../src/redis/index.js';
import { freePort, RedisProcess, runRedisTests } from './redis-server.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
async function eventually(check: () => boolean | Promise<boolean>, ms = 10_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (await check()) return;
    await sleep(25);
  }
  throw new Error('condition not met in time');
}

describe.skipIf(!runRedisTests)('demand queue and stream workers against a real redis-server', () => {
  let server: RedisProcess;
  let client: ReturnType<typeof createClient>;
  let run = 0;
  const names = () => {
    run++;
    return { stream: `demand${run}`, prefix: `s${run}:`, group: 'judges' };
  };

  beforeAll(async () => {
    server = new RedisProcess(await freePort());
    await server.start();
    client = createClient({ url: server.url, disableOfflineQueue: true, socket: { reconnectStrategy: () => 50, connectTimeout: 500 } });
    client.on('error', () => {});
    await client.connect();
  }, 20_000);

  afterAll(async () => {
    client?.destroy();
    await server?.kill();
  });

  it('a server miss is published once, judged once by a worker, and then served from L2', async () => {
    const { stream, prefix, group } = names();
    const store = createRedisScoreStore({ client, prefix });
    const demand = createRedisDemandQueue({ client, stream });
    const cache = createScoreCache({ store, demand, lingerMs: 0 });
    const judged: ScoreRequestItem[] = [];
    const worker = runScoreWorker({
      client, stream, group, consumer: 'w1', store, pollMs: 10,
      scorer: (batch) => (judged.push(...batch), Promise.resolve(batch.map((p) => (p.itemId === 'a' ? 0.75 : 0.25)))),
    });
    const subject = { key: 'u1', profile: { likes: ['jazz'] } };
    for (let i = 0; i < 20; i++) {
      cache.peek(subject, ['a', 'b']);
      await sleep(5);
    }
    await eventually(() => cache.peek(subject, ['a', 'b']).missing.length === 0);
    expect([...cache.peek(subject, ['a', 'b']).scores]).toEqual([0.75, 0.25]);
    expect(judged.map((p) => p.itemId).sort()).toEqual(['a', 'b']);
    expect(judged[0]?.profile).toEqual({ likes: ['jazz'] }); // the profile travelled in the entry
    expect(Number(await client.sendCommand(['XLEN', stream]))).toBe(2); // 20 requests, 2 entries
    expect(demand.stats()).toMatchObject({ published: 2, dropped: 0 });
    expect(cache.stats().demanded).toBeGreaterThanOrEqual(2);
    await eventually(() => worker.stats().acked === 2);
    await worker.stop();
    expect(worker.stats()).toMatchObject({ scored: 2, failed: 0, deadLettered: 0 });
    await cache.close();
    await demand.close();
  });

  it('two servers asking for the same pair publish it once (de-dup across processes)', async () => {
    const { stream } = names();
    const a = createRedisDemandQueue({ client, stream });
    const b = createRedisDemandQueue({ client, stream });
    const pairs = [{ profileKey: 'p', profile: undefined, itemId: 'x' }];
    a.publish(pairs);
    b.publish(pairs);
    await Promise.all([a.flush(), b.flush()]);
    expect(Number(await client.sendCommand(['XLEN', stream]))).toBe(1);
    expect(a.stats().published + b.stats().published).toBe(1);
    expect(a.stats().deduped + b.stats().deduped).toBe(1);
  });

  it('invalidate() reaches L2: the old generation is unreachable at once', async () => {
    const { prefix } = names();
    const store = createRedisScoreStore({ client, prefix });
    const cache = createScoreCache({ store, scorer: (batch) => Promise.resolve(batch.map(() => 0.5)), lingerMs: 0 });
    await cache.prefetch({ key: 'u', profileKey: 'pk' }, ['a']);
    const signal = new AbortController().signal;
    expect(await store.getMany([{ profileKey: 'pk', itemId: 'a' }], signal)).toEqual([expect.objectContaining({ score: 0.5 })]);
    cache.invalidate('pk');
    await eventually(async () => (await store.getMany([{ profileKey: 'pk', itemId: 'a' }], signal))[0] === null, 2000);
    // New judgements land in the new generation and are read back.
    await cache.prefetch({ key: 'u', profileKey: 'pk' }, ['a']);
    expect(await store.getMany([{ profileKey: 'pk', itemId: 'a' }], signal)).toEqual([expect.objectContaining({ score: 0.5 })]);
    expect(await client.pTTL(`${prefix}gen:2:pk`)).toBeGreaterThan(0);
    await cache.close();
  });

  it('entries that fail maxDeliveries deliveries go to the dead-letter stream, exactly once each', async () => {
    const { stream, prefix, group } = names();
    const store = createRedisScoreStore({ client, prefix });
    const demand = createRedisDemandQueue({ client, stream });
    const worker = runScoreWorker({
      client, stream, group, consumer: 'w1', store, pollMs: 10, claimIdleMs: 150, maxDeliveries: 2, retries: 0,
      scorer: (batch) => Promise.resolve(batch.map((p) => (p.itemId === 'poison' ? null : 0.5))),
    });
    demand.publish(['ok1', 'poison', 'ok2'].map((itemId) => ({ profileKey: 'u1', profile: undefined, itemId })));
    demand.publish([{ profileKey: 'u2', profile: undefined, itemId: 'poison' }]);
    await eventually(() => worker.stats().deadLettered === 2, 8000);
    await sleep(400); // would a third delivery dead-letter again?
    await worker.stop();
    const dead = (await client.sendCommand(['XRANGE', `${stream}:dead`, '-', '+'])) as [string, string[]][];
    const pairs = dead.map(([, fields]) => `${fields[fields.indexOf('p') + 1]}/${fields[fields.indexOf('i') + 1]}`).sort();
    expect(pairs).toEqual(['u1/poison', 'u2/poison']);
    expect(worker.stats()).toMatchObject({ scored: 2, deadLettered: 2 });
    expect(Number(((await client.sendCommand(['XPENDING', stream, group])) as unknown[])[0])).toBe(0);
    await demand.close();
  });

  it('a crashed consumer’s pending entries are reclaimed by another worker (XAUTOCLAIM)', async () => {
    const { stream, prefix, group } = names();
    const store = createRedisScoreStore({ client, prefix });
    await client.sendCommand(['XGROUP', 'CREATE', stream, group, '0', 'MKSTREAM']);
    await client.sendCommand(['XADD', stream, '*', 'p', 'u', 'i', 'a']);
    // A consumer that reads and dies without acknowledging.
    await client.sendCommand(['XREADGROUP', 'GROUP', group, 'dead-worker', 'COUNT', '10', 'STREAMS', stream, '>']);
    const worker = runScoreWorker({ client, stream, group, consumer: 'w2', store, pollMs: 10, claimIdleMs: 100, scorer: (b) => Promise.resolve(b.map(() => 0.5)) });
    await eventually(() => worker.stats().acked === 1, 5000);
    await worker.stop();
    expect(worker.stats()).toMatchObject({ reclaimed: 1, scored: 1 });
  });

  it('stop() finishes and acknowledges in-flight work', async () => {
    const { stream, prefix, group } = names();
    const store = createRedisScoreStore({ client, prefix });
    const demand = createRedisDemandQueue({ client, stream });
    let started = 0;
    const worker = runScoreWorker({
      client, stream, group, consumer: 'w1', store, pollMs: 10,
      scorer: (batch) => (started++, sleep(200).then(() => batch.map(() => 0.5))),
    });
    demand.publish([{ profileKey: 'u', profile: undefined, itemId: 'slow' }]);
    await eventually(() => started === 1);
    await worker.stop();
    expect(worker.stats()).toMatchObject({ acked: 1, scored: 1 });
    expect(Number(((await client.sendCommand(['XPENDING', stream, group])) as unknown[])[0])).toBe(0);
    await demand.close();
  });

  it('works through an ioredis-shaped client (call(command, ...args)); here backed by node-redis, as ioredis is not installed', async () => {
    const { stream, prefix, group } = names();
    const ioredisLike = { call: (command: string, ...args: string[]) => client.sendCommand([command, ...args]) };
    const store = createRedisScoreStore({ client: ioredisLike, prefix });
    const demand = createRedisDemandQueue({ client: ioredisLike, stream });
    const cache = createScoreCache({ store, demand, lingerMs: 0 });
    const worker = runScoreWorker({ client: ioredisLike, stream, group, consumer: 'io', store, pollMs: 10, scorer: (b) => Promise.resolve(b.map(() => 0.25)) });
    cache.peek({ key: 'u' }, ['a']);
    await eventually(() => cache.peek({ key: 'u' }, ['a']).missing.length === 0);
    await worker.stop();
    expect(worker.stats()).toMatchObject({ acked: 1, scored: 1 });
    await cache.close();
    await demand.close();
  });

  it('publishing never throws while Redis is unreachable: demand is dropped and counted', async () => {
    const dead = createClient({ url: `redis://127.0.0.1:${await freePort()}`, disableOfflineQueue: true, socket: { reconnectStrategy: false } });
    dead.on('error', () => {});
    const demand = createRedisDemandQueue({ client: dead, stream: 'nowhere' });
    expect(() => demand.publish([{ profileKey: 'p', profile: { a: 1 }, itemId: 'x' }])).not.toThrow();
    await demand.flush();
    expect(demand.stats()).toMatchObject({ published: 0, dropped: 1, sendErrors: 1 });
    await demand.close();
  });
});
