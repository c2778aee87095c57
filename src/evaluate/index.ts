// Public API of serendipity-rerank/evaluate (Node only): the offline evaluation behind
// `serendipity-rerank evaluate` and `npm run demo`, on your own data.
export { evaluateInteractions, writeReports } from './api.js';
export type { EvaluateInteractionsOptions, EvaluationReport, ProgressListener } from './api.js';
export { evaluateCandidates, USER_SPLIT, DEFAULT_PRIMITIVE_SIZE } from './candidates.js';
export type { EvaluateCandidatesOptions, CandidatesReport, SkippedFamily } from './candidates.js';
export { DEFAULT_CANDIDATE_COLUMNS } from './io/candidates.js';
export type { CandidateColumns } from './io/candidates.js';
export { writeSyntheticLog } from './synthetic.js';
export type { SyntheticLogOptions } from './synthetic.js';
export { runEvaluation, DEFAULT_K, DEFAULT_SEED, EASE_LAMBDAS, NDCG_FLOORS, MAX_DENSE_ITEMS } from './run.js';
export type { EvaluationOptions, EvaluationResult, SelectedRow, StrategyRow } from './run.js';
export { compareStrategies } from './compare.js';
export type { CompareOptions, Comparison } from './compare.js';
export { STRATEGY_FAMILIES, numeric } from './strategies.js';
export type { StrategyFamily, Param } from './strategies.js';
export type { EvalContext, EvalUser } from './context.js';
export { primitivePenalty, unexpectednessPenalty, DEFAULT_RULE_PENALTY } from './rules.js';
export type { PrimitivePenaltyOptions, UnexpectednessPenaltyOptions } from './rules.js';
export { readConfig, parseConfig, configuredFamilies } from './config.js';
export type { EvaluationConfig } from './config.js';
export { loadInteractions, DEFAULT_INTERACTION_COLUMNS } from './io/interactions.js';
export type { InteractionColumns, LoadInteractionsOptions, LoadedInteractions } from './io/interactions.js';
export { DEFAULT_ITEM_COLUMNS } from './io/items.js';
export type { ItemColumns } from './io/items.js';
export { restrictToTopItems, DEFAULT_MAX_ITEMS } from './top-items.js';
export { renderTradeoffPlot } from './plot.js';
export type { TradeoffPoint, SelectedPoint, TradeoffPlotOptions } from './plot.js';
export { renderHtmlReport, renderMarkdownReport } from './report-html.js';
export type { ReportInput } from './report-html.js';
export { bootstrapRatioCi } from './bootstrap.js';
export type { StrategyMetrics, StrategyEvaluation } from './evaluate.js';
export type { MovieLensData, UserTimeline } from './movielens.js';
// Building blocks the documentation of the entries above refers to.
export { buildEvalContext, prepareSplitModel, PRIMITIVE_SIZE } from './context.js';
export type { SplitModel, BaseCandidates, ItemVectors, EvalContextOptions } from './context.js';
export { evaluateStrategy } from './evaluate.js';
export type { UserOutcomes } from './evaluate.js';
export { selectForFloor, validationNdcgLowerBound, SELECTION_BOOTSTRAP_SEED } from './selection.js';
export type { SelectionInputs, GridPoint } from './selection.js';
export { BOOTSTRAP_SAMPLES, CONFIDENCE } from './bootstrap.js';
export type { BootstrapOptions } from './bootstrap.js';
export { EMBEDDING_DIM } from './svd.js';
export type { ItemSpace } from './ease.js';
export type { TemporalSplit } from './split.js';
export type { CompareProgress } from './compare.js';
// The error class this entry throws, re-exported so CommonJS users catch the same class it throws.
export { RerankError, isRerankError } from '../errors/rerank-error.js';
