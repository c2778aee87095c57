import { relevance } from '../index.js';
import { bootstrapRatioCi, BOOTSTRAP_SAMPLES } from './bootstrap.js';
import type { EvalContext } from './context.js';
import { evaluateStrategy, type StrategyEvaluation, type StrategyMetrics } from './evaluate.js';
import { type GridPoint, selectForFloor } from './selection.js';
import type { Param, StrategyFamily } from './strategies.js';

/** Test-split metrics of one grid point, with ratios vs the base. */
export interface StrategyRow extends StrategyMetrics {
  /** Family. */
  readonly name: string;
  /** Grid value. */
  readonly param: Param;
  /** Strategy name as the library reports it. */
  readonly strategy: string;
  /** nDCG / base nDCG (test). */
  readonly ndcgRatio: number;
  /** Ge serendipity hits / base (test). */
  readonly serendipityRatio: number;
  /** Unexpected hits / base (test). */
  readonly unexpectedHitsRatio: number;
  /** Validation nDCG / base validation nDCG (what selection sees). */
  readonly validationNdcgRatio: number;
  /** Validation Ge hits / base (what selection maximises). */
  readonly validationSerendipityRatio: number;
}

/** The parameter of a family selected on validation under one nDCG floor, reported on test. */
export interface SelectedRow {
  /** Family. */
  readonly strategy: string;
  /** nDCG floor (fraction of base). */
  readonly floor: number;
  /** Selected grid value, or null when no value met the floor on validation. */
  readonly param: Param | null;
  /** Test nDCG ratio. */
  readonly ndcgRatio: number;
  /** Test Ge serendipity-hits ratio. */
  readonly serendipityRatio: number;
  /** Bootstrap 95% CI of `serendipityRatio` over users. */
  readonly ci: [number, number];
  /** Test unexpected-hits ratio. */
  readonly unexpectedHitsRatio: number;
  /** Bootstrap 95% CI of `unexpectedHitsRatio`. */
  readonly ciUnexpected: [number, number];
  /** Raw Ge hit count on test (base count in `base.serendipityHitCount`). */
  readonly serendipityHitCount: number;
  /** Raw unexpected-hit count on test. */
  readonly unexpectedHitCount: number;
  /** Validation nDCG ratio of the selected value. */
  readonly validationNdcgRatio: number;
}

/** Progress of {@link compareStrategies}: `done` of `total` grid-point evaluations, and what ran last. */
export type CompareProgress = (done: number, total: number, label: string) => void;

/** Options of {@link compareStrategies}. */
export interface CompareOptions {
  /** Strategy families with their grids. */
  readonly families: readonly StrategyFamily<unknown>[];
  /** nDCG floors, fractions of the base's validation nDCG. */
  readonly floors: readonly number[];
  /** Seed of the bootstrap resampling. */
  readonly seed: number;
  /** Bootstrap resamples. @defaultValue {@link BOOTSTRAP_SAMPLES} */
  readonly bootstrapSamples?: number;
  /** Called after every evaluation of a grid point on one split. @defaultValue none */
  readonly onProgress?: CompareProgress;
  /** Called once the base is evaluated on both splits (for stage timings). @defaultValue none */
  readonly onBase?: (base: Comparison['base']) => void;
  /** Called when a family is done (for stage timings). @defaultValue none */
  readonly onFamily?: (family: StrategyFamily<unknown>) => void;
}

/** What {@link compareStrategies} returns. */
export interface Comparison {
  /** The base (relevance order of the candidates) on each split. */
  readonly base: { readonly validation: StrategyEvaluation; readonly test: StrategyEvaluation };
  /** Every grid point on test. */
  readonly strategies: readonly StrategyRow[];
  /** Per family and floor, the parameter selected on validation, reported on test. */
  readonly selected: readonly SelectedRow[];
}

const NOTHING_SELECTED = {
  param: null,
  ndcgRatio: Number.NaN,
  serendipityRatio: Number.NaN,
  ci: [Number.NaN, Number.NaN] as [number, number],
  unexpectedHitsRatio: Number.NaN,
  ciUnexpected: [Number.NaN, Number.NaN] as [number, number],
  serendipityHitCount: Number.NaN,
  unexpectedHitCount: Number.NaN,
  validationNdcgRatio: Number.NaN,
};

