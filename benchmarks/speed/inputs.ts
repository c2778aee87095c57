/** Synthetic speed-benchmark inputs: seeded, so every run (and numpy) sees the same numbers. */
import { mulberry32 as seededRandom } from '../../src/_internals/random.js';

/** Relevance shapes: uniform in [0, 1), or skewed `u^8` (median ≈ 0.004, mean ≈ 0.11, like EASE scores min-max normalised). */
export type RelevanceShape = 'uniform' | 'skewed';

/** One generated request's raw data. */
export interface SpeedInput {
  readonly n: number;
  readonly dim: number;
  readonly shape: RelevanceShape;
  readonly relevance: Float64Array;
  /** Raw (not normalised) Gaussian vectors, row-major n × dim. */
  readonly embeddings: Float64Array;
}

/** n Gaussian vectors (Box–Muller) and relevance of the given shape, from `seed`. */
export function makeInput(n: number, dim: number, shape: RelevanceShape, seed: number): SpeedInput {
  const random = seededRandom(seed);
  const relevance = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const u = random();
    relevance[i] = shape === 'uniform' ? u : u ** 8;
  }
  const embeddings = new Float64Array(n * dim);
  for (let x = 0; x < n * dim; x++) {
    const u1 = random() || Number.MIN_VALUE;
    const u2 = random();
    embeddings[x] = Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
  }
  return { n, dim, shape, relevance, embeddings };
}
