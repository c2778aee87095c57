import {
  deriveSerendipityLabels,
  featureMatrix,
  featureRequirements,
  learned,
  loadSerendipityModel,
  packRequest,
  predictSerendipity,
  relevance,
  resolveFeatureSpec,
  trainingSamples,
  type FeatureSpec,
  type FeatureSpecOptions,
  type Normalisation,
  type PackedRequest,
  pipeline,
  type Reranker,
  type ScoringReranker,
  type SerendipityModel,
  type TrainingSample,
} from '../index.js';
import { fitSerendipityModel } from '../train/index.js';
import { mergeRequirements } from '../strategies/in/requirements.js';
import { featureBlend, resolveBlendOptions } from '../strategies/pre/blend.js';
import { baseCandidates, buildEvalContext, type EvalContext, type EvalUser, metricVectors, prepareSplitModel } from './context.js';
import { temporalSplit, type TemporalSplit } from './split.js';

/**
 * The learned family of the offline evaluation: `pipeline(learned(relevance model, weight 1),
 * learned(serendipity model, weight))`, trained on earlier windows only.
 * - Labels come from the held-out positives of the {@link LEARNED_LABEL_WINDOWS} windows BEFORE the
 *   one the models serve (`deriveSerendipityLabels`; nested windows, see {@link prepareLearned}).
 *   Stage 1 learns any positive (a better relevance model than the base, which buys nDCG to
 *   trade); stage 2, fitted on stage 1's scores as its relevance (as the pipeline runs it), learns
 *   the `either` rule: a positive outside PM (Ge et al., RecSys 2010) or above the user's median
 *   candidate unexpectedness, with the rarer unexpected positives weighted {@link LEARNED_UH_WEIGHT}.
 * - Validation is served by models fitted on the window before validation, test by models fitted
 *   on the validation window (each with the windows before it when
 *   {@link LEARNED_LABEL_WINDOWS} > 1); test positives are never read.
 */

/** Features of the evaluated model (see `FeatureName`). */
export const LEARNED_FEATURES: FeatureSpecOptions['features'] = [
  'unexpectedness',
  'unexpectednessMean',
  'pursDistance',
  'popularityNovelty',
  'categoryNovelty',
  'elasticity',
  'historyLength',
  'popularityNovelty*elasticity',
  'popularityNovelty*historyLength',
  'relevanceRank',
  'relevanceDiscount',
  'unexpectednessRank',
  'unexpectedAboveMedian',
  'popular',
  // Squares and one product let the linear models bend (they raised validation Ge at equal nDCG).
  'relevanceRank*relevanceRank',
  'popularityNovelty*popularityNovelty',
  'unexpectedness*unexpectedness',
  'pursDistance*pursDistance',
  'popularityNovelty*relevanceRank',
  'unexpectednessRecent',
  'unexpectednessRecent*unexpectednessRecent',
];

/** Smallest popularity among the primitive list PM (its most popular items): the `popular` threshold. */
export function primitiveThreshold(context: EvalContext): number {
  let threshold = Infinity;
  for (const id of context.primitive) {
    const row = context.catalog.indexOf(id);
    if (row >= 0) threshold = Math.min(threshold, context.catalog.popularity?.[row] ?? Infinity);
  }
  return Number.isFinite(threshold) ? threshold : 1;
}

/** Grid of the relevance ↔ predicted-serendipity knob `weight`. */
export const LEARNED_WEIGHTS: readonly number[] = [0.1, 0.15, 0.2, 0.25, 0.3, 0.35, 0.4];

/** Recent history items for PURS and `unexpectednessRecent`. */
export const LEARNED_RECENT = 20;

/** L2 penalty of the serendipity model (stage 2). */
export const LEARNED_L2 = 1e-3;

/** L2 penalty of the relevance model (stage 1). */
export const LEARNED_RELEVANCE_L2 = 1e-2;

/**
 * Features of the relevance model (stage 1): relevance position, popularity and distance to the
 * history only. With every feature (the serendipity model's list) stage 1 fitted its label window
 * closely and cost validation nDCG on the next window; this short list kept more of it (chosen on
 * validation and on the `development` split, see CHANGELOG).
 */
