import { BOOTSTRAP_SAMPLES } from './bootstrap.js';
import { FLOOR_TOLERANCE, type SelectedRow, type StrategyRow } from './compare.js';
import { CANDIDATES_PER_USER, METRIC_VECTORS, PRIMITIVE_SIZE } from './context.js';
import { MIN_ITEM_SUPPORT } from './ease.js';
import type { StrategyMetrics } from './evaluate.js';
import { fewUsersNotes } from './few-users.js';
import { loadMovieLens, type MovieLensData } from './movielens.js';
import { type EaseChoice, evaluateSplit, type SplitEvaluation } from './protocol.js';
import { PREDICTION_WIDENING } from './selection.js';
import { SharedWindows } from './shared-windows.js';
import { HELD_OUT_FRACTION, MIN_TRAIN_POSITIVES, POSITIVE_THRESHOLD } from './split.js';
import { STRATEGY_FAMILIES, type StrategyFamily } from './strategies.js';
import { SPLIT_KINDS, type SplitKind } from './windows.js';
import { DEFAULT_ITEM_VECTOR_DIM } from '../index.js';

/** EASE λ values tried on validation; the grid moves past an edge its choice lands on (`lambdaBeyondEdge`). @defaultValue [30, 100, 300, 1000] */
export const EASE_LAMBDAS: readonly number[] = [30, 100, 300, 1000];
/** nDCG floors, as fractions of the base's validation nDCG, under which parameters are selected. @defaultValue [0.95, 0.9] */
export const NDCG_FLOORS: readonly number[] = [0.95, 0.9];
/**
 * Largest item space the dense EASE solve accepts: it holds a few `n × n` float64 matrices
 * (8000 items ≈ 0.5 GB each). @defaultValue 8000
 */
export const MAX_DENSE_ITEMS = 8000;
/** Default list length. @defaultValue 10 */
export const DEFAULT_K = 10;
/** Default seed (SVD start and bootstrap). @defaultValue 42 */
export const DEFAULT_SEED = 42;

export type { SelectedRow, StrategyRow } from './compare.js';

/** Options of {@link runEvaluation}. */
export interface EvaluationOptions {
  /** A MovieLens CSV folder (read when `data` is not given), or the name reported for `data`. */
  readonly dataDir: string;
  /** Interactions already loaded (e.g. by the CLI's streaming reader); `dataDir` is then only a label. */
  readonly data?: MovieLensData;
  /** Progress of the strategy comparison: `done` of `total` grid-point evaluations. @defaultValue none */
  readonly progress?: (done: number, total: number, label: string) => void;
  /** List length. @defaultValue {@link DEFAULT_K} */
  readonly k?: number;
  /** Seed. @defaultValue {@link DEFAULT_SEED} */
  readonly seed?: number;
  /** EASE λ grid. @defaultValue {@link EASE_LAMBDAS} */
  readonly lambdas?: readonly number[];
  /** Strategy families. @defaultValue {@link STRATEGY_FAMILIES} */
  readonly families?: readonly StrategyFamily<unknown>[];
  /** nDCG floors. @defaultValue {@link NDCG_FLOORS} */
  readonly floors?: readonly number[];
  /** Bootstrap resamples. @defaultValue {@link BOOTSTRAP_SAMPLES} */
  readonly bootstrapSamples?: number;
  /** Widening of the validation interval into the selection margin (see `testNdcgPredictionLower`). @defaultValue {@link PREDICTION_WIDENING} */
  readonly predictionWidening?: number;
  /** Dimension of the strategies' item vectors. @defaultValue {@link DEFAULT_ITEM_VECTOR_DIM} */
  readonly dim?: number;
  /** Refuse item spaces larger than this (dense EASE). @defaultValue {@link MAX_DENSE_ITEMS} */
  readonly maxItems?: number;
  /** Which splits to evaluate; the first is reported as `base`. @defaultValue {@link SPLIT_KINDS} (standard, then shifted) */
  readonly splits?: readonly SplitKind[];
  /** Progress sink, one line per call: each stage as it ends, each EASE fit as it starts, and the notes. @defaultValue no output */
  readonly log?: (line: string) => void;
}

