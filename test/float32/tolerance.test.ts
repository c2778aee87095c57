import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { selectDppF32 } from '../../src/strategies/post/dpp-f32.js';
import { selectMmrF32 } from '../../src/strategies/post/mmr-f32.js';
import { referenceDpp, referenceMmr, unitRows } from './reference.js';

// The documented tolerance (README "Single precision"): ε_d = (d/8 + 16)·2⁻²⁴ bounds the error of
// a float32 cosine of two unit rows. MMR scores are within (1−λ)·ε_d of float64 and the ids equal
// float64's while every step's gap exceeds twice that; DPP gains at pick t (0-based) are within
// (t+1)·ε_d and the ids equal float64's while every gap exceeds twice that and the best gain is at
// least 2·10⁻⁴.
const epsilon = (dim: number): number => (dim / 8 + 16) * 2 ** -24;

const instance = fc
  .record({
    n: fc.integer({ min: 1, max: 30 }),
    dim: fc.integer({ min: 1, max: 96 }),
    k: fc.integer({ min: 1, max: 10 }),
    shared: fc.double({ min: 0, max: 3, noNaN: true }),
    seed: fc.integer(),
  })
  .map(({ n, dim, k, shared, seed }) => {
    let state = (seed >>> 0) % 2147483646 + 1;
    const rnd = (): number => (state = (state * 16807) % 2147483647) / 2147483647;
    const common = Array.from({ length: dim }, () => rnd() - 0.5);
    // rows sharing a common direction (as text embeddings do), none of them zero
    const vectors = Array.from({ length: n }, () => Array.from({ length: dim }, (_, x) => shared * (common[x] as number) + rnd() - 0.5 + (x === 0 ? 1e-3 : 0)));
    const relevance = Array.from({ length: n }, () => rnd());
    return { n, dim, k: Math.min(k, n), rows: unitRows(vectors), relevance };
  });

describe('float32 MMR against an independent float64 greedy', () => {
  it('keeps every score within (1−λ)·ε_d and the ids while the gaps exceed 2(1−λ)·ε_d', () => {
    fc.assert(
      fc.property(instance, fc.double({ min: 0, max: 1, noNaN: true }), ({ n, dim, k, rows, relevance }, lambda) => {
        const bound = (1 - lambda) * epsilon(dim);
        const reference = referenceMmr(rows, dim, relevance, lambda, k);
        const got = selectMmrF32({ n, dim, relevance: Float64Array.from(relevance), embeddings: rows, lambda }, k);
        for (let t = 0; t < k; t++) {
          const step = reference[t]!;
          if (step.best - step.runnerUp <= 2 * bound) return; // the guarantee ends at the first close call
          expect(got.indices[t]).toBe(step.pick);
          expect(Math.abs((got.scores[t] as number) - step.best)).toBeLessThanOrEqual(bound);
        }
      }),
      { numRuns: 300 },
    );
  });
});

describe('float32 DPP against Chen et al.’s Algorithm 1 in float64', () => {
  it('keeps every gain within (t+1)·ε_d and the ids while the gaps exceed twice that', () => {
    fc.assert(
      fc.property(instance, fc.double({ min: 0, max: 0.95, noNaN: true }), ({ n, dim, k, rows, relevance }, theta) => {
        const alpha = theta / (2 * (1 - theta));
        const reference = referenceDpp(rows, dim, relevance, alpha, k);
        const got = selectDppF32({ n, dim, relevance: Float64Array.from(relevance), embeddings: rows, alpha }, k);
        for (let t = 0; t < k; t++) {
          const step = reference[t]!;
          const bound = (t + 1) * epsilon(dim);
          if (step.best < 2e-4 || step.best - step.runnerUp <= 2 * bound) return;
          expect(got.indices[t]).toBe(step.pick);
          expect(Math.abs(Math.exp(got.scores[t] as number) - step.best)).toBeLessThanOrEqual(bound);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('holds at text-embedding dimensions (768, 1536)', () => {
    for (const dim of [768, 1536]) {
      let state = dim;
      const rnd = (): number => (state = (state * 16807) % 2147483647) / 2147483647;
      const n = 40;
      const k = 12;
      const common = Array.from({ length: dim }, () => rnd() - 0.5);
      const rows = unitRows(Array.from({ length: n }, () => Array.from({ length: dim }, (_, x) => 0.8 * (common[x] as number) + rnd() - 0.5)));
      const relevance = Array.from({ length: n }, () => rnd());
      const dpp = referenceDpp(rows, dim, relevance, 7 / 6, k);
      const gotDpp = selectDppF32({ n, dim, relevance: Float64Array.from(relevance), embeddings: rows, alpha: 7 / 6 }, k);
      const mmr = referenceMmr(rows, dim, relevance, 0.5, k);
      const gotMmr = selectMmrF32({ n, dim, relevance: Float64Array.from(relevance), embeddings: rows, lambda: 0.5 }, k);
      for (let t = 0; t < k; t++) {
        expect(gotDpp.indices[t]).toBe(dpp[t]!.pick);
        expect(Math.abs(Math.exp(gotDpp.scores[t] as number) - dpp[t]!.best)).toBeLessThanOrEqual((t + 1) * epsilon(dim));
        expect(gotMmr.indices[t]).toBe(mmr[t]!.pick);
        expect(Math.abs((gotMmr.scores[t] as number) - mmr[t]!.best)).toBeLessThanOrEqual(0.5 * epsilon(dim));
      }
    }
  });
});
