import { performance } from 'node:perf_hooks';

/** Median wall time of `fn` in milliseconds over timed runs after a warm-up; each call timed alone. */
export function medianMs(fn: () => unknown, runs = 200, warmup = 30): number {
  let sink = 0;
  for (let r = 0; r < warmup; r++) if (fn() === undefined) sink++;
  const samples: number[] = [];
  for (let r = 0; r < runs; r++) {
    const t0 = performance.now();
    if (fn() === undefined) sink++;
    samples.push(performance.now() - t0);
  }
  samples.sort((a, b) => a - b);
  if (sink < 0) console.log(sink);
  return samples[samples.length >> 1] as number;
}

/** `n` Gaussian vectors of dimension `dim` (Box–Muller). */
export function gaussianVectors(n: number, dim: number, random: () => number): number[][] {
  return Array.from({ length: n }, () =>
    Array.from({ length: dim }, () => Math.sqrt(-2 * Math.log(random() || Number.MIN_VALUE)) * Math.cos(2 * Math.PI * random())),
  );
}
