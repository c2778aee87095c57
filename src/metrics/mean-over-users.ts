import { guardArguments } from '../_internals/metric-args.js';
import { describeValue, MAX_QUOTED_CHARS, quoteText } from '../errors/describe-value.js';
import { RerankError } from '../errors/rerank-error.js';

/**
 * Macro-average of per-user metric rows (e.g. from {@link evaluateList}): each metric's
 * arithmetic mean over users, every user weighing the same. Every row must carry the same metric
 * names, each a finite number, so a metric missing for some users cannot silently be averaged over
 * a subset.
 *
 * @returns one mean per metric name of the rows.
 * @throws {@link RerankError} `INVALID_ARGUMENT` for no rows (a mean over zero users is undefined),
 *   rows with different metric names, or a non-finite value.
 *
 * @example
 * ```ts
 * meanOverUsers([{ ndcg: 1 }, { ndcg: 0.5 }]); // { ndcg: 0.75 }
 * ```
 */
export function meanOverUsers<M extends object>(rows: readonly M[]): { readonly [K in keyof M]: number } {
  return guardArguments('meanOverUsers', () => meanOverUsersUnchecked(rows));
}

function meanOverUsersUnchecked<M extends object>(rows: readonly M[]): { readonly [K in keyof M]: number } {
  if (!Array.isArray(rows) || rows.length === 0) {
    throw new RerankError('INVALID_ARGUMENT', 'meanOverUsers: rows must be a non-empty array of per-user metric objects.', {
      field: 'rows',
    });
  }
  const names = Object.keys(rows[0] as object);
  const sums = new Float64Array(names.length);
  for (let u = 0; u < rows.length; u++) {
    const row = rows[u] as Record<string, unknown>;
    const keys = row !== null && typeof row === 'object' ? Object.keys(row) : [];
    if (keys.length !== names.length) {
      throw new RerankError(
        'INVALID_ARGUMENT',
        `meanOverUsers: rows[${u}] has metrics ${listNames(keys)} but rows[0] has ${listNames(names)}. Give every user the same metrics.`,
        { field: `rows[${u}]` },
      );
    }
    for (let m = 0; m < names.length; m++) {
      const name = names[m] as string;
      const value = Object.hasOwn(row, name) ? row[name] : undefined;
      if (typeof value !== 'number' || !Number.isFinite(value)) {
        throw new RerankError('INVALID_ARGUMENT', `meanOverUsers: rows[${u}].${name.length <= MAX_QUOTED_CHARS ? name : quoteText(name)} must be a finite number, got ${describeValue(value)}.`, {
          field: `rows[${u}].${name}`,
          value,
        });
      }
      sums[m] = (sums[m] as number) + value;
    }
  }
  return Object.fromEntries(names.map((name, m) => [name, (sums[m] as number) / rows.length])) as { readonly [K in keyof M]: number };
}

/** Up to ten metric names, quoted and capped, for a message. */
function listNames(names: readonly string[]): string {
  const shown = names.slice(0, 10).map(quoteText).join(', ');
  return `[${shown}${names.length > 10 ? `, … (${names.length} names)` : ''}]`;
}
