import { relevance } from '../index.js';
import { hash53 } from '../cache/profile-key.js';
import { bootstrapRatioCi, BOOTSTRAP_SAMPLES } from './bootstrap.js';
import type { EvalContext } from './context.js';
import { evaluateStrategy, type StrategyEvaluation, type StrategyMetrics } from './evaluate.js';
import { aggressiveNeighbour, edgeDirection, extendGrid, type GridDirection, MAX_GRID_EXTENSIONS, MAX_GRID_REFINEMENTS, refineGrid } from './grids.js';
import { beatsRules, beatsRulesConfidently, type TestHits } from './rule-wins.js';
import { type GridPoint, PREDICTION_WIDENING, selectForFloor, testNdcgPredictionLower, validationNdcgLowerBound } from './selection.js';
import type { ItemRepresentation, Param, StrategyFamily } from './strategies.js';

/** A selected row meets its floor on test when its test nDCG ratio is at least `floor − this` (half a point). @defaultValue 0.005 */
export const FLOOR_TOLERANCE = 0.005;

/** Test-split metrics of one grid point, with ratios vs the base. */
export interface StrategyRow extends StrategyMetrics {
  /** Which split (see {@link CompareOptions.split}). */
  readonly split: string;
  /** Family. */
  readonly name: string;
  /** Grid value. */
  readonly param: Param;
  /** Item representation the strategy saw (`cosine`, `cooccurrence`, or `metric` for the u-rule). */
  readonly representation: string;
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
  /** Lower end of the paired-bootstrap 95% CI of the validation nDCG ratio. */
  readonly validationNdcgLower: number;
  /** Lower end of the 95% prediction interval of the test nDCG ratio, from validation (what qualifies a point for a floor). */
  readonly predictedTestNdcgLower: number;
  /** Validation Ge hits / base (what selection maximises). */
  readonly validationSerendipityRatio: number;
  /** Set when the point was added by a moving grid (its direction) or by grid refinement (`'refined'`). */
  readonly extended?: GridDirection | 'refined';
}

/** The parameter of a family selected on validation under one nDCG floor, reported on test. */
export interface SelectedRow {
  /** Which split (see {@link CompareOptions.split}). */
  readonly split: string;
  /** Family. */
  readonly strategy: string;
  /** nDCG floor (fraction of base). */
  readonly floor: number;
  /** Selected grid value, or null when no value qualified on validation (the family is then not applied). */
  readonly param: Param | null;
  /** Item representation of the selected point (null when nothing qualified). */
  readonly representation: string | null;
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
  /** Lower end of its validation nDCG-ratio 95% CI. */
  readonly validationNdcgLower: number;
  /** Lower end of the prediction interval of its test nDCG ratio, from validation (≥ floor, or it would not have qualified). */
  readonly predictedTestNdcgLower: number;
  /** Whether the test nDCG ratio is at least `floor − FLOOR_TOLERANCE`; null when nothing was selected. */
  readonly metFloorOnTest: boolean | null;
  /** What the moving grid and grid refinement did for this family, e.g. `grid extended toward no-op: 0.975; grid refined: 0.875`; null when the grid did not change. */
  readonly gridNote: string | null;
  /**
   * Whether the row beats both reference rules at the same floor on both definitions (test Ge and
   * UH ratios above each rule's; a rule with nothing selected counts as the base, 1×). Null for the rules.
   */
  readonly serendipityWin: boolean | null;
  /**
   * Whether the row beats both reference rules at the same floor on both definitions with
   * confidence: every paired-bootstrap 95% CI of its test hits minus a rule's (Ge and UH; the
   * base's for a rule with nothing selected) lies above 0 (`beatsRulesConfidently`, an
   * intersection–union test). Implies `serendipityWin`; null for the rules.
   */
  readonly serendipityWinConfident: boolean | null;
}

