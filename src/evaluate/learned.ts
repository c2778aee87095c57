import {
  deriveSerendipityLabels,
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
import { featureBlend, resolveBlendOptions } from '../strategies/pre/blend.js';
import type { EvalContext, EvalUser } from './context.js';

/**
 * The learned family of the offline evaluation: `pipeline(learned(relevance model, weight 1),
 * learned(serendipity model, weight))`, trained on earlier windows only.
 * - Labels come from the held-out positives of the window BEFORE the one the models serve
 *   (`deriveSerendipityLabels`; nested windows, see {@link prepareLearned}). Stage 1 learns any
 *   positive (a better relevance model than the base, which buys nDCG to trade); stage 2, fitted on
 *   stage 1's scores as its relevance (as the pipeline runs it), learns the `either` rule: a
 *   positive outside PM (Ge et al., RecSys 2010) or above the user's median candidate
 *   unexpectedness, with the rarer unexpected positives weighted {@link LEARNED_UH_WEIGHT}.
 * - Validation is served by models fitted on the fit window, test by models fitted on the
 *   validation window; test positives are never read.
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
export const LEARNED_WEIGHTS: readonly number[] = [0.15, 0.2, 0.225, 0.25, 0.275, 0.3, 0.35];

/** Recent history items for PURS and `unexpectednessRecent`. */
export const LEARNED_RECENT = 20;

/** L2 penalty of the serendipity model (stage 2). */
export const LEARNED_L2 = 1e-3;

/** L2 penalty of the relevance model (stage 1). */
export const LEARNED_RELEVANCE_L2 = 1e-2;

/** Per-request normalisation of the final blend. */
export const LEARNED_NORMALISE: Normalisation = 'minmax';

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

/** Packs a user's request once with what the feature spec needs. */
export function packUser(context: EvalContext, user: EvalUser, spec: FeatureSpec): PackedRequest {
  return packRequest(userRequest(context, user, relevance()), featureRequirements(spec));
}

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

/** Training samples of `users` with labels from their held-out positives (a fit or validation window, never test). */
export function contextSamples(
  context: EvalContext,
  users: readonly EvalUser[],
  spec: FeatureSpec,
  rule: LabelRule = LEARNED_LABEL,
  stage1?: ScoringReranker,
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
    const packed = packUser(context, user, spec);
    // As in pipeline(): a later stage sees the earlier stage's score as its relevance.
    const request = stage1 === undefined ? packed : { ...packed, candidates: { ...packed.candidates, relevance: stage1.score(packed) } };
    const all = trainingSamples(request, labels, spec);
    all.forEach((sample, i) => {
      const upWeighted = labels[i] === 1 && unexpected[i] === true;
      samples.push(upWeighted ? { ...sample, weight: LEARNED_UH_WEIGHT } : sample);
    });
  }
  return samples;
}

/**
 * Models fitted on one window: a relevance model (label: any held-out positive) whose prediction
 * replaces the base relevance, and a serendipity model trained on top of it (as a pipeline's
 * second stage).
 */
export interface LearnedModels {
  readonly relevance: SerendipityModel;
  readonly serendipity: SerendipityModel;
  /**
   * Stage-1 scores per user id. Stage 1 (weight 1) does not depend on the grid weight and a window's
   * candidates are fixed, so every weight reuses them: the feature computation is the family's cost.
   */
  readonly stage1Scores: Map<string, Float64Array>;
  /** Stage-2 predictions per user id (they see stage 1's cached scores, so they do not depend on the weight either). */
  readonly predictions: Map<string, Float64Array>;
}

/** The feature spec of a window: popularity and the PM threshold are the window's own. */
function windowSpec(context: EvalContext): FeatureSpec {
  return resolveFeatureSpec(
    { features: LEARNED_FEATURES, numUsers: context.numUsers, popularAbove: primitiveThreshold(context), recent: LEARNED_RECENT },
    'learned',
  );
}

/**
 * Trains the models for `context` (the registry's `prepare` hook) on the held-out labels of
 * `previous`, the window strictly before it (nested windows, docs/evaluation.md): on validation the
 * models come from the fit window, on test from the validation window, so the weight is chosen on
 * labels the models never saw, exactly as on test. The fitted weights are then served with
 * `context`'s own feature spec (same features; popularity relative to `context`'s users and PM).
 *
 * @throws Error when `previous` is missing or is a test window (test labels are never trained on).
 */
export function prepareLearned(context: EvalContext, previous?: EvalContext): LearnedModels {
  if (previous === undefined) throw new Error('learned: needs the earlier window (prepare(context, previous)) to train on.');
  const trainSpec = windowSpec(previous);
  const relevanceModel = fitSerendipityModel(contextSamples(previous, previous.users, trainSpec, 'positive'), { ...trainSpec, l2: LEARNED_RELEVANCE_L2 });
  const stage1 = learned({ model: relevanceModel, weight: 1 });
  const serendipityModel = fitSerendipityModel(contextSamples(previous, previous.users, trainSpec, LEARNED_LABEL, stage1), { ...trainSpec, l2: LEARNED_L2 });
  const spec = windowSpec(context);
  return { relevance: { ...relevanceModel, spec }, serendipity: { ...serendipityModel, spec }, stage1Scores: new Map(), predictions: new Map() };
}

/** The learned strategy for one grid value: `pipeline(learned(relevance model, weight 1), learned(serendipity model, weight))`. */
export function makeLearned(weight: number, models: LearnedModels): Reranker {
  const stage1 = learned({ model: models.relevance, weight: 1 });
  const memoised: ScoringReranker = {
    name: stage1.name,
    stage: stage1.stage,
    requires: stage1.requires,
    select: (request, k) => stage1.select(request, k),
    score: (request) => {
      const user = request.user?.id;
      if (user === undefined) return stage1.score(request);
      let scores = models.stage1Scores.get(user);
      if (scores === undefined || scores.length !== request.candidates.n) {
        scores = stage1.score(request);
        models.stage1Scores.set(user, scores);
      }
      return Float64Array.from(scores);
    },
  };
  // Stage 2 is `learned({ model: serendipity, weight, normalise })` built from the same parts, with
  // its weight-independent prediction memoised per user as well.
  const model = loadSerendipityModel(models.serendipity);
  const stage2 = featureBlend({
    name: `learned(weight=${weight},features=${model.spec.features.join('+') || 'none'})`,
    stage: 'in',
    requires: featureRequirements(model.spec),
    part: 'serendipity',
    blend: resolveBlendOptions('learned', { weight, normalise: LEARNED_NORMALISE }),
    feature: (request) => {
      const user = request.user?.id;
      if (user === undefined) return predictSerendipity(model, request);
      let predicted = models.predictions.get(user);
      if (predicted === undefined || predicted.length !== request.candidates.n) {
        predicted = predictSerendipity(model, request);
        models.predictions.set(user, predicted);
      }
      return Float64Array.from(predicted);
    },
  });
  return pipeline(memoised, stage2);
}
