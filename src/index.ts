/**
 * Re-rank recommendation candidates for serendipity: `rerank()`, every strategy, the offline
 * metrics and the nearline score cache. Design, formulas and conventions: the documents
 * `design`, `formulas` and `evaluation` of this reference (docs/ in the repository).
 *
 * @module serendipity-rerank
 */
// Public API of serendipity-rerank. Every export is named here; types are kept apart.

// --- core ---
export { rerank, assertValidK } from './rerank.js';
export { packRequest } from './pack/pack-request.js';
export { createItemTable } from './pack/item-table.js';
export { RerankError, isRerankError } from './errors/rerank-error.js';
export type { RerankErrorCode, RerankErrorDetails } from './errors/rerank-error.js';
export type { CatalogItem, ItemTable } from './pack/item-table.js';
export type {
  Candidate,
  HistoryItem,
  UserContext,
  Stage,
  Need,
  Requirements,
  PackedCategories,
  PackedCandidates,
  PackedHistory,
  PackedRequest,
  Selection,
  Reranker,
  ScoringReranker,
  RerankRequest,
  RankedItem,
  RerankResult,
} from './types.js';

// --- post-processing strategies ---
export { relevance } from './strategies/post/relevance.js';
export { mmr, DEFAULT_MMR_LAMBDA } from './strategies/post/mmr.js';
export { dpp, DEFAULT_DPP_THETA } from './strategies/post/dpp.js';
export { DPP_MIN_GAIN } from './strategies/post/dpp-kernel.js';
export type { MmrOptions } from './strategies/post/mmr.js';
export type { DppOptions } from './strategies/post/dpp.js';
export type { GreedyAlgorithm } from './_internals/greedy-algorithm.js';
export type { Precision } from './_internals/f32/precision.js';
export { defaultKernelBackend as kernelBackend, useKernelModule } from './_internals/wasm/kernel-instance.js';
export type { KernelBackend } from './_internals/wasm/kernel-instance.js';
export { xquad, DEFAULT_XQUAD_LAMBDA } from './strategies/post/xquad.js';
export { calibrated, DEFAULT_CALIBRATED_LAMBDA, CALIBRATION_SMOOTHING } from './strategies/post/calibrated.js';
export type { XQuadOptions } from './strategies/post/xquad.js';
export type { CalibratedOptions } from './strategies/post/calibrated.js';

// --- pre-/in-processing strategies and pipeline ---
export { unexpectednessFeature, unexpectednessBlend, UNEXPECTEDNESS_REQUIRES, DEFAULT_UNEXPECTEDNESS_VARIANT } from './strategies/pre/unexpectedness.js';
export { pursFeature, pursBlend, pursActivation, PURS_REQUIRES, DEFAULT_PURS_BANDWIDTH, DEFAULT_PURS_RECENT } from './strategies/pre/purs.js';
export { meanShift } from './strategies/pre/mean-shift.js';
export { popularityNoveltyFeature, popularityNoveltyBlend, POPULARITY_NOVELTY_REQUIRES } from './strategies/pre/popularity-novelty.js';
export { categoryNoveltyFeature, categoryNoveltyBlend, CATEGORY_NOVELTY_REQUIRES, DEFAULT_RARE_SHARE } from './strategies/pre/category-novelty.js';
export { haesElasticity, haesBlend, ELASTICITY_REQUIRES } from './strategies/pre/haes.js';
export { normaliseScores } from './strategies/pre/normalise.js';
export type { Normalisation } from './strategies/pre/normalise.js';
export { DEFAULT_BLEND_WEIGHT, DEFAULT_NORMALISATION } from './strategies/pre/blend.js';
export type { BlendOptions } from './strategies/pre/blend.js';
export type { UnexpectednessVariant, UnexpectednessFeatureOptions, UnexpectednessBlendOptions } from './strategies/pre/unexpectedness.js';
export type { PursAggregate, PursOutput, PursFeatureOptions, PursBlendOptions } from './strategies/pre/purs.js';
export type { MeanShiftResult } from './strategies/pre/mean-shift.js';
export type { PopularityNoveltyOptions, PopularityNoveltyBlendOptions } from './strategies/pre/popularity-novelty.js';
export type { CategoryNoveltyOptions, CategoryNoveltyBlendOptions } from './strategies/pre/category-novelty.js';
export type { ElasticityOptions, HaesBlendOptions } from './strategies/pre/haes.js';
export { loadSerendipityModel, predictSerendipity, trainingSamples, modelInputNames, MODEL_FORMAT, MODEL_VERSION } from './strategies/in/model.js';
export { learned, DEFAULT_LEARNED_WEIGHT } from './strategies/in/learned.js';
export { deriveSerendipityLabels } from './strategies/in/labels.js';
export { featureMatrix, featureRequirements, resolveFeatureSpec, BASE_FEATURE_NAMES } from './strategies/in/features.js';
export { pipeline } from './strategies/pipeline.js';
export type { SerendipityModel, TrainingSample } from './strategies/in/model.js';
export type { LearnedOptions } from './strategies/in/learned.js';
export type { LabelSource } from './strategies/in/labels.js';
export type { BaseFeatureName, FeatureName, FeatureSpec, FeatureSpecOptions } from './strategies/in/features.js';
export type { Pipeline } from './strategies/pipeline.js';

