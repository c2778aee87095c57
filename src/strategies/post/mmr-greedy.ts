import { dotUnrolled } from '../../_internals/dot.js';
import { LazyMaxHeap } from '../../_internals/lazy-heap.js';
import { defaultKernelBackend, type KernelBackend } from '../../_internals/wasm/kernel-instance.js';
import { type CatalogueRows, type MmrWorkspace, openMmrWorkspace } from '../../_internals/wasm/mmr-kernels.js';
import type { GreedyResult } from './greedy-result.js';

/** Inputs of the MMR greedy loops: unit-normalised row-major `embeddings` (n × dim). */
export interface MmrInput {
  /** Number of candidates. */
  readonly n: number;
  /** Embedding dimension. */
  readonly dim: number;
  /** Relevance per candidate, used raw. */
  readonly relevance: Float64Array;
  /** Unit-normalised embeddings, row-major n × dim. */
  readonly embeddings: Float64Array;
  /** Trade-off λ ∈ [0, 1]. */
  readonly lambda: number;
  /**
   * The candidates' rows in a catalogue whose kernels read them in place (see `catalogueRowsOf`);
   * the lazy loop then reads `embeddings` only on the JS backend.
   */
  readonly catalogueRows?: CatalogueRows | undefined;
}

/** Output slots of the MMR loops (ids, scores and the two score parts). */
export interface MmrOutput {
  readonly indices: Int32Array;
  readonly scores: Float64Array;
  readonly relevancePart: Float64Array;
  readonly diversityPart: Float64Array;
}

/** Empty output slots for `k` picks. */
export function allocate(k: number): MmrOutput {
  return {
    indices: new Int32Array(k),
    scores: new Float64Array(k),
    relevancePart: new Float64Array(k),
    diversityPart: new Float64Array(k),
  };
}

/** The loops' result from their slots and counters. */
export function result(out: MmrOutput, refreshes: number, updates: number): GreedyResult {
  return {
    indices: out.indices,
    scores: out.scores,
    parts: { relevance: out.relevancePart, diversity: out.diversityPart },
    refreshes,
    updates,
  };
}

/** Writes slot `slot` of `out`: `relevance = λ·rel`, `diversity = −(1−λ)·maxSim`, score their sum. */
export function place(out: MmrOutput, slot: number, index: number, input: MmrInput, maxSim: number): number {
  const { lambda } = input;
  // `+ 0` and `0 −` turn a signed zero into 0 (same bits otherwise), so a first pick's diversity
  // prints as 0, not -0.
  const relevancePart = lambda * (input.relevance[index] as number) + 0;
  const diversityPart = 0 - (1 - lambda) * maxSim;
  out.indices[slot] = index;
  out.relevancePart[slot] = relevancePart;
  out.diversityPart[slot] = diversityPart;
  const score = relevancePart + diversityPart;
  out.scores[slot] = score;
  return score;
}

/** MMR objective `λ·rel_i − (1−λ)·maxSim_i`; the one formula both loops evaluate. */
export function mmrScore(lambda: number, rel: number, maxSim: number): number {
  return lambda * rel + -((1 - lambda) * maxSim);
}

/**
 * First MMR pick: S is empty, so the penalty is 0 and the pick is the argmax of `λ·rel`
 * (ties → lower index).
 */
export function firstPick(input: MmrInput): number {
  const { n, relevance, lambda } = input;
  let best = 0;
  let bestScore = mmrScore(lambda, relevance[0] as number, 0);
  for (let i = 1; i < n; i++) {
    const score = mmrScore(lambda, relevance[i] as number, 0);
    if (score > bestScore) {
      best = i;
      bestScore = score;
    }
  }
  return best;
}

/**
 * Missed picks a stale item catches up on before the heap order is checked again (smaller skips
 * more work for items that lose the lead, larger sifts less); 2 measured best at n = 1000, k = 50,
 * dim = 64 (benchmarks/speed.ts).
 */
const REFRESH_CHUNK = 2;

/**
 * Reference MMR greedy (Carbonell & Goldstein 1998): at every step, update every remaining item's
 * max-similarity with the last pick and scan for the argmax. O(k·n·dim).
 */
export function selectMmrDense(input: MmrInput, k: number): GreedyResult {
  const { n, dim, relevance, embeddings, lambda } = input;
  const out = allocate(k);
  const maxSim = new Float64Array(n);
  const taken = new Uint8Array(n);
  let updates = 0;
  let pick = firstPick(input);
  for (let slot = 0; ; ) {
    place(out, slot, pick, input, maxSim[pick] as number);
    taken[pick] = 1;
    if (++slot === k) break;
    const pickOffset = pick * dim;
    let best = -1;
    let bestScore = 0;
    for (let i = 0; i < n; i++) {
      if (taken[i] !== 0) continue;
      const sim = dotUnrolled(embeddings, i * dim, embeddings, pickOffset, dim);
      let m = maxSim[i] as number;
      if (slot === 1 || sim > m) m = maxSim[i] = sim;
      const score = mmrScore(lambda, relevance[i] as number, m);
      if (best < 0 || score > bestScore) {
        best = i;
        bestScore = score;
      }
    }
    updates += n - slot;
    pick = best;
  }
  return result(out, 0, updates);
}