export const LEARNED_RELEVANCE_FEATURES: FeatureSpecOptions['features'] = [
  'relevanceRank',
  'relevanceDiscount',
  'popularityNovelty',
  'unexpectedness',
  'historyLength',
  'popularityNovelty*historyLength',
];

/** Per-request normalisation of the final blend. */
export const LEARNED_NORMALISE: Normalisation = 'minmax';

/**
 * Which held-out positives count as serendipitous in training: `ge` = not in PM; `uh` = above the
 * user's median candidate unexpectedness; `both` = both; `either` = at least one of the two;
 * `positive` = any held-out positive.
 */
export type LabelRule = 'ge' | 'uh' | 'both' | 'either' | 'positive';

/** The label rule of the evaluated model. */
export const LEARNED_LABEL: LabelRule = 'either';

/** Importance weight of positives that are also unexpected (the rarer kind of hit). */
export const LEARNED_UH_WEIGHT: number = 1.5;

/** Importance weight of unexpected positives in the relevance model's labels. */
export const LEARNED_RELEVANCE_UH_WEIGHT: number = 1.5;

/**
 * Windows of held-out labels each model learns from: the window before the one it serves, and
 * (above 1) the ones before that. Two windows measured no better than one on validation and on the
 * `development` split, at the cost of an extra EASE fit and item vectors per split, so one it is.
 */
export const LEARNED_LABEL_WINDOWS = 1;

/** How the learned family is trained; every field defaults to the constant of the same name. */
export interface LearnedSetup {
  /** Features of both models. @defaultValue {@link LEARNED_FEATURES} */
  readonly features?: FeatureSpecOptions['features'];
  /** Features of the relevance model (stage 1). @defaultValue {@link LEARNED_RELEVANCE_FEATURES} */
  readonly relevanceFeatures?: FeatureSpecOptions['features'];
  /** Label rule of the serendipity model. @defaultValue {@link LEARNED_LABEL} */
  readonly label?: LabelRule;
  /** Importance weight of unexpected positives in the serendipity model's labels. @defaultValue {@link LEARNED_UH_WEIGHT} */
  readonly uhWeight?: number;
  /** Importance weight of unexpected positives in the relevance model's labels. @defaultValue {@link LEARNED_RELEVANCE_UH_WEIGHT} */
  readonly relevanceUhWeight?: number;
  /** Windows of labels. @defaultValue {@link LEARNED_LABEL_WINDOWS} */
  readonly labelWindows?: number;
  /**
   * Whether a relevance model (stage 1) replaces the base relevance. Without it the serendipity
   * model learns on, and blends into, the base relevance: `learned({ model, weight })` alone, whose
   * weight 0 is the base ranking. @defaultValue true
   */
  readonly relevanceModel?: boolean;
  /** L2 of stage 2. @defaultValue {@link LEARNED_L2} */
  readonly l2?: number;
  /** L2 of stage 1. @defaultValue {@link LEARNED_RELEVANCE_L2} */
  readonly relevanceL2?: number;
}

/** One user's request in the shape the evaluation sends to `rerank()`. */
function userRequest(context: EvalContext, user: EvalUser, strategy: Reranker) {
  return {
    candidates: user.candidateIds.map((id, i) => ({ id, relevance: user.relevance[i] as number })),
    user: { id: user.id, history: user.historyIds.map((id) => ({ id })) },
    k: context.k,
    strategy,
    catalog: context.catalog,
  };
}

/**
 * Packed requests per window, feature lists and user id, without their embeddings: a window's
 * features are computed once, when the request is packed, and then found in the feature memo
 * (keyed on the packed id arrays, which the kept copy shares). The two models of a family, and both
 * learned families, share one per user. Keeping the embeddings (n × d candidates plus the
 * history) would cost about 0.2 MB per user and window at d = 64.
 */
const packedRequests = new WeakMap<EvalContext, Map<string, PackedRequest>>();

/**
 * A user's request packed with what `specs` need, once per window and feature lists: every
 * relevance-independent feature of every spec is computed from the embeddings on packing, and the
 * copy kept and returned has none (`featureMatrix` with any of `specs`, or with the same lists and
 * the window's settings, reads the memo). Every spec must use the window's settings ({@link windowSpec}).
 */
