import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { selectMmrDense, selectMmrLazy } from '../../../src/strategies/post/mmr-greedy.js';
import { correlatedInput } from './correlated-input.js';

describe('MMR kernels: WebAssembly and JS backends', () => {
  it('select the same items with the same scores and parts as the dense reference, bit for bit', () => {
    fc.assert(
      fc.property(
        fc.record({
          n: fc.integer({ min: 1, max: 160 }),
          dim: fc.integer({ min: 1, max: 11 }),
          k: fc.integer({ min: 1, max: 40 }),
          common: fc.constantFrom(0, 1, 4),
          seed: fc.nat(),
          lambda: fc.constantFrom(0, 0.3, 0.5, 0.9),
          skew: fc.constantFrom(1, 8),
        }),
        ({ n, dim, k: wanted, common, seed, lambda, skew }) => {
          const input = { ...correlatedInput(n, dim, common, seed, skew), lambda };
          const k = Math.min(wanted, n); // as rerank() passes it
          const dense = selectMmrDense(input, k);
          const wasm = selectMmrLazy(input, k, 'wasm');
          const js = selectMmrLazy(input, k, 'js');
          expect(wasm).toEqual(js); // counters included: the lazy loop is shared
          expect(wasm.indices).toEqual(dense.indices);
          expect(wasm.scores).toEqual(dense.scores);
          expect(wasm.parts).toEqual(dense.parts);
        },
      ),
      { numRuns: 250 },
    );
  });
});
