import { RerankError } from '../errors/rerank-error.js';
import type { PackedRequest } from '../types.js';
import type { ScoreCache, ScoreView } from './score-cache.js';

/** `Selection.sources` label: a fresh LLM judgement. */
export const SOURCE_LLM = 'llm';
/** `Selection.sources` label: an LLM judgement from the stale window. */
export const SOURCE_STALE = 'stale';
/** `Selection.sources` label: no judgement; the strategy's fallback was used. */
export const SOURCE_FALLBACK = 'fallback';

/**
 * Peeks the cache for every candidate of `request`, for the request's user: the subject is
 * `{ key: user.id, profile: user.profile, profileKey: user.profileKey }`. Synchronous, L1 only.
 *
 * @throws {@link RerankError} `INVALID_REQUEST` when the request names no user.
 */
export function peekCandidates(cache: ScoreCache, request: PackedRequest, owner: string): ScoreView {
  const user = request.user;
  if (user === undefined) {
    throw new RerankError('INVALID_REQUEST', `${owner} reads cached judgements per user; pass rerank({ user: { id, profile? } }).`, {
      field: 'user',
    });
  }
  return cache.peek(
    {
      key: user.id,
      ...(user.profile === undefined ? {} : { profile: user.profile }),
      ...(user.profileKey === undefined ? {} : { profileKey: user.profileKey }),
    },
    request.candidates.ids,
  );
}

/**
 * Min-max normalised relevance `(r − min) / (max − min)` in [0, 1], so relevance on any host scale
 * can be mixed with judgements in [0, 1]. All-equal relevance maps to 1. Order-preserving.
 */
export function normalisedRelevance(relevance: Float64Array): Float64Array {
  const n = relevance.length;
  let low = Infinity;
  let high = -Infinity;
  for (let i = 0; i < n; i++) {
    const r = relevance[i] as number;
    if (r < low) low = r;
    if (r > high) high = r;
  }
  const out = new Float64Array(n);
  // Divide (not multiply by a reciprocal, which overflows for subnormal ranges); a range that
  // overflows to Infinity is computed on halves.
  const half = !Number.isFinite(high - low);
  const range = half ? high / 2 - low / 2 : high - low;
  for (let i = 0; i < n; i++) {
    const r = relevance[i] as number;
    out[i] = range === 0 ? 1 : Math.min(1, (half ? r / 2 - low / 2 : r - low) / range);
  }
  return out;
}

/** True when `value` has a `peek` function, i.e. looks like a {@link ScoreCache}. */
export function isScoreCache(value: unknown): value is ScoreCache {
  return value !== null && typeof value === 'object' && typeof (value as ScoreCache).peek === 'function';
}
