import { performance } from 'node:perf_hooks';

/** Budget of one measurement. */
export interface TimingBudget {
  /** Untimed warm-up calls (JIT). */
  readonly warmup: number;
  /** Minimum timed calls. */
  readonly minRuns: number;
  /** Stop adding runs once this many milliseconds were spent (after `minRuns`). */
  readonly maxMillis: number;
  /** Hard cap on timed calls. */
  readonly maxRuns: number;
}

/** Default budget: enough samples for a stable median on a noisy 2-core machine. */
export const DEFAULT_BUDGET: TimingBudget = { warmup: 20, minRuns: 15, maxMillis: 400, maxRuns: 400 };

/** Median wall time of `fn` in milliseconds, each call timed on its own. */
export function medianMillis(fn: () => unknown, budget: TimingBudget = DEFAULT_BUDGET): number {
  let sink = 0;
  const warmupStart = performance.now();
  for (let r = 0; r < budget.warmup; r++) {
    if (fn() === undefined) sink++;
    if (r >= 2 && performance.now() - warmupStart > budget.maxMillis) break;
  }
  const samples: number[] = [];
  const start = performance.now();
  while (samples.length < budget.maxRuns && (samples.length < budget.minRuns || performance.now() - start < budget.maxMillis)) {
    const t0 = performance.now();
    if (fn() === undefined) sink++;
    samples.push(performance.now() - t0);
    if (samples.length >= 3 && performance.now() - start > 20 * budget.maxMillis) break;
  }
  samples.sort((a, b) => a - b);
  if (sink < 0) console.log(sink);
  return samples[samples.length >> 1] as number;
}
