import { describeValue } from '../../errors/describe-value.js';
import { RerankError } from '../../errors/rerank-error.js';
import type { PackedRequest, Requirements } from '../../types.js';
import { categoryNoveltyFeature, CATEGORY_NOVELTY_REQUIRES, DEFAULT_RARE_SHARE } from '../pre/category-novelty.js';
import { ELASTICITY_REQUIRES, haesElasticity } from '../pre/haes.js';
import { type Normalisation, normaliseScores } from '../pre/normalise.js';
import { candidatePopularity } from '../pre/packed-fields.js';
import { POPULARITY_NOVELTY_REQUIRES, popularityNoveltyFeature } from '../pre/popularity-novelty.js';
import { DEFAULT_PURS_BANDWIDTH, DEFAULT_PURS_RECENT, PURS_REQUIRES, pursFeature } from '../pre/purs.js';
import { UNEXPECTEDNESS_REQUIRES, unexpectednessFeature } from '../pre/unexpectedness.js';
import { mergeRequirements } from './requirements.js';

/**
 * Per-candidate inputs a learned serendipity model can use, all computed by the pre-processing
 * features of `strategies/pre`:
 * - `unexpectedness`: `1 − max_h cos` ({@link unexpectednessFeature}, `'min'`);
 * - `unexpectednessMean`: `1 − mean_h cos` (`'mean'`);
 * - `unexpectednessRecent`: `1 − max cos` to the last `spec.recent` history items only (recent taste);
 * - `purs`: PURS activation `d·e^(−d)`; `pursDistance`: the distance `d` itself ({@link pursFeature});
 * - `popularityNovelty`: `−log2(popularity/numUsers)` ({@link popularityNoveltyFeature});
 * - `categoryNovelty`: share of absent or rare categories ({@link categoryNoveltyFeature});
 * - `elasticity`: the user's normalised category entropy ({@link haesElasticity}), constant per request;
 * - `historyLength`: `log2(1 + |H|)`, constant per request;
 * - `relevanceRank`: mid-rank of the relevance among the request's candidates, in [0, 1] (1 = top);
 * - `relevanceDiscount`: the DCG discount `1/log2(2 + p)` of the candidate's 0-based position p
 *   in relevance order (mid-position for ties), so a model can follow how nDCG weighs positions;
 * - `unexpectednessRank`: mid-rank of `unexpectedness` among the candidates, in [0, 1];
 * - `unexpectedAboveMedian`: 1 when `unexpectedness` is above the candidates' median, else 0 (the
 *   "unexpected" side of the unexpected-hits definition, docs/formulas.md#unexpected-hits);
 * - `popular`: 1 when the candidate's popularity is at least `spec.popularAbove` (e.g. the
 *   popularity of the host's 100th most popular item, the primitive list of Ge et al., RecSys 2010).
 *
 * A product of two base features is written `'a*b'` (e.g. `'popularityNovelty*elasticity'`), so a
 * linear model can let user-level features change how much a candidate-level feature counts.
 */
export type BaseFeatureName =
  | 'unexpectedness'
  | 'unexpectednessMean'
  | 'unexpectednessRecent'
  | 'purs'
  | 'pursDistance'
  | 'popularityNovelty'
  | 'categoryNovelty'
  | 'elasticity'
  | 'historyLength'
  | 'relevanceRank'
  | 'relevanceDiscount'
  | 'unexpectednessRank'
  | 'unexpectedAboveMedian'
  | 'popular';

/** A {@link BaseFeatureName} or a product `'a*b'` of two of them. */
export type FeatureName = BaseFeatureName | `${BaseFeatureName}*${BaseFeatureName}`;

/** Every base feature name. */
export const BASE_FEATURE_NAMES: readonly BaseFeatureName[] = [
  'unexpectedness',
  'unexpectednessMean',
  'unexpectednessRecent',
  'purs',
  'pursDistance',
  'popularityNovelty',
  'categoryNovelty',
  'elasticity',
  'historyLength',
  'relevanceRank',
  'relevanceDiscount',
  'unexpectednessRank',
  'unexpectedAboveMedian',
  'popular',
];

