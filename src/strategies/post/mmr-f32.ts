import type { KernelBackend } from '../../_internals/wasm/kernel-instance.js';
import { f32KernelBackend, type F32Workspace, openF32Workspace } from '../../_internals/wasm/f32-workspace.js';
import type { GreedyResult } from './greedy-result.js';
import { allocate, firstPick, lazyMmrOver, type MmrInput, type MmrOutput, mmrScore, place, result } from './mmr-greedy.js';

/**
 * MMR (Carbonell & Goldstein, SIGIR 1998) on the float32 path (`mmr({ precision: 'float32' })`):
 * the same greedy as the float64 one, ties → lower index, but every cosine is a single-precision dot
 * product of the unit rows rounded to float32 (f32x4 WebAssembly SIMD, or the bit-identical JS
 * fallback), widened to float64 for the objective. `algorithm` `'lazy'` (Minoux 1978's accelerated
 * greedy over a max-heap of stale scores, as in mmr-greedy.ts) and `'dense'` select the same items
 * with the same scores, bit for bit, in both backends. Tolerance against the float64 path: README
 * "Single precision".
 */
export function selectMmrF32(input: MmrInput, k: number, algorithm: 'lazy' | 'dense' = 'lazy', backend: KernelBackend = f32KernelBackend()): GreedyResult {
  const out = allocate(k);
  const first = firstPick(input);
  place(out, 0, first, input, 0);
  if (k === 1) return result(out, 0, 0);
  const workspace = openF32Workspace({ n: input.n, dim: input.dim, k, kind: 'mmr' }, input.embeddings, backend);
  try {
    return algorithm === 'lazy' ? lazyMmrOver(workspace, input, k, out, first) : dense(workspace, input, k, out, first);
  } finally {
    workspace.close();
  }
}

function dense(workspace: F32Workspace, input: MmrInput, k: number, out: MmrOutput, first: number): GreedyResult {
  const { n, relevance, lambda } = input;
  const maxSim = new Float64Array(n);
  const taken = new Uint8Array(n);
  const { similarities } = workspace;
  let pick = first;
  let updates = 0;
  for (let slot = 1; slot < k; slot++) {
    taken[pick] = 1;
    workspace.similaritiesTo(pick);
    let best = -1;
    let bestScore = 0;
    for (let i = 0; i < n; i++) {
      if (taken[i] !== 0) continue;
      const sim = similarities[i] as number;
      if (slot === 1 || sim > (maxSim[i] as number)) maxSim[i] = sim;
      const score = mmrScore(lambda, relevance[i] as number, maxSim[i] as number);
      if (best < 0 || score > bestScore) {
        best = i;
        bestScore = score;
      }
    }
    updates += n - slot;
    pick = best;
    place(out, slot, pick, input, maxSim[pick] as number);
  }
  return result(out, 0, updates);
}
