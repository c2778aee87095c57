import { RerankError } from '../../errors/rerank-error.js';
import { GREEDY_KERNELS_WASM } from './greedy-kernels-binary.js';

/**
 * Where the greedy re-rankers' inner loops run: `'wasm'` (WebAssembly SIMD, several times the
 * throughput of V8's scalar loops) or `'js'`. Both perform the same IEEE operations in the same
 * order, so they select the same items with the same scores, bit for bit.
 */
export type KernelBackend = 'wasm' | 'js';

/** Exports of greedy-kernels.wat (every pointer a byte offset into `memory`). */
export interface GreedyKernelExports {
  readonly memory: WebAssembly.Memory;
  readonly dppConfigure: (
    n: number,
    d: number,
    emb: number,
    basis: number,
    offset: number,
    proj: number,
    residual: number,
    weight: number,
    gain: number,
    taken: number,
    unitB: number,
    unitC: number,
    work: number,
    seen: number,
  ) => void;
  readonly addPick: (t: number, s: number) => void;
  readonly sweep: (t: number) => number;
  readonly best: () => number;
  readonly catchUp: (i: number, from: number, to: number, floor: number) => number;
  readonly catchUpAll: (to: number) => number;
  readonly catchUpRows: (first: number, last: number, from: number, to: number, floor: number) => number;
  readonly mmrConfigure: (n: number, d: number, emb: number, picks: number) => void;
  readonly similarities: (j: number, out: number) => void;
  readonly maxSimilarity: (i: number, from: number, to: number, max: number) => number;
  readonly normaliseRows: (at: number, count: number, d: number) => number;
  readonly similaritiesOfRows: (j: number, out: number, rows: number) => void;
  readonly maxSimilarityOfRows: (i: number, from: number, to: number, max: number, rows: number) => number;
}

/** Every function {@link GreedyKernelExports} names, for checking a module handed in by a host. */
const EXPORTED_FUNCTIONS = ['dppConfigure', 'addPick', 'sweep', 'best', 'catchUp', 'catchUpAll', 'catchUpRows', 'mmrConfigure', 'similarities', 'maxSimilarity', 'normaliseRows', 'similaritiesOfRows', 'maxSimilarityOfRows'] as const;

const WASM_PAGE_BYTES = 65_536;

/**
 * Memory kept between requests: a request that needs more grows the instance's memory, and the next
 * request that fits in this much gets a fresh instance, so one large request does not pin its
 * memory for the life of the process. A request whose rows were packed here keeps at most its rows
 * plus this much (see {@link returnKernelRows}).
 */
const RETAINED_MEMORY_BYTES = 32 * 1024 * 1024;

let compiled: WebAssembly.Module | null | undefined;
let instance: GreedyKernelExports | undefined;

/** The compiled kernel module, compiled on first use; `null` where the runtime refuses it. */
function compiledKernels(): WebAssembly.Module | null {
  if (compiled === undefined) {
    try {
      compiled = new WebAssembly.Module(GREEDY_KERNELS_WASM);
    } catch {
      compiled = null;
    }
  }
  return compiled;
}

/**
 * The WebAssembly kernels for a request needing `bytes` of memory; `null` where WebAssembly or its
 * SIMD extension is unavailable or forbidden (old engines, a CSP without `wasm-unsafe-eval`,
 * runtimes that refuse to compile bytes), in which case the JS kernels run. One instance serves
 * every request in turn (they are synchronous); call {@link reserve} before taking views of its
 * memory. While rows are lent ({@link lendKernelRows}) the instance is kept whatever its size.
 */
export function wasmKernelsFor(bytes: number): GreedyKernelExports | null {
  const module = compiledKernels();
  if (module === null) return null;
  const shrink = lent === undefined && instance !== undefined && instance.memory.buffer.byteLength > RETAINED_MEMORY_BYTES && bytes <= RETAINED_MEMORY_BYTES;
  if (instance === undefined || shrink) {
    try {
      instance = new WebAssembly.Instance(module, {}).exports as unknown as GreedyKernelExports;
    } catch {
      return null; // no memory for a fresh instance right now: this request runs in JS
    }
  }
  return instance;
}

