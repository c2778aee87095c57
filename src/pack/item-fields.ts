import { RerankError } from '../errors/rerank-error.js';

/** The members of a candidate or history item that packing reads. */
export interface ItemFields {
  readonly id: string;
  readonly embedding?: ArrayLike<number>;
  readonly categories?: readonly string[];
}

/** Row of item `i` in the catalogue when `has` says the catalogue holds the field, else -1. */
export function catalogRow(rows: Int32Array | undefined, has: boolean, i: number): number {
  return rows !== undefined && has ? (rows[i] as number) : -1;
}

/** The error for an item that lacks a field its strategy needs, on the item and in the catalogue. */
export function missing(code: 'MISSING_EMBEDDING' | 'MISSING_CATEGORIES' | 'MISSING_POPULARITY', field: string, what: string): RerankError {
  return new RerankError(
    code,
    `${field} is missing, and the strategy needs ${what}. Provide it on the item or pass a catalog (createItemTable) that holds it for this id.`,
    { field },
  );
}
