import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { GREEDY_KERNELS_WASM } from '../../../src/_internals/wasm/greedy-kernels-binary.js';
import { defaultKernelBackend, reserve, useKernelModule, wasmKernelsFor } from '../../../src/_internals/wasm/kernel-instance.js';
import { dpp, rerank } from '../../../src/index.js';
import { selectDppDense, selectDppLazy } from '../../../src/strategies/post/dpp-greedy.js';
import { assembleWat, renderBinaryModule, WASM_KERNELS } from '../../../scripts/wasm-binary.js';
import { correlatedInput, correlatedInstance } from './correlated-input.js';


describe('DPP kernels: WebAssembly and JS backends', () => {
  it('the committed WebAssembly bytes are the assembly of their .wat source (npm run build:wasm)', async () => {
    for (const source of WASM_KERNELS) {
      const bytes = await assembleWat(source.wat);
      expect(readFileSync(source.module, 'utf8')).toBe(renderBinaryModule(source, bytes));
    }
  });

  it('loads WebAssembly SIMD on this runtime, so the suite exercises the fast path', async () => {
    expect(defaultKernelBackend()).toBe('wasm');
    const { kernelBackend } = await import('../../../src/index.js');
    expect(kernelBackend()).toBe('wasm');
  });

  it('select the same items with the same scores and parts, bit for bit (lazy and dense)', () => {
    let switched = 0;
    fc.assert(
      fc.property(correlatedInstance([0, 0.3, 0.7, 0.9]), ({ input: vectors, k, tradeoff: theta }) => {
        const input = { ...vectors, alpha: theta / (2 * (1 - theta)) };
        const dense = selectDppDense(input, k, 'wasm');
        for (const backend of ['wasm', 'js'] as const) {
          for (const result of [selectDppLazy(input, k, backend), selectDppDense(input, k, backend)]) {
            expect(result.indices).toEqual(dense.indices);
            expect(result.scores).toEqual(dense.scores);
            expect(result.parts).toEqual(dense.parts);
          }
        }
        // the lazy loop handed over to sweeps (blocked, then dense) that updated every candidate
        const lazy = selectDppLazy(input, k, 'wasm');
        if (lazy.updates === dense.updates && lazy.refreshes > 0) switched++;
      }),
      { numRuns: 250 },
    );
    expect(switched).toBeGreaterThan(10);
  });

  it('stay equal across requests that grow the WebAssembly memory past what is retained, and after', () => {
    for (const [n, dim, k] of [
      [50, 8, 10],
      [6000, 64, 20],
      [60_000, 64, 12], // about 40 MB: the next request gets a fresh instance
      [30, 5, 12],
    ] as const) {
      const input = { ...correlatedInput(n, dim, 1, n, 4), alpha: 0.7 / (2 * 0.3) };
      for (const select of [selectDppLazy, selectDppDense]) {
        const wasm = select(input, k, 'wasm');
        const js = select(input, k, 'js');
        expect(wasm.indices).toEqual(js.indices);
        expect(wasm.scores).toEqual(js.scores);
      }
    }
  });
});

describe('WebAssembly memory between requests', () => {
  it('keeps a large memory for the next large request, and gives a small request a fresh instance', () => {
    const large = 40 * 1024 * 1024;
    const first = wasmKernelsFor(large);
    expect(first !== null && reserve(first.memory, large)).toBe(true);
    expect(defaultKernelBackend()).toBe('wasm'); // asking which backend runs changes nothing
    expect(wasmKernelsFor(large)).toBe(first);
    const small = wasmKernelsFor(1024);
    expect(small).not.toBe(first);
    expect(small?.memory.buffer.byteLength).toBeLessThan(large);
  });
});

describe('useKernelModule', () => {
  it('rejects a module that is not the kernel module, and keeps the kernels it had', () => {
    const empty = new WebAssembly.Module(new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0]));
    expect(() => useKernelModule(empty)).toThrowError(expect.objectContaining({ code: 'INVALID_ARGUMENT', field: 'module' }));
    expect(defaultKernelBackend()).toBe('wasm');
  });
});

/** Candidates sharing a direction, so the lazy DPP also hands over to sweeps. */
function correlatedCandidates() {
  const { n, dim, relevance, embeddings } = correlatedInput(200, 12, 1, 7, 4);
  return Array.from({ length: n }, (_, i) => ({ id: `c${i}`, relevance: relevance[i] as number, embedding: embeddings.subarray(i * dim, i * dim + dim) }));
}

describe('DPP kernels without WebAssembly', () => {
  afterEach(() => {
    vi.unstubAllGlobals();
    vi.resetModules();
  });

  it('run in WebAssembly again when the host hands in the compiled module (runtimes that refuse to compile bytes)', async () => {
    const compiled = new WebAssembly.Module(GREEDY_KERNELS_WASM);
    const candidates = correlatedCandidates();
    const expected = rerank({ candidates, k: 25, strategy: dpp({ theta: 0.7 }) }).items;
    const blocked = function Module(): never {
      throw new Error('compiling bytes is blocked here');
    };
    vi.stubGlobal('WebAssembly', { Module: blocked, Instance: WebAssembly.Instance, Memory: WebAssembly.Memory });
    vi.resetModules();
    const api = await import('../../../src/index.js');
    expect(api.kernelBackend()).toBe('js');
    expect(api.rerank({ candidates, k: 25, strategy: api.dpp({ theta: 0.7 }) }).items).toEqual(expected);
    expect(api.useKernelModule(compiled)).toBe('wasm');
    expect(api.kernelBackend()).toBe('wasm');
    expect(api.rerank({ candidates, k: 25, strategy: api.dpp({ theta: 0.7 }) }).items).toEqual(expected);
  });

  it('fall back to JS and still select through rerank()', async () => {
    vi.stubGlobal('WebAssembly', undefined);
    vi.resetModules();
    const { rerank, dpp, kernelBackend } = await import('../../../src/index.js');
    expect(kernelBackend()).toBe('js');
    const candidates = [
      { id: 'a', relevance: 1, embedding: [1, 0] },
      { id: 'b', relevance: 0.9, embedding: [0.99, 0.1] },
      { id: 'c', relevance: 0.5, embedding: [0, 1] },
    ];
    expect(rerank({ candidates, k: 2, strategy: dpp({ theta: 0.5 }) }).items.map((item) => item.id)).toEqual(['a', 'c']);
  });
});
