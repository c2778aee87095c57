import { assertKnownOptions, numberOption } from '../_internals/options.js';
import { ascendingOrder, assertLabelledScores } from './labelled-data.js';
import { mulberry32 } from '../_internals/random.js';

/** Default number of bootstrap resamples. */
export const DEFAULT_BOOTSTRAP_RESAMPLES = 1000;
/** Default bootstrap seed. */
export const DEFAULT_BOOTSTRAP_SEED = 1;
/** Default confidence level of the intervals. */
export const DEFAULT_CONFIDENCE = 0.95;
/** Default number of equal-width bins of the expected calibration error. */
export const DEFAULT_ECE_BINS = 10;

/** Options of {@link agreement}. */
export interface AgreementOptions {
  /**
   * Bootstrap resamples for the intervals (0 = no intervals).
   * @defaultValue {@link DEFAULT_BOOTSTRAP_RESAMPLES} (1000)
   */
  readonly resamples?: number;
  /**
   * Seed of the resampling PRNG; same seed ⇒ same intervals.
   * @defaultValue {@link DEFAULT_BOOTSTRAP_SEED} (1)
   */
  readonly seed?: number;
  /**
   * Confidence level of the percentile intervals, in (0, 1).
   * @defaultValue {@link DEFAULT_CONFIDENCE} (0.95)
   */
  readonly confidence?: number;
  /**
   * Equal-width bins over [0, 1] for the ECE.
   * @defaultValue {@link DEFAULT_ECE_BINS} (10)
   */
  readonly bins?: number;
}

/** A percentile bootstrap interval `[low, high]`. */
export interface Interval {
  /** Lower bound. */
  readonly low: number;
  /** Upper bound. */
  readonly high: number;
}

/** The agreement statistics themselves (see {@link agreement}). */
export interface AgreementMetrics {
  /** ROC AUC, ties counted as ½ (Mann–Whitney). */
  readonly auc: number;
  /** Best accuracy of the rule "serendipitous iff score ≥ t" over all thresholds t. */
  readonly accuracy: number;
  /** Brier score: mean of (score − label)². Lower is better. */
  readonly brier: number;
  /** Expected calibration error over equal-width bins. Lower is better. */
  readonly ece: number;
}

/** Output of {@link agreement}. */
export interface AgreementReport extends AgreementMetrics {
  /** Number of labelled pairs. */
  readonly n: number;
  /** Number of `true` labels. */
  readonly positives: number;
  /** The lowest threshold reaching `accuracy` (`Infinity` when calling everything non-serendipitous is best). */
  readonly threshold: number;
  /** Bootstrap intervals per metric, absent when `resamples` is 0. */
  readonly intervals?: { readonly [K in keyof AgreementMetrics]: Interval };
  /** Resamples, seed and confidence used. */
  readonly bootstrap: { readonly resamples: number; readonly seed: number; readonly confidence: number };
}

const OWNER = 'agreement';

interface Sorted {
  readonly scores: Float64Array;
  readonly labels: Uint8Array;
  /** `groupEnd[g]` is one past the last position of tie group g; groups are maximal runs of equal scores. */
  readonly groupEnd: Uint32Array;
  /** `positionOf[i]` is the sorted position of input pair i. */
  readonly positionOf: Uint32Array;
}

function sortData(scores: readonly number[], labels: readonly (boolean | 0 | 1)[]): Sorted {
  const order = ascendingOrder(scores);
  const n = order.length;
  const sortedScores = new Float64Array(n);
  const sortedLabels = new Uint8Array(n);
  const ends: number[] = [];
  const positionOf = new Uint32Array(n);
  for (let position = 0; position < n; position++) {
    const index = order[position] as number;
    positionOf[index] = position;
    sortedScores[position] = scores[index] as number;
    sortedLabels[position] = labels[index] ? 1 : 0;
    if (position > 0 && sortedScores[position] !== sortedScores[position - 1]) ends.push(position);
  }
  ends.push(n);
  return { scores: sortedScores, labels: sortedLabels, groupEnd: Uint32Array.from(ends), positionOf };
}

