import { checkedSelection } from './checked-selection.js';
import { describeValue, quoteText } from './errors/describe-value.js';
import { isRerankError, RerankError } from './errors/rerank-error.js';
import { packRequest } from './pack/pack-request.js';
import { withPackingBuffer } from './pack/packing-buffer.js';
import { snapshotRequest, snapshotStrategy } from './request-snapshot.js';
import type { PackedRequest, RankedItem, Reranker, RerankRequest, RerankResult, Selection } from './types.js';

/**
 * Checks that `k` is a positive integer.
 *
 * @throws {@link RerankError} `INVALID_K`.
 */
export function assertValidK(k: unknown): asserts k is number {
  if (typeof k !== 'number' || !Number.isInteger(k) || k <= 0) {
    throw new RerankError('INVALID_K', `k must be a positive integer (the number of items to return), got ${describeValue(k)}.`, {
      field: 'k',
      value: k,
    });
  }
}

/**
 * Re-ranks `candidates` with `strategy` and returns the best `min(k, n)` items, best first.
 *
 * Synchronous by design: nothing here awaits anything, so it fits inside a request's latency
 * budget. Strategies that read LLM judgements read them from a nearline cache, never from the LLM.
 * The request is validated and packed once (see {@link packRequest}); each returned item carries
 * its score and the named parts of that score so a host can log why it is where it is.
 *
 * @throws {@link RerankError} for invalid input, with a stable `code` and the offending field.
 *
 * @example
 * ```ts
 * const { items } = rerank({ candidates, user, k: 10, strategy: mmr({ lambda: 0.6 }) });
 * ```
 */
export function rerank(request: RerankRequest): RerankResult {
  const plain = snapshotRequest(request);
  const strategy = snapshotStrategy(plain.strategy);
  assertValidK(plain.k);
  return withPackingBuffer((allocate) => rerankPacked({ ...plain, strategy }, allocate));
}

/** Runs the strategy; an error it throws that is not a {@link RerankError} becomes `STRATEGY_FAILED`. */
function runStrategy(strategy: Reranker, packed: PackedRequest, m: number): Selection {
  try {
    return strategy.select(packed, m);
  } catch (error) {
    if (isRerankError(error)) throw error;
    throw new RerankError('STRATEGY_FAILED', `strategy ${quoteText(strategy.name)} threw while selecting; the original error is the cause.`, {
      field: 'strategy',
      cause: error,
    });
  }
}

function rerankPacked(request: RerankRequest, allocate: ((length: number) => Float64Array) | undefined): RerankResult {
  const { strategy } = request;
  const packed = packRequest(request, strategy.requires, allocate);
  const n = packed.candidates.n;
  if (n === 0) return { items: [], strategy: strategy.name };

  const m = Math.min(request.k, n);
  const selection = checkedSelection(runStrategy(strategy, packed, m), n, m, strategy.name);
  const { indices, scores, partNames, parts, sources } = selection;
  const items: RankedItem[] = new Array(m);
  for (let slot = 0; slot < m; slot++) {
    const index = indices[slot] as number;
    const itemParts: Record<string, number> = {};
    for (let p = 0; p < partNames.length; p++) itemParts[partNames[p] as string] = (parts[p] as Float64Array)[slot] as number;
    const source = sources?.[slot];
    items[slot] = {
      id: packed.candidates.ids[index] as string,
      rank: slot + 1,
      index,
      score: scores[slot] as number,
      relevance: packed.candidates.relevance[index] as number,
      parts: itemParts,
      ...(source === undefined ? {} : { source }),
    };
  }
  return { items, strategy: strategy.name };
}
