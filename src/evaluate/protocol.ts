import { ndcgAtK, RerankError } from '../index.js';
import { compareStrategies, type Comparison, type CompareProgress } from './compare.js';
import {
  baseCandidates,
  buildEvalContext,
  CANDIDATES_PER_USER,
  type EvalContext,
  metricVectors,
  prepareSplitModel,
  splitVectors,
  type BaseCandidates,
  type ItemVectors,
  type SplitModel,
  withRepresentation,
} from './context.js';
import { MIN_ITEM_SUPPORT } from './ease.js';
import type { MovieLensData } from './movielens.js';
import type { TemporalSplit } from './split.js';
import { givenVectors } from './given-vectors.js';
import type { SharedWindows } from './shared-windows.js';
import { type ItemRepresentation, type StrategyFamily, withGivenRepresentation } from './strategies.js';
import { nestedWindows, type SplitKind } from './windows.js';

/** Times the EASE λ grid moves past the edge its validation choice lands on. @defaultValue 2 */
export const MAX_LAMBDA_EXTENSIONS = 2;

/**
 * The next EASE λ to try when the validation choice `best` sits on an edge of the `tried` grid, as
 * the strategies' grids move (docs/evaluation.md#protocol): past the largest value by the ratio of
 * the two largest, or below the smallest by the ratio of the two smallest (×10/3 either way for
 * the default grid 30, 100, 300, 1000), to three significant digits. Undefined when `best` is
 * inside the grid or the grid has a single value.
 */
export function lambdaBeyondEdge(tried: readonly number[], best: number): number | undefined {
  const sorted = [...new Set(tried)].sort((a, b) => a - b);
  if (sorted.length < 2) return undefined;
  const smallest = sorted[0] as number;
  const largest = sorted[sorted.length - 1] as number;
  if (best === largest) return Number(((largest * largest) / (sorted[sorted.length - 2] as number)).toPrecision(3));
  if (best === smallest) return Number(((smallest * smallest) / (sorted[1] as number)).toPrecision(3));
  return undefined;
}

/** Options of {@link evaluateSplit}. */
export interface SplitProtocolOptions {
  /** Which split. */
  readonly kind: SplitKind;
  /** Data label for error messages. */
  readonly dataDir: string;
  /** List length. */
  readonly k: number;
  /** Seed of the strategies' item vectors and of the bootstrap. */
  readonly seed: number;
  /** EASE λ grid (chosen on validation). */
  readonly lambdas: readonly number[];
  /** Strategy families. */
  readonly families: readonly StrategyFamily<unknown>[];
  /** nDCG floors. */
  readonly floors: readonly number[];
  /** Bootstrap resamples. */
  readonly bootstrapSamples: number;
  /** Widening of the validation interval into the selection margin. */
  readonly predictionWidening: number;
  /** Dimension of the strategies' item vectors. @defaultValue the `itemVectors` default (64) */
  readonly dim?: number;
  /** Refuse item spaces larger than this (dense EASE). */
  readonly maxItems: number;
  /** Stage timing hook: `stage(name, detail)` after each stage. */
  readonly stage: (name: string, detail: string) => void;
  /** Progress of the comparison. @defaultValue none */
  readonly progress?: CompareProgress;
  /**
   * Called with a line as each EASE fit starts, naming λ, the window and the size of the dense
   * solve: on thousands of items a fit takes minutes, and the stage line only comes at its end.
   * @defaultValue none
   */
  readonly announce?: (line: string) => void;
  /**
   * EASE candidates and item vectors shared with the run's other splits (windows they have in
   * common are computed once). @defaultValue none: nothing is shared
   */
  readonly shared?: SharedWindows;
}

/** How a split's EASE λ was chosen (`ease` of `demo.json` and of each split). */
export interface EaseChoice {
  /** The λ chosen on validation. */
  readonly lambda: number;
  /** Validation nDCG of every λ tried, keyed by λ. */
  readonly validationNdcg: Readonly<Record<string, number>>;
  /** λ values added past an edge of the grid, in the order tried ({@link lambdaBeyondEdge}); absent when the grid did not move. */
  readonly extended?: readonly number[];
  /** Items of the test window's item space. */
  readonly items: number;
}