export function packUser(context: EvalContext, user: EvalUser, specs: readonly FeatureSpec[]): PackedRequest {
  let byUser = packedRequests.get(context);
  if (byUser === undefined) packedRequests.set(context, (byUser = new Map()));
  const key = `${specs.map((spec) => spec.features.join(',')).join(';')}\u0000${user.id}`;
  let slim = byUser.get(key);
  if (slim === undefined) {
    const packed = packRequest(userRequest(context, user, relevance()), mergeRequirements(specs.map(featureRequirements)));
    for (const spec of specs) featureMatrix(packed, spec);
    slim = {
      ...packed,
      candidates: { ...packed.candidates, embeddings: undefined },
      history: { ...packed.history, embeddings: undefined },
    };
    byUser.set(key, slim);
  }
  return slim;
}

/**
 * Training samples of `users` with labels from their held-out positives (a fit or validation window,
 * never test). `packedFor` (including `spec`) are the feature specs the window's packed requests are
 * prepared for, shared with the window's other model ({@link packUser}).
 */
export function contextSamples(
  context: EvalContext,
  users: readonly EvalUser[],
  spec: FeatureSpec,
  rule: LabelRule = LEARNED_LABEL,
  stage1?: ScoringReranker,
  uhWeight: number = LEARNED_UH_WEIGHT,
  packedFor: readonly FeatureSpec[] = [spec],
): TrainingSample[] {
  if (context.split === 'test') throw new Error('learned: training labels must come from an earlier window, never from test.');
  const samples: TrainingSample[] = [];
  for (const user of users) {
    const unexpected = Array.from(user.unexpectedness, (u) => u > user.medianUnexpectedness);
    const label = (primitive: ReadonlySet<string> | readonly string[], mask?: readonly boolean[]) =>
      deriveSerendipityLabels({ candidates: user.candidateIds, heldOut: user.relevant, primitive, ...(mask === undefined ? {} : { unexpected: mask }) });
    let labels: Uint8Array;
    if (rule === 'either') {
      const ge = label(context.primitive);
      const uh = label([], unexpected);
      labels = ge.map((g, i) => g | (uh[i] as number));
    } else {
      labels = label(rule === 'ge' || rule === 'both' ? context.primitive : [], rule === 'uh' || rule === 'both' ? unexpected : undefined);
    }
    const packed = packUser(context, user, packedFor);
    // As in pipeline(): a later stage sees the earlier stage's score as its relevance.
    const request = stage1 === undefined ? packed : { ...packed, candidates: { ...packed.candidates, relevance: stage1.score(packed) } };
    const all = trainingSamples(request, labels, spec);
    all.forEach((sample, i) => {
      const upWeighted = labels[i] === 1 && unexpected[i] === true;
      samples.push(upWeighted ? { ...sample, weight: uhWeight } : sample);
    });
  }
  return samples;
}

/**
 * Models fitted on earlier windows: a relevance model (label: any held-out positive) whose
 * prediction replaces the base relevance, and a serendipity model trained on top of it (as a
 * pipeline's second stage).
 */
export interface LearnedModels {
  /** The relevance model (stage 1); absent when the serendipity model blends into the base relevance. */
  readonly relevance?: SerendipityModel;
  readonly serendipity: SerendipityModel;
  /**
   * Stage-1 scores per user id. Stage 1 (weight 1) does not depend on the grid weight and a window's
   * candidates are fixed, so every weight reuses them: the feature computation is the family's cost.
   */
  readonly stage1Scores: Map<string, Float64Array>;
  /** Stage-2 predictions per user id (they see stage 1's cached scores, so they do not depend on the weight either). */
  readonly predictions: Map<string, Float64Array>;
  /** The window served, when known: its users' packed requests (and so their features) are shared with training on it. */
  readonly window?: EvalContext;
  /** The feature lists the served window's packed requests are prepared for (both models'). @defaultValue each model's own */
  readonly packedFor?: readonly FeatureSpecOptions['features'][];
}

/**
 * The served window's packed request of `request`'s user, with `request`'s relevance: the features
 * come from the window's own packing (shared with training on that window), so `rerank()` need not
 * pack embeddings, categories or popularity at all. Without a window, `request` itself.
 *
 * @throws Error when the user or their candidates are not the window's (the strategy serves that window only).
 */
