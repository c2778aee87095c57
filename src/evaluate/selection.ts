import { bootstrapRatioCi, BOOTSTRAP_SAMPLES } from './bootstrap.js';
import type { StrategyEvaluation } from './evaluate.js';
import type { Param } from './strategies.js';

/** One grid point of a family, evaluated on both splits (what selection chooses among). */
export interface GridPoint {
  /** Grid value. */
  readonly param: Param;
  /** Per-user outcomes and averages on the validation split. */
  readonly onValidation: StrategyEvaluation;
  /** Per-user outcomes and averages on the test split (never read by selection). */
  readonly onTest: StrategyEvaluation;
}

/** Seed of the validation bootstrap: one stream shared by every grid point (common random numbers). @defaultValue 7 */
export const SELECTION_BOOTSTRAP_SEED = 7;

/**
 * How much wider than the validation interval the margin is: √2. The test ratio is a second
 * measurement with sampling noise of its own. Where validation and test are disjoint halves of the
 * users (`evaluateCandidates`), the two estimates are independent and of like size, so their
 * difference has √2 times validation's standard error, and widening the validation confidence
 * interval by √2 gives a prediction interval for what test will read (Geisser 1993, Predictive
 * Inference: An Introduction). Where both are time windows of the same users, what the users share
 * makes the difference smaller, so the bound errs on the safe side there. A validation confidence
 * interval alone bounds only the validation estimate.
 */
export const PREDICTION_WIDENING = Math.SQRT2;

/** What selection may read besides the grid points: the base on validation, and the margin's bootstrap. */
export interface SelectionInputs {
  /** The base ranking on the validation split. */
  readonly baseValidation: StrategyEvaluation;
  /** Bootstrap resamples of the margin. @defaultValue {@link BOOTSTRAP_SAMPLES} */
  readonly samples?: number;
  /** Seed of the margin's bootstrap. @defaultValue {@link SELECTION_BOOTSTRAP_SEED} */
  readonly seed?: number;
  /** Widening of the validation interval into the margin (1: the confidence interval itself). @defaultValue {@link PREDICTION_WIDENING} */
  readonly widening?: number;
}

/** Cache of lower bounds: point → base → `samples:seed` → bound. */
const lowerBounds = new WeakMap<StrategyEvaluation, WeakMap<StrategyEvaluation, Map<string, number>>>();

/**
 * Lower end of the paired percentile-bootstrap 95% interval (Efron & Tibshirani 1993) of a grid
 * point's validation nDCG ratio `Σ_u nDCG_u(point) / Σ_u nDCG_u(base)` over validation users.
 * Cached per evaluation, base, sample count and seed.
 */
export function validationNdcgLowerBound(point: StrategyEvaluation, inputs: SelectionInputs): number {
  const samples = inputs.samples ?? BOOTSTRAP_SAMPLES;
  const seed = inputs.seed ?? SELECTION_BOOTSTRAP_SEED;
  const key = `${samples}:${seed}`;
  let byBase = lowerBounds.get(point);
  if (byBase === undefined) {
    byBase = new WeakMap();
    lowerBounds.set(point, byBase);
  }
  let byKey = byBase.get(inputs.baseValidation);
  if (byKey === undefined) {
    byKey = new Map();
    byBase.set(inputs.baseValidation, byKey);
  }
  const cached = byKey.get(key);
  if (cached !== undefined) return cached;
  const bound = bootstrapRatioCi(point.outcomes.ndcg, inputs.baseValidation.outcomes.ndcg, { seed, samples }).ci[0];
  byKey.set(key, bound);
  return bound;
}

/**
 * Lower end of the 95% prediction interval of a grid point's **test** nDCG ratio, from validation
 * alone: `r − w·(r − lo)`, where `r` is the validation ratio, `lo` the lower end of its paired
 * bootstrap interval ({@link validationNdcgLowerBound}) and `w` the widening
 * ({@link PREDICTION_WIDENING} unless `inputs.widening` says otherwise). This is the margin a point
 * must clear to qualify for a floor.
 */
export function testNdcgPredictionLower(point: StrategyEvaluation, inputs: SelectionInputs): number {
  const ratio = point.metrics.ndcg / inputs.baseValidation.metrics.ndcg;
  return ratio - (inputs.widening ?? PREDICTION_WIDENING) * (ratio - validationNdcgLowerBound(point, inputs));
}

/**
 * The selection rule of docs/evaluation.md, with a margin: a grid point qualifies for a floor only
 * when the lower end of the prediction interval of its test nDCG ratio, computed from validation
 * ({@link testNdcgPredictionLower}), is at or above `floor`; among qualifying points, the one with
 * the most validation Ge serendipity hits wins (ties: the earlier grid point). A point whose ratio
 * only just clears the floor on validation (a razor-edge choice that flips with the seed, or reads
 * below the floor on test) does not qualify. Test outcomes are never read.
 *
 * @returns The chosen point, or `undefined` when no point qualifies.
 */
export function selectForFloor<P extends GridPoint>(points: readonly P[], floor: number, inputs: SelectionInputs): P | undefined {
  let choice: P | undefined;
  for (const point of points) {
    if (testNdcgPredictionLower(point.onValidation, inputs) < floor) continue;
    if (choice === undefined || point.onValidation.metrics.serendipityHitCount > choice.onValidation.metrics.serendipityHitCount) choice = point;
  }
  return choice;
}
