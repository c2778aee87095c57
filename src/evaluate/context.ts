import { createItemTable, type ItemTable } from '../index.js';
import { easeScores, easeWeights, itemSpace, type ItemSpace, userColumns } from './ease.js';
import type { MovieLensData } from './movielens.js';
import type { TemporalSplit } from './split.js';
import { maxDotUnrolled as maxDot } from '../_internals/dot.js';
import { itemVectors, type ItemVectorMethod } from '../index.js';

/** Candidates per user: the base model's top-N unseen items (docs/evaluation.md#protocol). @defaultValue 200 */
export const CANDIDATES_PER_USER = 200;
/** Size of the primitive recommender PM: the top-N train-popular items (Ge et al. 2010). @defaultValue 100 */
export const PRIMITIVE_SIZE = 100;

/** One evaluated user: the base model's candidates and what is known about them. */
export interface EvalUser {
  /** MovieLens `userId`. */
  readonly id: string;
  /** Candidate item ids (`movieId`), best base score first. */
  readonly candidateIds: readonly string[];
  /** Candidate relevance, min-max normalised to [0, 1] over the user's candidates. */
  readonly relevance: Float64Array;
  /** Ids of the train positives inside the item space, oldest first (the history passed to strategies). */
  readonly historyIds: readonly string[];
  /** Held-out positives (`movieId`s). */
  readonly relevant: ReadonlySet<string>;
  /** Unexpectedness `u = 1 − max_h cos(e_i, e_h)` of each candidate against the history, with the fixed metric vectors. */
  readonly unexpectedness: Float64Array;
  /** Median of `unexpectedness` over the candidates (the UH threshold). */
  readonly medianUnexpectedness: number;
}

/**
 * Everything a strategy family may use, for one split (validation or test). Built once per split by
 * {@link buildEvalContext}; the registry's `prepare` hooks receive it.
 */
export interface EvalContext {
  /** Which window this is: `fit` (labels for learned models), `validation` (selection) or `test` (report). */
  readonly split: 'fit' | 'validation' | 'test';
  /** The item representation the strategies see (`catalog` embeddings). */
  readonly representation: string;
  /** The loaded dataset (titles, genres, timelines). */
  readonly data: MovieLensData;
  /** The split's train interactions (all kept users, positives and all rated items). */
  readonly train: TemporalSplit;
  /** Items the base model and the vectors cover. */
  readonly space: ItemSpace;
  /** Item vectors of the space, row-major `space.items.length × dim` (not normalised). */
  readonly vectors: Float64Array;
  /** Vector dimension. */
  readonly dim: number;
  /** Unit-normalised `vectors`. */
  readonly unitVectors: Float64Array;
  /** Distinct train users of every dataset item. */
  readonly popularity: Float64Array;
  /** Number of users in the split's train data (for novelty). */
  readonly numUsers: number;
  /** The primitive recommender's items: the {@link PRIMITIVE_SIZE} most train-popular `movieId`s. */
  readonly primitive: ReadonlySet<string>;
  /** The item space packed once (embedding, genres as categories, popularity), passed as `rerank({ catalog })`. */
  readonly catalog: ItemTable;
  /**
   * The same items with the fixed metric vectors ({@link METRIC_VECTORS}): what `u`, UH, ILD and the
   * unexpectedness metric are measured with, whatever representation the strategies see.
   */
  readonly metricCatalog: ItemTable;
  /** Users with at least one held-out positive and a history inside the item space. */
  readonly users: readonly EvalUser[];
  /** EASE λ used for the candidates. */
  readonly lambda: number;
  /** List length. */
  readonly k: number;
}

/** What {@link prepareSplitModel} computes once per split and reuses for every λ. */
export interface SplitModel {
  /** The split. */
  readonly train: TemporalSplit;
  /** Its item space. */
  readonly space: ItemSpace;
  /** Train positives per kept user as columns of the space. */
  readonly columns: readonly Int32Array[];
}

/** Item space and per-user columns (the rows of the binary matrix X) of a split's train data. */
export function prepareSplitModel(train: TemporalSplit, numItems: number, minSupport?: number): SplitModel {
  const space = itemSpace(train.trainPositives, numItems, minSupport);
  return { train, space, columns: userColumns(train.trainPositives, space) };
}

/** Per-user base-model candidates from EASE weights. */
export interface BaseCandidates {
  /** EASE λ. */
  readonly lambda: number;
  /** Per kept user: candidate columns, best first. */
  readonly columns: readonly Int32Array[];
  /** Per kept user: raw EASE scores aligned with `columns`. */
  readonly scores: readonly Float64Array[];
}

