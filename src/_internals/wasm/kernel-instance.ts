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
  readonly mmrConfigure: (n: number, d: number, emb: number, picks: number) => void;
  readonly similarities: (j: number, out: number) => void;
  readonly maxSimilarity: (i: number, from: number, to: number, max: number) => number;
}

const WASM_PAGE_BYTES = 65_536;

/**
 * Memory kept between requests: a request that needs more grows the instance's memory, and the next
 * request that fits in this much gets a fresh instance, so one large request does not pin its
 * memory for the life of the process.
 */
const RETAINED_MEMORY_BYTES = 32 * 1024 * 1024;

let compiled: WebAssembly.Module | null | undefined;
let instance: GreedyKernelExports | undefined;

/**
 * The WebAssembly kernels for a request needing `bytes` of memory, compiled on first use; `null`
 * where WebAssembly or its SIMD extension is unavailable or forbidden (old engines, a CSP without
 * `wasm-unsafe-eval`, runtimes that refuse to compile bytes), in which case the JS kernels run.
 * One instance serves every request in turn (they are synchronous); call {@link reserve} before
 * taking views of its memory.
 */
export function wasmKernelsFor(bytes: number): GreedyKernelExports | null {
  if (compiled === undefined) {
    try {
      compiled = new WebAssembly.Module(GREEDY_KERNELS_WASM);
    } catch {
      compiled = null;
    }
  }
  if (compiled === null) return null;
  if (instance === undefined || (instance.memory.buffer.byteLength > RETAINED_MEMORY_BYTES && bytes <= RETAINED_MEMORY_BYTES)) {
    try {
      instance = new WebAssembly.Instance(compiled, {}).exports as unknown as GreedyKernelExports;
    } catch {
      return null; // no memory for a fresh instance right now: this request runs in JS
    }
  }
  return instance;
}

/**
 * Where `mmr()` and `dpp()` run their inner loops in this runtime: `'wasm'` when the WebAssembly
 * SIMD kernels load (compiling them on the first call), `'js'` when the runtime refuses them (no
 * WebAssembly SIMD, a Content-Security-Policy without `'wasm-unsafe-eval'`, runtimes that do not
 * compile bytes). Results are the same either way; log it to know whether a deployment has the
 * fast path. Exported as `kernelBackend`.
 *
 * @example
 * ```ts
 * import { kernelBackend } from 'serendipity-rerank';
 * console.log(`serendipity-rerank kernels: ${kernelBackend()}`);
 * ```
 */
export function defaultKernelBackend(): KernelBackend {
  return wasmKernelsFor(0) === null ? 'js' : 'wasm';
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
