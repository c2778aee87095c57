import { LazyMaxHeap } from '../../_internals/lazy-heap.js';
import { blockRows, DppBlocks, denseHandOver } from './dpp-blocks.js';
import { DppScreening } from './dpp-screen.js';
import { type DppWorkspace, openDppWorkspace } from '../../_internals/wasm/dpp-kernels.js';
import { defaultKernelBackend, type KernelBackend } from '../../_internals/wasm/kernel-instance.js';
import { DPP_MIN_GAIN, type DppInput, DppSlots, writeQualities } from './dpp-kernel.js';
import type { GreedyResult } from './greedy-result.js';
import { type LazyCounts, popCurrentTop } from './dpp-lazy-step.js';

/**
 * Greedy state in Gram–Schmidt form. The similarity kernel `S_ij = (1 + cos(e_i, e_j)) / 2` is the
 * Gram matrix of the unit vectors `w_i = [1, e_i] / √2`, so `L = diag(q)·S·diag(q)` has
 * `det L_{Y∪{i}} / det L_Y = q_i² · ‖(I − Q·Qᵀ)·w_i‖² = q_i² · (1 − Σ_u ⟨q_u, w_i⟩²)`, where the
 * `q_u` are the orthonormal basis Gram–Schmidt builds from the picks' `w` in pick order. That is
 * Chen, Zhang & Zhou's `d_i²` (their Cholesky row is `c_i = q_i · Qᵀ·w_i`), but each (candidate,
 * pick) update costs one dot product of length dim instead of two of lengths dim and t. The
 * arithmetic runs in the kernels of src/_internals/wasm; this opens their workspace with every
 * weight and gain set to `q_i²` and returns a view of the gains.
 */
function openGreedy(input: DppInput, k: number, backend: KernelBackend): { workspace: DppWorkspace; gain: Float64Array; maxRelevance: number } {
  const { n, dim } = input;
  const quality = new Float64Array(n);
  const maxRelevance = writeQualities(input, quality);
  const workspace = openDppWorkspace({ n, dim, k }, input.embeddings, backend);
  const { heap, weight, gain } = workspace;
  for (let i = 0; i < n; i++) {
    const squared = (quality[i] as number) * (quality[i] as number);
    heap[weight + i] = squared;
    heap[gain + i] = squared;
  }
  return { workspace, gain: heap.subarray(gain, gain + n), maxRelevance };
}

/**
 * Reference greedy MAP inference for the DPP kernel of docs/formulas.md#dpp (Chen, Zhang & Zhou,
 * NeurIPS 2018, Algorithm 1, in the Gram–Schmidt form of {@link openGreedy}), updating every
 * remaining item after every pick: O(n·k·dim) time, O(n·k) memory. Stops when the best gain
 * `d_j² < 1e-10` and fills the rest in relevance order. `backend` only chooses where the arithmetic
 * runs; the selection is the same bit for bit.
 */
export function selectDppDense(input: DppInput, k: number, backend: KernelBackend = defaultKernelBackend()): GreedyResult {
  const { n } = input;
  const { workspace, gain, maxRelevance } = openGreedy(input, k, backend);
  const slots = new DppSlots(input, maxRelevance, n, k);
  let updates = 0;
  let best = workspace.best();
  for (let t = 0; ; t++) {
    if ((gain[best] as number) < DPP_MIN_GAIN) break;
    slots.push(best, gain[best] as number);
    workspace.taken[best] = 1;
    if (t + 1 === k) break;
    workspace.addPick(t, best);
    best = workspace.sweep(t);
    updates += n - t - 1;
  }
  if (slots.count < k) slots.fillByRelevance();
  return slots.result(0, updates);
}

/**
 * When the lazy loop hands over to blocked sweeps ({@link DppBlocks}). A refresh's bookkeeping (heap
 * sift, kernel call, a row fetched out of order) costs about as much as updating this many
 * candidates of dimension 64 by one basis vector, per kernel backend, at n ≤ 1000 (more beyond,
 * see {@link REFRESH_COST_N}); a row of dimension `dim` costs `dim / 64` times as much, so the
 * bookkeeping weighs less as `dim` grows. Once the recent refresh rate (an exponential moving
 * average with weight {@link REFRESH_RATE_DECAY} on the past) times that cost, over the picks still
 * to come, exceeds sweeping every candidate for every pick, the loop switches. That happens early when gains fall everywhere at every pick (vectors sharing a
 * common direction, which S's constant term encourages, or flat relevance at low dimension), and
 * not when relevance is skewed. Either way the selection is the same; the constants were tuned on
 * benchmarks/speed.ts inputs.
 */
const REFRESH_COST_IN_ROWS: Readonly<Record<KernelBackend, number>> = { wasm: 16, js: 6 };
/** The dimension {@link REFRESH_COST_IN_ROWS} is counted at. */
const REFRESH_COST_DIM = 64;
/**
 * Up to about this many candidates {@link REFRESH_COST_IN_ROWS} holds; beyond, a refresh costs
 * `log2(n / REFRESH_COST_N)` times as much: its heap sift walks log2 n levels and its scattered
 * reads and writes (heap, gain, residual, one projection per missed basis vector) leave the cache,
 * while sweeps stream. Measured on benchmarks/speed.ts inputs: at n = 100,000, d = 64, k = 50 flat
 * relevance 462 → 224 ms, skewed 52 → 110 ms (both well ahead of numpy).
 */
