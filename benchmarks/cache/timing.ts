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

/** Mulberry32: a seeded PRNG in [0, 1). */
export function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** `n` Gaussian vectors of dimension `dim` (Box–Muller). */
export function gaussianVectors(n: number, dim: number, random: () => number): number[][] {
  return Array.from({ length: n }, () =>
    Array.from({ length: dim }, () => Math.sqrt(-2 * Math.log(random() || Number.MIN_VALUE)) * Math.cos(2 * Math.PI * random())),
  );
}
