import { LazyMaxHeap } from '../../_internals/lazy-heap.js';
import type { KernelBackend } from '../../_internals/wasm/kernel-instance.js';
import { f32KernelBackend, type F32Workspace, openF32Workspace } from '../../_internals/wasm/f32-workspace.js';
import { DPP_MIN_GAIN, type DppInput, DppSlots, writeQualities } from './dpp-kernel.js';
import type { GreedyResult } from './greedy-result.js';
import { type LazyCounts, popCurrentTop } from './dpp-lazy-step.js';

/**
 * Smallest residual `ρ_i` (conditional variance under S, in (0, 1]) the float32 path resolves: its
 * projections carry float32 rounding errors of order `dim·2⁻²⁴` each, so a residual below this is
 * noise. Once the best candidate's residual falls below it (or its gain below {@link DPP_MIN_GAIN},
 * as in the float64 path), the kernel counts as exhausted and the rest is filled in relevance
 * order. README "Single precision" states the resulting tolerance.
 */
export const F32_MIN_RESIDUAL = 1e-4;

/** Whether candidate i ends the greedy (see {@link F32_MIN_RESIDUAL}). */
function exhausted({ gain, residual }: F32Workspace, i: number): boolean {
  return (gain[i] as number) < DPP_MIN_GAIN || (residual[i] as number) < F32_MIN_RESIDUAL;
}

/**
 * When the lazy loop hands over to dense sweeps: once the recent refreshes per pick (an exponential
 * moving average, weight 1/2 on the past) exceed this share of the candidates. A refresh (a kernel
 * call and a heap sift for one candidate) costs about two row updates at the dimensions this path
 * is for (d ≥ 768), so beyond n/2 refreshes per pick a sweep over every candidate costs less. That
 * happens on flat relevance, where every gain falls at every pick; the selection is the same.
 */
const DENSE_HANDOVER_SHARE = 0.5;

/**
 * DPP greedy MAP inference (Chen, Zhang & Zhou, NeurIPS 2018, Algorithm 1, in the Gram–Schmidt form
 * of dpp-greedy.ts) on the float32 path (`dpp({ precision: 'float32' })`): each projection
 * `p = ⟨b_u, e_i⟩ + c_u` is a single-precision dot product of the float32 unit row with the float32
 * basis part (f32x4 WebAssembly SIMD, or the bit-identical JS fallback), widened to float64; the
 * residuals, gains, qualities and Gram–Schmidt are float64. Ties → lower index; below the gain
 * `1e-10` or the residual {@link F32_MIN_RESIDUAL} the rest is filled in relevance order. `'lazy'` (gains only fall,
 * so stale gains are upper bounds in a max-heap; Minoux 1978), handing over to dense sweeps when
 * refreshes stop paying, and `'dense'` select the same items with the same scores, bit for bit.
 * Tolerance against the float64 path: README "Single precision".
 */
export function selectDppF32(input: DppInput, k: number, algorithm: 'lazy' | 'dense' = 'lazy', backend: KernelBackend = f32KernelBackend()): GreedyResult {
  const { n, dim } = input;
  const workspace = openF32Workspace({ n, dim, k, kind: 'dpp' }, input.embeddings, backend);
  try {
    const quality = new Float64Array(n);
    const maxRelevance = writeQualities(input, quality);
    for (let i = 0; i < n; i++) workspace.weight[i] = workspace.gain[i] = (quality[i] as number) * (quality[i] as number);
    const slots = new DppSlots(input, maxRelevance, n, k);
    const counts = algorithm === 'dense' || k > dim + 1 ? dense(workspace, slots, n, k, 0, bestGain(workspace)) : lazy(workspace, slots, n, k);
    if (slots.count < k) slots.fillByRelevance();
    return slots.result(counts.refreshes, counts.updates);
  } finally {
    workspace.close();
  }
}

/** The candidate not taken with the highest gain (ties → lower index), or -1. */
function bestGain({ gain, taken }: F32Workspace): number {
  let best = -1;
  for (let i = 0; i < gain.length; i++) if (taken[i] === 0 && (best < 0 || (gain[i] as number) > (gain[best] as number))) best = i;
  return best;
}

/** Dense picks from slot `from` on, `best` being the current argmax (every candidate up to date). */
function dense(workspace: F32Workspace, slots: DppSlots, n: number, k: number, from: number, best: number, counts: LazyCounts = { refreshes: 0, updates: 0 }): LazyCounts {
  for (let t = from; best >= 0; t++) {
    if (exhausted(workspace, best)) break;
    slots.push(best, workspace.gain[best] as number);
    workspace.taken[best] = 1;
    if (t + 1 === k) break;
    workspace.addPick(t, best);
    best = workspace.sweep(t);
    counts.updates += n - t - 1;
  }
  return counts;
}

function lazy(workspace: F32Workspace, slots: DppSlots, n: number, k: number): LazyCounts {
  const { gain, taken } = workspace;
  const seen = new Int32Array(n);
  const heap = new LazyMaxHeap(n);
  heap.keys.set(gain);
  heap.build(n, taken);
  const counts: LazyCounts = { refreshes: 0, updates: 0 };
  let recentRefreshes = 0;
  for (let t = 0; t < k; t++) {
    const before = counts.refreshes;
    const top = popCurrentTop(heap, workspace, seen, gain, t, counts);
    if (exhausted(workspace, top)) break;
    slots.push(top, gain[top] as number);
    taken[top] = 1;
    if (t + 1 === k) break;
    recentRefreshes = 0.5 * recentRefreshes + 0.5 * (counts.refreshes - before);
    if (recentRefreshes > DENSE_HANDOVER_SHARE * n) {
      // Bring every candidate up to basis vector t − 1, then sweep densely from pick t on.
      for (let i = 0; i < n; i++) {
        if (taken[i] === 0 && (seen[i] as number) < t) counts.updates += workspace.catchUp(i, seen[i] as number, t, -Infinity) - (seen[i] as number);
      }
      workspace.addPick(t, top);
      counts.updates += n - t - 1;
      return dense(workspace, slots, n, k, t + 1, workspace.sweep(t), counts);
    }
    workspace.addPick(t, top);
  }
  return counts;
}
