import type { LazyMaxHeap } from '../../_internals/lazy-heap.js';

/** What a lazy DPP step needs of a workspace, float64 (dpp-kernels.ts) or float32 (f32-workspace.ts). */
export interface CatchUpKernel {
  /** Applies basis vectors `from .. to−1` to candidate i, stopping once its gain is below `floor`; returns the basis vectors it has seen. */
  catchUp(i: number, from: number, to: number, floor: number): number;
}

/** Work done by a lazy DPP loop: stale tops brought up to date, and (candidate, basis vector) updates. */
export interface LazyCounts {
  refreshes: number;
  updates: number;
}

/**
 * One pick of lazy greedy (Minoux 1978) for the DPP: a stale gain is an upper bound of the current
 * one (log det is submodular), so while the heap's top has not seen every basis vector `0 .. t−1`,
 * it is caught up (stopping early once it falls below the runner-up's key), its gain becomes its
 * key and heap order is restored. The top that is current is the true argmax (ties → lower index):
 * it is popped and returned. `seen[i]` counts the basis vectors candidate i has seen; `counts`
 * grows by the work done.
 *
 * With a `budget`, a pick whose top is still stale after `budget` refreshes is abandoned: it returns
 * -1 with that top stale and nothing popped (the caller hands the pick to another exact method and
 * no longer uses the heap); every candidate keeps the exact state it reached.
 */
export function popCurrentTop(
  heap: LazyMaxHeap,
  workspace: CatchUpKernel,
  seen: Int32Array,
  gain: ArrayLike<number>,
  t: number,
  counts: LazyCounts,
  budget = Infinity,
): number {
  const { keys } = heap;
  let top = heap.top();
  let refreshes = 0;
  while ((seen[top] as number) !== t) {
    if (refreshes++ >= budget) return -1;
    counts.refreshes++;
    const reached = workspace.catchUp(top, seen[top] as number, t, heap.runnerUpKey());
    counts.updates += reached - (seen[top] as number);
    seen[top] = reached;
    keys[top] = gain[top] as number;
    if (reached < t || !heap.topLeads()) {
      heap.siftTopDown();
      top = heap.top();
    }
  }
  heap.pop();
  return top;
}
