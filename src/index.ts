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

// --- pre-/in-processing strategies and pipeline ---

// --- metrics ---

// --- nearline LLM score cache ---
export type { ScoreRequestItem, SerendipityScorer } from './cache/scorer.js';

// (The LLM judgement toolkit lives in the `serendipity-rerank/llm` subpath: src/llm/index.ts.)
// (The Redis score store lives in the `serendipity-rerank/redis` subpath: src/redis/index.ts.)