// --- item vectors from interactions (for hosts without content embeddings) ---
export {
  itemVectors,
  DEFAULT_ITEM_VECTOR_METHOD,
  DEFAULT_ITEM_VECTOR_DIM,
  DEFAULT_ITEM_VECTOR_OVERSAMPLING,
  DEFAULT_ITEM_VECTOR_ITERATIONS,
  DEFAULT_ITEM_VECTOR_SEED,
} from './item-vectors/item-vectors.js';
export type { ItemVectorMethod, ItemVectorOptions, ItemVectorResult } from './item-vectors/item-vectors.js';
export type { Interactions, CsrInteractions, PairInteractions } from './item-vectors/interactions.js';

// --- metrics ---
export {
  precisionAtK,
  recallAtK,
  ndcgAtK,
  intraListDiversity,
  novelty,
  unexpectedness,
  serendipityGe,
  serendipityAuralist,
  catalogCoverage,
  giniIndex,
  evaluateList,
  meanOverUsers,
} from './metrics/index.js';
export type { ListEvaluationInput, ListMetrics } from './metrics/index.js';

// --- nearline LLM score cache ---
export type { ScoreRequestItem, SerendipityScorer } from './cache/scorer.js';
export { createScoreCache, SCORE_MISSING, SCORE_FRESH, SCORE_STALE } from './cache/score-cache.js';
export type { ScoreCache, ScoreSubject, ScoreView, PrefetchResult, ScoreCacheStats } from './cache/score-cache.js';
export {
  DEFAULT_MAX_ENTRIES,
  DEFAULT_TTL_MS,
  DEFAULT_STALE_MS,
  DEFAULT_BATCH_SIZE,
  DEFAULT_LINGER_MS,
  DEFAULT_CONCURRENCY,
  DEFAULT_TIMEOUT_MS,
  DEFAULT_RETRIES,
  DEFAULT_RETRY_BASE_MS,
  DEFAULT_RETRY_MAX_MS,
  DEFAULT_BREAKER_THRESHOLD,
  DEFAULT_BREAKER_COOLDOWN_MS,
  DEFAULT_MAX_QUEUE,
  DEFAULT_STORE_TIMEOUT_MS,
} from './cache/options.js';
export type { ScoreCacheOptions } from './cache/options.js';
export type { Clock, Scheduler } from './cache/clock.js';
export type { BreakerState } from './cache/circuit-breaker.js';
export { hashProfile, MAX_PROFILE_HASH_CHARS } from './cache/profile-key.js';
export type { ScoreStore, ScoreKey, StoredScore, ScoreRecord } from './cache/store.js';
export { createMemoryScoreStore, DEFAULT_MEMORY_STORE_MAX_ENTRIES } from './cache/memory-store.js';
export type { MemoryScoreStoreOptions } from './cache/memory-store.js';
export { SOURCE_LLM, SOURCE_STALE, SOURCE_FALLBACK } from './cache/signal.js';
export { llmBlend, DEFAULT_LLM_BLEND_WEIGHT } from './strategies/post/llm-blend.js';
export type { LlmBlendOptions, LlmBlendReranker, LlmBlendStats, SerendipityFeature } from './strategies/post/llm-blend.js';
export {
  serendipitySlots,
  DEFAULT_SLOT_SHARE,
  DEFAULT_SLOT_MIN_RELEVANCE,
  SOURCE_FEATURE,
  SOURCE_BASE,
} from './strategies/post/serendipity-slots.js';
export type { SerendipitySlotsOptions, SerendipitySource } from './strategies/post/serendipity-slots.js';

// (The LLM judgement toolkit lives in the `serendipity-rerank/llm` subpath: src/llm/index.ts.)
// (The Redis score store lives in the `serendipity-rerank/redis` subpath: src/redis/index.ts.)
// (Fitting the learned model, `fitSerendipityModel`, lives in the `serendipity-rerank/train` subpath: src/train/index.ts.)
