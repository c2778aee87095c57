import { LazyMaxHeap } from '../../_internals/lazy-heap.js';
import type { DppWorkspace } from '../../_internals/wasm/dpp-kernels.js';

/**
 * Bytes of embedding rows per block: small enough that a block stays in the first-level cache while
 * up to four basis vectors pass over it, large enough that the per-block bookkeeping stays rare.
 */
const BLOCK_BYTES = 16 * 1024;
/** Most rows per block, so that a block's bound stays close to its members' gains. */
const MAX_BLOCK_ROWS = 32;

/**
 * Once the blocked searches have made at least this share of the updates dense sweeps would have
 * made since they began (after {@link DENSE_MIN_PICKS} picks), the rest run as plain dense sweeps,
 * provided the rows fit in {@link DENSE_MAX_BYTES}: the blocks then prune too little to pay for
 * their bookkeeping (a block update costs up to about 1.7 dense ones at dimension 64). Rows that do
 * not fit stay with the blocks, which measured faster there even when they saved little work
 * (n = 100,000, d = 64, k = 50, flat relevance: 134 against 190 ms; n = 10,000, d = 1536: 86
 * against 466 ms, benchmarks/speed.ts inputs).
 */
const DENSE_SHARE = 0.6;
const DENSE_MIN_PICKS = 2;
/** Largest `n × dim` float64 rows (about a core's second-level cache) that may hand over to dense sweeps. */
const DENSE_MAX_BYTES = 1 << 20;

/** Whether blocked sweeps over `n` rows of dimension `dim` may hand over to dense sweeps (see {@link DENSE_MAX_BYTES}). */
export function denseHandOver(n: number, dim: number): boolean {
  return n * dim * Float64Array.BYTES_PER_ELEMENT <= DENSE_MAX_BYTES;
}

/** Rows per block for embeddings of dimension `dim`: {@link BLOCK_BYTES} of rows, 2 to {@link MAX_BLOCK_ROWS}. */
export function blockRows(dim: number): number {
  return Math.max(2, Math.min(MAX_BLOCK_ROWS, Math.floor(BLOCK_BYTES / (8 * Math.max(1, dim)))));
}

/**
 * Exact argmax of the DPP gains by blocked lazy sweeps. Candidates are cut into blocks of
 * consecutive rows (see {@link blockRows}); each block has seen the same basis vectors, and its
 * bound is the highest gain among its members not taken (ties → lower index), an upper bound on
 * their current gains because a gain can only fall as basis vectors are applied (log det is
 * submodular; Minoux 1978). The block with the highest bound is brought up to date in one kernel
 * call ({@link DppWorkspace.catchUpRows}), its rows staying in cache across every basis vector it
 * missed, until the top block is current: its best member is then the argmax over all candidates.
 *
 * When every gain falls at every pick (flat relevance), blocks are caught up pick after pick and
 * this is a dense sweep in cache-sized pieces; when relevance is skewed, most blocks are skipped for
 * several picks and then pay for all of them while their rows are loaded once. When they save too
 * little work on rows that fit in cache ({@link DENSE_SHARE}), the remaining picks run as plain
 * dense sweeps. Every projection is computed as in {@link DppWorkspace.sweep}, so the selection is
 * the dense greedy's, bit for bit.
 */
export class DppBlocks {
  /** (candidate, basis vector) updates made so far. */
  updates = 0;
  private readonly rows: number;
  private readonly count: number;
  private readonly heap: LazyMaxHeap;
  private readonly seen: Int32Array;
  private readonly bestOf: Int32Array;
  private readonly gain: Float64Array;
  private started = false;
  private dense = false;
  private picks = 0;
  /** Updates dense sweeps would have made over the same picks. */
  private denseUpdates = 0;

  /**
   * Blocks of `rows` rows (see {@link blockRows}) over the `n` candidates of `workspace`, every one
   * not taken having seen basis vectors `0 .. level−1`; `handOver` allows the switch to dense
   * sweeps (see {@link denseHandOver}).
   */
  constructor(
    private readonly workspace: DppWorkspace,
    private readonly n: number,
    level: number,
    rows: number,
    private readonly handOver: boolean,
  ) {
    this.rows = rows;
    this.count = Math.ceil(n / this.rows);
    this.heap = new LazyMaxHeap(this.count);
    this.seen = new Int32Array(this.count).fill(level);
    this.bestOf = new Int32Array(this.count);
    this.gain = workspace.heap.subarray(workspace.gain, workspace.gain + n);
    for (let b = 0; b < this.count; b++) this.rank(b);
    this.heap.build(this.count, new Uint8Array(this.count));
  }

  /**
   * The next pick's candidate: the one not taken with the highest gain once basis vectors `0 .. t`
   * are applied (ties → lower index), brought up to date; -1 when every candidate is taken. Call it
   * after pick `t` (candidate `picked`) was marked taken and made basis vector `t`.
   */
  next(t: number, picked: number): number {
    if (this.dense) {
      this.updates += this.n - t - 1;
      return this.workspace.sweep(t);
    }
    if (this.started) {
      // the picked candidate's block is on top (best() returned its best member)
      this.rank(Math.floor(picked / this.rows));
      this.heap.siftTopDown();
    }
    this.started = true;
    const best = this.best(t + 1);
    this.picks++;
    this.denseUpdates += this.n - t - 1;
    if (this.handOver && this.picks >= DENSE_MIN_PICKS && this.updates >= DENSE_SHARE * this.denseUpdates) {
      this.complete(t + 1);
      this.dense = true;
    }
    return best;
  }

  /** Brings the block with the highest bound up to date until the top block is current (see the class comment). */
  private best(to: number): number {
    const { heap, seen, workspace } = this;
    for (;;) {
      const block = heap.top();
      const from = seen[block] as number;
      if (from >= to) return this.bestOf[block] as number;
      const first = block * this.rows;
      const reached = workspace.catchUpRows(first, Math.min(this.n, first + this.rows), from, to, heap.runnerUpKey());
      seen[block] = reached;
      this.updates += (reached - from) * this.rank(block);
      heap.siftTopDown();
    }
  }

  /** Brings every block up to basis vector `to` (exclusive), as a dense sweep expects. */
  private complete(to: number): void {
    for (let block = 0; block < this.count; block++) {
      const from = this.seen[block] as number;
      if (from >= to) continue;
      const first = block * this.rows;
      this.workspace.catchUpRows(first, Math.min(this.n, first + this.rows), from, to, -Infinity);
      this.seen[block] = to;
      this.updates += (to - from) * this.rank(block);
    }
  }

  /** Sets the block's best member and bound; returns how many members are not taken. */
  private rank(block: number): number {
    const { gain } = this;
    const { taken } = this.workspace;
    const first = block * this.rows;
    const last = Math.min(this.n, first + this.rows);
    let best = -1;
    let open = 0;
    for (let i = first; i < last; i++) {
      if (taken[i] !== 0) continue;
      open++;
      if (best < 0 || (gain[i] as number) > (gain[best] as number)) best = i;
    }
    this.bestOf[block] = best;
    this.heap.keys[block] = best < 0 ? -Infinity : (gain[best] as number);
    return open;
  }
}
