import fc from 'fast-check';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { openDppWorkspace } from '../../../src/_internals/wasm/dpp-kernels.js';
import { DppBlocks } from '../../../src/strategies/post/dpp-blocks.js';
import { selectDppDense, selectDppLazy } from '../../../src/strategies/post/dpp-greedy.js';
import { DPP_MIN_GAIN } from '../../../src/strategies/post/dpp-kernel.js';
import { DppScreening, screenErrorBounds, screenSlack } from '../../../src/strategies/post/dpp-screen.js';
import { mulberry32 } from '../../../src/_internals/random.js';
import { correlatedInput } from './correlated-input.js';

afterEach(() => vi.restoreAllMocks());

/** Unit rows like correlatedInput, with every `duplicate`-th row a copy of the previous one (exact ties). */
function inputWithTies(n: number, dim: number, common: number, seed: number, skew: number, duplicate: number) {
  const input = correlatedInput(n, dim, common, seed, skew);
  if (duplicate > 0) {
    for (let i = duplicate; i < n; i += duplicate) {
      input.embeddings.copyWithin(i * dim, (i - 1) * dim, i * dim);
      input.relevance[i] = input.relevance[i - 1] as number;
    }
  }
  return input;
}

const instance = fc.record({
  n: fc.integer({ min: 1, max: 90 }),
  dim: fc.integer({ min: 1, max: 20 }),
  k: fc.integer({ min: 1, max: 25 }),
  common: fc.constantFrom(0, 1, 4),
  seed: fc.nat(),
  skew: fc.constantFrom(1, 8),
  duplicate: fc.constantFrom(0, 2, 3),
});

