import { categoryDistribution } from '../../_internals/category-distribution.js';
import { assertKnownOptions, numberOption } from '../../_internals/options.js';
import { topIndices } from '../../_internals/top-k.js';
import type { PackedRequest, Reranker, Selection } from '../../types.js';

/** Default trade-off of {@link calibrated}. */
export const DEFAULT_CALIBRATED_LAMBDA = 0.5;

/**
 * Smoothing `a` of the list distribution, `q̃ = (1−a)·q + a·p`, as in Steck (RecSys 2018): it
 * keeps `KL(p‖q̃)` finite when the list misses a category of the history.
 */
export const CALIBRATION_SMOOTHING = 0.01;

/** Options of {@link calibrated}. */
export interface CalibratedOptions {
  /**
   * Weight λ ∈ [0, 1] of the miscalibration penalty; `1 − λ` weighs relevance. λ = 0 is the
   * relevance order.
   *
   * @defaultValue {@link DEFAULT_CALIBRATED_LAMBDA} (0.5)
   */
  readonly lambda?: number;
}

/**
 * Calibrated recommendations (Steck, RecSys 2018): greedily maximises
 *
 * `(1−λ)·Σ_{i∈S} rel_i − λ·KL(p‖q̃(S))`, with `KL(p‖q̃) = Σ_c p(c)·log(p(c)/q̃(c))` and
 * `q̃ = (1−a)·q + a·p`, `a` = {@link CALIBRATION_SMOOTHING},
 *
 * adding at each step the candidate whose addition gives the largest objective, ties to the lower
 * input index (docs/formulas.md#conventions). `p` is the user's history category distribution and `q` the
 * list's, both in Steck's form with uniform item weights: each item spreads weight
 * `1/|cats(i)|` over its categories, divided by the number of items that have categories. Items
 * without categories add no weight (and an uncategorised candidate leaves `q` unchanged). For the
 * empty list `q = 0`, so `KL(p‖a·p) = −log a`.
 *
 * When the history carries no categories (empty history), `p` is undefined and there is nothing to
 * calibrate to: the result is the relevance order with a zero `calibration` part (the no-op), not
 * an error, so cold-start users still get a list.
 *
 * `rel_i` is the raw input relevance; the KL term is in nats, so give relevance a comparable scale
 * (e.g. min-max normalised). Score parts (they sum to the score): `relevance` = `(1−λ)·rel_i`,
 * `calibration` = the change of `−λ·KL(p‖q̃)` caused by adding the item.
 *
 * Cost per step: O(|supp p|) to refresh the log terms of the current list, then O(c̄) per candidate,
 * since adding item i changes `q̃` on all categories only through the common list size; the log of
 * each (category, row length) pair is computed once per step. O(k·n·c̄) overall, and
 * O(n + |vocabulary| + |supp p|·max|cats(i)|) memory.
 *
 * @throws {@link RerankError} `INVALID_OPTION` / `UNKNOWN_OPTION` for bad options; `rerank()` raises
 *   `MISSING_CATEGORIES` when a candidate or history item has no categories.
 *
 * @example
 * ```ts
 * rerank({ candidates, user, k: 10, strategy: calibrated({ lambda: 0.5 }) });
 * ```
 */
export function calibrated(options?: CalibratedOptions): Reranker {
  assertKnownOptions('calibrated', options, ['lambda']);
  const lambda = numberOption('calibrated', 'lambda', options?.lambda, DEFAULT_CALIBRATED_LAMBDA, { min: 0, max: 1 });
  const relevanceWeight = 1 - lambda;
  return {
    name: `calibrated(lambda=${lambda})`,
    stage: 'post',
    requires: { categories: 'required', historyCategories: 'required' },
    select(request: PackedRequest, k: number): Selection {
      const target = new Float64Array(request.vocabulary.length);
      const { history } = request;
      const hasTarget = history.categories !== undefined && categoryDistribution(history.categories, history.n, target) > 0;
      return hasTarget ? greedy(request, k, target, lambda, relevanceWeight) : relevanceOrder(request, k, relevanceWeight);
    },
  };
}

/** The no-op for users without categorised history: relevance order, zero calibration part. */
function relevanceOrder(request: PackedRequest, k: number, relevanceWeight: number): Selection {
  const { relevance } = request.candidates;
  const indices = topIndices(relevance, k);
  const scores = new Float64Array(indices.length);
  for (let slot = 0; slot < indices.length; slot++) scores[slot] = relevanceWeight * (relevance[indices[slot] as number] as number);
  return { indices, scores, parts: { relevance: scores, calibration: new Float64Array(indices.length) } };
}

