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

/** What selection may read besides the grid points: the base on validation, and the margin's bootstrap. */
export interface SelectionInputs {
  /** The base ranking on the validation split. */
  readonly baseValidation: StrategyEvaluation;
  /** Bootstrap resamples of the margin. @defaultValue {@link BOOTSTRAP_SAMPLES} */
  readonly samples?: number;
  /** Seed of the margin's bootstrap. @defaultValue {@link SELECTION_BOOTSTRAP_SEED} */
  readonly seed?: number;
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
 * The selection rule of docs/evaluation.md, with a margin: a grid point qualifies for a floor only
 * when the lower end of its paired-bootstrap 95% interval of validation nDCG ratio
 * ({@link validationNdcgLowerBound}) is at or above `floor`; among qualifying points, the one with
 * the most validation Ge serendipity hits wins (ties: the earlier grid point). A point whose ratio
 * only just clears the floor on validation (a razor-edge choice that flips with the seed) does not
 * qualify. Test outcomes are never read.
 *
 * @returns The chosen point, or `undefined` when no point qualifies.
 */
export function selectForFloor<P extends GridPoint>(points: readonly P[], floor: number, inputs: SelectionInputs): P | undefined {
  let choice: P | undefined;
  for (const point of points) {
    if (validationNdcgLowerBound(point.onValidation, inputs) < floor) continue;
    if (choice === undefined || point.onValidation.metrics.serendipityHitCount > choice.onValidation.metrics.serendipityHitCount) choice = point;
  }
  return choice;
}
