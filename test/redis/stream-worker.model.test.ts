/**
 * Model-based test of the stream worker against an in-memory fake of the stream commands: random
 * interleavings of publishing, delivery, scorer answers (success, null, rejection), worker crashes,
 * reclaims after idle time and acknowledgements. Invariants after every step: an acknowledged entry's
 * pair is in L2 with the score the scorer gave it (never an unscored acknowledgement, never a lost
 * score). At the end, a healthy worker drains everything: each entry is acknowledged with its score in
 * L2, or dead-lettered after failing `maxDeliveries` deliveries.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createMemoryScoreStore } from '../../src/cache/memory-store.js';
import { NearlineScoreCache } from '../../src/cache/nearline-cache.js';
import { resolveScoreCacheOptions } from '../../src/cache/options.js';
import type { Scheduler } from '../../src/cache/clock.js';
import type { ScoreRequestItem } from '../../src/cache/scorer.js';
import { StreamWorker, type StreamWorkerCounters } from '../../src/redis/stream-worker.js';
import { FakeStreams } from './fake-streams.js';

const CLAIM_IDLE_MS = 1000;
const MAX_DELIVERIES = 3;
const flush = () => new Promise((resolve) => setImmediate(resolve));
/** The score the scorer gives a pair: known in advance, so L2 can be checked against it. */
const truth = (itemId: string) => (Number(itemId.slice(1)) + 1) / 10;

/** Zero-delay timers run as microtasks; longer ones (call and store timeouts) never fire. */
const microtaskScheduler: Scheduler = {
  setTimeout: (fn, ms) => {
    const handle = { cancelled: false };
    if (ms <= 0) queueMicrotask(() => !handle.cancelled && fn());
    return handle;
  },
  clearTimeout: (handle) => {
    (handle as { cancelled: boolean }).cancelled = true;
  },
};

interface HeldCall {
  readonly batch: readonly ScoreRequestItem[];
  settle(kind: 'ok' | 'null' | 'reject'): void;
}

type Action =
  | { kind: 'publish'; item: number; user: number }
  | { kind: 'read'; worker: number }
  | { kind: 'reclaim'; worker: number }
  | { kind: 'answer'; worker: number; call: number; outcome: 'ok' | 'null' | 'reject' }
  | { kind: 'crash'; worker: number };

const actionArb: fc.Arbitrary<Action> = fc.oneof(
  fc.record({ kind: fc.constant('publish' as const), item: fc.nat(5), user: fc.nat(1) }),
  fc.record({ kind: fc.constant('read' as const), worker: fc.nat(1) }),
  fc.record({ kind: fc.constant('reclaim' as const), worker: fc.nat(1) }),
  fc.record({ kind: fc.constant('answer' as const), worker: fc.nat(1), call: fc.nat(3), outcome: fc.constantFrom('ok' as const, 'ok' as const, 'null' as const, 'reject' as const) }),
  fc.record({ kind: fc.constant('crash' as const), worker: fc.nat(1) }),
);