/** The base (EASE relevance order) of one split on test, with its validation figures. */
export type BaseResult = StrategyMetrics & { readonly validationNdcg: number; readonly validationSerendipityHitCount: number };

/** Per-split facts besides the rows: EASE, users and base. */
export interface SplitSummary {
  /** The split. */
  readonly split: SplitKind;
  /** EASE λ selected on validation, each λ's validation nDCG and the λ values its grid moved to. */
  readonly ease: EaseChoice;
  /** Evaluated users per window. */
  readonly users: { readonly fit: number; readonly validation: number; readonly test: number };
  /** The base on test. */
  readonly base: BaseResult;
  /** Selected rows with a parameter, and how many met their floor on test (within {@link FLOOR_TOLERANCE}). */
  readonly floorsMet: { readonly met: number; readonly rows: number };
}

/** Everything the demo writes to `demo.json`. */
export interface EvaluationResult {
  /** Data folder. */
  readonly dataset: string;
  /** Protocol constants. */
  readonly protocol: Readonly<Record<string, unknown>>;
  /** List length. */
  readonly k: number;
  /** Seed. */
  readonly seed: number;
  /** EASE λ of the first split (standard), each λ's validation nDCG and the λ values its grid moved to. */
  readonly ease: EaseChoice;
  /** Evaluated users of the first split (standard). */
  readonly users: { readonly validation: number; readonly test: number };
  /** The base (EASE relevance order) of the first split (standard) on test. */
  readonly base: BaseResult;
  /** The base of the shifted split on test (when it was evaluated). */
  readonly baseShifted?: BaseResult;
  /** Per split: EASE, users, base and the share of rows that met their floor on test. */
  readonly splits: readonly SplitSummary[];
  /** Every grid point on test, every split (`split` field). */
  readonly strategies: readonly StrategyRow[];
  /** Per split, family and floor, the parameter selected on validation, reported on test. */
  readonly selected: readonly SelectedRow[];
  /** Selected rows with a parameter over every split, and how many met their floor on test. */
  readonly floorsMet: { readonly met: number; readonly rows: number };
  /** Cautions about the run, e.g. windows with too few users to trust (`fewUsersNotes`); empty when there are none. */
  readonly notes: readonly string[];
  /** Seconds per stage. */
  readonly timings: Readonly<Record<string, number>>;
}

function floorsMet(rows: readonly SelectedRow[]): { met: number; rows: number } {
  const chosen = rows.filter((row) => row.param !== null);
  return { met: chosen.filter((row) => row.metFloorOnTest === true).length, rows: chosen.length };
}

function summary(evaluation: SplitEvaluation): SplitSummary {
  const { base } = evaluation.comparison;
  return {
    split: evaluation.kind,
    ease: evaluation.ease,
    users: evaluation.users,
    base: { ...base.test.metrics, validationNdcg: base.validation.metrics.ndcg, validationSerendipityHitCount: base.validation.metrics.serendipityHitCount },
    floorsMet: floorsMet(evaluation.comparison.selected),
  };
}

/**
 * The offline evaluation of docs/evaluation.md on a MovieLens CSV folder, on the standard and the
 * shifted split ({@link SPLIT_KINDS}); each split runs the whole protocol of {@link evaluateSplit}
 * (nested windows, EASE λ on validation, item representation and parameters chosen on validation
 * with a bootstrap margin and moving grids, reported on test).
 *
 * @throws {@link RerankError} `INVALID_ARGUMENT` for a missing or malformed data folder, or an item
 *   space above `maxItems`.
 */
