import { dotPairUnrolled, dotUnrolled } from '../dot.js';
import { type KernelBackend, reserve, rowPlacement, wasmKernelsFor } from './kernel-instance.js';

/** Sizes of one DPP request. */
export interface DppWorkspaceSize {
  /** Candidates. */
  readonly n: number;
  /** Embedding dimension. */
  readonly dim: number;
  /** Picks (basis vectors) at most. */
  readonly k: number;
}

/**
 * One request's arrays and kernels. `heap` holds, at the given element offsets: `basis` (k × dim,
 * the basis parts b_u), `offset` (k, the constant parts c_u), `proj` (k × n, p[u][i] at
 * `proj + u·n + i`), `residual`, `weight` and `gain` (n each). The kernels keep, for every
 * candidate i and basis vector u it has been brought up to, `p[u][i] = ⟨b_u, e_i⟩ + c_u`,
 * `residual_i = 1 − Σ_u p[u][i]²` (subtracted in u order) and `gain_i = weight_i · residual_i`.
 */
export interface DppWorkspace {
  /** The backend that runs {@link DppWorkspace.sweep} and {@link DppWorkspace.catchUp}. */
  readonly backend: KernelBackend;
  /** Every array of the request; a view of WebAssembly memory for the `'wasm'` backend. */
  readonly heap: Float64Array;
  /** Element offset of the basis parts b_u (k × dim). */
  readonly basis: number;
  /** Element offset of the constant parts c_u (k). */
  readonly offset: number;
  /** Element offset of the projections (k × n, by basis vector). */
  readonly proj: number;
  /** Element offset of the residuals (n). */
  readonly residual: number;
  /** Element offset of the weights (n). */
  readonly weight: number;
  /** Element offset of the gains (n). */
  readonly gain: number;
  /** Picked flags (n): the caller sets `taken[i] = 1` when it picks candidate i. */
  readonly taken: Uint8Array;
  /**
   * Basis vectors applied to each candidate (n, zeroed), for {@link DppWorkspace.catchUpAll}: a
   * caller that advances candidates with {@link DppWorkspace.catchUp} records the result here.
   */
  readonly seen: Int32Array;
  /**
   * Projects every candidate on basis vector `t` (the dense step of the greedy) and returns
   * {@link DppWorkspace.best}.
   */
  sweep(t: number): number;
  /** The candidate with the highest gain that is not taken (ties → lower index), or -1. */
  best(): number;
  /**
   * Makes candidate `s`, which must have seen basis vectors `0 .. t−1`, basis vector `t` by
   * classical Gram–Schmidt: `r = w_s − Σ_{u<t} p[u][s]·q_u` with `w_s = [1, e_s]/√2`, then
   * `q_t = r/‖r‖`. Writes `b_t` and `c_t` (the 1/√2-scaled parts). O(t·dim).
   */
  addPick(t: number, s: number): void;
  /**
   * Applies basis vectors `from .. to−1` to candidate `i` in order, stopping early when, after a
   * multiple of four of them, its gain has fallen below `floor` (checking less often keeps a
   * refresh's bookkeeping rare). Returns how many basis vectors candidate i has now seen (`≤ to`).
   */
  catchUp(i: number, from: number, to: number, floor: number): number;
  /**
   * Brings every candidate not taken from `seen[i]` up to basis vector `to` (exclusive), two basis
   * vectors per pass, and sets `seen[i] = to`. Returns the number of (candidate, basis vector)
   * updates made.
   */
  catchUpAll(to: number): number;
  /**
   * The blocked sweep: brings every candidate of rows `first .. last−1` that is not taken from basis
   * vector `from` up to `to` (exclusive), in groups of four basis vectors so that the block's rows
   * stay in cache while several basis vectors pass over them (two rows by two basis vectors per
   * pass). Stops early when, after a group, no row of the block has a gain of at least `floor`.
   * Returns how many basis vectors the block has now seen (`≤ to`). Every projection, residual
   * and gain equals, bit for bit, what {@link DppWorkspace.sweep} computes.
   */
  catchUpRows(first: number, last: number, from: number, to: number, floor: number): number;
  /** The float32 screening kernels ({@link DppScreenKernels}), where the backend has them; else `null`. */
  readonly screen: DppScreenKernels | null;
}

