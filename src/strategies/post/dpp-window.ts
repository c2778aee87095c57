import { dotUnrolled } from '../../_internals/dot.js';
import { DPP_MIN_GAIN, type DppInput, DppSlots, kernelEntry, writeQualities } from './dpp-kernel.js';
import type { GreedyResult } from './greedy-result.js';

/**
 * Sliding-window greedy DPP (Chen, Zhang & Zhou, NeurIPS 2018, Section 4): each pick maximises the
 * gain in `log det` conditioned only on the last `window − 1` picks, so every `window` consecutive
 * items are chosen to be jointly diverse while items further apart may repeat a theme. With
 * `window ≥ k` it selects like the full greedy (up to rounding; `dpp()` runs the full greedy
 * then); with `window = 1` nothing is conditioned on and it ranks by quality q_i, i.e. by relevance.
 *
 * Gains can rise when an item leaves the window, so there is no lazy form. Instead of the paper's
 * rotation downdate, each step re-solves against the window's own Cholesky factor, reusing kernel
 * entries cached per (candidate, pick): O(n·k·(dim + window²)) time, O(n·k + window²) memory.
 * Stops when the best gain `d_j² < 1e-10` and fills the rest in relevance order.
 */
export function selectDppWindow(input: DppInput, k: number, window: number): GreedyResult {
  const { n, dim, embeddings } = input;
  const quality = new Float64Array(n);
  const maxRelevance = writeQualities(input, quality);
  const slots = new DppSlots(input, maxRelevance, n, k);
  const taken = new Uint8Array(n);
  const gain = new Float64Array(n);
  const picks = new Int32Array(k);
  const kernel = new Float64Array(n * k); // kernel[i*k + t] = L(picks[t], i), cached while i is unpicked
  const width = Math.max(0, Math.min(window - 1, k - 1));
  const factor = new Float64Array(width * width); // lower Cholesky factor of L_W, row-major width × width
  const solve = new Float64Array(width);
  for (let i = 0; i < n; i++) gain[i] = (quality[i] as number) * (quality[i] as number);
  let updates = 0;
  let best = 0;
  for (let i = 1; i < n; i++) if ((gain[i] as number) > (gain[best] as number)) best = i;
  for (let t = 0; ; t++) {
    if ((gain[best] as number) < DPP_MIN_GAIN) break;
    picks[t] = best;
    slots.push(best, gain[best] as number);
    taken[best] = 1;
    if (t + 1 === k) break;
    const j = best;
    for (let i = 0; i < n; i++) {
      if (taken[i] !== 0) continue;
      const cosine = dotUnrolled(embeddings, i * dim, embeddings, j * dim, dim);
      kernel[i * k + t] = kernelEntry(quality[j] as number, quality[i] as number, cosine);
    }
    // Window: picks first .. t (at most window − 1 of them).
    const first = Math.max(0, t + 1 - width);
    const m = t + 1 - first;
    for (let a = 0; a < m; a++) {
      const itemA = picks[first + a] as number;
      for (let b = 0; b <= a; b++) {
        // L(W_b, W_a): cached on the later pick's row against the earlier pick.
        let value =
          b === a
            ? (quality[itemA] as number) * (quality[itemA] as number)
            : (kernel[itemA * k + first + b] as number);
        for (let c = 0; c < b; c++) value -= (factor[a * width + c] as number) * (factor[b * width + c] as number);
        factor[a * width + b] = b === a ? Math.sqrt(Math.max(value, 0)) : value / (factor[b * width + b] as number);
      }
    }
    let next = -1;
    for (let i = 0; i < n; i++) {
      if (taken[i] !== 0) continue;
      let g = (quality[i] as number) * (quality[i] as number);
      const row = i * k + first;
      for (let a = 0; a < m; a++) {
        let value = kernel[row + a] as number;
        for (let c = 0; c < a; c++) value -= (factor[a * width + c] as number) * (solve[c] as number);
        const e = value / (factor[a * width + a] as number);
        solve[a] = e;
        g -= e * e;
      }
      gain[i] = g;
      if (next < 0 || g > (gain[next] as number)) next = i;
    }
    updates += (n - t - 1) * m;
    best = next;
  }
  if (slots.count < k) slots.fillByRelevance();
  return slots.result(0, updates);
}
