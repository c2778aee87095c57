import { ndcgAtK, RerankError } from '../index.js';
import { BOOTSTRAP_SAMPLES } from './bootstrap.js';
import { compareStrategies, type SelectedRow, type StrategyRow } from './compare.js';
import {
  baseCandidates,
  buildEvalContext,
  CANDIDATES_PER_USER,
  prepareSplitModel,
  PRIMITIVE_SIZE,
  splitVectors,
  type BaseCandidates,
} from './context.js';
import { MIN_ITEM_SUPPORT } from './ease.js';
import type { StrategyMetrics } from './evaluate.js';
import { loadMovieLens, type MovieLensData } from './movielens.js';
import { HELD_OUT_FRACTION, MIN_TRAIN_POSITIVES, POSITIVE_THRESHOLD, temporalSplit } from './split.js';
import { STRATEGY_FAMILIES, type StrategyFamily } from './strategies.js';
import { EMBEDDING_DIM } from './svd.js';

/** EASE λ values tried on validation. @defaultValue [30, 100, 300, 1000] */
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
  /** Item vector dimension. @defaultValue {@link EMBEDDING_DIM} */
  readonly dim?: number;
  /** Refuse item spaces larger than this (dense EASE). @defaultValue {@link MAX_DENSE_ITEMS} */
  readonly maxItems?: number;
  /** Progress sink, one line per call. @defaultValue no output */
  readonly log?: (line: string) => void;
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
  /** EASE λ selected on validation, and each λ's validation nDCG. */
  readonly ease: { readonly lambda: number; readonly validationNdcg: Readonly<Record<string, number>>; readonly items: number };
  /** Evaluated users per split. */
  readonly users: { readonly validation: number; readonly test: number };
  /** The base (EASE relevance order) on test. */
  readonly base: StrategyMetrics & { readonly validationNdcg: number; readonly validationSerendipityHitCount: number };
  /** Every grid point on test. */
  readonly strategies: readonly StrategyRow[];
  /** Per family and floor, the parameter selected on validation, reported on test. */
  readonly selected: readonly SelectedRow[];
  /** Seconds per stage. */
  readonly timings: Readonly<Record<string, number>>;
}

/** Validation nDCG@k of EASE's top k (relevance order of the candidates), over users with held-out positives. */
function baseNdcg(train: { heldOutPositives: readonly Int32Array[] }, base: BaseCandidates, items: Int32Array, ids: readonly string[], k: number): number {
  let total = 0;
  let users = 0;
  base.columns.forEach((columns, u) => {
    const heldOut = train.heldOutPositives[u] as Int32Array;
    if (heldOut.length === 0) return;
    const list = Array.from(columns.subarray(0, k), (c) => ids[items[c] as number] as string);
    total += ndcgAtK(list, Array.from(heldOut, (item) => ids[item] as string), k);
    users++;
  });
  return users === 0 ? 0 : total / users;
}

