/** Test doubles for the cache: a manual clock + scheduler, and a scorer the test resolves by hand. */
import { afterEach } from 'vitest';
import type { Scheduler } from '../../src/cache/clock.js';
import type { ScoreCacheOptions } from '../../src/cache/options.js';
import { createScoreCache, type ScoreCache } from '../../src/cache/score-cache.js';
import type { ScoreRequestItem, SerendipityScorer } from '../../src/cache/scorer.js';

/** Lets every pending promise chain run (macrotask boundary). */
export const flush = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

interface Timer {
  readonly at: number;
  readonly seq: number;
  readonly fn: () => void;
}

/** A manual clock and `setTimeout`: time moves only in {@link FakeTime.advance}. */
export class FakeTime {
  now = 0;
  private seq = 0;
  private readonly timers = new Map<number, Timer>();
  readonly clock = (): number => this.now;
  readonly scheduler: Scheduler = {
    setTimeout: (fn, ms) => {
      const id = ++this.seq;
      this.timers.set(id, { at: this.now + Math.max(0, ms), seq: id, fn });
      return id;
    },
    clearTimeout: (handle) => {
      this.timers.delete(handle as number);
    },
  };

  /** Number of timers not yet fired or cleared. */
  get pendingTimers(): number {
    return this.timers.size;
  }

  /** Moves time forward by `ms`, firing due timers in order and settling promises after each. */
  async advance(ms: number): Promise<void> {
    const target = this.now + ms;
    await flush();
    for (;;) {
      let next: [number, Timer] | undefined;
      for (const entry of this.timers) {
        const [, timer] = entry;
        if (timer.at > target) continue;
        if (next === undefined || timer.at < next[1].at || (timer.at === next[1].at && timer.seq < next[1].seq)) next = entry;
      }
      if (next === undefined) break;
      this.timers.delete(next[0]);
      this.now = next[1].at;
      next[1].fn();
      await flush();
    }
    this.now = target;
    await flush();
  }
}

/** One scorer invocation held open until the test settles it. */
export interface HeldCall {
  readonly batch: readonly ScoreRequestItem[];
  readonly signal: AbortSignal;
  readonly resolve: (scores: readonly (number | null)[]) => void;
  readonly reject: (error: unknown) => void;
}

/** A scorer whose calls wait for the test; records concurrency. */
export function heldScorer(): { scorer: SerendipityScorer; calls: HeldCall[]; active: () => number; maxActive: () => number } {
  const calls: HeldCall[] = [];
  let active = 0;
  let maxActive = 0;
  const scorer: SerendipityScorer = (batch, signal) =>
    new Promise((resolve, reject) => {
      active++;
      maxActive = Math.max(maxActive, active);
      let open = true;
      const done = (): boolean => {
        if (!open) return false;
        open = false;
        active--;
        return true;
      };
      signal.addEventListener('abort', () => {
        if (done()) reject(signal.reason);
      });
      calls.push({
        batch,
        signal,
        resolve: (scores) => {
          if (done()) resolve(scores);
        },
        reject: (error) => {
          if (done()) reject(error);
        },
      });
    });
  return { scorer, calls, active: () => active, maxActive: () => maxActive };
}

/** A scorer that answers at once with `score(item)` for every pair, counting calls and pairs. */
export function instantScorer(score: (item: ScoreRequestItem) => number | null = () => 0.5) {
  const seen: ScoreRequestItem[][] = [];
  const scorer: SerendipityScorer = (batch) => {
    seen.push([...batch]);
    return Promise.resolve(batch.map(score));
  };
  return { scorer, seen };
}

/**
 * A factory of caches on a {@link FakeTime} (with `random` fixed at 0.5) that closes every cache it
 * made after each test. Call it once at the top of a test file.
 */
export function fakeTimeCaches(): (time: FakeTime, options: ScoreCacheOptions) => ScoreCache {
  let opened: ScoreCache[] = [];
  afterEach(async () => {
    await Promise.all(opened.map((cache) => cache.close()));
    opened = [];
  });
  return (time, options) => {
    const cache = createScoreCache({ clock: time.clock, scheduler: time.scheduler, random: () => 0.5, ...options });
    opened.push(cache);
    return cache;
  };
}
