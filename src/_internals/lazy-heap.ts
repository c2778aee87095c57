/**
 * Binary max-heap of item indices keyed by a score per item, for lazy (accelerated) greedy
 * selection (Minoux 1978, "Accelerated greedy algorithms for maximizing submodular set functions").
 *
 * Order: a higher key first; equal keys → the lower index first, which is the tie rule of
 * docs/formulas.md#conventions. Keys live in {@link LazyMaxHeap.keys} (indexed by item, not by heap slot), so a
 * caller refreshes an item by writing its new key and calling {@link LazyMaxHeap.siftTopDown}.
 * Everything lives in typed arrays allocated once; no operation allocates.
 */
export class LazyMaxHeap {
  /** Key of each item, indexed by item. Callers write here, then restore order. */
  readonly keys: Float64Array;
  private readonly slots: Int32Array;
  private count = 0;

  /** A heap able to hold items `0 .. capacity-1`. */
  constructor(capacity: number) {
    this.keys = new Float64Array(capacity);
    this.slots = new Int32Array(capacity);
  }

  /** Number of items in the heap. */
  get size(): number {
    return this.count;
  }

  /** Item with the highest key (ties → lowest index). Undefined behaviour when empty. */
  top(): number {
    return this.slots[0] as number;
  }

  /**
   * Rebuilds the heap from every item `i < n` with `excluded[i] === 0`, using the current
   * {@link LazyMaxHeap.keys}. O(n) (Floyd's heapify).
   */
  build(n: number, excluded: Uint8Array): void {
    let count = 0;
    for (let i = 0; i < n; i++) if (excluded[i] === 0) this.slots[count++] = i;
    this.count = count;
    for (let slot = (count >> 1) - 1; slot >= 0; slot--) this.siftDown(slot);
  }

  /** Removes the top item. */
  pop(): void {
    const last = --this.count;
    if (last > 0) {
      this.slots[0] = this.slots[last] as number;
      this.siftDown(0);
    }
  }

  /**
   * True when the top item, with its current key, still ranks ahead of both of its children, i.e.
   * the heap order holds without a sift. Lets a caller refine the top's bound step by step and sift
   * only once it loses the lead.
   */
  topLeads(): boolean {
    const { keys, slots } = this;
    const item = slots[0] as number;
    const key = keys[item] as number;
    for (let child = 1; child <= 2 && child < this.count; child++) {
      const other = slots[child] as number;
      const otherKey = keys[other] as number;
      if (otherKey > key || (otherKey === key && other < item)) return false;
    }
    return true;
  }

  /**
   * The larger key of the top's children: the best any other item can offer. `-Infinity` when the
   * top is alone. A caller refining the top's bound can stop once it falls below this.
   */
  runnerUpKey(): number {
    const { keys, slots, count } = this;
    if (count < 2) return -Infinity;
    const left = keys[slots[1] as number] as number;
    return count < 3 ? left : Math.max(left, keys[slots[2] as number] as number);
  }

  /** Restores the heap order after the top item's key was lowered (or kept). */
  siftTopDown(): void {
    this.siftDown(0);
  }

  private siftDown(start: number): void {
    const { keys, slots } = this;
    const count = this.count;
    const item = slots[start] as number;
    const key = keys[item] as number;
    let slot = start;
    for (;;) {
      const left = 2 * slot + 1;
      if (left >= count) break;
      let child = left;
      let childItem = slots[left] as number;
      let childKey = keys[childItem] as number;
      const right = left + 1;
      if (right < count) {
        const rightItem = slots[right] as number;
        const rightKey = keys[rightItem] as number;
        if (rightKey > childKey || (rightKey === childKey && rightItem < childItem)) {
          child = right;
          childItem = rightItem;
          childKey = rightKey;
        }
      }
      if (key > childKey || (key === childKey && item < childItem)) break;
      slots[slot] = childItem;
      slot = child;
    }
    slots[slot] = item;
  }
}
