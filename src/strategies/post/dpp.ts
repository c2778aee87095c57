import { RerankError } from '../../errors/rerank-error.js';
import { type GreedyAlgorithm, greedyAlgorithmOption } from '../../_internals/greedy-algorithm.js';
import { assertKnownOptions, numberOption } from '../../_internals/options.js';
import type { PackedRequest, Reranker, Selection } from '../../types.js';
import { selectDppDense, selectDppLazy } from './dpp-greedy.js';
import type { DppInput } from './dpp-kernel.js';
import { selectDppWindow } from './dpp-window.js';
import { type Precision, precisionOption } from '../../_internals/f32/precision.js';
import { selectDppF32 } from './dpp-f32.js';
import type { GreedyResult } from './greedy-result.js';

/** Default relevance/diversity trade-off θ of {@link dpp}. */
export const DEFAULT_DPP_THETA = 0.7;

/** Options of {@link dpp}. */
export interface DppOptions {
  /**
   * Trade-off θ ∈ [0, 1): the quality exponent is `α = θ / (2(1−θ))`, so θ = 0 ignores relevance
   * entirely (pure diversity: the first pick is index 0, not the most relevant item) and θ → 1
   * approaches relevance order without reaching it. θ = 1 is rejected (α would be infinite).
   * @defaultValue {@link DEFAULT_DPP_THETA} (0.7)
   */
  readonly theta?: number;
  /**
   * Sliding window w ≥ 1 (Chen et al. Section 4): each pick is conditioned only on the last w − 1
   * picks, in O(n·k·(dim + w²)). Omit it for the full greedy; any `window ≥ k` runs the full (lazy)
   * greedy, since no pick leaves the window before the list is full. `window: 1` conditions on
   * nothing and, with θ > 0, ranks by quality `q_i`, i.e. relevance order: the closest thing to a
   * no-op (see {@link dpp}).
   * @defaultValue undefined (full greedy)
   */
  readonly window?: number;
  /**
   * `'lazy'` (accelerated greedy) or `'dense'` (Algorithm 1 updating every item every step); both
   * select the same items bit for bit. Applies to the full greedy only: combining it with
   * `window` is an error, because windowed gains can rise and have no lazy form.
   * @defaultValue `'lazy'`
   */
  readonly algorithm?: GreedyAlgorithm;
  /**
   * `'float32'` runs the projections as single-precision dot products of the unit rows rounded to
   * float32 (f32x4 WebAssembly SIMD; opt-in, for high-dimensional text embeddings), within the
   * tolerance of README "Single precision"; `'float64'` is the exact default, unchanged. The full
   * greedy only: combining `'float32'` with `window` is an error.
   * @defaultValue `'float64'`
   */
  readonly precision?: Precision;
}

const KNOWN_OPTIONS = ['theta', 'window', 'algorithm', 'precision'] as const;

type Runner = (input: DppInput, k: number) => GreedyResult;

function describe(theta: number, window: number | undefined, algorithm: GreedyAlgorithm): string {
  if (window !== undefined) return `dpp(theta=${theta}, window=${window})`;
  return algorithm === 'lazy' ? `dpp(theta=${theta})` : `dpp(theta=${theta}, algorithm=dense)`;
}