function servedRequest(models: LearnedModels, request: PackedRequest, spec: FeatureSpec): PackedRequest {
  const window = models.window;
  if (window === undefined) return request;
  let byId = usersById.get(window);
  if (byId === undefined) usersById.set(window, (byId = new Map(window.users.map((user) => [user.id, user]))));
  const user = byId.get(request.user?.id ?? '');
  const lists = models.packedFor ?? [spec.features];
  const packed = user === undefined ? undefined : packUser(window, user, lists.map((list) => windowSpec(window, list)));
  if (packed === undefined || packed.candidates.n !== request.candidates.n || packed.candidates.ids.some((c, i) => c !== request.candidates.ids[i])) {
    throw new Error(`learned: user ${String(request.user?.id)} and their candidates are not the served window's.`);
  }
  return { ...packed, candidates: { ...packed.candidates, relevance: request.candidates.relevance } };
}

const usersById = new WeakMap<EvalContext, Map<string, EvalUser>>();

/** The feature spec of a window: popularity and the PM threshold are the window's own. */
function windowSpec(context: EvalContext, features: FeatureSpecOptions['features']): FeatureSpec {
  return resolveFeatureSpec({ features, numUsers: context.numUsers, popularAbove: primitiveThreshold(context), recent: LEARNED_RECENT }, 'learned');
}

/** The window strictly before each window the protocol handed to {@link prepareLearned} (keyed by its train split). */
const windowsBefore = new WeakMap<TemporalSplit, EvalContext>();

/**
 * The window strictly before `window`: the one the protocol passed as `previous` for it, or else
 * carved from `window`'s train part by the same per-user hold-out (`temporalSplit`, as
 * `nestedWindows` does), with EASE at `window`'s λ and the metric item vectors.
 */
function windowBefore(window: EvalContext): EvalContext {
  let before = windowsBefore.get(window.train);
  if (before === undefined) {
    const model = prepareSplitModel(temporalSplit(window.train.train), window.data.items.length);
    const vectors = metricVectors(model);
    before = buildEvalContext(window.data, model, baseCandidates(model, window.lambda), vectors, {
      split: 'fit',
      k: window.k,
      metricVectors: vectors,
      representation: window.representation,
    });
    windowsBefore.set(window.train, before);
  }
  return before;
}

/**
 * Trains the models for `context` (the registry's `prepare` hook) on the held-out labels of
 * `previous`, the window strictly before it, and of the windows before `previous`
 * ({@link LEARNED_LABEL_WINDOWS} in all; nested windows, docs/evaluation.md): on validation the
 * models come from the fit window and the one before it, on test from the validation and fit
 * windows, so the weight is chosen on labels the models never saw, exactly as on test. Each
 * window's samples use that window's feature spec (popularity relative to its users and PM); the
 * fitted weights are served with `context`'s own spec.
 *
 * @param progress - Called with a short description before each step (building an earlier window, each window's samples, each fit).
 * @param setup - Training settings (tests and experiments); the family uses the defaults.
 * @throws Error when `previous` is missing or is a test window (test labels are never trained on).
 */
