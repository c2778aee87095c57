/** One item to re-rank. */
export interface Candidate {
  /** Unique id within the request. Any string works, including `__proto__`. */
  readonly id: string;
  /** Relevance from the host's base model. Higher is better; any finite scale. */
  readonly relevance: number;
  /** Item vector. May be omitted when the request's `catalog` holds it. Need not be normalised. */
  readonly embedding?: ArrayLike<number>;
  /** Category labels (genres, topics). May be omitted when the request's `catalog` holds them. */
  readonly categories?: readonly string[];
  /** Number of distinct users who interacted with the item (for novelty). */
  readonly popularity?: number;
}

/** One item the user consumed before. */
export interface HistoryItem {
  /** Item id. Used to look the item up in the request's `catalog` when fields are omitted. */
  readonly id: string;
  /** Item vector; must have the candidates' dimension. */
  readonly embedding?: ArrayLike<number>;
  /** Category labels. */
  readonly categories?: readonly string[];
}

/** The user a list is re-ranked for. */
export interface UserContext {
  /** User id. Also the default profile key for cached LLM scores. */
  readonly id: string;
  /** Items the user consumed, oldest first (the most recent last). */
  readonly history?: readonly HistoryItem[];
  /** Opaque profile handed to LLM scorers (e.g. a cognition profile). */
  readonly profile?: unknown;
  /** Stable key of `profile` for score caches; defaults to `id`. */
  readonly profileKey?: string;
}

/** Stages of the serendipity taxonomy (Fu, Niu & Maher, ACM CSUR 2023). */
export type Stage = 'pre' | 'in' | 'post';

/** How strongly a strategy needs an input field. */
export type Need = 'required' | 'optional';

/**
 * Inputs a strategy reads. `rerank()` validates and packs exactly these, once per request.
 * `required` fields missing from any item raise a {@link RerankError}; `optional` ones are packed
 * when every item has them (if only some items have them, that is an error too).
 */
export interface Requirements {
  /** Candidate embeddings. */
  readonly embeddings?: Need;
  /** Candidate categories. */
  readonly categories?: Need;
  /** Candidate popularity counts. */
  readonly popularity?: Need;
  /** History embeddings. */
  readonly historyEmbeddings?: Need;
  /** History categories. */
  readonly historyCategories?: Need;
}

/** Category labels in compressed sparse row form, interned to integer codes. */
export interface PackedCategories {
  /** `offsets[i]..offsets[i+1]` delimits row i's codes in `codes`. Length rows + 1. */
  readonly offsets: Uint32Array;
  /** Category codes, indices into the request's `vocabulary`. Duplicates within a row removed. */
  readonly codes: Uint32Array;
}

/**
 * A catalogue validated and packed once, reused across requests: `rerank()` copies a candidate's
 * unit vector and category codes from it instead of validating and normalising them again.
 * Immutable once built.
 */
export interface ItemTable {
  /** Number of items. */
  readonly size: number;
  /** Embedding dimension (0 when the items have no embeddings). */
  readonly dim: number;
  /** Item ids in input order. */
  readonly ids: readonly string[];
  /** Row of `id`, or -1. */
  indexOf(id: string): number;
  /** Unit-normalised embeddings, row-major `size × dim`, when the items have them. */
  readonly embeddings: Float64Array | undefined;
  /** Interned categories, when the items have them. */
  readonly categories: PackedCategories | undefined;
  /** Popularity counts, when the items have them. */
  readonly popularity: Float64Array | undefined;
  /** Category names by code. */
  readonly vocabulary: readonly string[];
  /** Category codes by name. */
  readonly categoryCodes: ReadonlyMap<string, number>;
}

/** Validated, packed candidates. Index i everywhere refers to `candidates[i]` of the request. */
export interface PackedCandidates {
  /** Number of candidates. */
  readonly n: number;
  /** Candidate ids, in input order. */
  readonly ids: readonly string[];
  /** Relevance scores, finite. */
  readonly relevance: Float64Array;
  /** Unit-normalised embeddings, row-major `n × dim`; present when the strategy asked for them. */
  readonly embeddings: Float64Array | undefined;
  /** Categories; present when the strategy asked for them. */
  readonly categories: PackedCategories | undefined;
  /** Popularity counts (≥ 0); present when the strategy asked for them. */
  readonly popularity: Float64Array | undefined;
}