/**
 * Float32 screening of the DPP gains (WebAssembly only; driven by src/strategies/post/dpp-screen.ts).
 * A float32 copy of the rows and basis parts gives each candidate an upper bound on its float64 gain
 * at half the bytes and twice the SIMD lanes of the exact sweep; nothing here changes the exact
 * state ({@link DppWorkspace.proj}, `residual`, `gain`).
 */
export interface DppScreenKernels {
  /** Upper bounds on the gains (n), written by {@link DppScreenKernels.screen}. */
  readonly upper: Float64Array;
  /** Float32 basis parts (k × dim): the caller writes `b_u` rounded to float32 before screening with it. */
  readonly basis32: Float32Array;
  /**
   * Writes the float32 copy of the rows, sets every residual bound (from above and below) to 1 and
   * every group of four rows to level 0 with an infinite bound, and empties the seeds; returns the
   * largest squared row norm (float64), which the error bound needs.
   */
  rows(): number;
  /**
   * Screens for basis vector `to − 1`, the groups of four rows holding the last call's eight highest
   * bounds (the seeds) first. A group whose highest upper bound is below the floor (the highest
   * lower bound on a float64 gain at this level found so far, from `start`) keeps its stale bounds;
   * the others get basis vectors from their level up to `to − 1` applied to every residual bound,
   * `bound_i −= max(0, |p̃| − eps)²` and `low_i −= (|p̃| + eps)²` with `p̃ = fl32⟨ẽ_i, b̃_u⟩ + c_u`,
   * then `upper_i = w_i·(bound_i + slack)`, and `w_i·(low_i − slack)` raises the floor. Returns the
   * candidate not taken with the highest upper bound among the screened groups (ties → lower
   * index), or -1.
   */
  screen(to: number, eps: number, slack: number, start: number): number;
  /** The floor the last {@link DppScreenKernels.screen} reached: some candidate's gain is at least this. */
  floor(): number;
  /** The second highest upper bound of the last {@link DppScreenKernels.screen} (-Infinity with fewer than two open). */
  runnerUp(): number;
}

/**
 * Largest WebAssembly memory a request may use with the screening arrays (their float32 rows add
 * half the rows' bytes): the kernel instance's retention budget (`RETAINED_MEMORY_BYTES` in
 * kernel-instance.ts, 32 MiB). Beyond it the instance would be dropped and rebuilt around requests,
 * which measured slower than going without screening (n = 10,000, d = 384: 136 against 44 ms);
 * such requests keep the blocked sweeps.
 */
const SCREEN_MAX_BYTES = 32 * 1024 * 1024;

/** Seeds of {@link DppScreenKernels.screen}: its eight highest upper bounds, for the next pick. */
const SCREEN_SEEDS = 8;

/** The screening exports of the kernel module (absent from modules older than them). */
interface ScreenExports {
  readonly dppScreenConfigure?: (emb32: number, basis32: number, bound: number, upper: number, groupLevel: number, groupUpper: number, seeds: number, seedGains: number, boundLow: number) => void;
  readonly dppScreenRows?: () => number;
  readonly dppScreen?: (to: number, eps: number, slack: number, start: number) => number;
  readonly dppScreenRunnerUp?: () => number;
  readonly dppScreenFloor?: () => number;
}

interface Layout {
  readonly basis: number;
  readonly offset: number;
  readonly proj: number;
  readonly residual: number;
  readonly weight: number;
  readonly gain: number;
  readonly unitB: number;
  readonly unitC: number;
  readonly work: number;
  readonly emb: number;
  readonly total: number;
}

/** Element offsets of one request's arrays; the embeddings, when in the heap, come first (see `lendKernelRows`). */
function layout({ n, dim, k }: DppWorkspaceSize, withEmbeddings: boolean): Layout {
  const emb = 0;
  const basis = withEmbeddings ? n * dim : 0;
  const offset = basis + k * dim;
  const proj = offset + k;
  const residual = proj + k * n;
  const weight = residual + n;
  const gain = weight + n;
  const unitB = gain + n;
  const unitC = unitB + k * dim;
  const work = unitC + k;
  return { basis, offset, proj, residual, weight, gain, unitB, unitC, work, emb, total: work + dim };
}

