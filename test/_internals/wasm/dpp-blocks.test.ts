import fc from 'fast-check';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { openDppWorkspace } from '../../../src/_internals/wasm/dpp-kernels.js';
import { blockRows, DppBlocks, denseHandOver } from '../../../src/strategies/post/dpp-blocks.js';
import { selectDppDense, selectDppLazy } from '../../../src/strategies/post/dpp-greedy.js';
import { correlatedInput, correlatedInstance } from './correlated-input.js';

afterEach(() => vi.restoreAllMocks());

/**
 * Runs the greedy twice side by side on one input, once with a dense sweep per pick and once with
 * blocked sweeps of `rows` rows, and returns both pick sequences with the winning gains.
 */
function sideBySide(input: ReturnType<typeof correlatedInput>, k: number, rows: number, backend: 'wasm' | 'js', handOver = true) {
  const { n, dim } = input;
  const open = (embeddings: Float64Array, where: 'wasm' | 'js') => {
    const workspace = openDppWorkspace({ n, dim, k }, embeddings, where);
    const { heap, weight, gain } = workspace;
    for (let i = 0; i < n; i++) {
      // weights in (0, 1] from the relevance, like the greedy's squared qualities at a high θ
      heap[weight + i] = Math.exp(10 * ((input.relevance[i] as number) - 1));
      heap[gain + i] = heap[weight + i] as number;
    }
    return workspace;
  };
  // one WebAssembly workspace at a time: the dense reference runs in JS (bit-identical, tested elsewhere)
  const dense = open(Float64Array.from(input.embeddings), 'js');
  const blocked = open(Float64Array.from(input.embeddings), backend);
  const densePicks: [number, number][] = [];
  const blockedPicks: [number, number][] = [];
  let a = dense.best();
  let b = a;
  let blocks: DppBlocks | null = null;
  for (let t = 0; t < k && a >= 0; t++) {
    densePicks.push([a, dense.heap[dense.gain + a] as number]);
    blockedPicks.push([b, b < 0 ? Number.NaN : (blocked.heap[blocked.gain + b] as number)]);
    if (b !== a || t + 1 === k) break;
    dense.taken[a] = 1;
    blocked.taken[b] = 1;
    dense.addPick(t, a);
    blocked.addPick(t, b);
    a = dense.sweep(t);
    blocks ??= new DppBlocks(blocked, n, t, rows, handOver);
    b = blocks.next(t, b);
  }
  return { densePicks, blockedPicks, updates: blocks?.updates ?? 0 };
}

describe('DppBlocks: blocked lazy sweeps', () => {
  it('pick what a dense sweep per pick picks, with the same gain bit for bit, for any block size and either backend', () => {
    fc.assert(
      fc.property(correlatedInstance([0.5]), fc.integer({ min: 1, max: 9 }), fc.constantFrom('wasm' as const, 'js' as const), fc.boolean(), ({ input, k }, rows, backend, handOver) => {
        const { densePicks, blockedPicks } = sideBySide(input, k, rows, backend, handOver);
        expect(blockedPicks).toEqual(densePicks);
      }),
      { numRuns: 200 },
    );
  });

  it('skip work on skewed weights: fewer updates than sweeping every candidate for every pick', () => {
    const input = correlatedInput(400, 24, 0, 3, 8);
    const k = 20;
    const { densePicks, blockedPicks, updates } = sideBySide(input, k, 8, 'wasm');
    expect(blockedPicks).toEqual(densePicks);
    let dense = 0;
    for (let t = 1; t < k; t++) dense += input.n - t;
    expect(updates).toBeGreaterThan(0);
    expect(updates).toBeLessThan(dense / 2);
  });

  it('hand over to dense sweeps only while the rows fit in 1 MB', () => {
    expect(denseHandOver(2048, 64)).toBe(true);
    expect(denseHandOver(2049, 64)).toBe(false);
    expect(denseHandOver(1000, 384)).toBe(false);
  });

  it('size blocks to about 16 KB of rows, 2 to 32 of them', () => {
    expect(blockRows(8)).toBe(32);
    expect(blockRows(64)).toBe(32);
    expect(blockRows(384)).toBe(5);
    expect(blockRows(1536)).toBe(2);
  });

  it('take over a pick mid-way once its refreshes have decided the handover (JS backend), with the same selection', () => {
    const blocks = vi.spyOn(DppBlocks.prototype, 'next');
    // strongly correlated rows, flat relevance: the old loop refreshed every candidate (1,999 of
    // 2,000) one by one in the pick that decided the handover
    const n = 2000;
    const input = { ...correlatedInput(n, 64, 4, 3, 1), alpha: 7 / 6 };
    const k = 12;
    const lazy = selectDppLazy(input, k, 'js');
    const dense = selectDppDense(input, k, 'wasm');
    expect(Array.from(lazy.indices)).toEqual(Array.from(dense.indices));
    expect(Array.from(lazy.scores)).toEqual(Array.from(dense.scores));
    expect(blocks).toHaveBeenCalled();
    expect(lazy.refreshes).toBeLessThan(n / 4);
  });

  it('keep the lazy greedy equal to the dense one, bit for bit, at high dimension on flat and skewed relevance (both backends)', () => {
    for (const [n, dim, k, skew, common] of [
      [300, 384, 30, 1, 0],
      [250, 1031, 20, 1, 1],
      [300, 385, 25, 8, 0],
      [120, 64, 70, 1, 4], // k > dim + 1 is not reached here, but heavy correlation makes it switch
    ] as const) {
      const input = { ...correlatedInput(n, dim, common, n + dim, skew), alpha: 0.7 / (2 * 0.3) };
      const dense = selectDppDense(input, k, 'wasm');
      for (const backend of ['wasm', 'js'] as const) {
        const lazy = selectDppLazy(input, k, backend);
        expect(lazy.indices).toEqual(dense.indices);
        expect(lazy.scores).toEqual(dense.scores);
        expect(lazy.updates).toBeLessThanOrEqual(dense.updates);
      }
    }
  });
});