/** Progress of {@link compareStrategies}: `done` of `total` grid-point evaluations (grows when a grid moves), and what ran last. */
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
  /** Widening of the validation interval into the selection margin ({@link testNdcgPredictionLower}). @defaultValue {@link PREDICTION_WIDENING} */
  readonly predictionWidening?: number;
  /** Name of the split, copied into every row (e.g. `standard`, `shifted`). @defaultValue `'standard'` */
  readonly split?: string;
  /**
   * The window strictly before validation. Families that learn from labels (`prepare`) train on it
   * for validation, and on validation for test (nested windows). @defaultValue none: such families
   * are prepared without an earlier window
   */
  readonly fit?: EvalContext;
  /**
   * The same window with another item representation for the strategies. @defaultValue none: every
   * family sees its context's own representation
   */
  readonly represent?: (context: EvalContext, representation: ItemRepresentation) => EvalContext;
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
  representation: null,
  ndcgRatio: Number.NaN,
  serendipityRatio: Number.NaN,
  ci: [Number.NaN, Number.NaN] as [number, number],
  unexpectedHitsRatio: Number.NaN,
  ciUnexpected: [Number.NaN, Number.NaN] as [number, number],
  serendipityHitCount: Number.NaN,
  unexpectedHitCount: Number.NaN,
  validationNdcgRatio: Number.NaN,
  validationNdcgLower: Number.NaN,
  predictedTestNdcgLower: Number.NaN,
  metFloorOnTest: null,
};

type Point = GridPoint & { readonly row: StrategyRow; readonly representation: string };

/** The windows one representation of a family runs on, and its prepared state per window. */
interface Variant {
  readonly representation: string;
  readonly validation: EvalContext;
  readonly test: EvalContext;
  readonly preparedValidation: unknown;
  readonly preparedTest: unknown;
}

function metricView(context: EvalContext): EvalContext {
  return { ...context, representation: 'metric', catalog: context.metricCatalog };
}

/** The windows of each representation a family is evaluated with (see {@link StrategyFamily.representations}). */
function variantsOf(family: StrategyFamily<unknown>, validation: EvalContext, test: EvalContext, options: CompareOptions, note: (label: string) => void = () => {}): Variant[] {
  const fit = options.fit;
  const windows: [string, EvalContext, EvalContext, EvalContext | undefined][] = [];
  if (family.metricVectors === true) {
    windows.push(['metric', metricView(validation), metricView(test), fit === undefined ? undefined : metricView(fit)]);
  } else if (family.representations === undefined || options.represent === undefined) {
    windows.push([validation.representation, validation, test, fit]);
  } else {
    const represent = options.represent;
    for (const r of family.representations) windows.push([r, represent(validation, r), represent(test, r), fit === undefined || family.prepare === undefined ? undefined : represent(fit, r)]);
  }
  return windows.map(([representation, v, t, f]) => ({
    representation,
    validation: v,
    test: t,
    preparedValidation: family.prepare?.(v, f, (step) => note(`${family.family}: ${step} (for validation)`)),
    preparedTest: family.prepare?.(t, v, (step) => note(`${family.family}: ${step} (for test)`)),
  }));
}

/**
 * Seed of a selected row's test CIs: the run's seed mixed with a hash (`hash53`) of the family's
 * name and the floor, so a family's intervals are the same whichever other families and floors run
 * beside it (an index in the family list would shift them).
 */
function ciSeedOf(seed: number, family: string, floor: number): number {
  return (seed + Number.parseInt(hash53(`${family}|${floor}`).slice(-8), 16)) >>> 0;
}

/**
 * The comparison shared by the demo, the CLI and the programmatic API (docs/evaluation.md). The
 * base and every family over its grid run on the validation and test windows; families that learn
 * from labels are prepared on the window before (nested windows: fit → validation → test). Per
 * family and floor:
 * - **representation** and parameter are chosen together on validation (families listing
 *   `representations` run once per item representation);
 * - **margin**: a point qualifies only if the lower end of the 95% prediction interval of its test
 *   nDCG ratio, computed from validation (the paired-bootstrap CI widened by √2,
 *   {@link testNdcgPredictionLower}), is ≥ the floor ({@link selectForFloor}); the qualifying point
 *   with the most validation Ge hits wins;
 * - **moving grids**: when the choice is on a grid edge (or nothing qualifies), a point beyond that
 *   edge is added ({@link extendGrid}: toward the no-op setting, or further out) and the choice is
 *   made again, up to {@link MAX_GRID_EXTENSIONS} times; the row's `gridNote` says so;
 * - **grid refinement**: where a floor is what stops the choice (its next more aggressive grid
 *   point fails the margin), the midpoint of the two is added ({@link refineGrid}) and the choice
 *   is made again, up to {@link MAX_GRID_REFINEMENTS} times; `gridNote` lists the refined points;
 * - the choice is reported on test with paired bootstrap 95% CIs (Efron & Tibshirani 1993) of the
 *   Ge and unexpected-hits ratios, `metFloorOnTest`, and, against the families marked `reference`
 *   (the anti-gaming rules), `serendipityWin` (point estimates) and `serendipityWinConfident`
 *   (every paired-bootstrap CI of the difference in hits above 0).
 * Test outcomes are never read by any choice.
 */