describe('stream worker: model-based interleavings of delivery, crash, reclaim and ack', () => {
  it('never acknowledges an unscored entry and never loses an acknowledged score; a healthy worker drains the rest', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(actionArb, { minLength: 1, maxLength: 40 }), async (actions) => {
        const redis = new FakeStreams();
        const store = createMemoryScoreStore({ clock: () => redis.now });
        let generation = 0;
        const makeWorker = () => {
          const client = redis.connect();
          const calls: HeldCall[] = [];
          const scorer = (batch: readonly ScoreRequestItem[]) =>
            new Promise<(number | null)[]>((resolve, reject) => {
              calls.push({
                batch,
                settle: (kind) => (kind === 'reject' ? reject(new Error('LLM down')) : resolve(batch.map((p) => (kind === 'ok' ? truth(p.itemId) : null)))),
              });
            });
          const engine = new NearlineScoreCache(
            resolveScoreCacheOptions({ scorer, store, clock: () => redis.now, scheduler: microtaskScheduler, lingerMs: 0, retries: 0, batchSize: 4, breakerThreshold: 1000 }),
          );
          const counters: StreamWorkerCounters = { delivered: 0, acked: 0, loaded: 0, scored: 0, failed: 0, reclaimed: 0, deadLettered: 0, malformed: 0 };
          const freshInStore = async (pairs: readonly ScoreRequestItem[]) =>
            (await store.getMany(pairs, new AbortController().signal)).map((record) => record !== null);
          const worker = new StreamWorker(
            client.sendCommand,
            engine,
            { stream: 's', group: 'g', consumer: `c${generation++}`, deadLetterStream: 's:dead', claimIdleMs: CLAIM_IDLE_MS, maxDeliveries: MAX_DELIVERIES, readCount: 3, freshInStore, saveRetryDelaysMs: [] },
            counters,
          );
          return { worker, client, calls, engine };
        };
        const workers = [makeWorker(), makeWorker()];
        await workers[0]?.worker.ensureGroup();
        const swallow = (p: Promise<unknown>) => void p.catch(() => undefined);

        const check = async () => {
          // Every acknowledged entry (not dead-lettered) has its pair in L2, with the scorer's score.
          const deadIds = new Set(redis.dead.map((d) => d.id));
          for (const id of redis.acked) {
            if (deadIds.has(id)) continue;
            const fields = redis.entries.find((e) => e.id === id)?.fields as string[];
            const profileKey = fields[1] as string;
            const itemId = fields[3] as string;
            const [record] = await store.getMany([{ profileKey, itemId }], new AbortController().signal);
            expect(record?.score, `acknowledged ${id} (${profileKey}/${itemId}) without its score in L2`).toBe(truth(itemId));
          }
        };

        for (const action of actions) {
          const slot = workers[(action as { worker?: number }).worker ?? 0] as ReturnType<typeof makeWorker>;
          switch (action.kind) {
            case 'publish':
              redis.add(['p', `u${action.user}`, 'i', `i${action.item}`]);
              break;
            case 'read':
              swallow(slot.worker.readNew().then((r) => r.done));
              break;
            case 'reclaim':
              // Time passes; live workers heartbeat their in-flight entries meanwhile (as their loops
              // do every claimIdleMs / 3), crashed ones cannot. Then this worker reclaims what is idle.
              redis.now += CLAIM_IDLE_MS;
              for (const w of workers) swallow(w.worker.heartbeat());
              await flush();
              swallow(slot.worker.reclaim().then((r) => r.done));
              break;
            case 'answer': {
              const call = slot.calls.splice(action.call % Math.max(1, slot.calls.length), 1)[0];
              call?.settle(action.outcome);
              break;
            }
            case 'crash': {
              slot.client.crash(); // its scorer calls are abandoned, its commands hang forever
              workers[action.worker] = makeWorker();
              break;
            }
          }
          await flush();
          await check();
        }

        // Drain with one healthy worker whose scorer always answers.
        const healthy = makeWorker();
        for (let round = 0; round < 20 && (redis.pel.size > 0 || healthy.calls.length > 0 || redis.acked.size + redis.dead.length < redis.entries.length); round++) {
          redis.now += CLAIM_IDLE_MS;
          swallow(healthy.worker.heartbeat());
          await flush();
          swallow(healthy.worker.reclaim().then((r) => r.done));
          swallow(healthy.worker.readNew().then((r) => r.done));
          await flush();
          while (healthy.calls.length > 0) {
            healthy.calls.shift()?.settle('ok');
            await flush();
          }
          await flush();
        }
        await check();
        expect(redis.pel.size).toBe(0);
        for (const entry of redis.entries) {
          const dead = redis.dead.find((d) => d.id === entry.id);
          if (dead !== undefined) continue;
          expect(redis.acked.has(entry.id), `entry ${entry.id} neither acknowledged nor dead-lettered`).toBe(true);
        }
        // Only entries delivered more than maxDeliveries times are dead-lettered.
        for (const dead of redis.dead) expect(dead.deliveries).toBeGreaterThan(MAX_DELIVERIES);
        await Promise.all([...workers, healthy].map((w) => w.engine.close()));
      }),
      { numRuns: 100 },
    );
  }, 120_000);
});
