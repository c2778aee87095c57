import fc from 'fast-check';
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


/**
 * Random {@link correlatedInput}s (n ≤ 160, d ≤ 11 so odd sizes and SIMD tails occur), with a list
 * length k ≤ n as `rerank()` passes it and one of `tradeoffs` (the strategy's λ or θ).
 */
export function correlatedInstance(tradeoffs: readonly number[]): fc.Arbitrary<{ input: ReturnType<typeof correlatedInput>; k: number; tradeoff: number }> {
  return fc
    .record({
      n: fc.integer({ min: 1, max: 160 }),
      dim: fc.integer({ min: 1, max: 11 }),
      k: fc.integer({ min: 1, max: 40 }),
      common: fc.constantFrom(0, 1, 4),
      seed: fc.nat(),
      tradeoff: fc.constantFrom(...tradeoffs),
      skew: fc.constantFrom(1, 8),
    })
    .map(({ n, dim, k, common, seed, tradeoff, skew }) => ({ input: correlatedInput(n, dim, common, seed, skew), k: Math.min(k, n), tradeoff }));
}
