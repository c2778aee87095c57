import { LazyMaxHeap } from '../../_internals/lazy-heap.js';
import type { KernelBackend } from '../../_internals/wasm/kernel-instance.js';
import { f32KernelBackend, type F32Workspace, openF32Workspace } from '../../_internals/wasm/f32-workspace.js';
import type { GreedyResult } from './greedy-result.js';
import type { MmrInput } from './mmr-greedy.js';

/** Picks a stale item catches up on before the heap order is checked again (as in mmr-greedy.ts). */
const REFRESH_CHUNK = 2;

interface Slots {
  readonly indices: Int32Array;
  readonly scores: Float64Array;
  readonly relevance: Float64Array;
  readonly diversity: Float64Array;
}

/** MMR objective `λ·rel − (1−λ)·maxSim` in float64 (the float64 path's formula). */
function mmrScore(lambda: number, rel: number, maxSim: number): number {
  return lambda * rel + -((1 - lambda) * maxSim);
}

/** Writes slot `slot`: `relevance = λ·rel`, `diversity = −(1−λ)·maxSim` (signed zeros to 0), score their sum. */
function place(out: Slots, slot: number, index: number, input: MmrInput, maxSim: number): void {
  const relevancePart = input.lambda * (input.relevance[index] as number) + 0;
  const diversityPart = 0 - (1 - input.lambda) * maxSim;
  out.indices[slot] = index;
  out.relevance[slot] = relevancePart;
  out.diversity[slot] = diversityPart;
  out.scores[slot] = relevancePart + diversityPart;
}

function firstPick({ n, relevance, lambda }: MmrInput): number {
  let best = 0;
  for (let i = 1; i < n; i++) if (mmrScore(lambda, relevance[i] as number, 0) > mmrScore(lambda, relevance[best] as number, 0)) best = i;
  return best;
}

function finish(out: Slots, refreshes: number, updates: number): GreedyResult {
  return { indices: out.indices, scores: out.scores, parts: { relevance: out.relevance, diversity: out.diversity }, refreshes, updates };
}

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
  const out: Slots = { indices: new Int32Array(k), scores: new Float64Array(k), relevance: new Float64Array(k), diversity: new Float64Array(k) };
  const first = firstPick(input);
  place(out, 0, first, input, 0);
  if (k === 1) return finish(out, 0, 0);
  const workspace = openF32Workspace({ n: input.n, dim: input.dim, k }, input.embeddings, backend);
  try {
    return algorithm === 'lazy' ? lazy(workspace, input, k, out, first) : dense(workspace, input, k, out, first);
  } finally {
    workspace.close();
  }
}

function dense(workspace: F32Workspace, input: MmrInput, k: number, out: Slots, first: number): GreedyResult {
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
  return finish(out, 0, updates);
}

function lazy(workspace: F32Workspace, input: MmrInput, k: number, out: Slots, first: number): GreedyResult {
  const { n, relevance, lambda } = input;
  const { picks, similarities } = workspace;
  picks[0] = first;
  const maxSim = new Float64Array(n);
  const current = new Int32Array(n); // picks item i's maxSim accounts for
  const taken = new Uint8Array(n);
  taken[first] = 1;
  const heap = new LazyMaxHeap(n);
  const { keys } = heap;
  workspace.similaritiesTo(first);
  for (let i = 0; i < n; i++) {
    if (i === first) continue;
    maxSim[i] = similarities[i] as number;
    current[i] = 1;
    keys[i] = mmrScore(lambda, relevance[i] as number, maxSim[i] as number);
  }
  heap.build(n, taken);
  let updates = n - 1;
  let refreshes = 0;
  for (let slot = 1; slot < k; slot++) {
    let top = heap.top();
    while ((current[top] as number) !== slot) {
      let m = maxSim[top] as number;
      let s = current[top] as number;
      refreshes++;
      do {
        const to = Math.min(slot, s + REFRESH_CHUNK);
        m = workspace.maxSimilarity(top, s, to, m);
        s = to;
        keys[top] = mmrScore(lambda, relevance[top] as number, m);
      } while (s < slot && heap.topLeads());
      updates += s - (current[top] as number);
      maxSim[top] = m;
      current[top] = s;
      if (s < slot || !heap.topLeads()) {
        heap.siftTopDown();
        top = heap.top();
      }
    }
    heap.pop();
    place(out, slot, top, input, maxSim[top] as number);
    picks[slot] = top;
  }
  return finish(out, refreshes, updates);
}