/**
 * Opens the workspace of one DPP request over the unit `embeddings` (row-major n × dim): residuals
 * of 1, nothing taken or seen; weights and gains are the caller's to write (projections and basis
 * vectors are written by the kernels before they are read). The `'wasm'` backend reads the
 * embeddings at byte 0 of WebAssembly memory, where `rerank()` packed them (see `lendKernelRows`)
 * or where they are copied, followed by the other arrays; the next request reuses that memory
 * (see kernel-instance.ts). It falls back to `'js'` when that memory cannot grow or holds another
 * request's rows. Not re-entrant: one request at a time, which
 * the synchronous `rerank()` guarantees.
 */
export function openDppWorkspace(size: DppWorkspaceSize, embeddings: Float64Array, backend: KernelBackend): DppWorkspace {
  const at = layout(size, true);
  // f64 arrays, then seen (n i32), then taken (n bytes), then the screening arrays: seed bounds and
  // group bounds (f64), seeds and group levels (i32), residual and gain bounds (n f64 each),
  // float32 basis parts (k × dim) and rows (n × dim)
  const seenByte = at.total * Float64Array.BYTES_PER_ELEMENT;
  const takenByte = seenByte + size.n * Int32Array.BYTES_PER_ELEMENT;
  const groups = Math.ceil(size.n / 4);
  const seedGainsByte = Math.ceil((takenByte + size.n) / 16) * 16;
  const groupUpperByte = seedGainsByte + SCREEN_SEEDS * Float64Array.BYTES_PER_ELEMENT;
  const seedsByte = groupUpperByte + groups * Float64Array.BYTES_PER_ELEMENT;
  // two seed lists: the current one and, while screening, the previous one
  const groupLevelByte = seedsByte + 2 * SCREEN_SEEDS * Int32Array.BYTES_PER_ELEMENT;
  const boundByte = Math.ceil((groupLevelByte + groups * Int32Array.BYTES_PER_ELEMENT) / 16) * 16;
  const boundLowByte = boundByte + size.n * Float64Array.BYTES_PER_ELEMENT;
  const upperByte = boundLowByte + size.n * Float64Array.BYTES_PER_ELEMENT;
  const basis32Byte = upperByte + size.n * Float64Array.BYTES_PER_ELEMENT;
  const emb32Byte = Math.ceil((basis32Byte + size.k * size.dim * Float32Array.BYTES_PER_ELEMENT) / 16) * 16;
  const screenBytes = emb32Byte + size.n * size.dim * Float32Array.BYTES_PER_ELEMENT;
  const screening = screenBytes <= SCREEN_MAX_BYTES;
  const bytes = screening ? screenBytes : takenByte + size.n;
  const kernels = backend === 'wasm' ? wasmKernelsFor(bytes) : null;
  const placement = kernels === null ? 'busy' : rowPlacement(kernels, embeddings, size.n * size.dim);
  if (kernels !== null && placement !== 'busy') {
    if (reserve(kernels.memory, bytes)) {
      const heap = new Float64Array(kernels.memory.buffer, 0, at.total);
      heap.fill(1, at.residual, at.weight);
      if (placement === 'copy') heap.set(embeddings.subarray(0, size.n * size.dim), at.emb);
      const seen = new Int32Array(kernels.memory.buffer, seenByte, size.n);
      seen.fill(0);
      const taken = new Uint8Array(kernels.memory.buffer, takenByte, size.n);
      taken.fill(0);
      const { dppConfigure, sweep, best, catchUp, addPick, catchUpAll, catchUpRows } = kernels;
      const B = Float64Array.BYTES_PER_ELEMENT;
      dppConfigure(size.n, size.dim, at.emb * B, at.basis * B, at.offset * B, at.proj * B, at.residual * B, at.weight * B, at.gain * B, takenByte, at.unitB * B, at.unitC * B, at.work * B, seenByte);
      const { dppScreenConfigure, dppScreenRows, dppScreen, dppScreenRunnerUp, dppScreenFloor } = kernels as unknown as ScreenExports;
      let screen: DppScreenKernels | null = null;
      if (screening && dppScreenConfigure !== undefined && dppScreenRows !== undefined && dppScreen !== undefined && dppScreenRunnerUp !== undefined && dppScreenFloor !== undefined) {
        dppScreenConfigure(emb32Byte, basis32Byte, boundByte, upperByte, groupLevelByte, groupUpperByte, seedsByte, seedGainsByte, boundLowByte);
        screen = {
          upper: new Float64Array(kernels.memory.buffer, upperByte, size.n),
          basis32: new Float32Array(kernels.memory.buffer, basis32Byte, size.k * size.dim),
          rows: dppScreenRows,
          screen: dppScreen,
          runnerUp: dppScreenRunnerUp,
          floor: dppScreenFloor,
        };
      }
      return { backend: 'wasm', heap, taken, seen, ...at, sweep, best, catchUp, addPick, catchUpAll, catchUpRows, screen };
    }
  }
  return new JsDppWorkspace(size, embeddings);
}

