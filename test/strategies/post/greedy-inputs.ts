/**
 * Random inputs for the greedy MMR/DPP tests: small instances on an integer grid (so most steps
 * are decisive) and instances full of exact ties (quantised relevance, a few shared directions).
 * `tradeoff` is the strategy's λ or θ.
 */
import fc from 'fast-check';
import type { Candidate } from '../../../src/types.js';

/** One generated instance. */
export interface GreedyInstance {
  readonly k: number;
  readonly tradeoff: number;
  readonly rel: number[];
  readonly vectors: number[][];
}

const nonZeroVector = (dim: number, values: fc.Arbitrary<number>): fc.Arbitrary<number[]> =>
  fc.array(values, { minLength: dim, maxLength: dim }).filter((v) => v.some((x) => x !== 0));

/**
 * Small instances with values on an integer grid: fast-check's double generator favours edge
 * values (0, ±1, tiny numbers) that make most greedy steps exact ties, leaving comparisons vacuous.
 */
export function smallInstance(options: {
  readonly maxN: number;
  readonly maxK: number;
  readonly tradeoff: fc.Arbitrary<number>;
  readonly relevanceRange: readonly [number, number];
}): fc.Arbitrary<GreedyInstance> {
  const [low, high] = options.relevanceRange;
  return fc
    .record({ n: fc.integer({ min: 1, max: options.maxN }), dim: fc.integer({ min: 1, max: 5 }), k: fc.integer({ min: 1, max: options.maxK }) })
    .chain(({ n, dim, k }) =>
      fc.record({
        k: fc.constant(k),
        tradeoff: options.tradeoff,
        rel: fc.array(fc.integer({ min: low * 1000, max: high * 1000 }).map((x) => x / 1000), { minLength: n, maxLength: n }),
        vectors: fc.array(nonZeroVector(dim, fc.integer({ min: -20, max: 20 }).map((x) => x / 10)), { minLength: n, maxLength: n }),
      }),
    );
}

/** Instances full of exact ties: quantised relevance and embeddings drawn from a few shared directions. */
export function tiedInstance(tradeoff: fc.Arbitrary<number>, maxDirections: number): fc.Arbitrary<GreedyInstance> {
  return fc
    .record({ n: fc.integer({ min: 1, max: 60 }), dim: fc.integer({ min: 1, max: 6 }), k: fc.integer({ min: 1, max: 60 }) })
    .chain(({ n, dim, k }) =>
      fc.record({
        k: fc.constant(k),
        tradeoff,
        rel: fc.array(fc.integer({ min: 0, max: 4 }).map((x) => x / 4), { minLength: n, maxLength: n }),
        pool: fc.array(nonZeroVector(dim, fc.integer({ min: -2, max: 2 })), { minLength: 1, maxLength: maxDirections }),
        choice: fc.array(fc.nat(), { minLength: n, maxLength: n }),
      }),
    )
    .map(({ k, tradeoff: value, rel, pool, choice }) => ({ k, tradeoff: value, rel, vectors: choice.map((c) => pool[c % pool.length] as number[]) }));
}

/** Candidates `c0, c1, …` from parallel relevance and vector arrays. */
export function toCandidates(rel: readonly number[], vectors: readonly number[][]): Candidate[] {
  return rel.map((r, i) => ({ id: `c${i}`, relevance: r, embedding: vectors[i] as number[] }));
}
