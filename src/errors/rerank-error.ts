/**
 * Stable machine-readable codes carried by every {@link RerankError}.
 *
 * Codes never change meaning once released; new ones may be added in minor versions.
 * - `INVALID_K`: `k` is not a positive integer.
 * - `INVALID_REQUEST`: the request object is malformed (e.g. `candidates` is not an array, `strategy` is missing).
 * - `INVALID_ID`: an id is not a non-empty string.
 * - `DUPLICATE_ID`: two candidates (or two catalogue items) share an id.
 * - `NON_FINITE_RELEVANCE`: a relevance score is NaN or ±Infinity (or not a number).
 * - `MISSING_EMBEDDING`: the strategy needs an embedding and an item has none.
 * - `DIMENSION_MISMATCH`: embeddings of different lengths were mixed.
 * - `NON_FINITE_EMBEDDING`: an embedding holds NaN or ±Infinity.
 * - `ZERO_VECTOR`: an embedding has zero norm, so cosine similarity is undefined.
 * - `MISSING_CATEGORIES`: the strategy needs categories and an item has none.
 * - `MISSING_POPULARITY`: the strategy needs `popularity` and a candidate has none.
 * - `INVALID_POPULARITY`: a popularity is negative or non-finite.
 * - `MISSING_HISTORY`: the strategy needs the user's history and it is empty or lacks the needed field.
 * - `UNKNOWN_OPTION`: an options object has a key the strategy does not know (usually a typo).
 * - `INVALID_OPTION`: an option is out of range or of the wrong type.
 * - `INVALID_ARGUMENT`: a function argument outside a rerank request is invalid (metrics, fitting, parsing helpers).
 * - `INVALID_MODEL`: a serialised model or calibrator has the wrong version or shape.
 * - `INVALID_TRAINING_DATA`: training samples cannot be fitted (wrong feature length, one class only, NaN features).
 * - `INVALID_STRATEGY_OUTPUT`: a strategy returned an invalid selection (a bug in a custom strategy).
 * - `STRATEGY_FAILED`: a strategy's `select` (or a callback it was given, such as a
 *   `serendipitySlots` source) threw an error that is not a `RerankError`; that error is the `cause`.
 * - `CACHE_CLOSED`: a score cache was used after `close()` (also the abort reason of its in-flight calls).
 * - `SCORER_TIMEOUT`: the abort reason a scorer's signal carries when its call exceeded the cache's `timeoutMs`.
 */
export type RerankErrorCode =
  | 'INVALID_K'
  | 'INVALID_REQUEST'
  | 'INVALID_ID'
  | 'DUPLICATE_ID'
  | 'NON_FINITE_RELEVANCE'
  | 'MISSING_EMBEDDING'
  | 'DIMENSION_MISMATCH'
  | 'NON_FINITE_EMBEDDING'
  | 'ZERO_VECTOR'
  | 'MISSING_CATEGORIES'
  | 'MISSING_POPULARITY'
  | 'INVALID_POPULARITY'
  | 'MISSING_HISTORY'
  | 'UNKNOWN_OPTION'
  | 'INVALID_OPTION'
  | 'INVALID_ARGUMENT'
  | 'INVALID_MODEL'
  | 'INVALID_TRAINING_DATA'
  | 'INVALID_STRATEGY_OUTPUT'
  | 'STRATEGY_FAILED'
  | 'CACHE_CLOSED'
  | 'SCORER_TIMEOUT';

/** Extra context attached to a {@link RerankError}. */
export interface RerankErrorDetails {
  /** Path of the offending field, e.g. `candidates[3].embedding` or `options.lambda`. */
  readonly field?: string;
  /** The offending value, when it is small enough to be useful in logs. */
  readonly value?: unknown;
  /** The underlying error, if any. */
  readonly cause?: unknown;
}

/** Brand shared by every copy of {@link RerankError} in a process (see its `Symbol.hasInstance`). */
const RERANK_ERROR_BRAND: unique symbol = Symbol.for('serendipity-rerank.RerankError') as never;

/**
 * The one error class thrown by serendipity-rerank for bad input.
 *
 * Branch on {@link RerankError.code} (stable), not on the message (human-oriented: it names the
 * offending field and says how to fix it).
 *
 * @example
 * ```ts
 * try { rerank(request); } catch (e) {
 *   if (e instanceof RerankError && e.code === 'ZERO_VECTOR') dropItem(e.field);
 * }
 * ```
 */
export class RerankError extends Error {
  /**
   * `instanceof RerankError` holds for an error thrown by any entry of the package. Each CommonJS
   * entry (`index.cjs`, `llm.cjs`, `redis.cjs`, `train.cjs`) bundles its own copy of this class, so
   * plain prototype identity would fail across entries; every instance carries a registry-wide
   * brand (`Symbol.for`) instead.
   */
  static override [Symbol.hasInstance](value: unknown): boolean {
    return typeof value === 'object' && value !== null && (value as { [RERANK_ERROR_BRAND]?: unknown })[RERANK_ERROR_BRAND] === true;
  }

  override readonly name = 'RerankError';
  /** Stable machine-readable code. */
  readonly code: RerankErrorCode;
  /** Path of the offending field, when known. */
  readonly field: string | undefined;
  /** The offending value, when known. */
  readonly value: unknown;

  constructor(code: RerankErrorCode, message: string, details: RerankErrorDetails = {}) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.code = code;
    this.field = details.field;
    this.value = details.value;
    Object.defineProperty(this, RERANK_ERROR_BRAND, { value: true });
  }
}

/**
 * True when `error` is a {@link RerankError}, optionally with the given code. Never throws, even for
 * a thrown revoked Proxy (on which `instanceof` itself throws).
 */
export function isRerankError(error: unknown, code?: RerankErrorCode): error is RerankError {
  try {
    return error instanceof RerankError && (code === undefined || error.code === code);
  } catch {
    return false;
  }
}