/**
 * The same kernels in plain JS, operation for operation as in greedy-kernels.wat: each projection is
 * {@link dotUnrolled} plus the constant part, and residuals are updated in basis order.
 */
class JsDppWorkspace implements DppWorkspace {
  readonly backend = 'js';
  readonly screen = null;
  readonly heap: Float64Array;
  readonly basis: number;
  readonly offset: number;
  readonly proj: number;
  readonly residual: number;
  readonly weight: number;
  readonly gain: number;
  readonly taken: Uint8Array;
  readonly seen: Int32Array;
  private readonly n: number;
  private readonly dim: number;
  private readonly pair = new Float64Array(2);
  private readonly unitB: number;
  private readonly unitC: number;
  private readonly work: number;

  constructor(size: DppWorkspaceSize, private readonly embeddings: Float64Array) {
    const at = layout(size, false);
    this.heap = new Float64Array(at.total);
    this.heap.fill(1, at.residual, at.weight);
    ({ basis: this.basis, offset: this.offset, proj: this.proj, residual: this.residual, weight: this.weight, gain: this.gain } = at);
    this.unitB = at.unitB;
    this.unitC = at.unitC;
    this.work = at.work;
    this.taken = new Uint8Array(size.n);
    this.seen = new Int32Array(size.n);
    this.n = size.n;
    this.dim = size.dim;
  }

  addPick(t: number, s: number): void {
    const { heap, dim, n, embeddings, work, unitB, unitC } = this;
    for (let x = 0; x < dim; x++) heap[work + x] = (embeddings[s * dim + x] as number) * Math.SQRT1_2;
    let constant = Math.SQRT1_2;
    for (let u = 0; u < t; u++) {
      const p = heap[this.proj + u * n + s] as number;
      constant -= p * (heap[unitC + u] as number);
      const row = unitB + u * dim;
      for (let x = 0; x < dim; x++) heap[work + x] = (heap[work + x] as number) - p * (heap[row + x] as number);
    }
    let squaredNorm = constant * constant;
    for (let x = 0; x < dim; x++) squaredNorm += (heap[work + x] as number) * (heap[work + x] as number);
    const inverse = 1 / Math.sqrt(squaredNorm);
    const unitConstant = constant * inverse;
    heap[unitC + t] = unitConstant;
    heap[this.offset + t] = unitConstant * Math.SQRT1_2;
    for (let x = 0; x < dim; x++) {
      const value = (heap[work + x] as number) * inverse;
      heap[unitB + t * dim + x] = value;
      heap[this.basis + t * dim + x] = value * Math.SQRT1_2;
    }
  }

  /** Two rows per pass, as in the WebAssembly version, so that each load of b_t serves both. */
  sweep(t: number): number {
    const { heap, n, dim, embeddings } = this;
    const vector = this.basis + t * dim;
    const constant = heap[this.offset + t] as number;
    let i = 0;
    for (; i + 1 < n; i += 2) {
      dotPairUnrolled(embeddings, i * dim, embeddings, (i + 1) * dim, heap, vector, dim, this.pair);
      this.setGain(i, this.settle(i, t, (this.pair[0] as number) + constant));
      this.setGain(i + 1, this.settle(i + 1, t, (this.pair[1] as number) + constant));
    }
    if (i < n) this.setGain(i, this.settle(i, t, dotUnrolled(embeddings, i * dim, heap, vector, dim) + constant));
    return this.best();
  }