const REFRESH_COST_N = 500;
const REFRESH_RATE_DECAY = 0.5;
/**
 * Where the backend has the float32 screening kernels ({@link DppScreening}), the loop hands over
 * to them once the recent refresh rate exceeds this share of the candidates per pick, whatever the
 * dimension: a screening pass costs a fraction of a dense sweep and its float64 work stays near the
 * top. Measured on benchmarks/speed.ts inputs (n = 1000–10,000, d = 64–1536): flat relevance
 * refreshes 6–14% of the candidates per pick and gains from screening; skewed relevance refreshes
 * 0.4–1.5% at most sizes and stays faster with the heap.
 */
const SCREEN_REFRESH_SHARE = 0.02;

/**
 * Lazy (accelerated) version of {@link selectDppDense}, identical in output. A DPP's marginal gain
 * `d_i²` can only fall as the selection grows (log det is submodular), so stale gains are upper
 * bounds kept in a max-heap (ties → lower index; Minoux 1978). While the top is stale, it is
 * brought up to date with the basis vectors it missed, stopping early once it falls below the best
 * other bound; a current top is the true argmax. Items that never reach the top again never pay for
 * the picks they missed. Once refreshes become frequent, the remaining picks run as float32
 * screening ({@link DppScreening}, WebAssembly only, from {@link SCREEN_REFRESH_SHARE}): rigorous
 * bounds on every gain from a float32 copy of the rows, float64 work only near the top. Without the
 * screening kernels (the JS backend), once refreshes cost more than sweeping would (see
 * {@link REFRESH_COST_IN_ROWS}), every item is caught up and the remaining picks run as blocked
 * sweeps ({@link DppBlocks}: the same bounds per block of rows, each block caught up in cache over
 * every basis vector it missed). A pick whose refreshes alone already decide the handover stops
 * refreshing there and is found by the method taken over (on flat relevance the first stale pick
 * would otherwise refresh most candidates one by one, in heap order). Every path selects the same
 * items, bit for bit; with k > dim + 1 it sweeps from the start.
 */
export function selectDppLazy(input: DppInput, k: number, backend: KernelBackend = defaultKernelBackend()): GreedyResult {
  const { n } = input;
  const { workspace, gain, maxRelevance } = openGreedy(input, k, backend);
  const { taken, seen } = workspace;
  const refreshCost = ((REFRESH_COST_IN_ROWS[workspace.backend] * REFRESH_COST_DIM) / Math.max(REFRESH_COST_DIM, input.dim)) * Math.max(1, Math.log2(n / REFRESH_COST_N));
  const slots = new DppSlots(input, maxRelevance, n, k);
  const counts: LazyCounts = { refreshes: 0, updates: 0 };
  // With k > dim + 1 the kernel (rank ≤ dim + 1) runs out before the list is full, and showing that
  // every remaining gain is below DPP_MIN_GAIN touches every item: lazy evaluation cannot save work.
  let sweeping = k > input.dim + 1;
  let recentRefreshes = 0;
  const heap = new LazyMaxHeap(sweeping ? 0 : n);
  if (!sweeping) {
    heap.keys.set(gain);
    heap.build(n, taken);
  }
  let top = sweeping ? workspace.best() : -1;
  // Float32 screening where the backend has it and the kernel cannot run out before the list is full.
  const screen = !sweeping && workspace.screen !== null;
  let blocks: DppBlocks | DppScreening | null = null;
  for (let t = 0; t < k; t++) {
    if (!sweeping) {
      // The loop hands over once the recent refresh rate passes this many per pick; a pick that has
      // made `budget` refreshes has decided the handover, so it stops there and leaves itself to it.
      const handOverRate = screen ? SCREEN_REFRESH_SHARE * n : (n * k) / (refreshCost * (k - t));
      const budget = Math.max(0, Math.floor((handOverRate - REFRESH_RATE_DECAY * recentRefreshes) / (1 - REFRESH_RATE_DECAY)) + 1);
      const before = counts.refreshes;
      const previous = top;
      top = popCurrentTop(heap, workspace, seen, gain, t, counts, budget);
      recentRefreshes = REFRESH_RATE_DECAY * recentRefreshes + (1 - REFRESH_RATE_DECAY) * (counts.refreshes - before);
      sweeping = top < 0 || recentRefreshes > handOverRate;
      if (sweeping && !screen) counts.updates += workspace.catchUpAll(t);
      if (top < 0) {
        // pick t goes to the handover, as if it had been asked after pick t − 1 (`previous`)
        blocks = screen ? new DppScreening(workspace, n, input.dim, t - 1) : new DppBlocks(workspace, n, t, blockRows(input.dim), denseHandOver(n, input.dim));
        top = blocks.next(t - 1, previous);
      }
    }
    if ((gain[top] as number) < DPP_MIN_GAIN) break;
    slots.push(top, gain[top] as number);
    taken[top] = 1;
    if (t + 1 === k) break;
    workspace.addPick(t, top);
    if (sweeping) {
      blocks ??= screen ? new DppScreening(workspace, n, input.dim, t) : new DppBlocks(workspace, n, t, blockRows(input.dim), denseHandOver(n, input.dim));
      top = blocks.next(t, top);
    }
  }
  if (slots.count < k) slots.fillByRelevance();
  return slots.result(counts.refreshes, counts.updates + (blocks === null ? 0 : blocks.updates));
}

