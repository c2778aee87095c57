/**
 * LLM judgements for the nearline path: cognition profiles, prompts, answer parsing, an
 * OpenAI-compatible scorer, calibration against human labels and agreement reports.
 *
 * @module serendipity-rerank/llm
 */
// Public API of `serendipity-rerank/llm`: the LLM judgement toolkit (SERAL-style cognition
// profiles, prompt builders, answer parsers, an OpenAI-compatible scorer, calibration and
// agreement). Every export is named here; types are kept apart.

// --- cognition profiles ---
export {
  buildCognitionProfile,
  isCognitionProfile,
  profileKey,
  PROFILE_VERSION,
  SHARE_STEP,
  DEFAULT_SHORT_TERM_WINDOW,
  DEFAULT_MAX_CATEGORIES,
  DEFAULT_MAX_EDGES,
  DEFAULT_EDGE_MAX_SHARE,
  DEFAULT_RECENT_TITLES,
  DEFAULT_MAX_TEXT_CHARS,
} from './profile.js';
export { renderProfile, DEFAULT_PROFILE_TOKENS } from './render-profile.js';
export { buildProfileSummaryPrompt, writeProfileSummaries, DEFAULT_SUMMARY_CHARS } from './profile-summaries.js';
export { estimateTokens, CHARS_PER_TOKEN } from './tokens.js';
export { fnv1a64 } from './hash.js';
export type {
  CognitionProfile,
  CognitionProfileOptions,
  CategoryShare,
  TasteEdge,
  ProfileHistoryItem,
  ProfileSummaries,
} from './profile.js';
export type { SummariesResult, WriteSummariesOptions } from './profile-summaries.js';
export type { ChatMessage, TextGenerator } from './chat.js';

// --- prompts and untrusted text ---
export { buildScorePrompt, buildListwisePrompt, systemMessage, PROMPT_STYLES } from './prompts.js';
export { encodeUntrusted, DEFAULT_MAX_UNTRUSTED_CHARS } from './untrusted.js';
export type { PromptStyle, PointwiseStyle, PromptBudget, ListwisePrompt } from './prompts.js';

// --- answer parsing ---
export { parseSerendipityScore, combineIndirect, MAX_ANSWER_CHARS, ANSWER_MARKER, DEFAULT_SCORE_SCALE } from './parse.js';
export { parseListwiseScores } from './parse-listwise.js';
export type { ScoreParseResult, ScoreRejectReason, ScoreScale, ParseScoreOptions } from './parse.js';
export type { ListwiseParseResult, ListwiseRejectReason } from './parse-listwise.js';

// --- OpenAI-compatible scorer ---
export {
  openAICompatibleScorer,
  DEFAULT_TIMEOUT_MS,
  DEFAULT_MAX_RETRIES,
  DEFAULT_MAX_RETRY_DELAY_MS,
  DEFAULT_RETRY_BASE_DELAY_MS,
  DEFAULT_CONCURRENCY,
  DEFAULT_LIST_SIZE,
  DEFAULT_TEMPERATURE,
  DEFAULT_MAX_TOKENS,
  DEFAULT_MAX_RESPONSE_BYTES,
  DEFAULT_MAX_RETRY_AFTER_MS,
} from './openai-scorer.js';
export { parseRetryAfter } from './retry-after.js';
export type { OpenAICompatibleScorer, OpenAICompatibleScorerOptions, ScorerStats } from './openai-scorer.js';
export type { LlmFailure, LlmFailureKind, TokenUsage } from './chat-completions.js';

// --- calibration and agreement ---
export { calibrate, loadCalibrator, CALIBRATOR_FORMAT } from './calibrate.js';
export { calibratedScorer } from './calibrated-scorer.js';
export {
  agreement,
  DEFAULT_BOOTSTRAP_RESAMPLES,
  DEFAULT_BOOTSTRAP_SEED,
  DEFAULT_CONFIDENCE,
  DEFAULT_ECE_BINS,
} from './agreement.js';
export type { Calibrator, CalibratorJSON, CalibrateOptions, CalibrationMethod } from './calibrate.js';
export type { AgreementOptions, AgreementReport, AgreementMetrics, Interval } from './agreement.js';

// The error class this entry throws, re-exported so CommonJS users catch the same class it throws.
export { RerankError, isRerankError } from '../errors/rerank-error.js';
