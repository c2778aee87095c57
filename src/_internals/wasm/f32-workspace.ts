import { dot32 } from '../f32/dot32.js';
import { F32_KERNELS_WASM } from './f32-kernels-binary.js';
import { type KernelBackend, reserve } from './kernel-instance.js';

/** Exports of f32-kernels.wat (every pointer a byte offset into `memory`). */
interface F32KernelExports {
  readonly memory: WebAssembly.Memory;
  readonly f32Configure: (n: number, d: number, emb: number, picks: number, basis: number, offset: number, proj: number, residual: number, weight: number, gain: number, taken: number) => void;
  readonly similarities: (j: number, out: number) => void;
  readonly maxSimilarity: (i: number, from: number, to: number, max: number) => number;
  readonly sweep: (t: number) => number;
  readonly catchUp: (i: number, from: number, to: number, floor: number) => number;
  readonly f32DppConfigure: (unitB: number, unitC: number, work: number) => void;
  readonly addPick: (t: number, s: number) => void;
}

const SQRT_HALF = Math.SQRT1_2;

/** Sizes of one float32 request. */
export interface F32WorkspaceSize {
  /** Candidates. */
  readonly n: number;
  /** Embedding dimension. */
  readonly dim: number;
  /** Picks at most. */
  readonly k: number;
  /** The algorithm the workspace serves: `'mmr'` leaves the DPP-only arrays empty. */
  readonly kind: 'mmr' | 'dpp';
}

/**
 * One float32 request's arrays and kernels (f32-kernels.wat, or the same arithmetic in JS through
 * {@link dot32}, bit for bit). `rows` holds the unit embeddings rounded to float32. MMR uses
 * `picks`, `similarities` and the first two kernels (its DPP-only arrays are empty); DPP keeps,
 * for candidate i and basis vector u, `proj[u·n + i] = p = f64(⟨e_i, b_u⟩₃₂) + offset[u]`,
 * `residual[i] −= p²` (from 1) and `gain[i] = weight[i]·residual[i]`.
 */
export interface F32Workspace {
  /** The backend that runs the kernels. */
  readonly backend: KernelBackend;
  /** Unit rows rounded to float32 (n × dim). */
  readonly rows: Float32Array;
  /** MMR picks in order (k). */
  readonly picks: Int32Array;
  /** Output of {@link F32Workspace.similaritiesTo} (n). */
  readonly similarities: Float64Array;
  /** DPP basis parts b_u, float32 (k × dim), written by the caller. */
  readonly basis: Float32Array;
  /** DPP constant parts c_u (k), written by the caller. */
  readonly offset: Float64Array;
  /** DPP projections (k × n, by basis vector). */
  readonly proj: Float64Array;
  /** DPP residuals (n, start at 1). */
  readonly residual: Float64Array;
  /** DPP weights (n), written by the caller. */
  readonly weight: Float64Array;
  /** DPP gains (n), written by the caller before the first kernel call. */
  readonly gain: Float64Array;
  /** DPP picked flags (n, zeroed). */
  readonly taken: Uint8Array;
  /** Writes `f64(⟨e_i, e_j⟩₃₂)` for every candidate i into `similarities`. */
  similaritiesTo(j: number): void;
  /** `max` raised to every `f64(⟨e_i, e_{picks[s]}⟩₃₂)` above it, `s = from .. to−1` in order. */
  maxSimilarity(i: number, from: number, to: number, max: number): number;
  /**
   * Makes candidate s DPP basis vector t by classical Gram–Schmidt in float64 (the form of
   * dpp-greedy.ts: `S = (1 + cos)/2` is the Gram matrix of `w_i = [1, e_i]/√2`):
   * `r = w_s − Σ_{u<t} proj[u·n + s]·q_u`, `q_t = r/‖r‖` (‖r‖² summed left to right), kept unit in
   * float64, and written 1/√2-scaled for the kernels: `offset[t] = q_t[0]/√2`,
   * `basis[t] = fl32(q_t[1..]/√2)`, so that `p[t][i] = ⟨q_t, w_i⟩ ≈ offset[t] + ⟨basis[t], e_i⟩`.
   */
  addPick(t: number, s: number): void;
  /** Applies basis vector t to every candidate not taken; the best gain's index (ties → lower), or -1. */
  sweep(t: number): number;
  /** Applies basis vectors `from .. to−1` to candidate i, stopping once its gain is below `floor`; returns the basis vectors it has seen. */
  catchUp(i: number, from: number, to: number, floor: number): number;
  /** Ends the request (the next one may run). */
  close(): void;
}

/**
 * Memory rule of the float32 kernels (as kernel-instance.ts's for the float64 ones): a request that
 * needs more grows their memory, which is kept, so that repeated large requests do not reallocate
 * it; the next request that fits in this many bytes gets a fresh instance, so one large request
 * does not pin its memory for the life of the process. What the float32 path keeps after a request
 * is thus at most the last large request's float32 rows and workspace (about half its float64
 * packed input plus 8·n·(k + 5) bytes), or 32 MB.
 */