/**
 * All four metrics for multiplicities `weight` (1 everywhere for the point estimate, bootstrap counts
 * otherwise), in one pass over the sorted data. `auc` is NaN when a class has zero weight.
 */
function weightedMetrics(
  data: Sorted,
  weight: ArrayLike<number>,
  bins: number,
  binScore: Float64Array,
  binLabel: Float64Array,
  binWeight: Float64Array,
): AgreementMetrics & { threshold: number } {
  binScore.fill(0);
  binLabel.fill(0);
  binWeight.fill(0);
  let totalPositive = 0;
  let totalNegative = 0;
  let squaredError = 0;
  for (let i = 0; i < data.scores.length; i++) {
    const w = weight[i] as number;
    if (w === 0) continue;
    const s = data.scores[i] as number;
    const y = data.labels[i] as number;
    if (y === 1) totalPositive += w;
    else totalNegative += w;
    squaredError += w * (s - y) * (s - y);
    const bin = Math.min(bins - 1, Math.floor(s * bins));
    binScore[bin] = (binScore[bin] as number) + w * s;
    binLabel[bin] = (binLabel[bin] as number) + w * y;
    binWeight[bin] = (binWeight[bin] as number) + w;
  }
  const total = totalPositive + totalNegative;

  let pairsWon = 0;
  let negativesBelow = 0;
  let positivesBelow = 0;
  let bestCorrect = totalNegative;
  let threshold = Number.POSITIVE_INFINITY;
  let start = 0;
  for (let g = 0; g < data.groupEnd.length; g++) {
    const end = data.groupEnd[g] as number;
    let groupPositive = 0;
    let groupNegative = 0;
    for (let i = start; i < end; i++) {
      const w = weight[i] as number;
      if (data.labels[i] === 1) groupPositive += w;
      else groupNegative += w;
    }
    if (groupPositive + groupNegative > 0) {
      const correct = negativesBelow + (totalPositive - positivesBelow);
      if (correct > bestCorrect || (correct === bestCorrect && (data.scores[start] as number) < threshold)) {
        bestCorrect = correct;
        threshold = data.scores[start] as number;
      }
      pairsWon += groupPositive * negativesBelow + 0.5 * groupPositive * groupNegative;
    }
    negativesBelow += groupNegative;
    positivesBelow += groupPositive;
    start = end;
  }

  let ece = 0;
  for (let bin = 0; bin < bins; bin++) {
    const w = binWeight[bin] as number;
    if (w > 0) ece += Math.abs((binScore[bin] as number) - (binLabel[bin] as number)) / total;
  }
  return {
    auc: totalPositive > 0 && totalNegative > 0 ? pairsWon / (totalPositive * totalNegative) : Number.NaN,
    accuracy: bestCorrect / total,
    brier: squaredError / total,
    ece,
    threshold,
  };
}

/** Linear-interpolation percentile (type 7) of sorted values. */
function percentile(sorted: Float64Array, q: number): number {
  const at = q * (sorted.length - 1);
  const below = Math.floor(at);
  const above = Math.min(sorted.length - 1, below + 1);
  return (sorted[below] as number) + ((sorted[above] as number) - (sorted[below] as number)) * (at - below);
}