/**
 * Fits EASE with `lambda` on the split and returns each user's top `count` items of the space that
 * the user has not rated in train (any rating, positive or not), best first, ties by lower column.
 */
export function baseCandidates(model: SplitModel, lambda: number, count: number = CANDIDATES_PER_USER): BaseCandidates {
  const n = model.space.items.length;
  const weights = easeWeights(model.columns, n, lambda);
  const scores = new Float64Array(n);
  const seen = new Uint8Array(n);
  const order = new Int32Array(n);
  const outColumns: Int32Array[] = [];
  const outScores: Float64Array[] = [];
  model.train.train.forEach((timeline, u) => {
    easeScores(weights, n, model.columns[u] as Int32Array, scores);
    seen.fill(0);
    for (const item of timeline.items) {
      const c = model.space.column[item] as number;
      if (c >= 0) seen[c] = 1;
    }
    let eligible = 0;
    for (let c = 0; c < n; c++) if (seen[c] === 0) order[eligible++] = c;
    const ranked = order.subarray(0, eligible).sort((a, b) => (scores[b] as number) - (scores[a] as number) || a - b);
    const top = Int32Array.from(ranked.subarray(0, Math.min(count, eligible)));
    outColumns.push(top);
    outScores.push(Float64Array.from(top, (c) => scores[c] as number));
  });
  return { lambda, columns: outColumns, scores: outScores };
}

/** Min-max normalisation to [0, 1]; a constant list maps to all ones. */
export function minMaxNormalise(values: Float64Array): Float64Array {
  let low = Infinity;
  let high = -Infinity;
  for (const v of values) {
    if (v < low) low = v;
    if (v > high) high = v;
  }
  const range = high - low;
  return Float64Array.from(values, (v) => (range > 0 ? (v - low) / range : 1));
}

