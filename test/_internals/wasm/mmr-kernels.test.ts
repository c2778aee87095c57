import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { selectMmrDense, selectMmrLazy } from '../../../src/strategies/post/mmr-greedy.js';
import { correlatedInstance } from './correlated-input.js';

describe('MMR kernels: WebAssembly and JS backends', () => {
  it('select the same items with the same scores and parts as the dense reference, bit for bit', () => {
    fc.assert(
      fc.property(correlatedInstance([0, 0.3, 0.5, 0.9]), ({ input: vectors, k, tradeoff: lambda }) => {
        const input = { ...vectors, lambda };
        const dense = selectMmrDense(input, k);
        const wasm = selectMmrLazy(input, k, 'wasm');
        const js = selectMmrLazy(input, k, 'js');
        expect(wasm).toEqual(js); // counters included: the lazy loop is shared
        expect(wasm.indices).toEqual(dense.indices);
        expect(wasm.scores).toEqual(dense.scores);
        expect(wasm.parts).toEqual(dense.parts);
      }),
      { numRuns: 250 },
    );
  });
});
