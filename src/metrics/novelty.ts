import { guardArguments } from '../_internals/metric-args.js';
import { describeValue } from '../errors/describe-value.js';
import { RerankError } from '../errors/rerank-error.js';

/**
 * Novelty as mean inverse user frequency, MIUF (Zhou et al., PNAS 2010; the `MIUF` metric of
 * RecTools; docs/formulas.md#novelty):
 *
 * `novelty = (1/n) · Σ_{i ∈ list} −log2(users(i) / numUsers)`,
 *
 * where `users(i)` is the number of distinct users who interacted with item i. An item nobody
 * interacted with counts as `users(i) = 1` (the most novel an observed item can be), so the value
 * stays finite. An empty list gives 0.
 *
 * @param itemUserCounts - `users(i)` for each item of the list, in list order; each finite, ≥ 0
 *   and ≤ `numUsers`.
 * @param numUsers - Number of users in the data, ≥ 1.
 * @returns a value in [0, log2(numUsers)], in bits.
 * @throws {@link RerankError} `INVALID_ARGUMENT` for a bad `numUsers` or count.
 */
export function novelty(itemUserCounts: readonly number[], numUsers: number): number {
  return guardArguments('novelty', () => noveltyUnchecked(itemUserCounts, numUsers));
}

function noveltyUnchecked(itemUserCounts: readonly number[], numUsers: number): number {
  if (typeof numUsers !== 'number' || !Number.isFinite(numUsers) || numUsers < 1) {
    throw new RerankError('INVALID_ARGUMENT', `novelty: numUsers must be a finite number ≥ 1 (the number of users), got ${describeValue(numUsers)}.`, {
      field: 'numUsers',
      value: numUsers,
    });
  }
  if (!Array.isArray(itemUserCounts)) {
    throw new RerankError('INVALID_ARGUMENT', 'novelty: itemUserCounts must be an array of user counts, one per list item.', {
      field: 'itemUserCounts',
    });
  }
  const n = itemUserCounts.length;
  if (n === 0) return 0;
  let sum = 0;
  for (let r = 0; r < n; r++) {
    const count: unknown = itemUserCounts[r];
    if (typeof count !== 'number' || !Number.isFinite(count) || count < 0 || count > numUsers) {
      throw new RerankError(
        'INVALID_ARGUMENT',
        `novelty: itemUserCounts[${r}] must be a count in [0, numUsers=${numUsers}], got ${describeValue(count)}.`,
        { field: `itemUserCounts[${r}]`, value: count },
      );
    }
    sum -= Math.log2(Math.max(count, 1) / numUsers);
  }
  return sum / n;
}
