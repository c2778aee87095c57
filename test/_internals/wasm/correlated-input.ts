import { mulberry32 } from '../../../src/_internals/random.js';

/**
 * A seeded greedy-selection input: unit rows of `common·shared + noise` (a shared direction makes
 * every gain fall at every pick, as on real vectors) and relevance `u^skew`.
 */
export function correlatedInput(n: number, dim: number, common: number, seed: number, skew: number): { n: number; dim: number; relevance: Float64Array; embeddings: Float64Array } {
  const random = mulberry32(seed);
  const shared = Array.from({ length: dim }, () => random() - 0.5);
  const embeddings = new Float64Array(n * dim);
  for (let i = 0; i < n; i++) {
    let norm = 0;
    for (let x = 0; x < dim; x++) {
      const value = common * (shared[x] as number) + (random() - 0.5);
      embeddings[i * dim + x] = value;
      norm += value * value;
    }
    for (let x = 0; x < dim; x++) embeddings[i * dim + x] = (embeddings[i * dim + x] as number) / Math.sqrt(norm);
  }
  const relevance = Float64Array.from({ length: n }, () => random() ** skew);
  return { n, dim, relevance, embeddings };
}