export async function runEvaluation(options: EvaluationOptions): Promise<EvaluationResult> {
  const k = options.k ?? DEFAULT_K;
  const seed = options.seed ?? DEFAULT_SEED;
  const lambdas = options.lambdas ?? EASE_LAMBDAS;
  const families = options.families ?? STRATEGY_FAMILIES;
  const floors = options.floors ?? NDCG_FLOORS;
  const samples = options.bootstrapSamples ?? BOOTSTRAP_SAMPLES;
  const widening = options.predictionWidening ?? PREDICTION_WIDENING;
  const kinds = options.splits ?? SPLIT_KINDS;
  const log = options.log ?? (() => {});
  const timings: Record<string, number> = {};
  let clock = performance.now();
  const stage = (name: string, detail: string): void => {
    const now = performance.now();
    const seconds = (now - clock) / 1000;
    timings[name] = (timings[name] ?? 0) + seconds;
    clock = now;
    log(`[${seconds.toFixed(2).padStart(6)} s] ${name}: ${detail}`);
  };

  const data: MovieLensData = options.data ?? (await loadMovieLens(options.dataDir));
  stage('load', `${data.numRatings} ratings, ${data.timelines.length} users, ${data.items.length} items`);

  // Only a run of several splits shares windows (and so keeps every window's EASE candidates).
  const shared = kinds.length > 1 ? new SharedWindows() : undefined;
  const evaluations = kinds.map((kind) =>
    evaluateSplit(data, {
      kind,
      dataDir: options.dataDir,
      k,
      seed,
      lambdas,
      families,
      floors,
      bootstrapSamples: samples,
      predictionWidening: widening,
      ...(options.dim === undefined ? {} : { dim: options.dim }),
      maxItems: options.maxItems ?? MAX_DENSE_ITEMS,
      stage,
      announce: log,
      ...(options.progress === undefined ? {} : { progress: options.progress }),
      ...(shared === undefined ? {} : { shared }),
    }),
  );
  const first = evaluations[0];
  if (first === undefined) throw new RangeError('runEvaluation: no split to evaluate.');
  const summaries = evaluations.map(summary);
  const shifted = summaries.find((s) => s.split === 'shifted');
  const selected = evaluations.flatMap((e) => e.comparison.selected);
  const notes = fewUsersNotes(summaries);
  for (const note of notes) log(`note: ${note}`);

  return {
    dataset: options.dataDir,
    protocol: {
      positiveThreshold: POSITIVE_THRESHOLD,
      heldOutFraction: HELD_OUT_FRACTION,
      minTrainPositives: MIN_TRAIN_POSITIVES,
      minItemSupport: MIN_ITEM_SUPPORT,
      candidatesPerUser: CANDIDATES_PER_USER,
      primitive: `top-${PRIMITIVE_SIZE} train-popular items`,
      embeddingDim: first.dim,
      metricVectors: `itemVectors(method ${METRIC_VECTORS.method}, dim ${METRIC_VECTORS.dim}, seed ${METRIC_VECTORS.seed}) of each window's train positives: defines u, UH, ILD and unexpectedness for every strategy`,
      splits: kinds,
      windows: 'nested per-user temporal hold-outs: fit → validation → test (standard: levels 3, 2, 1; shifted: 4, 3, 2)',
      selection: `max validation Ge hits among points whose 95% prediction bound of test nDCG ratio, r − w·(r − lo) from the validation ratio r and the lower end lo of its paired-bootstrap 95% CI (w = predictionWidening), is ≥ floor; grids move past an edge and refine once; representation chosen with the parameter`,
      floorTolerance: FLOOR_TOLERANCE,
      bootstrapSamples: samples,
      predictionWidening: widening,
    },
    k,
    seed,
    ease: first.ease,
    users: { validation: first.users.validation, test: first.users.test },
    base: (summaries[0] as SplitSummary).base,
    ...(shifted === undefined || shifted === summaries[0] ? {} : { baseShifted: shifted.base }),
    splits: summaries,
    strategies: evaluations.flatMap((e) => e.comparison.strategies),
    selected,
    floorsMet: floorsMet(selected),
    notes,
    timings,
  };
}