/**
 * The comparison shared by the demo, the CLI and the programmatic API (docs/evaluation.md): the base
 * and every family over its grid on the validation and test contexts (families' `prepare` runs on
 * validation first), then, per family and floor, the grid value chosen on validation by
 * {@link selectForFloor}, reported on test with paired bootstrap 95% CIs (Efron & Tibshirani 1993)
 * of the Ge and unexpected-hits ratios over test users.
 */
export function compareStrategies(validation: EvalContext, test: EvalContext, options: CompareOptions): Comparison {
  const { families, floors, seed } = options;
  const samples = options.bootstrapSamples ?? BOOTSTRAP_SAMPLES;
  const total = 2 + 2 * families.reduce((n, f) => n + f.params.length, 0);
  let done = 0;
  const progress = (label: string): void => options.onProgress?.(++done, total, label);
  const baseValidation = evaluateStrategy(validation, relevance(), false);
  progress('base (validation)');
  const baseTest = evaluateStrategy(test, relevance(), true);
  progress('base (test)');
  const bm = baseTest.metrics;
  options.onBase?.({ validation: baseValidation, test: baseTest });
  const rows: StrategyRow[] = [];
  const selected: SelectedRow[] = [];
  families.forEach((family, f) => {
    const preparedValidation = family.prepare?.(validation);
    const preparedTest = family.prepare?.(test);
    const points: (GridPoint & { readonly row: StrategyRow })[] = family.params.map((param) => {
      const onValidation = evaluateStrategy(validation, family.make(param, validation, preparedValidation), false);
      progress(`${family.family} ${String(param)} (validation)`);
      const strategy = family.make(param, test, preparedTest);
      const onTest = evaluateStrategy(test, strategy, true);
      progress(`${family.family} ${String(param)} (test)`);
      const row: StrategyRow = {
        name: family.family,
        param,
        strategy: strategy.name,
        ...onTest.metrics,
        ndcgRatio: onTest.metrics.ndcg / bm.ndcg,
        serendipityRatio: onTest.metrics.serendipityHitCount / bm.serendipityHitCount,
        unexpectedHitsRatio: onTest.metrics.unexpectedHitCount / bm.unexpectedHitCount,
        validationNdcgRatio: onValidation.metrics.ndcg / baseValidation.metrics.ndcg,
        validationSerendipityRatio: onValidation.metrics.serendipityHitCount / baseValidation.metrics.serendipityHitCount,
      };
      rows.push(row);
      return { param, row, onValidation, onTest };
    });
    floors.forEach((floor, fl) => {
      const choice = selectForFloor(points, floor, { baseValidation }) as (typeof points)[number] | undefined;
      if (choice === undefined) {
        selected.push({ strategy: family.family, floor, ...NOTHING_SELECTED });
        return;
      }
      const ciSeed = seed + 1000 * f + fl;
      const ge = bootstrapRatioCi(choice.onTest.outcomes.serendipityHits, baseTest.outcomes.serendipityHits, { seed: ciSeed, samples });
      const uh = bootstrapRatioCi(choice.onTest.outcomes.unexpectedHits, baseTest.outcomes.unexpectedHits, { seed: ciSeed + 500, samples });
      selected.push({
        strategy: family.family,
        floor,
        param: choice.param,
        ndcgRatio: choice.row.ndcgRatio,
        serendipityRatio: choice.row.serendipityRatio,
        ci: ge.ci,
        unexpectedHitsRatio: choice.row.unexpectedHitsRatio,
        ciUnexpected: uh.ci,
        serendipityHitCount: choice.row.serendipityHitCount,
        unexpectedHitCount: choice.row.unexpectedHitCount,
        validationNdcgRatio: choice.row.validationNdcgRatio,
      });
    });
    options.onFamily?.(family);
  });
  return { base: { validation: baseValidation, test: baseTest }, strategies: rows, selected };
}
