/**
 * Resolves after `ms` milliseconds, or rejects with `signal.reason` as soon as `signal` aborts.
 * Leaves no timer or listener behind either way.
 */
export function abortableSleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) {
      reject(signal.reason);
      return;
    }
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal.reason);
    };
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

/** A signal that aborts when `parent` aborts or after `timeoutMs`; call `dispose` when done. */
export interface TimedSignal {
  /** Pass to `fetch`. */
  readonly signal: AbortSignal;
  /** True once the timeout (not the parent) fired. */
  timedOut(): boolean;
  /** Clears the timer and the parent listener. */
  dispose(): void;
}

/** Links a per-request timeout to the caller's signal without `AbortSignal.any` (older runtimes). */
export function timedSignal(parent: AbortSignal, timeoutMs: number): TimedSignal {
  const controller = new AbortController();
  let fired = false;
  const onParentAbort = () => controller.abort(parent.reason);
  const timer = setTimeout(() => {
    fired = true;
    controller.abort(new Error(`request timed out after ${timeoutMs} ms`));
  }, timeoutMs);
  if (parent.aborted) onParentAbort();
  else parent.addEventListener('abort', onParentAbort, { once: true });
  return {
    signal: controller.signal,
    timedOut: () => fired,
    dispose() {
      clearTimeout(timer);
      parent.removeEventListener('abort', onParentAbort);
    },
  };
}
