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
}

/** Every function {@link GreedyKernelExports} names, for checking a module handed in by a host. */
const EXPORTED_FUNCTIONS = ['dppConfigure', 'addPick', 'sweep', 'best', 'catchUp', 'catchUpAll', 'catchUpRows', 'mmrConfigure', 'similarities', 'maxSimilarity'] as const;

const WASM_PAGE_BYTES = 65_536;

/**
 * Memory kept between requests: a request that needs more grows the instance's memory, and the next
 * request that fits in this much gets a fresh instance, so one large request does not pin its
 * memory for the life of the process.
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
 * memory.
 */
export function wasmKernelsFor(bytes: number): GreedyKernelExports | null {
  const module = compiledKernels();
  if (module === null) return null;
  if (instance === undefined || (instance.memory.buffer.byteLength > RETAINED_MEMORY_BYTES && bytes <= RETAINED_MEMORY_BYTES)) {
    try {
      instance = new WebAssembly.Instance(module, {}).exports as unknown as GreedyKernelExports;
    } catch {
      return null; // no memory for a fresh instance right now: this request runs in JS
    }
  }
  return instance;
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