/**
 * How well judge scores agree with human serendipity labels (e.g. the Serendipity-2018 survey, as
 * in Tokutake & Okamoto, arXiv 2404.07499), for held-out pairs after {@link calibrate}:
 * - `auc`: P(score of a random positive > score of a random negative) + ½·P(tie)
 *   (Mann–Whitney U / (N₊·N₋), computed over tie groups in O(n log n));
 * - `accuracy`: best accuracy of "positive iff score ≥ t" over every observed t and t = ∞
 *   (optimistic: the threshold is chosen on the same data), with that `threshold`;
 * - `brier`: mean (s − y)² (Brier 1950);
 * - `ece`: Σ_b (n_b / n)·|mean score_b − mean label_b| over `bins` equal-width bins of [0, 1], the
 *   last bin closed (Naeini et al., AAAI 2015).
 * Intervals: percentile bootstrap (type-7 interpolation) over `resamples` resamples; each resample
 * draws n input indices `floor(u · n)` with u from Mulberry32(`seed`), O(n) per resample on the
 * pre-sorted data. Resamples that lack a class are skipped for the AUC only.
 *
 * @throws {@link RerankError} `INVALID_ARGUMENT` (mismatched lengths, score outside [0, 1] or
 * non-finite, a label other than true/false/1/0), `INVALID_TRAINING_DATA` (fewer than 2 pairs or one class only),
 * `UNKNOWN_OPTION`/`INVALID_OPTION`.
 */
export function agreement(scores: readonly number[], labels: readonly (boolean | 0 | 1)[], options?: AgreementOptions): AgreementReport {
  assertKnownOptions(OWNER, options, ['resamples', 'seed', 'confidence', 'bins']);
  const resamples = numberOption(OWNER, 'resamples', options?.resamples, DEFAULT_BOOTSTRAP_RESAMPLES, { min: 0, integer: true });
  const seed = numberOption(OWNER, 'seed', options?.seed, DEFAULT_BOOTSTRAP_SEED, { integer: true });
  const confidence = numberOption(OWNER, 'confidence', options?.confidence, DEFAULT_CONFIDENCE, {
    min: 0,
    max: 1,
    minExclusive: true,
    maxExclusive: true,
  });
  const bins = numberOption(OWNER, 'bins', options?.bins, DEFAULT_ECE_BINS, { min: 1, integer: true });
  assertLabelledScores(OWNER, scores, labels, { unit: true, bothClasses: true, minLength: 2 });

  const data = sortData(scores, labels);
  const n = scores.length;
  const binScore = new Float64Array(bins);
  const binLabel = new Float64Array(bins);
  const binWeight = new Float64Array(bins);
  const point = weightedMetrics(data, new Float64Array(n).fill(1), bins, binScore, binLabel, binWeight);
  let positives = 0;
  for (const label of labels) if (label) positives++;
  const base = {
    n,
    positives,
    auc: point.auc,
    accuracy: point.accuracy,
    brier: point.brier,
    ece: point.ece,
    threshold: point.threshold,
    bootstrap: { resamples, seed, confidence },
  };
  if (resamples === 0) return base;

  const random = mulberry32(seed);
  const counts = new Uint32Array(n);
  const samples = { auc: new Float64Array(resamples), accuracy: new Float64Array(resamples), brier: new Float64Array(resamples), ece: new Float64Array(resamples) };
  let aucSamples = 0;
  for (let r = 0; r < resamples; r++) {
    counts.fill(0);
    for (let draw = 0; draw < n; draw++) {
      const position = data.positionOf[Math.floor(random() * n)] as number;
      counts[position] = (counts[position] as number) + 1;
    }
    const metrics = weightedMetrics(data, counts, bins, binScore, binLabel, binWeight);
    if (!Number.isNaN(metrics.auc)) samples.auc[aucSamples++] = metrics.auc;
    samples.accuracy[r] = metrics.accuracy;
    samples.brier[r] = metrics.brier;
    samples.ece[r] = metrics.ece;
  }
  const tail = (1 - confidence) / 2;
  const interval = (values: Float64Array): Interval => {
    const sorted = values.slice().sort();
    return { low: percentile(sorted, tail), high: percentile(sorted, 1 - tail) };
  };
  return {
    ...base,
    intervals: {
      auc: aucSamples > 0 ? interval(samples.auc.subarray(0, aucSamples)) : { low: point.auc, high: point.auc },
      accuracy: interval(samples.accuracy),
      brier: interval(samples.brier),
      ece: interval(samples.ece),
    },
  };
}
