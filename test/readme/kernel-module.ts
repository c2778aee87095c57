/**
 * Stands in for `import kernels from 'serendipity-rerank/greedy-kernels.wasm'` on runtimes that
 * import `.wasm` files as compiled modules (Cloudflare Workers): the same bytes the build writes to
 * `dist/greedy-kernels.wasm`, compiled.
 */
import { GREEDY_KERNELS_WASM } from '../../src/_internals/wasm/greedy-kernels-binary.js';

export default new WebAssembly.Module(GREEDY_KERNELS_WASM);
