/**
 * Indices of the `k` largest `scores`, best first; ties go to the lower index (docs/formulas.md#conventions).
 * Indices with `excluded[i] !== 0` are skipped. O(n log k) with a bounded binary heap.
 *
 * @returns at most `k` indices (fewer when fewer are eligible).
 */
export function topIndices(scores: Float64Array, k: number, excluded?: Uint8Array): Int32Array {
  const n = scores.length;
  const capacity = Math.min(k, n);
  // Min-heap whose root is the *worst* kept item: lower score, or equal score and higher index.
  const heap = new Int32Array(capacity);
  let size = 0;
  const worse = (a: number, b: number): boolean => {
    const sa = scores[a] as number;
    const sb = scores[b] as number;
    return sa < sb || (sa === sb && a > b);
  };
  const siftDown = (start: number): void => {
    let parent = start;
    for (;;) {
      const left = 2 * parent + 1;
      if (left >= size) return;
      const right = left + 1;
      let child = left;
      if (right < size && worse(heap[right] as number, heap[left] as number)) child = right;
      if (!worse(heap[child] as number, heap[parent] as number)) return;
      const swap = heap[parent] as number;
      heap[parent] = heap[child] as number;
      heap[child] = swap;
      parent = child;
    }
  };
  for (let i = 0; i < n && capacity > 0; i++) {
    if (excluded !== undefined && excluded[i] !== 0) continue;
    if (size < capacity) {
      let child = size++;
      heap[child] = i;
      while (child > 0) {
        const parent = (child - 1) >> 1;
        if (!worse(heap[child] as number, heap[parent] as number)) break;
        const swap = heap[parent] as number;
        heap[parent] = heap[child] as number;
        heap[child] = swap;
        child = parent;
      }
    } else if (worse(heap[0] as number, i)) {
      heap[0] = i;
      siftDown(0);
    }
  }
  const result = new Int32Array(size);
  for (let slot = size - 1; slot >= 0; slot--) {
    result[slot] = heap[0] as number;
    heap[0] = heap[--size] as number;
    siftDown(0);
  }
  return result;
}