/** Validated, packed history. */
export interface PackedHistory {
  /** Number of history items. */
  readonly n: number;
  /** History ids, oldest first. */
  readonly ids: readonly string[];
  /** Unit-normalised embeddings, row-major `n × dim`, when asked for. */
  readonly embeddings: Float64Array | undefined;
  /** Categories, when asked for. */
  readonly categories: PackedCategories | undefined;
}

/** What a strategy receives: one validated request, packed once. */
export interface PackedRequest {
  /** The candidates. */
  readonly candidates: PackedCandidates;
  /** The user's history. */
  readonly history: PackedHistory;
  /** Embedding dimension (0 when no embeddings were packed). */
  readonly dim: number;
  /** Category names; codes in {@link PackedCategories} index into it. Shared by candidates and history. */
  readonly vocabulary: readonly string[];
  /** The user, as passed in (undefined when the request named none). */
  readonly user: UserContext | undefined;
}

/**
 * A strategy's decision: candidate indices best first, with the score each had when it was placed
 * and a breakdown of that score into named parts (e.g. `relevance` and `diversity`).
 */
export interface Selection {
  /** Indices into the packed candidates, best first, duplicate-free, length exactly `min(k, n)`. */
  readonly indices: Int32Array;
  /** The strategy's objective value for each selected item, aligned with `indices`. Finite. */
  readonly scores: Float64Array;
  /** Named parts of each score, aligned with `indices` (e.g. `{ relevance, diversity }`). */
  readonly parts: Readonly<Record<string, Float64Array>>;
  /** Where each item's serendipity signal came from (e.g. `'llm'`, `'stale'`, `'fallback'`), when relevant. */
  readonly sources?: readonly string[];
}

/**
 * The one interface every strategy implements. Hosts call {@link rerank}; strategies are pure,
 * synchronous functions of a packed request.
 */
export interface Reranker {
  /** Human-readable name with its main parameter, e.g. `mmr(lambda=0.6)`. */
  readonly name: string;
  /** Taxonomy stage. */
  readonly stage: Stage;
  /** Fields `rerank()` must validate and pack for this strategy. */
  readonly requires: Requirements;
  /**
   * Chooses `k` items (1 ≤ k ≤ n, already checked) from a packed request. Must not mutate the
   * request, nor keep references to its arrays after returning: `rerank()` reuses their memory.
   */
  select(request: PackedRequest, k: number): Selection;
}

/**
 * A strategy that can also produce a new per-candidate score, so that {@link pipeline} can feed it
 * to a later stage as the relevance it re-ranks. Pre- and in-processing strategies implement it.
 */
export interface ScoringReranker extends Reranker {
  /** A finite score per candidate (length n), higher is better. Must not mutate the request. */
  score(request: PackedRequest): Float64Array;
}

/** Input of {@link rerank}. */
export interface RerankRequest {
  /** Items to re-rank, typically the base model's top-N. */
  readonly candidates: readonly Candidate[];
  /** The user; optional for strategies that do not read the history or a profile. */
  readonly user?: UserContext;
  /** How many items to return; a positive integer. `k > n` returns n items. */
  readonly k: number;
  /** The strategy. */
  readonly strategy: Reranker;
  /** A catalogue packed once with {@link createItemTable}, to look up omitted embeddings and categories. */
  readonly catalog?: ItemTable;
}

/** One re-ranked item, with enough detail to log and explain the decision. */
export interface RankedItem {
  /** Candidate id. */
  readonly id: string;
  /** 1-based position in the result. */
  readonly rank: number;
  /** Position of the item in the request's `candidates`. */
  readonly index: number;
  /** The strategy's objective value when the item was placed. */
  readonly score: number;
  /** The candidate's input relevance. */
  readonly relevance: number;
  /**
   * Named parts of `score`, e.g. `{ relevance: 0.42, diversity: -0.13 }`; see each strategy's docs.
   * Their scale is the strategy's: relevance units for MMR, xQuAD and the blends, natural-log units
   * for DPP (`log q²` and the log conditional variance, both ≤ 0; see docs/formulas.md#dpp).
   */
  readonly parts: Readonly<Record<string, number>>;
  /** Where the serendipity signal came from, for strategies that read a cache. */
  readonly source?: string;
}

/** Output of {@link rerank}. */
export interface RerankResult {
  /** Best first; length `min(k, candidates.length)`. */
  readonly items: readonly RankedItem[];
  /** The strategy's name. */
  readonly strategy: string;
}
