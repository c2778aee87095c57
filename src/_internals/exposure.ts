import { RerankError } from '../errors/rerank-error.js';
import { assertRankedList, idSet } from './metric-args.js';

/**
 * How often each catalogue item appears across `lists`, in catalogue order (repeats in `catalog`
 * count once). Shared by catalogue coverage and the Gini index of exposure.
 *
 * @throws {@link RerankError} `INVALID_ARGUMENT` for an empty catalogue, a list with repeats, or an
 *   id missing from the catalogue.
 */
export function exposureCounts(metric: string, lists: readonly (readonly string[])[], catalog: Iterable<string>): Float64Array {
  const items = idSet(metric, catalog, 'catalog');
  if (items.size === 0) {
    throw new RerankError('INVALID_ARGUMENT', `${metric}: catalog is empty; pass every item that could be recommended.`, {
      field: 'catalog',
    });
  }
  if (!Array.isArray(lists)) {
    throw new RerankError('INVALID_ARGUMENT', `${metric}: lists must be an array of lists of ids (one per user).`, { field: 'lists' });
  }
  const row = new Map<string, number>();
  for (const id of items) row.set(id, row.size);
  const counts = new Float64Array(items.size);
  for (let u = 0; u < lists.length; u++) {
    const list = lists[u];
    const field = `lists[${u}]`;
    assertRankedList(metric, list, field);
    for (let r = 0; r < list.length; r++) {
      const index = row.get(list[r] as string);
      if (index === undefined) {
        throw new RerankError(
          'INVALID_ARGUMENT',
          `${metric}: ${field}[${r}] is "${list[r]}", which is not in the catalog. Add it to the catalog or drop it from the list.`,
          { field: `${field}[${r}]`, value: list[r] },
        );
      }
      counts[index] = (counts[index] as number) + 1;
    }
  }
  return counts;
}
