import { describe, expect, it } from 'vitest';
import { RETAINED_F32_BYTES, retainedF32Bytes } from '../../src/_internals/wasm/f32-workspace.js';
import { selectMmrF32 } from '../../src/strategies/post/mmr-f32.js';

function request(n: number, dim: number) {
  const embeddings = new Float64Array(n * dim);
  for (let x = 0; x < embeddings.length; x++) embeddings[x] = Math.sin(x * 0.37) / Math.sqrt(dim);
  return { n, dim, relevance: Float64Array.from({ length: n }, (_, i) => Math.cos(i)), embeddings, lambda: 0.5 };
}

describe('float32 kernel memory', () => {
  it('keeps a large request’s memory for the next large one, and drops it when a request fits in 32 MB', () => {
    const large = request(6000, 1536); // 36.9 MB of float32 rows
    selectMmrF32(large, 5, 'lazy', 'wasm');
    const afterLarge = retainedF32Bytes();
    expect(afterLarge).toBeGreaterThan(RETAINED_F32_BYTES);
    expect(afterLarge).toBeLessThan(6000 * 1536 * 4 + 1024 * 1024); // the rows and a small workspace
    selectMmrF32(large, 5, 'lazy', 'wasm');
    expect(retainedF32Bytes()).toBe(afterLarge); // not grown again
    selectMmrF32(request(100, 64), 5, 'lazy', 'wasm');
    expect(retainedF32Bytes()).toBeLessThanOrEqual(RETAINED_F32_BYTES);
  });

  it('gives MMR only the arrays it reads: no k × n DPP projections at a large k', () => {
    selectMmrF32(request(100, 64), 5, 'lazy', 'wasm'); // a fresh, small instance (see above)
    const picks = 400;
    const n = 20_000;
    const result = selectMmrF32(request(n, 8), picks, 'lazy', 'wasm');
    expect(new Set(result.indices).size).toBe(picks);
    // float32 rows (640 kB) + similarities (160 kB) + picks; the DPP projections alone would be 64 MB
    expect(retainedF32Bytes()).toBeLessThan(2 * 1024 * 1024);
  });
});
