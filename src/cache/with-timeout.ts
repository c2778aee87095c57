import type { Scheduler } from './clock.js';

/** Rejection reason of {@link withTimeout} when the time ran out. */
export const TIMED_OUT: unique symbol = Symbol('timed out');

/**
 * Runs `start()` and settles with it, unless `ms` pass first (rejects with {@link TIMED_OUT} after
 * calling `onTimeout`) or `signal` aborts (rejects with its reason). A synchronous throw becomes a
 * rejection, and a late rejection of the original promise is absorbed, so nothing is ever unhandled.
 */
export function withTimeout<T>(
  scheduler: Scheduler,
  start: () => Promise<T>,
  ms: number,
  signal: AbortSignal,
  onTimeout: (() => void) | undefined,
): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    let settled = false;
    const settle = (): boolean => {
      if (settled) return false;
      settled = true;
      scheduler.clearTimeout(timer);
      signal.removeEventListener('abort', onAbort);
      return true;
    };
    const onAbort = (): void => {
      if (settle()) reject(signal.reason);
    };
    const timer = scheduler.setTimeout(() => {
      if (!settle()) return;
      onTimeout?.();
      reject(TIMED_OUT);
    }, ms);
    if (signal.aborted) {
      onAbort();
      return;
    }
    signal.addEventListener('abort', onAbort, { once: true });
    let promise: Promise<T>;
    try {
      promise = Promise.resolve(start());
    } catch (error) {
      if (settle()) reject(error);
      return;
    }
    promise.then(
      (value) => {
        if (settle()) resolve(value);
      },
      (error: unknown) => {
        if (settle()) reject(error);
      },
    );
  });
}
