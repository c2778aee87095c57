import { dotUnrolled } from '../../_internals/dot.js';
import { LazyMaxHeap } from '../../_internals/lazy-heap.js';
import { DPP_MIN_GAIN, type DppInput, DppSlots, kernelEntry, writeQualities } from './dpp-kernel.js';
import type { GreedyResult } from './greedy-result.js';

/**
 * State of the incremental-Cholesky greedy (Chen, Zhang & Zhou, NeurIPS 2018, Algorithm 1):
 * row i of `rows` holds `c_i` (stride k), `gain[i]` holds `d_i²`, and pick t's item and `d_j` sit in
 * `picks[t]` / `pickNorm[t]`. O(n·k) memory.
 */
class CholeskyRows {
  readonly quality: Float64Array;
  readonly gain: Float64Array;
  readonly maxRelevance: number;
  private readonly rows: Float64Array;
  private readonly picks: Int32Array;
  private readonly pickNorm: Float64Array;
  private readonly embeddings: Float64Array;
  private readonly dim: number;
  private readonly stride: number;

  constructor(input: DppInput, k: number) {
    const { n } = input;
    this.quality = new Float64Array(n);
    this.maxRelevance = writeQualities(input, this.quality);
    this.gain = new Float64Array(n);
    for (let i = 0; i < n; i++) this.gain[i] = (this.quality[i] as number) * (this.quality[i] as number);
    this.stride = k;
    this.rows = new Float64Array(n * k);
    this.picks = new Int32Array(k);
    this.pickNorm = new Float64Array(k);
    this.embeddings = input.embeddings;
    this.dim = input.dim;
  }

  /** Records item j as pick t; its row must be current (t entries). */
  recordPick(t: number, j: number): void {
    this.picks[t] = j;
    this.pickNorm[t] = Math.sqrt(this.gain[j] as number);
  }

  /**
   * Appends entry t of item i's row: `e = (L_{j,i} − ⟨c_j, c_i⟩) / d_j` for pick t = j, then
   * `d_i² −= e²`. Item i's row must hold exactly t entries.
   */
  extend(i: number, t: number): void {
    const j = this.picks[t] as number;
    const { stride, dim, embeddings, rows, quality } = this;
    const cosine = dotUnrolled(embeddings, i * dim, embeddings, j * dim, dim);
    const lji = kernelEntry(quality[j] as number, quality[i] as number, cosine);
    const e = (lji - dotUnrolled(rows, j * stride, rows, i * stride, t)) / (this.pickNorm[t] as number);
    rows[i * stride + t] = e;
    this.gain[i] = (this.gain[i] as number) - e * e;
  }
}

/**
 * Missed picks a stale item catches up on before the heap order is checked again. Smaller chunks
 * skip more work for items that lose the lead; larger ones sift less. 4 measured best at
 * n = 1000, k = 50, dim = 64 (benchmarks/speed.ts).
 */
const REFRESH_CHUNK = 4;

/**
 * Reference greedy MAP inference for the DPP kernel of DESIGN-NOTES §2: Chen, Zhang & Zhou's
 * Algorithm 1, updating every remaining item after every pick. O(n·k·(dim + k)) time, O(n·k)
 * memory. Stops when the best gain `d_j² < 1e-10` and fills the rest in relevance order.
 */
export function selectDppDense(input: DppInput, k: number): GreedyResult {
  const { n } = input;
  const state = new CholeskyRows(input, k);
  const { gain } = state;
  const slots = new DppSlots(input, state.maxRelevance, n, k);
  const taken = new Uint8Array(n);
  let updates = 0;
  let best = 0;
  for (let i = 1; i < n; i++) if ((gain[i] as number) > (gain[best] as number)) best = i;
  for (let t = 0; ; t++) {
    if ((gain[best] as number) < DPP_MIN_GAIN) break;
    state.recordPick(t, best);
    slots.push(best, gain[best] as number);
    taken[best] = 1;
    if (t + 1 === k) break;
    let next = -1;
    for (let i = 0; i < n; i++) {
      if (taken[i] !== 0) continue;
      state.extend(i, t);
      if (next < 0 || (gain[i] as number) > (gain[next] as number)) next = i;
    }
    updates += n - t - 1;
    best = next;
  }
  if (slots.count < k) slots.fillByRelevance();
  return slots.result(0, updates);
}

/**
 * Lazy (accelerated) version of {@link selectDppDense}, identical in output. A DPP's marginal gain
 * `d_i²` can only fall as the selection grows (log det is submodular), so stale gains are upper
 * bounds kept in a max-heap (ties → lower index). While the top is stale, its Cholesky row is
 * extended over the picks it missed, a few at a time and with the same arithmetic as the dense
 * loop, until it is current or loses the lead (then it is sifted down); a current top is the true
 * argmax. Items that never reach the top again never pay for the picks they missed.
 */
export function selectDppLazy(input: DppInput, k: number): GreedyResult {
  const { n } = input;
  const state = new CholeskyRows(input, k);
  const { gain } = state;
  const slots = new DppSlots(input, state.maxRelevance, n, k);
  const current = new Int32Array(n); // entries in item i's Cholesky row
  const heap = new LazyMaxHeap(n);
  const { keys } = heap;
  keys.set(gain);
  heap.build(n, new Uint8Array(n));
  let updates = 0;
  let refreshes = 0;
  for (let t = 0; t < k; t++) {
    let top = heap.top();
    while ((current[top] as number) !== t) {
      // Extend the stale top a few missed picks at a time: each extension leaves a valid, tighter
      // bound, so an item that loses the lead stops paying for the picks it has not caught up on.
      let s = current[top] as number;
      refreshes++;
      do {
        const to = Math.min(t, s + REFRESH_CHUNK);
        while (s < to) state.extend(top, s++);
        keys[top] = gain[top] as number;
      } while (s < t && heap.topLeads());
      updates += s - (current[top] as number);
      current[top] = s;
      if (s < t || !heap.topLeads()) {
        heap.siftTopDown();
        top = heap.top();
      }
    }
    if ((gain[top] as number) < DPP_MIN_GAIN) break;
    heap.pop();
    state.recordPick(t, top);
    slots.push(top, gain[top] as number);
  }
  if (slots.count < k) slots.fillByRelevance();
  return slots.result(refreshes, updates);
}