/**
 * Determinantal point process re-ranking by fast greedy MAP inference (Chen, Zhang & Zhou,
 * NeurIPS 2018, "Fast greedy MAP inference for determinantal point process to improve
 * recommendation diversity"), with the kernel of docs/formulas.md#dpp:
 * `L = diag(q)·S·diag(q)`, `S_ij = (1 + cos(e_i, e_j)) / 2` (PSD: the Gram matrix of `[1, ê]/√2`),
 * `q_i = exp(α·(r_i − max_j r_j))`, `α = θ / (2(1−θ))`.
 *
 * Each step adds `argmax_i d_i² = det L_{S∪{i}} / det L_S` (ties → lower input index), computed by
 * their Algorithm 1 in Gram–Schmidt form (one projection of length dim per item and pick):
 * O(n·k·dim) time, O(n·k) memory, and usually less work with the default lazy evaluation. The
 * arithmetic runs in WebAssembly SIMD where the runtime allows it and in plain JS otherwise, with
 * bit-identical results. When the best gain falls below `1e-10` (the kernel
 * is exhausted: its rank is at most dim + 1, so this happens once k > dim + 1), the remaining slots
 * are filled in relevance order (ties → lower index).
 *
 * No-op: no θ gives relevance order with the full greedy. `dpp({ theta, window: 1 })` with θ > 0
 * does, as long as `exp` separates the relevance values (true unless two of them differ by less
 * than about `1e-16 / α`).
 *
 * Score parts are on a **log scale** (natural logarithms, ≤ 0), unlike MMR's, which are in relevance
 * units: compare them within a DPP list, not with other strategies' parts.
 * `relevance` = `log q_j² = 2α(r_j − max r)`; `diversity` = `log d_j² − log q_j²`, the
 * log of j's conditional variance under S given the items before it (≤ 0, about 0 for the first
 * pick); the score `log d_j²` is the gain in `log det L_S`, and the parts sum to it up to rounding.
 * Slots filled after the kernel is exhausted report the gain `d_j²` as `1e-10`, an upper bound of
 * the true one, so their `diversity` is `log 1e-10 − relevance`.
 *
 * @throws {@link RerankError} `INVALID_OPTION` for θ outside [0, 1), a window that is not an integer
 * ≥ 1, an unknown algorithm, or `algorithm` together with `window`; `UNKNOWN_OPTION` for other keys.
 *
 * @example
 * ```ts
 * rerank({ candidates, k: 10, strategy: dpp({ theta: 0.8 }) });
 * ```
 */
export function dpp(options?: DppOptions): Reranker {
  const owner = 'dpp';
  assertKnownOptions(owner, options, KNOWN_OPTIONS);
  const theta = numberOption(owner, 'theta', options?.theta, DEFAULT_DPP_THETA, { min: 0, max: 1, maxExclusive: true });
  const window = options?.window === undefined ? undefined : numberOption(owner, 'window', options.window, 0, { min: 1, integer: true });
  const algorithm = greedyAlgorithmOption(owner, options?.algorithm);
  if (window !== undefined && options?.algorithm !== undefined) {
    throw new RerankError(
      'INVALID_OPTION',
      'dpp: option "algorithm" cannot be combined with "window": windowed gains can rise, so the window variant has one algorithm. Drop one of the two.',
      { field: 'options.algorithm', value: options.algorithm },
    );
  }
  const precision = precisionOption(owner, options?.precision);
  if (window !== undefined && precision === 'float32') {
    throw new RerankError('INVALID_OPTION', 'dpp: precision "float32" runs the full greedy only and cannot be combined with "window". Drop one of the two.', {
      field: 'options.precision',
      value: precision,
    });
  }
  const alpha = theta / (2 * (1 - theta));
  const full: Runner = precision === 'float32' ? (input, k) => selectDppF32(input, k, algorithm) : algorithm === 'lazy' ? selectDppLazy : selectDppDense;
  // A window of k or more never drops a pick before the list is full: that is the full greedy.
  const run: Runner = window === undefined ? full : (input, k) => (window < k ? selectDppWindow(input, k, window) : full(input, k));
  return {
    name: precision === 'float32' ? `${describe(theta, window, algorithm).slice(0, -1)}, precision=float32)` : describe(theta, window, algorithm),
    stage: 'post',
    requires: { embeddings: 'required' },
    select(request: PackedRequest, k: number): Selection {
      const { candidates, dim } = request;
      const { indices, scores, parts } = run(
        { n: candidates.n, dim, relevance: candidates.relevance, embeddings: candidates.embeddings as Float64Array, alpha },
        k,
      );
      return { indices, scores, parts };
    },
  };
}
