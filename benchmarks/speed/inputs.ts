/** Synthetic speed-benchmark inputs: seeded, so every run (and numpy) sees the same numbers. */
import { mulberry32 as seededRandom } from '../../src/_internals/random.js';

/**
 * Relevance shapes: uniform in [0, 1); skewed `u^8` (median ≈ 0.004, mean ≈ 0.11, like EASE scores
 * min-max normalised); or flat, the cosine to a random query vector (what a vector search returns,
 * and what LangChain's MMR computes from a query): about ±3/√dim, so nearly every DPP gain falls at
 * every pick and lazy evaluation saves little.
 */
export type RelevanceShape = 'uniform' | 'skewed' | 'flat';

/** One generated request's raw data. */
export interface SpeedInput {
  readonly n: number;
  readonly dim: number;
  readonly shape: RelevanceShape;
  readonly relevance: Float64Array;
  /** Raw (not normalised) Gaussian vectors, row-major n × dim. */
  readonly embeddings: Float64Array;
  /** The query vector of the `'flat'` shape (relevance = cosine to it), raw. */
  readonly query?: Float64Array;
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
  if (shape !== 'flat') return { n, dim, shape, relevance, embeddings };
  const query = Float64Array.from({ length: dim }, () => random() - 0.5);
  const norm = (values: Float64Array, offset: number): number => {
    let sum = 0;
    for (let x = 0; x < dim; x++) sum += (values[offset + x] as number) ** 2;
    return Math.sqrt(sum);
  };
  const queryNorm = norm(query, 0);
  for (let i = 0; i < n; i++) {
    let dot = 0;
    for (let x = 0; x < dim; x++) dot += (query[x] as number) * (embeddings[i * dim + x] as number);
    relevance[i] = dot / (queryNorm * norm(embeddings, i * dim));
  }
  return { n, dim, shape, relevance, embeddings, query };
}