const BASE_REQUIRES: Readonly<Record<BaseFeatureName, Requirements>> = {
  unexpectedness: UNEXPECTEDNESS_REQUIRES,
  unexpectednessMean: UNEXPECTEDNESS_REQUIRES,
  unexpectednessRecent: UNEXPECTEDNESS_REQUIRES,
  purs: PURS_REQUIRES,
  pursDistance: PURS_REQUIRES,
  popularityNovelty: POPULARITY_NOVELTY_REQUIRES,
  categoryNovelty: CATEGORY_NOVELTY_REQUIRES,
  elasticity: ELASTICITY_REQUIRES,
  historyLength: {},
  relevanceRank: {},
  relevanceDiscount: {},
  unexpectednessRank: UNEXPECTEDNESS_REQUIRES,
  unexpectedAboveMedian: UNEXPECTEDNESS_REQUIRES,
  popular: POPULARITY_NOVELTY_REQUIRES,
};

/**
 * How the features are computed. Part of a trained model, so serving computes exactly what training saw.
 * Every field is plain JSON.
 */
export interface FeatureSpec {
  /** Feature names in model order (relevance always comes first and is not listed). */
  readonly features: readonly FeatureName[];
  /** Per-request normalisation of the relevance input. */
  readonly relevance: Normalisation;
  /** PURS mean-shift bandwidth. */
  readonly bandwidth: number;
  /** PURS: number of recent history items clustered. */
  readonly recent: number;
  /** Popularity novelty denominator; `null` = the largest popularity in the request. */
  readonly numUsers: number | null;
  /** Category novelty threshold. */
  readonly rareShare: number;
  /** Elasticity normaliser K; `null` = the request's vocabulary size. */
  readonly numCategories: number | null;
  /** Popularity at or above which the `popular` feature is 1; `null` when `popular` is not used. */
  readonly popularAbove: number | null;
}

/** Options for building a {@link FeatureSpec}; every field but `features` has a default. */
export interface FeatureSpecOptions {
  /** Feature names in model order. */
  readonly features: readonly FeatureName[];
  /**
   * Per-request normalisation of the relevance input.
   * @defaultValue `'minmax'`
   */
  readonly relevance?: Normalisation;
  /**
   * PURS mean-shift bandwidth (see {@link pursFeature}).
   * @defaultValue {@link DEFAULT_PURS_BANDWIDTH} (1)
   */
  readonly bandwidth?: number;
  /**
   * Recent history items used by PURS and `unexpectednessRecent`.
   * @defaultValue {@link DEFAULT_PURS_RECENT} (20)
   */
  readonly recent?: number;
  /**
   * Number of users for popularity novelty (see {@link popularityNoveltyFeature}).
   * @defaultValue `null` (the largest popularity in the request)
   */
  readonly numUsers?: number | null;
  /**
   * Rare-category threshold of category novelty (see {@link categoryNoveltyFeature}).
   * @defaultValue {@link DEFAULT_RARE_SHARE} (0.05)
   */
  readonly rareShare?: number;
  /**
   * Number of categories K for elasticity (see {@link haesElasticity}).
   * @defaultValue `null` (the request's vocabulary size)
   */
  readonly numCategories?: number | null;
  /** Required (a positive number) when `features` uses `popular`. @defaultValue `null` */
  readonly popularAbove?: number | null;
}

function invalid(message: string, field: string, value?: unknown): RerankError {
  return new RerankError('INVALID_OPTION', message, { field, value });
}

/** Splits and checks a feature name, returning its base features. */
export function parseFeatureName(name: unknown, field: string): readonly BaseFeatureName[] {
  const parts = typeof name === 'string' ? name.split('*') : [];
  if (parts.length === 0 || parts.length > 2 || !parts.every((part) => BASE_FEATURE_NAMES.includes(part as BaseFeatureName))) {
    throw invalid(
      `${field} must be one of ${BASE_FEATURE_NAMES.join(', ')}, or a product 'a*b' of two of them; got ${describeValue(name)}.`,
      field,
      name,
    );
  }
  return parts as BaseFeatureName[];
}

/**
 * Validates feature options and fills in the defaults; a resolved spec is returned unchanged in value.
 *
 * @param owner - Name used in error messages (e.g. `fit`).
 * @throws {@link RerankError} `INVALID_OPTION` naming the field.
 */