export const RETAINED_F32_BYTES = 32 * 1024 * 1024;

let compiled: WebAssembly.Module | null | undefined;
let instance: F32KernelExports | undefined;
let busy = false;

/** The compiled float32 kernels, compiled on first use; `null` where the runtime refuses them. */
function compiledF32Kernels(): WebAssembly.Module | null {
  if (compiled === undefined) {
    try {
      compiled = new WebAssembly.Module(F32_KERNELS_WASM);
    } catch {
      compiled = null;
    }
  }
  return compiled;
}

/**
 * Where the float32 kernels run in this runtime: `'wasm'` when their f32x4 module compiles, `'js'`
 * otherwise (same results, bit for bit, more slowly).
 */
export function f32KernelBackend(): KernelBackend {
  return compiledF32Kernels() === null ? 'js' : 'wasm';
}

/** Bytes of WebAssembly memory the float32 kernels keep now (for tests of the retention bound). */
export function retainedF32Bytes(): number {
  return instance === undefined ? 0 : instance.memory.buffer.byteLength;
}

interface Layout {
  readonly basis: number;
  readonly similarities: number;
  readonly offset: number;
  readonly proj: number;
  readonly residual: number;
  readonly weight: number;
  readonly gain: number;
  readonly picks: number;
  readonly taken: number;
  readonly unitB: number;
  readonly unitC: number;
  readonly work: number;
  readonly bytes: number;
}

/** Sizes of the DPP-only arrays: the request's for DPP, all 0 for MMR. */
function dppSizes({ n, dim, k, kind }: F32WorkspaceSize): { n: number; dim: number; k: number } {
  return kind === 'dpp' ? { n, dim, k } : { n: 0, dim: 0, k: 0 };
}

/**
 * Byte offsets: float32 rows at 0, float32 basis (16-byte aligned), the f64 arrays, picks, taken.
 * MMR uses only rows, similarities and picks, so for `kind: 'mmr'` every DPP-only array is empty.
 */
function layout(size: F32WorkspaceSize): Layout {
  const { n, dim, k } = size;
  const align = (bytes: number): number => Math.ceil(bytes / 16) * 16;
  const { k: dppK, n: dppN, dim: dppDim } = dppSizes(size);
  const basis = align(n * dim * 4);
  const similarities = align(basis + dppK * dppDim * 4);
  const offset = similarities + n * 8;
  const proj = offset + dppK * 8;
  const residual = proj + dppK * dppN * 8;
  const weight = residual + dppN * 8;
  const gain = weight + dppN * 8;
  const unitB = gain + dppN * 8;
  const unitC = unitB + dppK * dppDim * 8;
  const work = unitC + dppK * 8;
  const picks = work + dppDim * 8;
  const taken = picks + k * 4;
  return { basis, similarities, offset, proj, residual, weight, gain, picks, taken, unitB, unitC, work, bytes: taken + dppN };
}

/**
 * Opens the float32 kernels of one request over the unit `embeddings` (row-major n × dim, any
 * precision), rounding them to float32 (round to nearest, the `Float32Array` conversion) into the
 * workspace. `'wasm'` falls back to `'js'` when the module does not compile, its memory cannot
 * grow, or a float32 request is already open (a request nested in a strategy). Call
 * {@link F32Workspace.close} when done.
 */
export function openF32Workspace(size: F32WorkspaceSize, embeddings: ArrayLike<number> & { subarray(begin: number, end: number): ArrayLike<number> }, backend: KernelBackend): F32Workspace {
  const { n, dim, k } = size;
  const at = layout(size);
  const dpp = dppSizes(size);
  const kernels = backend === 'wasm' && !busy ? f32Kernels(at.bytes) : undefined;
  const buffer = kernels === undefined ? new ArrayBuffer(at.bytes) : kernels.memory.buffer;
  const views = {
    rows: new Float32Array(buffer, 0, n * dim),
    picks: new Int32Array(buffer, at.picks, k),
    similarities: new Float64Array(buffer, at.similarities, n),
    basis: new Float32Array(buffer, at.basis, dpp.k * dpp.dim),
    offset: new Float64Array(buffer, at.offset, dpp.k),
    proj: new Float64Array(buffer, at.proj, dpp.k * dpp.n),
    residual: new Float64Array(buffer, at.residual, dpp.n),
    weight: new Float64Array(buffer, at.weight, dpp.n),
    gain: new Float64Array(buffer, at.gain, dpp.n),
    taken: new Uint8Array(buffer, at.taken, dpp.n),
    unitB: new Float64Array(buffer, at.unitB, dpp.k * dpp.dim),
    unitC: new Float64Array(buffer, at.unitC, dpp.k),
    work: new Float64Array(buffer, at.work, dpp.dim),
  };
  views.rows.set(embeddings.subarray(0, n * dim));
  views.residual.fill(1);
  views.taken.fill(0);
  if (kernels === undefined) return new JsF32Workspace(n, dim, views);
  busy = true;
  kernels.f32Configure(n, dim, 0, at.picks, at.basis, at.offset, at.proj, at.residual, at.weight, at.gain, at.taken);
  kernels.f32DppConfigure(at.unitB, at.unitC, at.work);
  const { similarities, maxSimilarity, sweep, catchUp, addPick } = kernels;
  return {
    backend: 'wasm',
    ...views,
    similaritiesTo: (j) => similarities(j, at.similarities),
    maxSimilarity,
    sweep,
    catchUp,
    addPick,
    close() {
      busy = false;
    },
  };
}

