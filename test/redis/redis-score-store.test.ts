import { createClient } from 'redis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createScoreCache } from '../../src/cache/score-cache.js';
import { rerank } from '../../src/rerank.js';
import { llmBlend } from '../../src/strategies/post/llm-blend.js';
import { createRedisScoreStore, decodeStoredScore, encodeStoredScore, redisScoreKey } from '../../src/redis/index.js';
import { freePort, RedisProcess, runRedisTests } from './redis-server.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls `check` every 50 ms until it returns true, for at most `ms`. */
async function eventually(check: () => Promise<boolean>, ms = 10_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    const attempt = Promise.race([check(), sleep(1000).then(() => false)]);
    if (await attempt.catch(() => false)) return;
    await sleep(50);
  }
  throw new Error('condition not met in time');
}

describe('redis store codecs', () => {
  it('keys are unambiguous and malformed values decode to null', () => {
    expect(redisScoreKey('p:', { profileKey: 'a:b', itemId: 'c' })).not.toBe(redisScoreKey('p:', { profileKey: 'a', itemId: 'b:c' }));
    expect(decodeStoredScore('0.25|1700000000000')).toEqual({ score: 0.25, scoredAt: 1700000000000 });
    for (const bad of ['1.5|1', 'NaN|1', '0.5|x', '0.5', '|1', null, 42]) expect(decodeStoredScore(bad)).toBeNull();
  });

  it('rejects a client that is neither node-redis nor ioredis', () => {
    expect(() => createRedisScoreStore({ client: {} as never })).toThrow(/sendCommand/);
  });

  it('accepts an ioredis-shaped client (call): one EVAL per batch, generation keys, PX rounded up', async () => {
    const sent: string[][] = [];
    const client = {
      call: (command: string, ...args: string[]) => (sent.push([command, ...args]), Promise.resolve(sent.length === 1 ? ['0.5|7', null] : 'OK')),
    };
    const store = createRedisScoreStore({ client, prefix: 't:' });
    expect(await store.getMany([{ profileKey: 'u', itemId: 'a' }, { profileKey: 'u', itemId: 'b' }], new AbortController().signal)).toEqual([
      { score: 0.5, scoredAt: 7 },
      null,
    ]);
    await store.setMany([{ profileKey: 'u', itemId: 'a', score: 0.5, scoredAt: 7 }], 1500.5);
    expect(sent[0]?.slice(0, 1)).toEqual(['EVAL']);
    expect(sent[0]?.slice(2)).toEqual(['0', 't:', 't:gen:1:u', '1:u:a', 't:gen:1:u', '1:u:b']);
    expect(sent[1]?.slice(2)).toEqual(['0', 't:', '1501', 't:gen:1:u', '1:u:a', '0.5|7']);
  });

  it('Redis PX rounds the TTL up (Math.ceil), not to nearest: 1500.2 ms is PX 1501', async () => {
    const sent: string[][] = [];
    const client = { call: (command: string, ...args: string[]) => (sent.push([command, ...args]), Promise.resolve('OK')) };
    await createRedisScoreStore({ client }).setMany([{ profileKey: 'u', itemId: 'a', score: 0.5, scoredAt: 7 }], 1500.2);
    expect(sent[0]?.[4]).toBe('1501');
  });

  it('Redis store decodes strictly: only canonical decimals in [0, 1] and canonical timestamps are scores', () => {
    for (const bad of ['0x1|5', ' 1 |5', '1e0|5', '1.0|5', '0.50|5', '+0.5|5', '.5|5', '0.5|1e3', '0.5|-1', '0.5| 5', '0.5|05', '0.5|9007199254740993', '-0|5']) {
      expect(decodeStoredScore(bad)).toBeNull();
    }
    expect(decodeStoredScore('0|0')).toEqual({ score: 0, scoredAt: 0 });
    expect(decodeStoredScore('1|1700000000000')).toEqual({ score: 1, scoredAt: 1700000000000 });
    expect(decodeStoredScore('0.125|1700000000000.5')).toEqual({ score: 0.125, scoredAt: 1700000000000.5 });
    // Tiny scores are written without an exponent and read back exactly.
    for (const score of [1e-7, 5e-324, 1.2345e-10, 0.000001]) {
      const text = encodeStoredScore({ score, scoredAt: 3 });
      expect(text).not.toMatch(/e/);
      expect(decodeStoredScore(text)).toEqual({ score, scoredAt: 3 });
    }
  });

  it('Redis store: an undecodable value reads as missing and is counted as a store error', async () => {
    const client = { call: () => Promise.resolve(['1e0|5', '0.5|5']) };
    const store = createRedisScoreStore({ client });
    const cache = createScoreCache({ store, lingerMs: 0, clock: () => 10 });
    cache.peek({ key: 'u' }, ['a', 'b']);
    await eventually(async () => cache.peek({ key: 'u' }, ['b']).missing.length === 0);
    expect(cache.peek({ key: 'u' }, ['a']).missing).toEqual(['a']);
    expect(cache.stats().storeErrors).toBeGreaterThanOrEqual(1);
    await cache.close();
  });

  it('a far-future L2 timestamp is not fresh forever: it reads as missing and counts as a store error', async () => {
    const now = 1_700_000_000_000;
    const client = { call: () => Promise.resolve([`0.5|${now + 365 * 86_400_000}`]) };
    const cache = createScoreCache({ store: createRedisScoreStore({ client }), lingerMs: 0, clock: () => now });
    const outcome = await cache.prefetch({ key: 'u' }, ['a']);
    expect(outcome).toMatchObject({ loaded: 0, failed: 1 });
    expect(cache.stats().storeErrors).toBe(1);
    await cache.close();
  });
});