export function resolveFeatureSpec(options: FeatureSpecOptions, owner: string): FeatureSpec {
  if (options === null || typeof options !== 'object') throw invalid(`${owner}: expected feature options { features, ... }.`, 'options');
  if (!Array.isArray(options.features)) throw invalid(`${owner}: features must be an array of feature names.`, 'options.features');
  options.features.forEach((name, j) => parseFeatureName(name, `options.features[${j}]`));
  if (new Set(options.features).size !== options.features.length) {
    throw invalid(`${owner}: features must not repeat a name.`, 'options.features', options.features);
  }
  const positive = (name: string, value: unknown, fallback: number, integer = false): number => {
    if (value === undefined) return fallback;
    if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0 || (integer && !Number.isInteger(value))) {
      throw invalid(`${owner}: option "${name}" must be a positive ${integer ? 'integer' : 'number'}, got ${describeValue(value)}.`, `options.${name}`, value);
    }
    return value;
  };
  const nullable = (name: string, value: unknown, integer: boolean): number | null =>
    value === undefined || value === null ? null : positive(name, value, 1, integer);
  const relevance = options.relevance ?? 'minmax';
  if (relevance !== 'minmax' && relevance !== 'rank') {
    throw invalid(`${owner}: option "relevance" must be 'minmax' or 'rank', got ${describeValue(relevance)}.`, 'options.relevance', relevance);
  }
  const rareShare = options.rareShare ?? DEFAULT_RARE_SHARE;
  if (typeof rareShare !== 'number' || !(rareShare >= 0 && rareShare < 1)) {
    throw invalid(`${owner}: option "rareShare" must be in [0, 1), got ${describeValue(rareShare)}.`, 'options.rareShare', rareShare);
  }
  const popularAbove = nullable('popularAbove', options.popularAbove, false);
  if (popularAbove === null && options.features.some((name) => parseFeatureName(name, 'features').includes('popular'))) {
    throw invalid(`${owner}: the feature 'popular' needs option "popularAbove" (a popularity threshold).`, 'options.popularAbove');
  }
  return {
    features: [...options.features],
    relevance,
    bandwidth: positive('bandwidth', options.bandwidth, DEFAULT_PURS_BANDWIDTH),
    recent: positive('recent', options.recent, DEFAULT_PURS_RECENT, true),
    numUsers: nullable('numUsers', options.numUsers, false),
    rareShare,
    numCategories: nullable('numCategories', options.numCategories, true),
    popularAbove,
  };
}

/** Fields the features of `spec` read. */
export function featureRequirements(spec: FeatureSpec): Requirements {
  return mergeRequirements(spec.features.flatMap((name) => parseFeatureName(name, 'features').map((base) => BASE_REQUIRES[base])));
}

function baseColumn(
  request: PackedRequest,
  name: BaseFeatureName,
  spec: FeatureSpec,
  column: (name: BaseFeatureName) => Float64Array,
): Float64Array {
  const n = request.candidates.n;
  const purs = { bandwidth: spec.bandwidth, recent: spec.recent };
  switch (name) {
    case 'unexpectedness':
      return unexpectednessFeature(request, { variant: 'min' });
    case 'unexpectednessMean':
      return unexpectednessFeature(request, { variant: 'mean' });
    case 'unexpectednessRecent':
      return unexpectednessFeature(recentHistory(request, spec.recent), { variant: 'min' });
    case 'purs':
      return pursFeature(request, { ...purs, output: 'activation' });
    case 'pursDistance':
      return pursFeature(request, { ...purs, output: 'distance' });
    case 'popularityNovelty':
      return popularityNoveltyFeature(request, spec.numUsers === null ? {} : { numUsers: spec.numUsers });
    case 'categoryNovelty':
      return categoryNoveltyFeature(request, { rareShare: spec.rareShare });
    case 'elasticity':
      return new Float64Array(n).fill(haesElasticity(request, spec.numCategories === null ? {} : { numCategories: spec.numCategories }));
    case 'historyLength':
      return new Float64Array(n).fill(Math.log2(1 + request.history.n));
    case 'relevanceRank':
      return normaliseScores(request.candidates.relevance, 'rank');
    case 'relevanceDiscount': {
      const rank = normaliseScores(request.candidates.relevance, 'rank');
      for (let i = 0; i < n; i++) rank[i] = 1 / Math.log2(2 + (1 - (rank[i] as number)) * (n - 1));
      return rank;
    }
    case 'unexpectednessRank':
      return normaliseScores(column('unexpectedness'), 'rank');
    case 'unexpectedAboveMedian': {
      const u = column('unexpectedness');
      const middle = median(u);
      return Float64Array.from(u, (x) => (x > middle ? 1 : 0));
    }
    case 'popular': {
      const popularity = candidatePopularity(request, 'popular');
      const threshold = spec.popularAbove as number;
      return Float64Array.from(popularity, (count) => (count >= threshold ? 1 : 0));
    }
  }
}

