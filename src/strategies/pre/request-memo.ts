import type { PackedRequest } from '../../types.js';

/**
 * A memo of per-candidate features shared by the strategies that run on one request, for hosts that
 * run many strategies (or one strategy at many settings) on the same request: an offline
 * evaluation runs every grid point of every family on each user's candidates, and
 * `1 − max_h cos(e_i, e_h)` (O(n·|H|·d)) is the same at every one of them.
 *
 * Contract: inside one {@link withRequestMemo} call, an item id always has the same embedding (the
 * caller opens one memo per catalogue and user). Entries are keyed by the feature's name and
 * options and checked against the request's candidate ids, history ids and dimension, so a
 * strategy that looks at a subset of the request (fewer history items, other candidates) or at
 * other vectors computes afresh. Outside a memo every feature is computed as usual. Synchronous:
 * the memo is active only while `run` executes.
 */

/** Feature values memoised for one catalogue and user; create with {@link createRequestMemo}. */
export interface RequestMemo {
  /** @internal Entries by feature key. */
  readonly entries: Map<string, MemoEntry[]>;
}

/** What a memo entry is checked against: the request's candidate and history ids and its dimension. */
export type MemoScope = Pick<PackedRequest, 'dim'> & { readonly candidates: Pick<PackedRequest['candidates'], 'ids'>; readonly history: Pick<PackedRequest['history'], 'ids'> };

interface MemoEntry {
  readonly dim: number;
  readonly candidateIds: readonly string[];
  readonly historyIds: readonly string[];
  readonly values: Float64Array;
}

let active: RequestMemo | undefined;

/** An empty {@link RequestMemo}. */
export function createRequestMemo(): RequestMemo {
  return { entries: new Map() };
}

/**
 * Runs `run` (typically one `rerank()` call) with `memo` active, so features computed inside it are
 * memoised in `memo` and reused by later calls with the same memo (see the module comment for the
 * contract). Nested calls restore the outer memo on return.
 */
export function withRequestMemo<T>(memo: RequestMemo, run: () => T): T {
  const outer = active;
  active = memo;
  try {
    return run();
  } finally {
    active = outer;
  }
}

function sameIds(a: readonly string[], b: readonly string[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/**
 * `compute()`, or a copy of the values memoised for the same `key`, dimension, candidate ids and
 * history ids when a memo is active. Always returns a fresh array the caller may modify.
 */
export function memoisedFeature(key: string, request: MemoScope, compute: () => Float64Array): Float64Array {
  const memo = active;
  if (memo === undefined) return compute();
  const { dim } = request;
  const candidateIds = request.candidates.ids;
  const historyIds = request.history.ids;
  let entries = memo.entries.get(key);
  if (entries === undefined) memo.entries.set(key, (entries = []));
  for (const entry of entries) {
    if (entry.dim === dim && sameIds(entry.candidateIds, candidateIds) && sameIds(entry.historyIds, historyIds)) return Float64Array.from(entry.values);
  }
  const values = compute();
  entries.push({ dim, candidateIds: candidateIds.slice(), historyIds: historyIds.slice(), values: Float64Array.from(values) });
  return values;
}