describe.skipIf(!runRedisTests)('redis store against a real redis-server', () => {
  let server: RedisProcess;
  let client: ReturnType<typeof createClient>;
  const errors: unknown[] = [];

  beforeAll(async () => {
    server = new RedisProcess(await freePort());
    await server.start();
    client = createClient({ url: server.url, disableOfflineQueue: true, socket: { reconnectStrategy: () => 50, connectTimeout: 500 } });
    client.on('error', (error: unknown) => errors.push(error));
    await client.connect();
  }, 20_000);

  afterAll(async () => {
    client?.destroy();
    await server?.kill();
  });

  it('round-trips records, expires them after their TTL, and answers null for absent keys', async () => {
    const store = createRedisScoreStore({ client, prefix: `t${Date.now()}:` });
    const signal = new AbortController().signal;
    await store.setMany(
      [
        { profileKey: 'u:1', itemId: 'a', score: 0.125, scoredAt: 1000 },
        { profileKey: 'u:1', itemId: '__proto__', score: 1, scoredAt: 2000 },
      ],
      200,
    );
    expect(await store.getMany([{ profileKey: 'u:1', itemId: 'a' }, { profileKey: 'u:1', itemId: '__proto__' }, { profileKey: 'u', itemId: '1:a' }], signal)).toEqual([
      { score: 0.125, scoredAt: 1000 },
      { score: 1, scoredAt: 2000 },
      null,
    ]);
    expect(await client.pTTL(redisScoreKey(`t${Date.now()}:`, { profileKey: 'x', itemId: 'y' }))).toBe(-2);
    await eventually(async () => (await store.getMany([{ profileKey: 'u:1', itemId: 'a' }], signal))[0] === null, 3000);
  });

  it('shares judgements: a worker fills Redis, a read-only server reads them', async () => {
    const store = createRedisScoreStore({ client, prefix: `share${Date.now()}:` });
    const worker = createScoreCache({ store, scorer: (batch) => Promise.resolve(batch.map((item) => (item.itemId === 'a' ? 0.9 : 0.1))) });
    expect(await worker.prefetch({ key: 'u1' }, ['a', 'b'])).toMatchObject({ scored: 2 });
    await worker.close();
    await eventually(async () => (await store.getMany([{ profileKey: 'u1', itemId: 'b' }], new AbortController().signal))[0] !== null);
    const server = createScoreCache({ store, lingerMs: 0 });
    expect(server.peek({ key: 'u1' }, ['a', 'b']).missing).toEqual(['a', 'b']);
    await eventually(async () => server.peek({ key: 'u1' }, ['a', 'b']).missing.length === 0);
    expect([...server.peek({ key: 'u1' }, ['a', 'b']).scores]).toEqual([0.9, 0.1]);
    expect(server.stats()).toMatchObject({ storeHits: 2, scorerCalls: 0 });
    await server.close();
  });

  it('falls through to the scorer while Redis is stalled (DEBUG SLEEP), counting the slow reads', async () => {
    const store = createRedisScoreStore({ client, prefix: `slow${Date.now()}:` });
    const cache = createScoreCache({ store, scorer: (batch) => Promise.resolve(batch.map(() => 0.4)), lingerMs: 0, storeTimeoutMs: 100 });
    const blocker = client.duplicate();
    blocker.on('error', () => {});
    await blocker.connect();
    let stalled = true;
    const stall = blocker.sendCommand(['DEBUG', 'SLEEP', '2']).then(() => {
      stalled = false;
    });
    await sleep(20);
    const result = await cache.prefetch({ key: 'slow' }, ['a', 'b']);
    expect(result).toMatchObject({ scored: 2 });
    expect(stalled).toBe(true); // answered while Redis was still asleep
    expect(cache.stats().storeErrors).toBeGreaterThan(0);
    await stall;
    blocker.destroy();
    await cache.close();
  });

  it('survives redis-server being killed mid-test and recovers after a restart', async () => {
    const store = createRedisScoreStore({ client, prefix: `kill${Date.now()}:` });
    let scorerUp = true;
    const cache = createScoreCache({
      store,
      scorer: (batch) => (scorerUp ? Promise.resolve(batch.map(() => 0.5)) : Promise.reject(new Error('LLM down too'))),
      lingerMs: 0,
      storeTimeoutMs: 200,
      retries: 0,
      breakerCooldownMs: 200,
    });
    const candidates = Array.from({ length: 20 }, (_, i) => ({ id: `i${i}`, relevance: i / 19 }));
    const strategy = llmBlend({ cache, weight: 0.5 });
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => unhandled.push(reason);
    process.on('unhandledRejection', onUnhandled);
    try {
      await server.kill();
      scorerUp = false;
      // The rerank path never throws and returns a full list, whatever Redis and the scorer do.
      for (let round = 0; round < 10; round++) {
        const { items } = rerank({ candidates, user: { id: `down-${round}` }, k: 5, strategy });
        expect(items.map((item) => item.id)).toEqual(['i19', 'i18', 'i17', 'i16', 'i15']);
        await sleep(30);
      }
      await eventually(async () => cache.stats().storeErrors > 0);
      await server.start();
      scorerUp = true;
      // The client reconnects by itself; the store works again.
      await eventually(async () => {
        await store.setMany([{ profileKey: 'probe', itemId: 'x', score: 0.3, scoredAt: 1 }], 10_000);
        return true;
      });
      const result = await cache.prefetch({ key: 'after' }, ['i1', 'i2']);
      expect(result).toMatchObject({ scored: 2 });
      await eventually(async () => (await store.getMany([{ profileKey: 'after', itemId: 'i2' }], new AbortController().signal))[0]?.score === 0.5);
      await cache.close();
      await sleep(50);
      expect(unhandled).toEqual([]);
    } finally {
      process.off('unhandledRejection', onUnhandled);
    }
  }, 30_000);
});