/** The same request with only the last `recent` history items (history is oldest first). */
function recentHistory(request: PackedRequest, recent: number): PackedRequest {
  const { history, dim } = request;
  if (history.n <= recent) return request;
  const from = history.n - recent;
  return {
    ...request,
    history: {
      n: recent,
      ids: history.ids.slice(from),
      embeddings: history.embeddings?.subarray(from * dim),
      categories: undefined,
    },
  };
}

/** Median of `values` (mean of the two middle values for an even count; 0 for none). */
function median(values: Float64Array): number {
  if (values.length === 0) return 0;
  const sorted = Float64Array.from(values).sort();
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

/** Features that read the relevance, which changes between pipeline stages: never memoised. */
const RELEVANCE_FEATURES: ReadonlySet<BaseFeatureName> = new Set(['relevanceRank', 'relevanceDiscount']);

interface Memo {
  readonly historyIds: readonly string[];
  readonly columns: Map<string, Float64Array>;
}

/**
 * Columns already computed for this request's candidates and history. A pipeline hands every stage
 * the same packed arrays with only the relevance replaced (packed arrays are never mutated), so
 * keying on the candidate ids array and checking the history ids array lets several learned stages
 * share one computation, and a copy of the request that keeps both arrays but drops its embeddings
 * still finds the columns computed from them. Weakly held: it goes away with the ids array.
 */
const memos = new WeakMap<readonly string[], Memo>();

function memoFor(request: PackedRequest): Map<string, Float64Array> {
  const memo = memos.get(request.candidates.ids);
  if (memo !== undefined && memo.historyIds === request.history.ids) return memo.columns;
  const columns = new Map<string, Float64Array>();
  memos.set(request.candidates.ids, { historyIds: request.history.ids, columns });
  return columns;
}

/** The spec settings each memoised column depends on (see `baseColumn`), so its memo key names only those. */
const COLUMN_SETTINGS: Readonly<Record<BaseFeatureName, readonly (keyof FeatureSpec)[]>> = {
  unexpectedness: [],
  unexpectednessMean: [],
  unexpectednessRecent: ['recent'],
  purs: ['bandwidth', 'recent'],
  pursDistance: ['bandwidth', 'recent'],
  popularityNovelty: ['numUsers'],
  categoryNovelty: ['rareShare'],
  elasticity: ['numCategories'],
  historyLength: [],
  relevanceRank: [],
  relevanceDiscount: [],
  unexpectednessRank: [],
  unexpectedAboveMedian: [],
  popular: ['popularAbove'],
};

function memoKey(name: BaseFeatureName, spec: FeatureSpec): string {
  return [name, ...COLUMN_SETTINGS[name].map((setting) => String(spec[setting]))].join('|');
}

/**
 * The model inputs of every candidate: row-major `n × (1 + features.length)`, column 0 the
 * relevance normalised per request with `spec.relevance`, then the features in `spec` order.
 * Each base feature is computed once per request (PURS clusters once), whatever the products, and
 * relevance-independent ones are shared by the stages of a `pipeline()` over the same request.
 * The returned matrix is fresh; cached columns are never handed out.
 *
 * @param request - Packed with {@link featureRequirements}(spec).
 * @throws {@link RerankError} when a needed field was not packed.
 */
export function featureMatrix(request: PackedRequest, spec: FeatureSpec): Float64Array {
  const n = request.candidates.n;
  const width = 1 + spec.features.length;
  const cache = memoFor(request);
  const column = (name: BaseFeatureName): Float64Array => {
    const key = RELEVANCE_FEATURES.has(name) ? undefined : memoKey(name, spec);
    let values = key === undefined ? undefined : cache.get(key);
    if (values === undefined) {
      values = baseColumn(request, name, spec, column);
      if (key !== undefined) cache.set(key, values);
    }
    return values;
  };
  const matrix = new Float64Array(n * width);
  const relevance = normaliseScores(request.candidates.relevance, spec.relevance);
  for (let i = 0; i < n; i++) matrix[i * width] = relevance[i] as number;
  spec.features.forEach((name, f) => {
    const [a, b] = parseFeatureName(name, 'features') as [BaseFeatureName, BaseFeatureName | undefined];
    const left = column(a);
    const right = b === undefined ? undefined : column(b);
    for (let i = 0; i < n; i++) matrix[i * width + 1 + f] = (left[i] as number) * (right === undefined ? 1 : (right[i] as number));
  });
  return matrix;
}
