/**
 * Time sources the score cache reads, injectable so tests run deterministically without sleeping
 * (the same idea as lru-cache's `perf` option).
 */

/** Milliseconds since some fixed origin; must not run backwards by much. */
export type Clock = () => number;

/**
 * A `setTimeout`-like scheduler. The handle is opaque: whatever `setTimeout` returned is passed
 * back to `clearTimeout`.
 */
export interface Scheduler {
  /** Runs `callback` once after `ms` milliseconds; returns a handle for {@link Scheduler.clearTimeout}. */
  setTimeout(callback: () => void, ms: number): unknown;
  /** Cancels a pending callback; a no-op for handles that already ran or were cleared. */
  clearTimeout(handle: unknown): void;
}

/** `Date.now`, the default {@link Clock}: wall-clock milliseconds, comparable across processes (L2 timestamps). */
export const systemClock: Clock = () => Date.now();

/** The global timer functions, the default {@link Scheduler}. Works in browsers, edge runtimes and Node. */
export const systemScheduler: Scheduler = {
  setTimeout: (callback, ms) => globalThis.setTimeout(callback, ms),
  clearTimeout: (handle) => globalThis.clearTimeout(handle as Parameters<typeof globalThis.clearTimeout>[0]),
};