  best(): number {
    const { heap, n, taken, gain } = this;
    let best = -1;
    for (let i = 0; i < n; i++) {
      if (taken[i] !== 0) continue;
      if (best < 0 || (heap[gain + i] as number) > (heap[gain + best] as number)) best = i;
    }
    return best;
  }

  /** Basis vectors in pairs where it can, so that each load of e_i serves two of them. */
  catchUp(i: number, from: number, to: number, floor: number): number {
    const { heap, dim, embeddings } = this;
    const weight = heap[this.weight + i] as number;
    const row = i * dim;
    let u = from;
    let residual = 0;
    for (;;) {
      const checkpoint = Math.min(to, u + 4);
      for (; u + 1 < checkpoint; u += 2) {
        this.projectPair(row, u);
        this.settle(i, u, this.pair[0] as number);
        residual = this.settle(i, u + 1, this.pair[1] as number);
      }
      if (u < checkpoint) {
        residual = this.settle(i, u, dotUnrolled(heap, this.basis + u * dim, embeddings, row, dim) + (heap[this.offset + u] as number));
        u++;
      }
      if (u >= to || weight * residual < floor) break;
    }
    this.setGain(i, residual);
    return u;
  }

  /**
   * Writes the projections of the embedding at `row` on basis vectors u and u+1 (each summed as
   * {@link dotUnrolled}) into {@link JsDppWorkspace.pair}.
   */
  private projectPair(row: number, u: number): void {
    const { heap, dim, pair } = this;
    const a = this.basis + u * dim;
    dotPairUnrolled(heap, a, heap, a + dim, this.embeddings, row, dim, pair);
    pair[0] = (pair[0] as number) + (heap[this.offset + u] as number);
    pair[1] = (pair[1] as number) + (heap[this.offset + u + 1] as number);
  }

  catchUpAll(to: number): number {
    const { n, taken, seen } = this;
    let updates = 0;
    for (let i = 0; i < n; i++) {
      const u = seen[i] as number;
      if (taken[i] !== 0 || u >= to) continue;
      updates += to - u;
      this.apply(i, u, to);
      seen[i] = to;
    }
    return updates;
  }

  /**
   * Rows two at a time as in the WebAssembly version; the arithmetic per (row, basis vector) is that
   * of {@link JsDppWorkspace.catchUpAll}, so pairing rows changes nothing in the results.
   */
  catchUpRows(first: number, last: number, from: number, to: number, floor: number): number {
    const { taken, heap } = this;
    let u = from;
    while (u < to) {
      const stop = Math.min(to, u + 4);
      let lead = false;
      for (let i = first; i < last; i++) {
        if (taken[i] !== 0) continue;
        this.apply(i, u, stop);
        if ((heap[this.gain + i] as number) >= floor) lead = true;
      }
      u = stop;
      if (!lead) break;
    }
    return u;
  }

  /** Applies basis vectors `from .. to−1` to candidate i in order, two per pass; sets its gain. */
  private apply(i: number, from: number, to: number): void {
    const { heap, dim, n, embeddings } = this;
    const row = i * dim;
    let residual = heap[this.residual + i] as number;
    let u = from;
    for (; u + 1 < to; u += 2) {
      this.projectPair(row, u);
      const p = this.pair[0] as number;
      const q = this.pair[1] as number;
      heap[this.proj + u * n + i] = p;
      heap[this.proj + (u + 1) * n + i] = q;
      residual -= p * p;
      residual -= q * q;
    }
    if (u < to) {
      const p = dotUnrolled(heap, this.basis + u * dim, embeddings, row, dim) + (heap[this.offset + u] as number);
      heap[this.proj + u * n + i] = p;
      residual -= p * p;
    }
    heap[this.residual + i] = residual;
    this.setGain(i, residual);
  }

  /** `gain_i = weight_i · residual`. */
  private setGain(i: number, residual: number): void {
    this.heap[this.gain + i] = (this.heap[this.weight + i] as number) * residual;
  }

  /** Records projection `p` of candidate i on basis vector u; returns the new residual. */
  private settle(i: number, u: number, p: number): number {
    const { heap } = this;
    heap[this.proj + u * this.n + i] = p;
    const residual = (heap[this.residual + i] as number) - p * p;
    heap[this.residual + i] = residual;
    return residual;
  }
}