describe('float32 screening bounds (WebAssembly kernels)', () => {
  it('every upper bound is at least the float64 gain the dense sweep computes, and the floor at most the best, at every pick', () => {
    fc.assert(
      fc.property(instance, ({ n, dim, k, common, seed, skew, duplicate }) => {
        const input = inputWithTies(n, dim, common, seed, skew, duplicate);
        const workspace = openDppWorkspace({ n, dim, k }, Float64Array.from(input.embeddings), 'wasm');
        const screen = workspace.screen;
        expect(screen).not.toBeNull();
        if (screen === null) return;
        const { heap, weight, gain, basis, taken } = workspace;
        for (let i = 0; i < n; i++) {
          heap[weight + i] = Math.exp(3 * ((input.relevance[i] as number) - 1));
          heap[gain + i] = heap[weight + i] as number;
        }
        const { eps, perLevel } = screenErrorBounds(dim, screen.rows());
        let best = workspace.best();
        for (let t = 0; t + 1 < Math.min(k, n) && (heap[gain + best] as number) >= DPP_MIN_GAIN; t++) {
          // the greedy stops below DPP_MIN_GAIN: a basis vector from a zero residual would be noise
          taken[best] = 1;
          workspace.addPick(t, best);
          screen.basis32.set(heap.subarray(basis + t * dim, basis + (t + 1) * dim), t * dim);
          best = workspace.sweep(t);
          // a floor from a gain: groups below it keep stale bounds, which must stay valid too
          const top = heap[gain + best] as number;
          const start = t % 2 === 0 || !(top > 0) ? -Infinity : 0.5 * top;
          screen.screen(t + 1, eps, screenSlack(perLevel, t + 1), start);
          let most = -Infinity;
          for (let i = 0; i < n; i++) {
            if (taken[i] !== 0) continue;
            expect(screen.upper[i]).toBeGreaterThanOrEqual(heap[gain + i] as number);
            most = Math.max(most, heap[gain + i] as number);
          }
          expect(screen.floor()).toBeLessThanOrEqual(most);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('bound the float32 error by γ_h·Σ|e||b| with h = ⌈dim/4⌉ + 12, scaled by the largest row norm', () => {
    const u = 2 ** -24;
    const { eps } = screenErrorBounds(64, 1);
    const gamma = (28 * u) / (1 - 28 * u);
    // hand-worked: (γ_28·(1 + u)² + 2u + u²)·(1/√2), plus the float64 and underflow terms
    expect(eps).toBeCloseTo((gamma * (1 + u) ** 2 + 2 * u + u * u) * Math.SQRT1_2, 12);
    expect(eps).toBeGreaterThan(1.2e-6);
    expect(eps).toBeLessThan(1.3e-6);
    expect(screenErrorBounds(64, 4).eps).toBeCloseTo(2 * eps, 12);
    const gamma1536 = (396 * u) / (1 - 396 * u); // h = 1536/4 + 12
    expect(screenErrorBounds(1536, 1).eps).toBeCloseTo((gamma1536 * (1 + u) ** 2 + 2 * u + u * u) * Math.SQRT1_2, 12);
  });
});

describe('selectDppLazy with float32 screening', () => {
  it('selects the dense greedy ids, scores and parts bit for bit, ties included, and screens on these inputs', () => {
    const screened = vi.spyOn(DppScreening.prototype, 'next');
    fc.assert(
      fc.property(
        fc.record({ n: fc.integer({ min: 40, max: 400 }), dim: fc.integer({ min: 2, max: 40 }), k: fc.integer({ min: 2, max: 30 }), common: fc.constantFrom(1, 4), seed: fc.nat(), duplicate: fc.constantFrom(0, 2, 5) }),
        ({ n, dim, k, common, seed, duplicate }) => {
          const input = { ...inputWithTies(n, dim, common, seed, 1, duplicate), alpha: 0.3 };
          const lazy = selectDppLazy(input, k, 'wasm');
          for (const dense of [selectDppDense(input, k, 'wasm'), selectDppDense(input, k, 'js'), selectDppLazy(input, k, 'js')]) {
            expect(Array.from(lazy.indices)).toEqual(Array.from(dense.indices));
            expect(Array.from(lazy.scores)).toEqual(Array.from(dense.scores));
            expect(Array.from(lazy.parts?.["diversity"] ?? [])).toEqual(Array.from(dense.parts?.["diversity"] ?? []));
          }
        },
      ),
      { numRuns: 150 },
    );
    expect(screened).toHaveBeenCalled();
  });

  it('hands over to blocked sweeps when the bounds stop separating the gains (hundreds of near-copies), with the same selection', () => {
    const blocks = vi.spyOn(DppBlocks.prototype, 'next');
    const screened = vi.spyOn(DppScreening.prototype, 'next');
    const base = correlatedInput(3, 8, 1, 11, 1);
    const n = 600;
    const random = mulberry32(7);
    const embeddings = new Float64Array(n * 8);
    for (let i = 0; i < n; i++) for (let x = 0; x < 8; x++) embeddings[i * 8 + x] = (base.embeddings[(i % 3) * 8 + x] as number) * (1 + 1e-9 * (random() - 0.5));
    const input = { n, dim: 8, relevance: new Float64Array(n).fill(0.5), embeddings, alpha: 1 };
    const k = 6;
    const lazy = selectDppLazy(input, k, 'wasm');
    const dense = selectDppDense(input, k, 'js');
    expect(Array.from(lazy.indices)).toEqual(Array.from(dense.indices));
    expect(Array.from(lazy.scores)).toEqual(Array.from(dense.scores));
    expect(screened).toHaveBeenCalled();
    expect(blocks).toHaveBeenCalled();
  });

  it('hands a pick whose refreshes have already decided the handover to the screening mid-way, with the same selection', () => {
    // flat relevance: after the first pick every gain falls, and the old loop refreshed about n/5 of
    // the candidates one by one (125 of 600) before handing over
    const n = 600;
    const input = { ...correlatedInput(n, 128, 1, 3, 1), alpha: 7 / 6 };
    const k = 12;
    const lazy = selectDppLazy(input, k, 'wasm');
    const dense = selectDppDense(input, k, 'js');
    expect(Array.from(lazy.indices)).toEqual(Array.from(dense.indices));
    expect(Array.from(lazy.scores)).toEqual(Array.from(dense.scores));
    expect(lazy.refreshes).toBeGreaterThan(0);
    expect(lazy.refreshes).toBeLessThan(n / 10);
  });

  it('avoids most float64 updates on flat-relevance correlated rows', () => {
    const input = { ...correlatedInput(1000, 32, 1, 5, 1), alpha: 7 / 6 };
    const k = 30;
    const lazy = selectDppLazy(input, k, 'wasm');
    const dense = selectDppDense(input, k, 'wasm');
    expect(Array.from(lazy.indices)).toEqual(Array.from(dense.indices));
    expect(lazy.updates).toBeLessThan(dense.updates / 5);
  });
});