/** The float32 kernels with at least `bytes` of memory, or undefined (then JS runs). */
function f32Kernels(bytes: number): F32KernelExports | undefined {
  const module = compiledF32Kernels();
  if (module === null) return undefined;
  if (instance !== undefined && instance.memory.buffer.byteLength > RETAINED_F32_BYTES && bytes <= RETAINED_F32_BYTES) instance = undefined;
  try {
    instance ??= new WebAssembly.Instance(module, {}).exports as unknown as F32KernelExports;
  } catch {
    return undefined;
  }
  return reserve(instance.memory, bytes) ? instance : undefined;
}

type Views = Pick<F32Workspace, 'rows' | 'picks' | 'similarities' | 'basis' | 'offset' | 'proj' | 'residual' | 'weight' | 'gain' | 'taken'> & {
  /** Unit basis vectors' e-parts (k × dim) and constant parts (k), and d scratch values, float64. */
  readonly unitB: Float64Array;
  readonly unitC: Float64Array;
  readonly work: Float64Array;
};

/** The same kernels in plain JS, through {@link dot32}. */
class JsF32Workspace implements F32Workspace {
  readonly backend = 'js';
  readonly rows: Float32Array;
  readonly picks: Int32Array;
  readonly similarities: Float64Array;
  readonly basis: Float32Array;
  readonly offset: Float64Array;
  readonly proj: Float64Array;
  readonly residual: Float64Array;
  readonly weight: Float64Array;
  readonly gain: Float64Array;
  readonly taken: Uint8Array;
  private readonly unitB: Float64Array;
  private readonly unitC: Float64Array;
  private readonly work: Float64Array;

  constructor(
    private readonly n: number,
    private readonly dim: number,
    views: Views,
  ) {
    ({ rows: this.rows, picks: this.picks, similarities: this.similarities, basis: this.basis, offset: this.offset } = views);
    ({ proj: this.proj, residual: this.residual, weight: this.weight, gain: this.gain, taken: this.taken } = views);
    ({ unitB: this.unitB, unitC: this.unitC, work: this.work } = views);
  }

  addPick(t: number, s: number): void {
    const { n, dim, rows, proj, unitB, unitC, work: r } = this;
    for (let x = 0; x < dim; x++) r[x] = (rows[s * dim + x] as number) * SQRT_HALF;
    let rc = SQRT_HALF;
    for (let u = 0; u < t; u++) {
      const p = proj[u * n + s] as number;
      rc -= p * (unitC[u] as number);
      for (let x = 0; x < dim; x++) r[x] = (r[x] as number) - p * (unitB[u * dim + x] as number);
    }
    let norm = rc * rc;
    for (let x = 0; x < dim; x++) norm += (r[x] as number) * (r[x] as number);
    const inv = 1 / Math.sqrt(norm);
    unitC[t] = rc * inv;
    this.offset[t] = rc * inv * SQRT_HALF;
    for (let x = 0; x < dim; x++) {
      const q = (r[x] as number) * inv;
      unitB[t * dim + x] = q;
      this.basis[t * dim + x] = q * SQRT_HALF;
    }
  }

  similaritiesTo(j: number): void {
    const { n, dim, rows, similarities } = this;
    for (let i = 0; i < n; i++) similarities[i] = dot32(rows, i * dim, rows, j * dim, dim);
  }

  maxSimilarity(i: number, from: number, to: number, max: number): number {
    const { dim, rows, picks } = this;
    let m = max;
    for (let s = from; s < to; s++) {
      const sim = dot32(rows, i * dim, rows, (picks[s] as number) * dim, dim);
      if (sim > m) m = sim;
    }
    return m;
  }

  sweep(t: number): number {
    const { n, gain, taken } = this;
    let best = -1;
    let bestGain = 0;
    for (let i = 0; i < n; i++) {
      if (taken[i] !== 0) continue;
      this.apply(i, t);
      const g = gain[i] as number;
      if (best < 0 || g > bestGain) {
        best = i;
        bestGain = g;
      }
    }
    return best;
  }

  catchUp(i: number, from: number, to: number, floor: number): number {
    let u = from;
    while (u < to) {
      this.apply(i, u++);
      if ((this.gain[i] as number) < floor) break;
    }
    return u;
  }

  close(): void {}

  private apply(i: number, u: number): void {
    const { n, dim } = this;
    const p = dot32(this.rows, i * dim, this.basis, u * dim, dim) + (this.offset[u] as number);
    this.proj[u * n + i] = p;
    const rho = (this.residual[i] as number) - p * p;
    this.residual[i] = rho;
    this.gain[i] = (this.weight[i] as number) * rho;
  }
}