/** What {@link evaluateSplit} returns for one split. */
export interface SplitEvaluation {
  /** The split. */
  readonly kind: SplitKind;
  /**
   * EASE λ chosen on validation, every λ's validation nDCG (the grid's and those it moved to), the
   * λ values added past an edge (only when it moved), and the items of the test window's space.
   */
  readonly ease: EaseChoice;
  /** Evaluated users per window. */
  readonly users: { readonly fit: number; readonly validation: number; readonly test: number };
  /** Dimension of the strategies' vectors. */
  readonly dim: number;
  /** The comparison (base, every grid point, the selected rows). */
  readonly comparison: Comparison;
}

/** Validation nDCG@k of EASE's top k (relevance order of the candidates), over users with held-out positives. */
function baseNdcg(train: TemporalSplit, base: BaseCandidates, items: Int32Array, ids: readonly string[], k: number): number {
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
 * The protocol of docs/evaluation.md on one split of a MovieLens-layout dataset: nested time
 * windows (fit → validation → test, {@link nestedWindows}); EASE with λ chosen on validation and
 * refitted on each window's train part; per window, the fixed metric vectors (`METRIC_VECTORS`)
 * and, lazily, each item representation the families ask for; then {@link compareStrategies} with
 * the fit window for label-learning families.
 *
 * @throws {@link RerankError} `INVALID_ARGUMENT` when an item space exceeds `maxItems`.
 */
export function evaluateSplit(data: MovieLensData, options: SplitProtocolOptions): SplitEvaluation {
  const { kind, k, seed, stage } = options;
  const once = <T>(model: SplitModel, what: string, compute: () => T): T => (options.shared === undefined ? compute() : options.shared.get(model, what, compute));
  const candidatesOf = (model: SplitModel, lambda: number, window: string): BaseCandidates =>
    once(model, `ease:${lambda}`, () => {
      const solved = Math.min(model.space.items.length, model.columns.length);
      options.announce?.(`${kind}: fitting EASE λ=${lambda} on the ${window} window's training part (${model.space.items.length} items, a dense ${solved} × ${solved} solve)`);
      return baseCandidates(model, lambda);
    });
  const windows = nestedWindows(data.timelines, kind);
  const models = {
    fit: prepareSplitModel(windows.fit, data.items.length),
    validation: prepareSplitModel(windows.validation, data.items.length),
    test: prepareSplitModel(windows.test, data.items.length),
  };
  stage(`${kind}:split`, `${windows.test.train.length} users kept for test, ${windows.validation.train.length} for validation, ${windows.fit.train.length} for fitting`);
  const items = Math.max(...Object.values(models).map((m) => m.space.items.length));
  if (items > options.maxItems) {
    throw new RerankError(
      'INVALID_ARGUMENT',
      `${options.dataDir} has ${items} items with ≥ ${MIN_ITEM_SUPPORT} train users; the demo's dense EASE handles at most ${options.maxItems}. Use a smaller MovieLens folder (e.g. ml-latest-small) or filter the ratings first.`,
      { field: 'dataDir', value: items },
    );
  }
  const validationNdcg: Record<string, number> = {};
  let best: { lambda: number; ndcg: number; base: BaseCandidates } | undefined;
  const tryLambda = (lambda: number): void => {
    const base = candidatesOf(models.validation, lambda, 'validation');
    const ndcg = baseNdcg(windows.validation, base, models.validation.space.items, data.items, k);
    validationNdcg[String(lambda)] = ndcg;
    if (best === undefined || ndcg > best.ndcg) best = { lambda, ndcg, base };
  };
  const tried = [...options.lambdas];
  tried.forEach(tryLambda);
  if (best === undefined) throw new RangeError('evaluateSplit: the EASE λ grid is empty.');
  // A choice on an edge means the grid was wrong for this data: move past it, as strategy grids do.
  const extended: number[] = [];
  for (let step = 0; step < MAX_LAMBDA_EXTENSIONS; step++) {
    const next = lambdaBeyondEdge(tried, best.lambda);
    if (next === undefined || !(next > 0) || tried.includes(next)) break;
    tried.push(next);
    extended.push(next);
    tryLambda(next);
  }
  const lambda = best.lambda;
  stage(
    `${kind}:ease-lambda`,
    `${models.validation.space.items.length} items; validation nDCG@${k} ${Object.entries(validationNdcg)
      .map(([l, v]) => `λ=${l}: ${v.toFixed(4)}`)
      .join(', ')} → λ=${lambda}${extended.length === 0 ? '' : ` (grid extended: ${extended.join(', ')})`}`,
  );
  const needsFit = options.families.some((family) => family.prepare !== undefined);
  const bases = {
    validation: best.base,
    test: candidatesOf(models.test, lambda, 'test'),
    fit: needsFit ? candidatesOf(models.fit, lambda, 'fit') : undefined,
  };
  stage(`${kind}:ease`, `EASE λ=${lambda} refitted on the test${needsFit ? ' and fit' : ''} windows, top-${CANDIDATES_PER_USER} candidates`);

  // Vectors: the fixed metric definition, plus the strategies' default representation (cosine).
  const cache = new Map<SplitModel, Map<ItemRepresentation, ItemVectors>>();
  const vectorsOf = (model: SplitModel, representation: ItemRepresentation): ItemVectors => {
    let byRepresentation = cache.get(model);
    if (byRepresentation === undefined) cache.set(model, (byRepresentation = new Map()));
    let vectors = byRepresentation.get(representation);
    if (vectors === undefined) {
      vectors =
        representation === 'given'
          ? givenVectors(model.space, data)
          : once(model, `vectors:${representation}:${seed}:${options.dim}`, () => splitVectors(model, seed, options.dim, representation));
      byRepresentation.set(representation, vectors);
    }
    return vectors;
  };
  const context = (window: 'fit' | 'validation' | 'test', base: BaseCandidates): EvalContext =>
    buildEvalContext(data, models[window], base, vectorsOf(models[window], 'cosine'), {
      split: window,
      k,
      metricVectors: once(models[window], 'vectors:metric', () => metricVectors(models[window])),
      representation: 'cosine',
    });
  const validation = context('validation', bases.validation);
  const test = context('test', bases.test);
  const fit = bases.fit === undefined ? undefined : context('fit', bases.fit);
  stage(
    `${kind}:vectors`,
    `d=${test.dim} item vectors (metric: cosine, fixed; strategies: cosine, seed ${seed}${data.embeddings === undefined ? '' : '; given embeddings offered'}), ${validation.users.length} validation users, ${test.users.length} test users`,
  );

  const modelOf = new Map<EvalContext, SplitModel>([
    [validation, models.validation],
    [test, models.test],
    ...(fit === undefined ? [] : ([[fit, models.fit]] as [EvalContext, SplitModel][])),
  ]);
  const variants = new Map<EvalContext, Map<ItemRepresentation, EvalContext>>();
  const represent = (window: EvalContext, representation: ItemRepresentation): EvalContext => {
    if (representation === window.representation) return window;
    let byRepresentation = variants.get(window);
    if (byRepresentation === undefined) variants.set(window, (byRepresentation = new Map()));
    let variant = byRepresentation.get(representation);
    if (variant === undefined) {
      variant = withRepresentation(window, representation, vectorsOf(modelOf.get(window) as SplitModel, representation));
      byRepresentation.set(representation, variant);
    }
    return variant;
  };

  // Embeddings that came with the data are one more representation, chosen on validation like the others.
  const families = data.embeddings === undefined ? options.families : options.families.map(withGivenRepresentation);
  const comparison = compareStrategies(validation, test, {
    families,
    floors: options.floors,
    seed,
    bootstrapSamples: options.bootstrapSamples,
    predictionWidening: options.predictionWidening,
    split: kind,
    ...(fit === undefined ? {} : { fit }),
    represent,
    ...(options.progress === undefined ? {} : { onProgress: options.progress }),
    onBase: ({ test: { metrics: bm } }) =>
      stage(`${kind}:base`, `nDCG@${k} ${bm.ndcg.toFixed(4)}, Ge hits ${bm.serendipityHitCount}, UH ${bm.unexpectedHitCount}`),
    onFamily: (family) => stage(`${kind}:strategy:${family.family}`, `${family.paramName} on validation and test`),
  });
  return {
    kind,
    ease: { lambda, validationNdcg, ...(extended.length === 0 ? {} : { extended }), items: test.catalog.size },
    users: { fit: fit?.users.length ?? 0, validation: validation.users.length, test: test.users.length },
    dim: test.dim,
    comparison,
  };
}