function greedy(request: PackedRequest, k: number, target: Float64Array, lambda: number, relevanceWeight: number): Selection {
  const a = CALIBRATION_SMOOTHING;
  const { n, relevance } = request.candidates;
  const { offsets, codes } = request.candidates.categories as NonNullable<PackedRequest['candidates']['categories']>;
  const vocabularySize = target.length;

  // Support of p, and Σ p·log p (the part of KL that does not depend on the list).
  let supportSize = 0;
  for (let c = 0; c < vocabularySize; c++) if ((target[c] as number) > 0) supportSize++;
  const support = new Int32Array(supportSize);
  const supportSlot = new Int32Array(vocabularySize).fill(-1);
  let negativeEntropy = 0;
  for (let c = 0, s = 0; c < vocabularySize; c++) {
    const pc = target[c] as number;
    if (pc > 0) {
      supportSlot[c] = s;
      support[s++] = c;
      negativeEntropy += pc * Math.log(pc);
    }
  }

  // A candidate's KL change on category c depends only on c and its number of categories, so each
  // step memoises it per (support slot, row length): gain[cell] is valid when stamp[cell] === step.
  let longestRow = 0;
  for (let i = 0; i < n; i++) longestRow = Math.max(longestRow, (offsets[i + 1] as number) - (offsets[i] as number));
  const width = longestRow + 1;
  const gain = new Float64Array(supportSize * width);
  const stamp = new Int32Array(supportSize * width).fill(-1);

  // mass[c] = Σ_{j∈S} 1/|cats(j)| over categorised j; listed = their number. q(c) = mass[c]/listed.
  const mass = new Float64Array(vocabularySize);
  let listed = 0;
  // logShifted[c] = log q̃(c) if one more categorised item without c were added: log((1−a)·mass[c]/(listed+1) + a·p(c)).
  const logShifted = new Float64Array(vocabularySize);
  let currentKl = -Math.log(a); // KL(p‖a·p) for the empty list.

  const taken = new Uint8Array(n);
  const indices = new Int32Array(k);
  const scores = new Float64Array(k);
  const relevancePart = new Float64Array(k);
  const calibrationPart = new Float64Array(k);

  for (let slot = 0; slot < k; slot++) {
    const nextSize = listed + 1;
    let crossShifted = 0; // Σ_c p(c)·logShifted[c]
    for (let s = 0; s < supportSize; s++) {
      const c = support[s] as number;
      const pc = target[c] as number;
      const value = Math.log(((1 - a) * (mass[c] as number)) / nextSize + a * pc);
      logShifted[c] = value;
      crossShifted += pc * value;
    }

    let best = -1;
    let bestObjective = Number.NEGATIVE_INFINITY;
    let bestKl = currentKl;
    for (let i = 0; i < n; i++) {
      if (taken[i] === 1) continue;
      const start = offsets[i] as number;
      const end = offsets[i + 1] as number;
      let kl = currentKl;
      if (end > start) {
        const rowLength = end - start;
        let cross = crossShifted;
        for (let p = start; p < end; p++) {
          const c = codes[p] as number;
          const s = supportSlot[c] as number;
          if (s < 0) continue; // p(c) = 0: no term in KL(p‖q̃).
          const cell = s * width + rowLength;
          if (stamp[cell] !== slot) {
            const pc = target[c] as number;
            gain[cell] = pc * (Math.log(((1 - a) * ((mass[c] as number) + 1 / rowLength)) / nextSize + a * pc) - (logShifted[c] as number));
            stamp[cell] = slot;
          }
          cross += gain[cell] as number;
        }
        kl = negativeEntropy - cross;
      }
      const objective = relevanceWeight * (relevance[i] as number) - lambda * kl;
      if (objective > bestObjective) {
        best = i;
        bestObjective = objective;
        bestKl = kl;
      }
    }

    taken[best] = 1;
    indices[slot] = best;
    relevancePart[slot] = relevanceWeight * (relevance[best] as number);
    calibrationPart[slot] = -lambda * (bestKl - currentKl);
    scores[slot] = (relevancePart[slot] as number) + (calibrationPart[slot] as number);
    const start = offsets[best] as number;
    const end = offsets[best + 1] as number;
    if (end > start) {
      const share = 1 / (end - start);
      for (let p = start; p < end; p++) {
        const c = codes[p] as number;
        mass[c] = (mass[c] as number) + share;
      }
      listed++;
      currentKl = bestKl;
    }
  }
  return { indices, scores, parts: { relevance: relevancePart, calibration: calibrationPart } };
}
