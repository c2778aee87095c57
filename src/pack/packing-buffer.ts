import { lendKernelRows, returnKernelRows } from '../_internals/wasm/kernel-instance.js';

/**
 * Bytes of packing buffer kept between `rerank()` calls at most. A request that needs more gets a
 * larger buffer, dropped when the request ends, so one large request does not pin its memory for
 * the life of the process (the WebAssembly kernels keep their memory by the same 32 MB rule).
 */
export const RETAINED_PACKING_BYTES = 32 * 1024 * 1024;

const RETAINED_PACKING_LENGTH = RETAINED_PACKING_BYTES / Float64Array.BYTES_PER_ELEMENT;

const EMPTY = new Float64Array(0);

/**
 * Where `rerank()` packs the candidates' unit rows, so that they exist once and are not reallocated
 * per request (allocating and zero-filling a fresh n×dim `Float64Array` cost about as much as
 * packing itself):
 * - where the WebAssembly kernels run, straight into their memory, at the place they read them
 *   (`lendKernelRows`); that memory is kept between requests up to 32 MB, or the size of the last
 *   request when it was larger (see kernel-instance.ts);
 * - otherwise into this JS buffer, kept between requests up to {@link RETAINED_PACKING_BYTES}.
 *
 * So what stays after a request is at most the packed input plus 32 MB. Strategies must not keep
 * the packed request after `select` returns (see `Reranker.select`).
 */
let buffer = EMPTY;
let lent = false;

function borrow(length: number): Float64Array {
  const rows = lendKernelRows(length);
  if (rows !== undefined) return rows;
  if (buffer.length < length) {
    // grow geometrically while under the retention cap, exactly beyond it
    buffer = new Float64Array(Math.max(length, Math.min(2 * buffer.length, RETAINED_PACKING_LENGTH)));
  }
  return buffer.subarray(0, length);
}

/**
 * Runs one request's packing and selection with the reusable buffer: `run` receives the allocator
 * to hand to `packRequest`, or undefined when the buffer is already lent (a `rerank()` nested in a
 * strategy), in which case that request packs into a fresh array. When the request ends, a buffer
 * above {@link RETAINED_PACKING_BYTES} is dropped.
 */
export function withPackingBuffer<T>(run: (allocate: ((length: number) => Float64Array) | undefined) => T): T {
  if (lent) return run(undefined);
  lent = true;
  try {
    return run(borrow);
  } finally {
    returnKernelRows();
    lent = false;
    if (buffer.byteLength > RETAINED_PACKING_BYTES) buffer = EMPTY;
  }
}

/** Bytes the packing buffer keeps between requests now (for tests of the retention bound). */
export function retainedPackingBytes(): number {
  return buffer.byteLength;
}