export function compareStrategies(validation: EvalContext, test: EvalContext, options: CompareOptions): Comparison {
  const { families, floors, seed } = options;
  const samples = options.bootstrapSamples ?? BOOTSTRAP_SAMPLES;
  let total = 2 + 2 * families.reduce((n, f) => n + f.params.length * (f.representations?.length ?? 1), 0);
  let done = 0;
  const progress = (label: string): void => options.onProgress?.(++done, total, label);
  const baseValidation = evaluateStrategy(validation, relevance(), false);
  progress('base (validation)');
  const baseTest = evaluateStrategy(test, relevance(), true);
  progress('base (test)');
  const bm = baseTest.metrics;
  options.onBase?.({ validation: baseValidation, test: baseTest });
  const inputs = { baseValidation, samples, widening: options.predictionWidening ?? PREDICTION_WIDENING };
  const split = options.split ?? 'standard';
  const rows: StrategyRow[] = [];
  const selected: SelectedRow[] = [];
  // per-user test hits of each selected row, by `family|floor`, for the confident win
  const testHits = new Map<string, TestHits>();
  families.forEach((family) => {
    // Preparing (e.g. fitting a learned model) reports its steps without advancing the count.
    const variants = variantsOf(family, validation, test, options, (label) => options.onProgress?.(done, total, label));
    const points: Point[] = [];
    const evaluatePoint = (variant: Variant, param: Param, extended?: GridDirection | 'refined'): void => {
      const label = `${family.family} ${variant.representation === validation.representation ? '' : `[${variant.representation}] `}${String(param)}`;
      const onValidation = evaluateStrategy(variant.validation, family.make(param, variant.validation, variant.preparedValidation), false);
      progress(`${label} (validation)`);
      const strategy = family.make(param, variant.test, variant.preparedTest);
      const onTest = evaluateStrategy(variant.test, strategy, true);
      progress(`${label} (test)`);
      const row: StrategyRow = {
        split,
        name: family.family,
        param,
        representation: variant.representation,
        strategy: strategy.name,
        ...onTest.metrics,
        ndcgRatio: onTest.metrics.ndcg / bm.ndcg,
        serendipityRatio: onTest.metrics.serendipityHitCount / bm.serendipityHitCount,
        unexpectedHitsRatio: onTest.metrics.unexpectedHitCount / bm.unexpectedHitCount,
        validationNdcgRatio: onValidation.metrics.ndcg / baseValidation.metrics.ndcg,
        validationNdcgLower: validationNdcgLowerBound(onValidation, inputs),
        predictedTestNdcgLower: testNdcgPredictionLower(onValidation, inputs),
        validationSerendipityRatio: onValidation.metrics.serendipityHitCount / baseValidation.metrics.serendipityHitCount,
        ...(extended === undefined ? {} : { extended }),
      };
      rows.push(row);
      points.push({ param, representation: variant.representation, row, onValidation, onTest });
    };
    for (const variant of variants) for (const param of family.params) evaluatePoint(variant, param);

    // Moving grids: extend past an edge the choice sits on, then choose again.
    const notes = new Map<string, { readonly representation: string; readonly direction: GridDirection; readonly values: string[] }>();
    const range = family.range;
    if (range !== undefined && family.params.every((p) => typeof p === 'number')) {
      for (let round = 0; round < MAX_GRID_EXTENSIONS; round++) {
        const wanted = new Map<string, { variant: Variant; param: number; direction: GridDirection }>();
        for (const floor of floors) {
          const choice = selectForFloor(points, floor, inputs);
          const candidates = choice === undefined ? variants : variants.filter((v) => v.representation === choice.representation);
          for (const variant of candidates) {
            const grid = points.filter((p) => p.representation === variant.representation).map((p) => p.param as number);
            const direction = edgeDirection(grid, choice?.param as number | undefined, range);
            const next = direction === undefined ? undefined : extendGrid(grid, direction, range);
            if (direction !== undefined && next !== undefined) wanted.set(`${variant.representation}:${next}`, { variant, param: next, direction });
          }
        }
        if (wanted.size === 0) break;
        total += 2 * wanted.size;
        for (const { variant, param, direction } of wanted.values()) {
          evaluatePoint(variant, param, direction);
          const key = `${variant.representation}:${direction}`;
          const note = notes.get(key) ?? { representation: variant.representation, direction, values: [] };
          note.values.push(String(param));
          notes.set(key, note);
        }
      }
    }
    // Grid refinement: where a floor is what stops the choice (its next more aggressive neighbour
    // fails the margin), bisect between the two, then choose again.
    const refined = new Map<string, string[]>();
    if (range !== undefined && family.params.every((p) => typeof p === 'number')) {
      for (let round = 0; round < MAX_GRID_REFINEMENTS; round++) {
        const wanted = new Map<string, { variant: Variant; param: number }>();
        for (const floor of floors) {
          const choice = selectForFloor(points, floor, inputs);
          const variant = variants.find((v) => v.representation === choice?.representation);
          if (choice === undefined || variant === undefined) continue;
          const own = points.filter((p) => p.representation === variant.representation);
          const grid = own.map((p) => p.param as number);
          const neighbour = own.find((p) => p.param === aggressiveNeighbour(grid, choice.param as number, range));
          if (neighbour === undefined || testNdcgPredictionLower(neighbour.onValidation, inputs) >= floor) continue;
          const next = refineGrid(grid, choice.param as number, range);
          if (next !== undefined) wanted.set(`${variant.representation}:${next}`, { variant, param: next });
        }
        if (wanted.size === 0) break;
        total += 2 * wanted.size;
        for (const { variant, param } of wanted.values()) {
          evaluatePoint(variant, param, 'refined');
          refined.set(variant.representation, [...(refined.get(variant.representation) ?? []), String(param)]);
        }
      }
    }
    const gridNote =
      notes.size === 0 && refined.size === 0
        ? null
        : [
            ...[...notes.values()].map((note) => `grid extended ${note.direction}${variants.length > 1 ? ` (${note.representation})` : ''}: ${note.values.join(', ')}`),
            ...[...refined].map(([representation, values]) => `grid refined${variants.length > 1 ? ` (${representation})` : ''}: ${values.join(', ')}`),
          ].join('; ');

    floors.forEach((floor) => {
      const choice = selectForFloor(points, floor, inputs);
      if (choice === undefined) {
        const win = family.reference === true ? null : false;
        selected.push({ split, strategy: family.family, floor, ...NOTHING_SELECTED, gridNote, serendipityWin: win, serendipityWinConfident: win });
        return;
      }
      const ciSeed = ciSeedOf(seed, family.family, floor);
      testHits.set(`${family.family}|${floor}`, choice.onTest.outcomes);
      const ge = bootstrapRatioCi(choice.onTest.outcomes.serendipityHits, baseTest.outcomes.serendipityHits, { seed: ciSeed, samples });
      const uh = bootstrapRatioCi(choice.onTest.outcomes.unexpectedHits, baseTest.outcomes.unexpectedHits, { seed: ciSeed + 500, samples });
      selected.push({
        split,
        strategy: family.family,
        floor,
        param: choice.param,
        representation: choice.representation,
        ndcgRatio: choice.row.ndcgRatio,
        serendipityRatio: choice.row.serendipityRatio,
        ci: ge.ci,
        unexpectedHitsRatio: choice.row.unexpectedHitsRatio,
        ciUnexpected: uh.ci,
        serendipityHitCount: choice.row.serendipityHitCount,
        unexpectedHitCount: choice.row.unexpectedHitCount,
        validationNdcgRatio: choice.row.validationNdcgRatio,
        validationNdcgLower: choice.row.validationNdcgLower,
        predictedTestNdcgLower: choice.row.predictedTestNdcgLower,
        metFloorOnTest: choice.row.ndcgRatio >= floor - FLOOR_TOLERANCE,
        gridNote,
        serendipityWin: null,
        serendipityWinConfident: null,
      });
    });
    options.onFamily?.(family);
  });
  const referenceNames = new Set(families.filter((family) => family.reference === true).map((family) => family.family));
  const judged = selected.map((row) => {
    if (referenceNames.has(row.strategy)) return row;
    const rules = selected.filter((rule) => referenceNames.has(rule.strategy) && rule.floor === row.floor);
    const serendipityWin = row.param !== null && beatsRules(row, rules);
    const hits = testHits.get(`${row.strategy}|${row.floor}`);
    const serendipityWinConfident =
      serendipityWin &&
      hits !== undefined &&
      beatsRulesConfidently(
        hits,
        rules.map((rule) => testHits.get(`${rule.strategy}|${rule.floor}`) ?? baseTest.outcomes),
        { samples, seedOf: (r, definition) => ciSeedOf(seed, `${row.strategy} vs ${(rules[r] as SelectedRow).strategy}|${definition}`, row.floor) },
      );
    return { ...row, serendipityWin, serendipityWinConfident };
  });
  return { base: { validation: baseValidation, test: baseTest }, strategies: rows, selected: judged };
}