/**
 * A WebAssembly kernel instance of its own, with `bytes` of memory that never grows after this
 * call (so views of it stay valid), for a catalogue whose rows the MMR kernels read in place; null
 * where the kernels do not run or that memory cannot be had.
 */
export function dedicatedKernels(bytes: number): GreedyKernelExports | null {
  const module = compiledKernels();
  if (module === null) return null;
  try {
    const kernels = new WebAssembly.Instance(module, {}).exports as unknown as GreedyKernelExports;
    return reserve(kernels.memory, bytes) ? kernels : null;
  } catch {
    return null;
  }
}

/**
 * Hands the library its WebAssembly kernels as an already compiled module, for runtimes that run
 * WebAssembly but refuse to compile it from bytes (Cloudflare Workers; Vercel Edge, which imports
 * `.wasm?module`): import `serendipity-rerank/greedy-kernels.wasm` the way the runtime imports
 * `.wasm` files and pass the module here once, before the first `rerank()`. Returns the backend
 * now in use (see {@link defaultKernelBackend | kernelBackend}).
 *
 * @throws {@link RerankError} `INVALID_ARGUMENT` when `module` is not this version's kernel module
 * (it lacks one of the kernels, or cannot be instantiated).
 *
 * @example
 * ```ts
 * // Cloudflare Workers: .wasm imports are compiled modules
 * import kernels from 'serendipity-rerank/greedy-kernels.wasm';
 * import { useKernelModule } from 'serendipity-rerank';
 * useKernelModule(kernels); // 'wasm'
 * ```
 */
export function useKernelModule(module: WebAssembly.Module): KernelBackend {
  let exports: Record<string, unknown>;
  try {
    exports = new WebAssembly.Instance(module, {}).exports;
  } catch (error) {
    throw new RerankError('INVALID_ARGUMENT', `useKernelModule: the module cannot be instantiated (${String(error)}). Pass the module compiled from serendipity-rerank/greedy-kernels.wasm.`, {
      field: 'module',
    });
  }
  const absent = EXPORTED_FUNCTIONS.filter((name) => typeof exports[name] !== 'function');
  if (!(exports.memory instanceof WebAssembly.Memory) || absent.length > 0) {
    throw new RerankError(
      'INVALID_ARGUMENT',
      `useKernelModule: the module is not this version's kernel module (missing ${absent.length > 0 ? absent.join(', ') : 'memory'}). Pass the module compiled from serendipity-rerank/greedy-kernels.wasm of the same package version.`,
      { field: 'module' },
    );
  }
  compiled = module;
  instance = exports as unknown as GreedyKernelExports;
  return 'wasm';
}

/**
 * Where `mmr()` and `dpp()` run their inner loops in this runtime: `'wasm'` when the WebAssembly
 * SIMD kernels load (compiling them on the first call), `'js'` when the runtime refuses them (no
 * WebAssembly SIMD, a Content-Security-Policy without `'wasm-unsafe-eval'`, runtimes that do not
 * compile bytes, unless {@link useKernelModule} provided the module). Results are the same either
 * way; log it to know whether a deployment has the fast path. Exported as `kernelBackend`.
 *
 * @example
 * ```ts
 * import { kernelBackend } from 'serendipity-rerank';
 * console.log(`serendipity-rerank kernels: ${kernelBackend()}`);
 * ```
 */
export function defaultKernelBackend(): KernelBackend {
  return compiledKernels() === null ? 'js' : 'wasm';
}

/** The candidate rows lent to one request's packing: they live at byte 0 of this instance's memory. */
interface LentRows {
  readonly kernels: GreedyKernelExports;
  readonly length: number;
  /** The latest view handed out (replaced when the memory grew, which detaches views). */
  view: Float64Array;
}

let lent: LentRows | undefined;