/** The median of `values` (mean of the two middle values for an even count). */
export function median(values: ArrayLike<number>): number {
  const sorted = Float64Array.from(values).sort();
  const n = sorted.length;
  if (n === 0) return Number.NaN;
  const mid = n >> 1;
  return n % 2 === 1 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

function unitRows(vectors: Float64Array, rows: number, dim: number): Float64Array {
  const unit = new Float64Array(rows * dim);
  for (let r = 0; r < rows; r++) {
    let norm = 0;
    for (let j = 0; j < dim; j++) norm += (vectors[r * dim + j] as number) ** 2;
    const scale = norm > 0 ? 1 / Math.sqrt(norm) : 0;
    for (let j = 0; j < dim; j++) unit[r * dim + j] = (vectors[r * dim + j] as number) * scale;
  }
  return unit;
}

/** The `size` most popular dataset items (ties by lower item index), as ids. */
export function mostPopular(popularity: Float64Array, ids: readonly string[], size: number = PRIMITIVE_SIZE): Set<string> {
  const order = Array.from(popularity.keys()).sort((a, b) => (popularity[b] as number) - (popularity[a] as number) || a - b);
  return new Set(order.slice(0, size).map((i) => ids[i] as string));
}

/** Options of {@link buildEvalContext}. */
export interface EvalContextOptions {
  /** Which window. */
  readonly split: 'fit' | 'validation' | 'test';
  /** List length. */
  readonly k: number;
  /** Vectors that define `u` (UH, ILD, unexpectedness). @defaultValue the strategies' `itemVectors` */
  readonly metricVectors?: ItemVectors;
  /** Name of the strategies' representation. @defaultValue `'cosine'` */
  readonly representation?: string;
}

/** Item vectors of a split's item space, row-major `n × dim`. */
export interface ItemVectors {
  /** The vectors. */
  readonly vectors: Float64Array;
  /** Their dimension. */
  readonly dim: number;
}

/**
 * The fixed definition of the vectors behind `u = 1 − max_h cos(e_i, e_h)` (and so UH, ILD and the
 * unexpectedness metric): {@link itemVectors} of the split's train positives with the
 * cosine-normalised co-occurrence `D^-½·XᵀX·D^-½`, d = 64, seed 1. It never changes with `--seed`
 * or with the representation the strategies are given, so every strategy is measured by one ruler.
 */
export const METRIC_VECTORS = { method: 'cosine', dim: 64, seed: 1 } as const satisfies { method: ItemVectorMethod; dim: number; seed: number };

/** Item vectors of a split's train positives (the rows of X, see {@link itemVectors}). */
export function splitVectors(model: SplitModel, seed: number, dim?: number, method: ItemVectorMethod = 'cosine'): ItemVectors {
  const indptr = new Int32Array(model.columns.length + 1);
  model.columns.forEach((row, u) => (indptr[u + 1] = (indptr[u] as number) + row.length));
  const indices = new Int32Array(indptr[model.columns.length] as number);
  model.columns.forEach((row, u) => indices.set(row, indptr[u] as number));
  const { vectors, dim: d } = itemVectors({ numItems: model.space.items.length, indptr, indices }, { method, seed, ...(dim === undefined ? {} : { dim }) });
  return { vectors, dim: d };
}

/** The vectors of {@link METRIC_VECTORS} for a split. */
export function metricVectors(model: SplitModel): ItemVectors {
  return splitVectors(model, METRIC_VECTORS.seed, METRIC_VECTORS.dim, METRIC_VECTORS.method);
}

function packCatalog(data: MovieLensData, space: ItemSpace, itemVectors: ItemVectors): ItemTable {
  const { vectors, dim } = itemVectors;
  return createItemTable(
    Array.from(space.items, (item, c) => ({
      id: data.items[item] as string,
      embedding: vectors.subarray(c * dim, c * dim + dim),
      categories: data.genres[item] as readonly string[],
      popularity: space.userCounts[item] as number,
    })),
  );
}

/**
 * The same context with another item representation for the strategies (`catalog`, `vectors`):
 * users, candidates and the metric vectors are shared, so results stay comparable.
 */
export function withRepresentation(context: EvalContext, representation: string, itemVectors: ItemVectors): EvalContext {
  return {
    ...context,
    representation,
    vectors: itemVectors.vectors,
    dim: itemVectors.dim,
    unitVectors: unitRows(itemVectors.vectors, context.space.items.length, itemVectors.dim),
    catalog: packCatalog(context.data, context.space, itemVectors),
  };
}

/**
 * Assembles a split's {@link EvalContext}: the item catalogue (`createItemTable` with the vectors,
 * genres as categories and train popularity), the primitive recommender, and for every user with a
 * held-out positive the normalised candidates, the history and each candidate's unexpectedness.
 */
export function buildEvalContext(data: MovieLensData, model: SplitModel, base: BaseCandidates, itemVectors: ItemVectors, options: EvalContextOptions): EvalContext {
  const { space, train } = model;
  const n = space.items.length;
  const { vectors, dim } = itemVectors;
  const unitVectors = unitRows(vectors, n, dim);
  const ids = data.items;
  const catalog = packCatalog(data, space, itemVectors);
  const metric = options.metricVectors ?? itemVectors;
  const metricCatalog = options.metricVectors === undefined ? catalog : packCatalog(data, space, metric);
  const metricDim = metric.dim;
  const metricUnit = options.metricVectors === undefined ? unitVectors : unitRows(metric.vectors, n, metricDim);
  const users: EvalUser[] = [];
  train.train.forEach((timeline, u) => {
    const heldOut = train.heldOutPositives[u] as Int32Array;
    if (heldOut.length === 0) return;
    const history = model.columns[u] as Int32Array;
    if (history.length === 0) return;
    const historyOrder = [...new Set(Array.from(train.trainPositives[u] as Int32Array, (item) => space.column[item] as number))].filter((c) => c >= 0);
    const candidates = base.columns[u] as Int32Array;
    const historyVectors = new Float64Array(history.length * metricDim);
    history.forEach((h, j) => historyVectors.set(metricUnit.subarray(h * metricDim, h * metricDim + metricDim), j * metricDim));
    const surprise = Float64Array.from(candidates, (c) => 1 - maxDot(metricUnit, c * metricDim, historyVectors, history.length, metricDim));
    users.push({
      id: timeline.user,
      candidateIds: Array.from(candidates, (c) => ids[space.items[c] as number] as string),
      relevance: minMaxNormalise(base.scores[u] as Float64Array),
      historyIds: historyOrder.map((c) => ids[space.items[c] as number] as string),
      relevant: new Set(Array.from(heldOut, (item) => ids[item] as string)),
      unexpectedness: surprise,
      medianUnexpectedness: median(surprise),
    });
  });
  return {
    split: options.split,
    representation: options.representation ?? 'cosine',
    data,
    train,
    space,
    vectors,
    dim,
    unitVectors,
    popularity: space.userCounts,
    numUsers: train.train.length,
    primitive: mostPopular(space.userCounts, ids),
    catalog,
    metricCatalog,
    users,
    lambda: base.lambda,
    k: options.k,
  };
}
