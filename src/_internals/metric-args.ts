import { describeValue, quoteText } from '../errors/describe-value.js';
import { isRerankError, RerankError } from '../errors/rerank-error.js';

/**
 * Checks a metric's cutoff `k`: a positive integer.
 *
 * @throws {@link RerankError} `INVALID_ARGUMENT` naming the metric.
 */
export function assertCutoff(metric: string, k: unknown): asserts k is number {
  if (typeof k !== 'number' || !Number.isInteger(k) || k <= 0) {
    throw new RerankError('INVALID_ARGUMENT', `${metric}: k must be a positive integer (the list cutoff), got ${describeValue(k)}.`, {
      field: 'k',
      value: k,
    });
  }
}

/**
 * Checks that `list` is an array of ids without repeats (a ranked list never shows an item twice).
 * Ids are only used as `Set` keys, so `__proto__` is an ordinary id.
 *
 * @throws {@link RerankError} `INVALID_ARGUMENT` naming the offending position.
 */
export function assertRankedList(metric: string, list: unknown, field = 'list'): asserts list is readonly string[] {
  if (!Array.isArray(list)) {
    throw new RerankError('INVALID_ARGUMENT', `${metric}: ${field} must be an array of item ids, best first.`, { field });
  }
  const seen = new Set<string>();
  for (let r = 0; r < list.length; r++) {
    const id: unknown = list[r];
    if (typeof id !== 'string') {
      throw new RerankError('INVALID_ARGUMENT', `${metric}: ${field}[${r}] must be a string id, got ${describeValue(id)}.`, {
        field: `${field}[${r}]`,
        value: id,
      });
    }
    if (seen.has(id)) {
      throw new RerankError('INVALID_ARGUMENT', `${metric}: ${field}[${r}] repeats id ${quoteText(id)}. A ranked list holds each item once; drop the repeat.`, {
        field: `${field}[${r}]`,
        value: id,
      });
    }
    seen.add(id);
  }
}

/**
 * Collects an iterable of ids into a `Set`, rejecting a bare string (which would iterate its
 * characters) and non-string members.
 *
 * @throws {@link RerankError} `INVALID_ARGUMENT`.
 */
export function idSet(metric: string, ids: Iterable<string>, field: string): ReadonlySet<string> {
  if (typeof ids === 'string' || ids === null || typeof ids !== 'object' || typeof (ids as Iterable<string>)[Symbol.iterator] !== 'function') {
    throw new RerankError('INVALID_ARGUMENT', `${metric}: ${field} must be an iterable of item ids (an array or a Set), got ${describeValue(ids)}.`, {
      field,
    });
  }
  const set = new Set<string>();
  for (const id of ids) {
    if (typeof id !== 'string') {
      throw new RerankError('INVALID_ARGUMENT', `${metric}: every id in ${field} must be a string, got ${describeValue(id)}.`, { field, value: id });
    }
    set.add(id);
  }
  return set;
}

/** Number of ids among the first `k` of `list` that are in `relevant` (and not in `excluded`). */
export function hitsAtK(list: readonly string[], relevant: ReadonlySet<string>, k: number, excluded?: ReadonlySet<string>): number {
  const depth = Math.min(k, list.length);
  let hits = 0;
  for (let r = 0; r < depth; r++) {
    const id = list[r] as string;
    if (relevant.has(id) && (excluded === undefined || !excluded.has(id))) hits++;
  }
  return hits;
}

/**
 * Runs a metric, turning an error that is not a {@link RerankError} (a throwing getter, Proxy trap
 * or iterator inside an argument) into `INVALID_ARGUMENT` with that error as the `cause`, so only
 * `RerankError` ever leaves a metric.
 */
export function guardArguments<T>(metric: string, compute: () => T): T {
  try {
    return compute();
  } catch (error) {
    if (isRerankError(error)) throw error;
    throw new RerankError('INVALID_ARGUMENT', `${metric}: reading the arguments threw (a getter, Proxy or iterator); pass plain arrays and numbers. See the error's cause.`, {
      cause: error,
    });
  }
}