export function prepareLearned(context: EvalContext, previous?: EvalContext, progress?: (step: string) => void, setup: LearnedSetup = {}): LearnedModels {
  if (previous === undefined) throw new Error('learned: needs the earlier window (prepare(context, previous)) to train on.');
  const report = progress ?? (() => {});
  windowsBefore.set(context.train, previous);
  const count = setup.labelWindows ?? LEARNED_LABEL_WINDOWS;
  const windows = [previous];
  while (windows.length < count) {
    const last = windows[windows.length - 1] as EvalContext;
    if (!windowsBefore.has(last.train)) report(`learned: EASE candidates of label window ${windows.length + 1} of ${count}`);
    windows.push(windowBefore(last));
  }
  const features = setup.features ?? LEARNED_FEATURES;
  const relevanceFeatures = setup.relevanceFeatures ?? LEARNED_RELEVANCE_FEATURES;
  const withRelevanceModel = setup.relevanceModel ?? true;
  // Both lists, in one order, even without a relevance model: both learned families then share a
  // window's packed requests and features (packUser).
  const packedFor = [features, relevanceFeatures];
  const samples = (stage: string, list: FeatureSpecOptions['features'], rule: LabelRule, uhWeight: number, stage1?: ScoringReranker): TrainingSample[] =>
    windows.flatMap((window, w) => {
      report(`learned: ${stage} samples, label window ${w + 1} of ${count} (${window.users.length} users)`);
      return contextSamples(window, window.users, windowSpec(window, list), rule, stage1, uhWeight, packedFor.map((l) => windowSpec(window, l)));
    });
  let relevanceModel: SerendipityModel | undefined;
  if (withRelevanceModel) {
    const relevanceSamples = samples('relevance', relevanceFeatures, 'positive', setup.relevanceUhWeight ?? LEARNED_RELEVANCE_UH_WEIGHT);
    report(`learned: fitting the relevance model (${relevanceSamples.length} samples)`);
    relevanceModel = fitSerendipityModel(relevanceSamples, { ...windowSpec(previous, relevanceFeatures), l2: setup.relevanceL2 ?? LEARNED_RELEVANCE_L2 });
  }
  const stage1 = relevanceModel === undefined ? undefined : learned({ model: relevanceModel, weight: 1 });
  const serendipitySamples = samples('serendipity', features, setup.label ?? LEARNED_LABEL, setup.uhWeight ?? LEARNED_UH_WEIGHT, stage1);
  report(`learned: fitting the serendipity model (${serendipitySamples.length} samples)`);
  const serendipityModel = fitSerendipityModel(serendipitySamples, { ...windowSpec(previous, features), l2: setup.l2 ?? LEARNED_L2 });
  return {
    ...(relevanceModel === undefined ? {} : { relevance: { ...relevanceModel, spec: windowSpec(context, relevanceFeatures) } }),
    serendipity: { ...serendipityModel, spec: windowSpec(context, features) },
    stage1Scores: new Map(),
    predictions: new Map(),
    window: context,
    packedFor,
  };
}

/**
 * The learned strategy for one grid value: `pipeline(learned(relevance model, weight 1),
 * learned(serendipity model, weight))`, or, without a relevance model, the serendipity model's
 * stage alone, blended into the base relevance.
 */
export function makeLearned(weight: number, models: LearnedModels): Reranker {
  // With a served window the features come from its packed requests: rerank() packs ids and relevance only.
  const served = models.window !== undefined;
  // Stage 2 is `learned({ model: serendipity, weight, normalise })` built from the same parts, with
  // its weight-independent prediction memoised per user.
  const model = loadSerendipityModel(models.serendipity);
  const stage2 = featureBlend({
    name: `learned(weight=${weight},features=${model.spec.features.join('+') || 'none'})`,
    stage: 'in',
    requires: served ? {} : featureRequirements(model.spec),
    part: 'serendipity',
    blend: resolveBlendOptions('learned', { weight, normalise: LEARNED_NORMALISE }),
    feature: (request) => {
      const user = request.user?.id;
      if (user === undefined) return predictSerendipity(model, servedRequest(models, request, model.spec));
      let predicted = models.predictions.get(user);
      if (predicted === undefined || predicted.length !== request.candidates.n) {
        predicted = predictSerendipity(model, servedRequest(models, request, model.spec));
        models.predictions.set(user, predicted);
      }
      return Float64Array.from(predicted);
    },
  });
  const relevanceModel = models.relevance;
  if (relevanceModel === undefined) return stage2;
  const stage1 = learned({ model: relevanceModel, weight: 1 });
  // Stage 1 (weight 1) does not depend on the grid weight: its scores are memoised per user too.
  const memoised: ScoringReranker = {
    name: stage1.name,
    stage: stage1.stage,
    requires: served ? {} : stage1.requires,
    select: (request, k) => stage1.select(request, k),
    score: (request) => {
      const user = request.user?.id;
      if (user === undefined) return stage1.score(servedRequest(models, request, relevanceModel.spec));
      let scores = models.stage1Scores.get(user);
      if (scores === undefined || scores.length !== request.candidates.n) {
        scores = stage1.score(servedRequest(models, request, relevanceModel.spec));
        models.stage1Scores.set(user, scores);
      }
      return Float64Array.from(scores);
    },
  };
  return pipeline(memoised, stage2);
}
