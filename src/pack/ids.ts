import { describeValue, quoteText } from '../errors/describe-value.js';
import { RerankError } from '../errors/rerank-error.js';

/**
 * Whether `id` is valid: a non-empty string. Ids are only ever used as `Map` and `Set` keys, so
 * names such as `__proto__` or `constructor` behave like any other id.
 */
export function isValidId(id: unknown): id is string {
  return typeof id === 'string' && id.length !== 0;
}

/** The error for an invalid id (see {@link isValidId}) at `field`. */
export function invalidIdError(id: unknown, field: string): RerankError {
  return new RerankError('INVALID_ID', `${field} must be a non-empty string, got ${describeValue(id)}.`, {
    field,
    value: id,
  });
}

/**
 * Checks that `id` is valid (see {@link isValidId}).
 *
 * @throws {@link RerankError} `INVALID_ID`.
 */
export function assertId(id: unknown, field: string): asserts id is string {
  if (!isValidId(id)) throw invalidIdError(id, field);
}

/**
 * The error for `collection[index]` repeating the id of `collection[previous]`.
 */
export function duplicateIdError(collection: string, index: number, previous: number, id: string): RerankError {
  return new RerankError(
    'DUPLICATE_ID',
    `${collection}[${index}] repeats id ${quoteText(id)} already used by ${collection}[${previous}]. Ids must be unique; merge or drop the duplicate.`,
    { field: `${collection}[${index}].id`, value: id },
  );
}

/**
 * Records `id` at `index` in `seen`, rejecting repeats.
 *
 * @throws {@link RerankError} `DUPLICATE_ID` naming both positions.
 */
export function registerUniqueId(seen: Map<string, number>, id: string, index: number, collection: string): void {
  const previous = seen.get(id);
  if (previous !== undefined) throw duplicateIdError(collection, index, previous, id);
  seen.set(id, index);
}