/**
 * The offline evaluation of docs/evaluation.md on a MovieLens CSV folder: temporal split and a
 * validation split carved from train; EASE with λ tuned on validation; SVD item vectors; top-200
 * candidates per user; every family of the registry over its grid, through `rerank()`, on both
 * splits; for each family and nDCG floor, the parameter with the most Ge serendipity hits among
 * those whose validation nDCG is at least `floor × base`, reported on test with paired bootstrap CIs.
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

  const data = options.data ?? (await loadMovieLens(options.dataDir));
  stage('load', `${data.numRatings} ratings, ${data.timelines.length} users, ${data.items.length} items`);

  const testSplit = temporalSplit(data.timelines);
  const validationSplit = temporalSplit(testSplit.train);
  stage('split', `${testSplit.train.length} users kept for test, ${validationSplit.train.length} for validation`);

  const validationModel = prepareSplitModel(validationSplit, data.items.length);
  const testModel = prepareSplitModel(testSplit, data.items.length);
  const maxItems = options.maxItems ?? MAX_DENSE_ITEMS;
  const items = Math.max(validationModel.space.items.length, testModel.space.items.length);
  if (items > maxItems) {
    throw new RerankError(
      'INVALID_ARGUMENT',
      `${options.dataDir} has ${items} items with ≥ ${MIN_ITEM_SUPPORT} train users; the demo's dense EASE handles at most ${maxItems}. Use a smaller MovieLens folder (e.g. ml-latest-small) or filter the ratings first.`,
      { field: 'dataDir', value: items },
    );
  }
  const validationNdcg: Record<string, number> = {};
  let best: { lambda: number; ndcg: number; base: BaseCandidates } | undefined;
  for (const lambda of lambdas) {
    const base = baseCandidates(validationModel, lambda);
    const ndcg = baseNdcg(validationSplit, base, validationModel.space.items, data.items, k);
    validationNdcg[String(lambda)] = ndcg;
    if (best === undefined || ndcg > best.ndcg) best = { lambda, ndcg, base };
  }
  if (best === undefined) throw new RangeError('runEvaluation: the EASE λ grid is empty.');
  const lambda = best.lambda;
  stage(
    'ease-lambda',
    `${validationModel.space.items.length} items; validation nDCG@${k} ${Object.entries(validationNdcg)
      .map(([l, v]) => `λ=${l}: ${v.toFixed(4)}`)
      .join(', ')} → λ=${lambda}`,
  );

  const testBase = baseCandidates(testModel, lambda);
  stage('ease-test', `EASE λ=${lambda} refit on the full train split, ${testModel.space.items.length} items, top-${CANDIDATES_PER_USER} candidates`);

  const validationVectors = splitVectors(validationModel, seed, options.dim);
  const testVectors = splitVectors(testModel, seed, options.dim);
  stage('svd', `d=${testVectors.dim} item vectors of the co-occurrence matrix (validation and test splits)`);

  const validation = buildEvalContext(data, validationModel, best.base, validationVectors, { split: 'validation', k });
  const test = buildEvalContext(data, testModel, testBase, testVectors, { split: 'test', k });
  stage('candidates', `${validation.users.length} validation users, ${test.users.length} test users, catalogue of ${test.catalog.size} items`);

  const comparison = compareStrategies(validation, test, {
    families,
    floors,
    seed,
    bootstrapSamples: samples,
    onProgress: (done, total, label) => options.progress?.(done, total, label),
    onBase: ({ test: { metrics: bm } }) =>
      stage('base', `nDCG@${k} ${bm.ndcg.toFixed(4)}, Ge hits@${k} ${bm.serendipityHits.toFixed(4)} (${bm.serendipityHitCount}), UH ${bm.unexpectedHitCount}`),
    onFamily: (family) => stage(`strategy:${family.family}`, `${family.params.length} values of ${family.paramName} on validation and test`),
  });
  const baseValidation = comparison.base.validation;
  const bm = comparison.base.test.metrics;
  const rows = comparison.strategies;
  const selected = comparison.selected;

  return {
    dataset: options.dataDir,
    protocol: {
      positiveThreshold: POSITIVE_THRESHOLD,
      heldOutFraction: HELD_OUT_FRACTION,
      minTrainPositives: MIN_TRAIN_POSITIVES,
      minItemSupport: MIN_ITEM_SUPPORT,
      candidatesPerUser: CANDIDATES_PER_USER,
      primitive: `top-${PRIMITIVE_SIZE} train-popular items`,
      embeddingDim: test.dim,
      selection: 'max validation Ge hits s.t. validation nDCG ≥ floor × base',
      bootstrapSamples: samples,
    },
    k,
    seed,
    ease: { lambda, validationNdcg, items: test.catalog.size },
    users: { validation: validation.users.length, test: test.users.length },
    base: { ...bm, validationNdcg: baseValidation.metrics.ndcg, validationSerendipityHitCount: baseValidation.metrics.serendipityHitCount },
    strategies: rows,
    selected,
    timings,
  };
}
