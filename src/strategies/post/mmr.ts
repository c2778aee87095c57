import { type GreedyAlgorithm, greedyAlgorithmOption } from '../../_internals/greedy-algorithm.js';
import { assertKnownOptions, numberOption } from '../../_internals/options.js';
import { catalogueRowsOf } from '../../pack/catalogue-rows.js';
import type { PackedRequest, Reranker, Selection } from '../../types.js';
import { selectMmrDense, selectMmrLazy } from './mmr-greedy.js';
import { type Precision, precisionOption } from '../../_internals/f32/precision.js';
import { selectMmrF32 } from './mmr-f32.js';

/** Default trade-off λ of {@link mmr}: relevance and dissimilarity weighted equally. */
export const DEFAULT_MMR_LAMBDA = 0.5;

/** Options of {@link mmr}. */
export interface MmrOptions {
  /**
   * Weight λ ∈ [0, 1] of relevance against dissimilarity to the items already chosen.
   * `λ = 1` is the no-op (relevance order, ties → lower input index); `λ = 0` ignores relevance
   * after the first pick.
   * @defaultValue {@link DEFAULT_MMR_LAMBDA} (0.5)
   */
  readonly lambda?: number;
  /**
   * `'lazy'` (accelerated greedy with a max-heap of stale scores) or `'dense'` (rescans every item
   * at every step). Both return the same selection bit for bit; `'dense'` exists as the reference.
   * @defaultValue `'lazy'`
   */
  readonly algorithm?: GreedyAlgorithm;
  /**
   * `'float32'` runs the cosines as single-precision dot products of the unit rows rounded to
   * float32 (f32x4 WebAssembly SIMD; opt-in, for high-dimensional text embeddings), within the
   * tolerance of README "Single precision"; `'float64'` is the exact default, unchanged.
   * @defaultValue `'float64'`
   */
  readonly precision?: Precision;
}

const KNOWN_OPTIONS = ['lambda', 'algorithm', 'precision'] as const;

/**
 * Maximal Marginal Relevance (Carbonell & Goldstein, SIGIR 1998), as fixed in docs/formulas.md#mmr:
 * greedily pick `argmax_i λ·rel_i − (1−λ)·max_{j∈S} cos(e_i, e_j)`, where the max over an empty S
 * is 0 (so the first pick is the most relevant item) and ties go to the lower input index.
 *
 * Relevance is used raw, on whatever scale the host supplies: λ only balances the two terms
 * sensibly when relevance spans roughly [0, 1] (min-max normalise per user first otherwise).
 * Cosines are float64 dot products of the unit-normalised embeddings `rerank()` packs.
 *
 * Complexity: O(k·n·dim) for `'dense'`; `'lazy'` has the same worst case but after the first pick
 * (n dot products) it only updates the items that reach the top of the heap. The lazy loop's dot
 * products run in WebAssembly SIMD where the runtime allows it, with a bit-identical JS fallback.
 *
 * Score parts: `relevance` = `λ·rel_i`, `diversity` = `−(1−λ)·max_{j∈S} cos(e_i, e_j)` (0 for the first
 * pick); the score is their sum, the MMR objective at the step the item was placed.
 *
 * @throws {@link RerankError} `INVALID_OPTION` when λ is outside [0, 1] or not a number, or the
 * algorithm is unknown; `UNKNOWN_OPTION` for any other key.
 *
 * @example
 * ```ts
 * rerank({ candidates, k: 10, strategy: mmr({ lambda: 0.6 }) });
 * ```
 */
export function mmr(options?: MmrOptions): Reranker {
  const owner = 'mmr';
  assertKnownOptions(owner, options, KNOWN_OPTIONS);
  const lambda = numberOption(owner, 'lambda', options?.lambda, DEFAULT_MMR_LAMBDA, { min: 0, max: 1 });
  const algorithm = greedyAlgorithmOption(owner, options?.algorithm);
  const precision = precisionOption(owner, options?.precision);
  const run: typeof selectMmrLazy =
    precision === 'float32' ? (input, k) => selectMmrF32(input, k, algorithm) : algorithm === 'lazy' ? selectMmrLazy : selectMmrDense;
  return {
    name: (algorithm === 'lazy' ? `mmr(lambda=${lambda}` : `mmr(lambda=${lambda}, algorithm=dense`) + (precision === 'float32' ? ', precision=float32)' : ')'),
    stage: 'post',
    requires: { embeddings: 'required' },
    select(request: PackedRequest, k: number): Selection {
      const { candidates, dim } = request;
      const input = {
        n: candidates.n,
        dim,
        relevance: candidates.relevance,
        // read only when needed: catalogue rows are read in place by the lazy loop's kernels
        get embeddings() {
          return candidates.embeddings as Float64Array;
        },
        lambda,
        catalogueRows: catalogueRowsOf(candidates),
      };
      const { indices, scores, parts } = run(input, k);
      return { indices, scores, parts };
    },
  };
}
