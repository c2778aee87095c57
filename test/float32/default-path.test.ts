import { describe, expect, it, vi } from 'vitest';

// Every float32 kernel call goes through openF32Workspace: replace it with one that throws, so any
// use of the float32 kernels by the default path fails this file.
vi.mock('../../src/_internals/wasm/f32-workspace.js', async (importOriginal) => ({
  ...(await importOriginal<object>()),
  openF32Workspace: () => {
    throw new Error('the float32 kernels were used');
  },
}));

const { rerank } = await import('../../src/rerank.js');
const { mmr } = await import('../../src/strategies/post/mmr.js');
const { dpp } = await import('../../src/strategies/post/dpp.js');

describe('the float64 default', () => {
  const candidates = Array.from({ length: 30 }, (_, i) => ({ id: `c${i}`, relevance: Math.sin(i), embedding: [Math.cos(i), Math.sin(i * 2), 1, i % 3] }));

  it('never goes through the float32 kernels (MMR and DPP, lazy and dense)', () => {
    for (const strategy of [mmr(), mmr({ algorithm: 'dense' }), dpp(), dpp({ algorithm: 'dense' }), dpp({ window: 3 }), mmr({ precision: 'float64' })]) {
      expect(rerank({ candidates, k: 10, strategy }).items).toHaveLength(10);
    }
  });

  it('while the float32 option does (the mock is in force)', () => {
    for (const strategy of [mmr({ precision: 'float32' }), dpp({ precision: 'float32' })]) {
      let caught: unknown;
      try {
        rerank({ candidates, k: 10, strategy });
      } catch (error) {
        caught = error;
      }
      // rerank() wraps a strategy's exception; the mock's error is its cause
      expect(String((caught as { cause?: unknown } | undefined)?.cause)).toContain('the float32 kernels were used');
    }
  });
});
