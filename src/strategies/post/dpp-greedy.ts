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
   * `d_i² −= e²`. Item i's row must hold exactly t entries. Both dot products are plain
   * left-to-right sums, the canonical order {@link CholeskyRows.extendFour} reproduces.
   */
  extend(i: number, t: number): void {
    const { stride, dim, embeddings, rows, quality } = this;
    const j = this.picks[t] as number;
    const io = i * dim;
    const jo = j * dim;
    let cosine = 0;
    for (let x = 0; x < dim; x++) cosine += (embeddings[io + x] as number) * (embeddings[jo + x] as number);
    const ir = i * stride;
    const jr = j * stride;
    let dot = 0;
    for (let x = 0; x < t; x++) dot += (rows[ir + x] as number) * (rows[jr + x] as number);
    const e = (kernelEntry(quality[j] as number, quality[i] as number, cosine) - dot) / (this.pickNorm[t] as number);
    rows[ir + t] = e;
    this.gain[i] = (this.gain[i] as number) - e * e;
  }

  /** Appends entries `t` and `t+1` of item i's row, bit-for-bit as two {@link CholeskyRows.extend} calls. */
  extendTwo(i: number, t: number): void {
    const { stride, dim, embeddings, rows, quality, picks, pickNorm } = this;
    const j0 = picks[t] as number;
    const j1 = picks[t + 1] as number;
    const io = i * dim;
    const o0 = j0 * dim;
    const o1 = j1 * dim;
    let a0 = 0;
    let a1 = 0;
    for (let x = 0; x < dim; x++) {
      const v = embeddings[io + x] as number;
      a0 += v * (embeddings[o0 + x] as number);
      a1 += v * (embeddings[o1 + x] as number);
    }
    const ir = i * stride;
    const r0 = j0 * stride;
    const r1 = j1 * stride;
    let b0 = 0;
    let b1 = 0;
    for (let x = 0; x < t; x++) {
      const v = rows[ir + x] as number;
      b0 += v * (rows[r0 + x] as number);
      b1 += v * (rows[r1 + x] as number);
    }
    const qi = quality[i] as number;
    let g = this.gain[i] as number;
    const e0 = (kernelEntry(quality[j0] as number, qi, a0) - b0) / (pickNorm[t] as number);
    g -= e0 * e0;
    b1 += e0 * (rows[r1 + t] as number);
    const e1 = (kernelEntry(quality[j1] as number, qi, a1) - b1) / (pickNorm[t + 1] as number);
    g -= e1 * e1;
    rows[ir + t] = e0;
    rows[ir + t + 1] = e1;
    this.gain[i] = g;
  }

  /**
   * Appends entries `t .. t+3` of item i's row, bit-for-bit as four {@link CholeskyRows.extend}
   * calls would: the same left-to-right sums, interleaved so that four independent accumulators
   * share each load of item i's vector and row (about twice the throughput).
   */
  extendFour(i: number, t: number): void {
    const { stride, dim, embeddings, rows, quality, picks, pickNorm } = this;
    const j0 = picks[t] as number;
    const j1 = picks[t + 1] as number;
    const j2 = picks[t + 2] as number;
    const j3 = picks[t + 3] as number;
    const io = i * dim;
    const o0 = j0 * dim;
    const o1 = j1 * dim;
    const o2 = j2 * dim;
    const o3 = j3 * dim;
    let a0 = 0;
    let a1 = 0;
    let a2 = 0;
    let a3 = 0;
    for (let x = 0; x < dim; x++) {
      const v = embeddings[io + x] as number;
      a0 += v * (embeddings[o0 + x] as number);
      a1 += v * (embeddings[o1 + x] as number);
      a2 += v * (embeddings[o2 + x] as number);
      a3 += v * (embeddings[o3 + x] as number);
    }
    const ir = i * stride;
    const r0 = j0 * stride;
    const r1 = j1 * stride;
    const r2 = j2 * stride;
    const r3 = j3 * stride;
    let b0 = 0;
    let b1 = 0;
    let b2 = 0;
    let b3 = 0;
    for (let x = 0; x < t; x++) {
      const v = rows[ir + x] as number;
      b0 += v * (rows[r0 + x] as number);
      b1 += v * (rows[r1 + x] as number);
      b2 += v * (rows[r2 + x] as number);
      b3 += v * (rows[r3 + x] as number);
    }
    const qi = quality[i] as number;
    let g = this.gain[i] as number;
    const e0 = (kernelEntry(quality[j0] as number, qi, a0) - b0) / (pickNorm[t] as number);
    g -= e0 * e0;
    b1 += e0 * (rows[r1 + t] as number);
    const e1 = (kernelEntry(quality[j1] as number, qi, a1) - b1) / (pickNorm[t + 1] as number);
    g -= e1 * e1;
    b2 += e0 * (rows[r2 + t] as number);
    b2 += e1 * (rows[r2 + t + 1] as number);
    const e2 = (kernelEntry(quality[j2] as number, qi, a2) - b2) / (pickNorm[t + 2] as number);
    g -= e2 * e2;
    b3 += e0 * (rows[r3 + t] as number);
    b3 += e1 * (rows[r3 + t + 1] as number);
    b3 += e2 * (rows[r3 + t + 2] as number);
    const e3 = (kernelEntry(quality[j3] as number, qi, a3) - b3) / (pickNorm[t + 3] as number);
    g -= e3 * e3;
    rows[ir + t] = e0;
    rows[ir + t + 1] = e1;
    rows[ir + t + 2] = e2;
    rows[ir + t + 3] = e3;
    this.gain[i] = g;
  }
}

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
      // Extend the stale top up to four missed picks at a time (4 measured best at n = 1000, k = 50,
      // dim = 64): each extension leaves a valid, tighter bound, so an item that loses the lead
      // stops paying for the picks it has not caught up on.
      let s = current[top] as number;
      refreshes++;
      do {
        const missed = t - s;
        if (missed >= 4) {
          state.extendFour(top, s);
          s += 4;
        } else if (missed >= 2) {
          state.extendTwo(top, s);
          s += 2;
        } else {
          state.extend(top, s++);
        }
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
