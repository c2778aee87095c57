import { RerankError } from './errors/rerank-error.js';
import { packRequest } from './pack/pack-request.js';
import type { RankedItem, RerankRequest, RerankResult, Selection } from './types.js';

/**
 * Checks that `k` is a positive integer.
 *
 * @throws {@link RerankError} `INVALID_K`.
 */
export function assertValidK(k: unknown): asserts k is number {
  if (typeof k !== 'number' || !Number.isInteger(k) || k <= 0) {
    throw new RerankError('INVALID_K', `k must be a positive integer (the number of items to return), got ${String(k)}.`, {
      field: 'k',
      value: k,
    });
  }
}

/**
 * Candidate-embedding buffer reused across `rerank()` calls: allocating (and zero-filling) a fresh
 * n×dim `Float64Array` per request cost about as much as packing itself. Strategies must not keep
 * the packed request after `select` returns (see {@link Reranker.select}). A nested `rerank()` call
 * made while the buffer is lent out gets a fresh array instead.
 */
let sharedEmbeddingBuffer = new Float64Array(0);
let sharedEmbeddingBufferLent = false;

function borrowEmbeddingBuffer(length: number): Float64Array {
  if (sharedEmbeddingBuffer.length < length) sharedEmbeddingBuffer = new Float64Array(Math.max(length, 2 * sharedEmbeddingBuffer.length));
  return sharedEmbeddingBuffer.subarray(0, length);
}

function assertValidSelection(selection: Selection, n: number, m: number, strategy: string): void {
  const fail = (what: string): never => {
    throw new RerankError('INVALID_STRATEGY_OUTPUT', `strategy ${strategy} returned an invalid selection: ${what}.`, {
      field: 'strategy',
    });
  };
  const { indices, scores } = selection;
  if (indices.length !== m) fail(`${indices.length} indices for k=${m}`);
  if (scores.length !== m) fail(`${scores.length} scores for ${m} indices`);
  const taken = new Uint8Array(n);
  for (let slot = 0; slot < m; slot++) {
    const index = indices[slot] as number;
    if (!(index >= 0 && index < n) || taken[index] === 1) fail(`index ${index} at slot ${slot} is out of range or repeated`);
    taken[index] = 1;
    if (!Number.isFinite(scores[slot])) fail(`score ${scores[slot]} at slot ${slot} is not finite`);
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
  if (request === null || typeof request !== 'object') {
    throw new RerankError('INVALID_REQUEST', 'rerank expects a request object { candidates, k, strategy, user?, catalog? }.');
  }
  const { strategy } = request;
  if (strategy === null || typeof strategy !== 'object' || typeof strategy.select !== 'function') {
    throw new RerankError('INVALID_REQUEST', 'strategy must be a Reranker, e.g. mmr({ lambda: 0.6 }).', { field: 'strategy' });
  }
  assertValidK(request.k);
  const lend = !sharedEmbeddingBufferLent;
  sharedEmbeddingBufferLent = true;
  try {
    return rerankPacked(request, lend ? borrowEmbeddingBuffer : undefined);
  } finally {
    if (lend) sharedEmbeddingBufferLent = false;
  }
}

function rerankPacked(request: RerankRequest, allocate: ((length: number) => Float64Array) | undefined): RerankResult {
  const { strategy } = request;
  const packed = packRequest(request, strategy.requires, allocate);
  const n = packed.candidates.n;
  if (n === 0) return { items: [], strategy: strategy.name };

  const m = Math.min(request.k, n);
  const selection = strategy.select(packed, m);
  assertValidSelection(selection, n, m, strategy.name);

  const partNames = Object.keys(selection.parts);
  const items: RankedItem[] = new Array(m);
  for (let slot = 0; slot < m; slot++) {
    const index = selection.indices[slot] as number;
    const parts: Record<string, number> = {};
    for (const name of partNames) parts[name] = (selection.parts[name] as Float64Array)[slot] as number;
    const source = selection.sources?.[slot];
    items[slot] = {
      id: packed.candidates.ids[index] as string,
      rank: slot + 1,
      index,
      score: selection.scores[slot] as number,
      relevance: packed.candidates.relevance[index] as number,
      parts,
      ...(source === undefined ? {} : { source }),
    };
  }
  return { items, strategy: strategy.name };
}