/** Per-candidate arrays of the lazy loop, kept between calls (see {@link lazyScratch}). */
interface LazyScratch {
  readonly maxSim: Float64Array;
  readonly current: Int32Array;
  readonly taken: Uint8Array;
  readonly heap: LazyMaxHeap;
}

/**
 * Candidates the lazy loop's arrays are kept for between calls at most (about 25 bytes each, so at
 * most 1.6 MB stays): allocating and zero-filling them anew cost about a tenth of a catalogue
 * request at n = 10,000, d = 64, k = 10, garbage collection included.
 */
const RETAINED_SCRATCH = 65_536;

let scratch: LazyScratch | undefined;

function newScratch(n: number): LazyScratch {
  return { maxSim: new Float64Array(n), current: new Int32Array(n), taken: new Uint8Array(n), heap: new LazyMaxHeap(n) };
}

/**
 * Arrays of at least `n` entries for one call of {@link selectMmrLazy}, with `taken` cleared over
 * `[0, n)` (the loop writes every other entry it reads). The call runs no foreign code, so one set
 * kept for requests of up to {@link RETAINED_SCRATCH} candidates serves every call in turn.
 */
function lazyScratch(n: number): LazyScratch {
  if (n > RETAINED_SCRATCH) return newScratch(n);
  if (scratch === undefined || scratch.taken.length < n) scratch = newScratch(Math.min(RETAINED_SCRATCH, Math.max(n, 2 * (scratch?.taken.length ?? 0))));
  scratch.taken.fill(0, 0, n);
  return scratch;
}

/**
 * Lazy (accelerated) MMR greedy, identical in output to {@link selectMmrDense}.
 *
 * After the first pick every remaining item is scored exactly once (the penalty turns from the
 * empty-set 0 into a true max-similarity, which may be negative, so scores can rise at that step).
 * From then on an item's max-similarity can only grow as S grows, so its last computed score is an
 * upper bound. The bounds sit in a max-heap (ties → lower index); while the top is stale, its
 * max-similarity is extended over the picks made since its last refresh, a few at a time, until it
 * is current or loses the lead (then it is sifted down). A current top beats every other item's
 * bound, hence its true score, with the tie rule intact. The similarities run in WebAssembly SIMD
 * where the runtime allows it (`backend`), with the same arithmetic as the JS fallback.
 */
export function selectMmrLazy(input: MmrInput, k: number, backend: KernelBackend = defaultKernelBackend()): GreedyResult {
  const out = allocate(k);
  const first = firstPick(input);
  place(out, 0, first, input, 0);
  if (k === 1) return result(out, 0, 0);
  return lazyMmrOver(openMmrWorkspace(input.n, input.dim, k, input, backend), input, k, out, first);
}

/**
 * The lazy loop of {@link selectMmrLazy} over any similarity workspace (float64 here, float32 in
 * mmr-f32.ts), after the first pick `first` has been placed in `out`.
 */
export function lazyMmrOver(workspace: MmrWorkspace, input: MmrInput, k: number, out: MmrOutput, first: number): GreedyResult {
  const { n, relevance, lambda } = input;
  const { picks, similarities } = workspace;
  picks[0] = first;
  const { maxSim, current, taken, heap } = lazyScratch(n); // current: picks item i's maxSim accounts for
  taken[first] = 1;
  const { keys } = heap;
  workspace.similaritiesTo(first);
  for (let i = 0; i < n; i++) {
    if (i === first) continue;
    const sim = similarities[i] as number;
    maxSim[i] = sim;
    current[i] = 1;
    keys[i] = mmrScore(lambda, relevance[i] as number, sim);
  }
  heap.build(n, taken);
  let updates = n - 1;
  let refreshes = 0;
  for (let slot = 1; slot < k; slot++) {
    let top = heap.top();
    while ((current[top] as number) !== slot) {
      // Catch up a few missed picks at a time; each step leaves a valid, tighter bound.
      let m = maxSim[top] as number;
      let s = current[top] as number;
      refreshes++;
      do {
        const to = Math.min(slot, s + REFRESH_CHUNK);
        m = workspace.maxSimilarity(top, s, to, m);
        s = to;
        keys[top] = mmrScore(lambda, relevance[top] as number, m);
      } while (s < slot && heap.topLeads());
      updates += s - (current[top] as number);
      maxSim[top] = m;
      current[top] = s;
      if (s < slot || !heap.topLeads()) {
        heap.siftTopDown();
        top = heap.top();
      }
    }
    heap.pop();
    place(out, slot, top, input, maxSim[top] as number);
    picks[slot] = top;
  }
  return result(out, refreshes, updates);
}