/**
 * Lends packing the first `length` floats of the kernels' memory, so that `rerank()` writes the
 * candidates' unit rows straight where the kernels read them and the data exists once. Applies the
 * retention rule of {@link wasmKernelsFor} first (a memory above 32 MB is replaced when this request
 * fits in 32 MB). Returns undefined when the kernels do not run here, the memory cannot grow, or
 * rows are already lent (a request nested in another): pack into a JS array then.
 * End the request with {@link returnKernelRows}.
 */
export function lendKernelRows(length: number): Float64Array | undefined {
  if (lent !== undefined) return undefined;
  const bytes = length * Float64Array.BYTES_PER_ELEMENT;
  const kernels = wasmKernelsFor(bytes);
  if (kernels === null || !reserve(kernels.memory, bytes)) return undefined;
  const view = new Float64Array(kernels.memory.buffer, 0, length);
  lent = { kernels, length, view };
  return view;
}

/**
 * Ends the loan of {@link lendKernelRows}. When the request's workspace grew the memory beyond its
 * rows plus {@link RETAINED_MEMORY_BYTES} (DPP's k × n projections at large n·k), the instance is
 * dropped, so what stays after a request is at most its packed input plus 32 MB.
 */
export function returnKernelRows(): void {
  if (lent !== undefined && instance === lent.kernels) {
    const rowBytes = lent.length * Float64Array.BYTES_PER_ELEMENT;
    if (instance.memory.buffer.byteLength > rowBytes + RETAINED_MEMORY_BYTES) instance = undefined;
  }
  lent = undefined;
}

/**
 * `rows` as a live view: when `rows` is the view {@link lendKernelRows} handed out and the memory has
 * grown since (which detaches it), a new view of the same rows; otherwise `rows` itself.
 */
export function liveKernelRows(rows: Float64Array): Float64Array {
  if (lent === undefined || rows !== lent.view || rows.buffer === lent.kernels.memory.buffer) return rows;
  lent.view = new Float64Array(lent.kernels.memory.buffer, 0, lent.length);
  return lent.view;
}

/**
 * Unit-normalises rows of the lent view in place, or undefined when `rows` is not the view
 * {@link lendKernelRows} handed out (normalise in JS then). The kernel takes the first row's byte
 * offset in the memory (the view starts at byte 0), the number of rows and their length, and
 * returns the index of the first row it could not normalise as is (see `normaliseRows` in
 * greedy-kernels.wat), or the number of rows.
 */
export function lentRowsNormaliser(rows: Float64Array): GreedyKernelExports['normaliseRows'] | undefined {
  if (lent === undefined || rows !== lent.view || rows.buffer !== lent.kernels.memory.buffer) return undefined;
  return lent.kernels.normaliseRows;
}

/**
 * How a workspace on `kernels` reads `embeddings` (its first `length` floats), decided before it
 * grows the memory: `'in-place'` when they are the lent rows (already at byte 0: do not copy),
 * `'copy'` when the workspace may copy them to byte 0, `'busy'` when byte 0 holds another request's
 * lent rows (a request nested in another, or rows no longer live): run the JS kernels then.
 */
export function rowPlacement(kernels: GreedyKernelExports, embeddings: Float64Array, length: number): 'in-place' | 'copy' | 'busy' {
  if (lent === undefined) return 'copy';
  // A view detached by the memory growing (a copy of the packed request taken before) still means the lent rows.
  const live = embeddings.buffer === kernels.memory.buffer || (embeddings.buffer.byteLength === 0 && length > 0);
  const inPlace = lent.kernels === kernels && live && embeddings.byteOffset === 0 && length <= lent.length;
  return inPlace ? 'in-place' : 'busy';
}

/** Bytes of WebAssembly memory the kernels keep now (for tests of the retention bound). */
export function retainedKernelBytes(): number {
  return instance === undefined ? 0 : instance.memory.buffer.byteLength;
}

/** Grows `memory` to at least `bytes`; false when the engine refuses (the caller falls back to JS). */
export function reserve(memory: WebAssembly.Memory, bytes: number): boolean {
  const missing = bytes - memory.buffer.byteLength;
  if (missing <= 0) return true;
  try {
    memory.grow(Math.ceil(missing / WASM_PAGE_BYTES));
    return true;
  } catch {
    return false;
  }
}
