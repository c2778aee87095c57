import { RerankError } from '../errors/rerank-error.js';

/**
 * A binary user × item interaction matrix X in compressed sparse row form: the items of user `u`
 * are `indices[indptr[u] .. indptr[u + 1])`. Repeated items in a row count once (X is binary).
 */
export interface CsrInteractions {
  /** Number of items (columns of X); item indices are `0 .. numItems − 1`. */
  readonly numItems: number;
  /** Row offsets, length `users + 1`, non-decreasing, from 0 to `indices.length`. */
  readonly indptr: ArrayLike<number>;
  /** Item index of every stored entry. */
  readonly indices: ArrayLike<number>;
}

/**
 * The same matrix as (user, item) pairs: pair `p` is `(users[p], items[p])`, in any order.
 * Repeated pairs count once. User indices need not be contiguous; only distinct users matter.
 */
export interface PairInteractions {
  /** Number of items (columns of X); item indices are `0 .. numItems − 1`. */
  readonly numItems: number;
  /** User index (a non-negative integer) of every pair. */
  readonly users: ArrayLike<number>;
  /** Item index of every pair. */
  readonly items: ArrayLike<number>;
}

/** An interaction matrix, as CSR rows or as (user, item) pairs. */
export type Interactions = CsrInteractions | PairInteractions;

/** Validated rows of X: per user, its distinct items in increasing order, packed CSR-style. */
export interface InteractionRows {
  /** Number of items. */
  readonly numItems: number;
  /** Row offsets, length `rows + 1`. */
  readonly indptr: Int32Array;
  /** Distinct, sorted item indices of each row. */
  readonly indices: Int32Array;
  /** Distinct users of every item (the diagonal of XᵀX). */
  readonly itemCounts: Float64Array;
}

function invalid(message: string, field: string, value?: unknown): RerankError {
  return new RerankError('INVALID_ARGUMENT', `itemVectors: ${message}`, { field, ...(value === undefined ? {} : { value }) });
}

function isArrayLike(value: unknown): value is ArrayLike<number> {
  return value != null && typeof value === 'object' && typeof (value as { length?: unknown }).length === 'number';
}

function checkIndex(value: unknown, limit: number, field: string): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value >= limit) {
    throw invalid(`${field} must be an integer in [0, ${limit === Infinity ? '∞' : limit - 1}], got ${String(value)}.`, field, value);
  }
  return value;
}

/** Sorts each row, drops repeated items, and counts every item's distinct users. */
function packRows(numItems: number, rows: readonly Int32Array[]): InteractionRows {
  let total = 0;
  for (const row of rows) total += row.length;
  const indptr = new Int32Array(rows.length + 1);
  const buffer = new Int32Array(total);
  const itemCounts = new Float64Array(numItems);
  let at = 0;
  rows.forEach((row, r) => {
    row.sort();
    let previous = -1;
    for (const item of row) {
      if (item === previous) continue;
      buffer[at++] = item;
      itemCounts[item] = (itemCounts[item] as number) + 1;
      previous = item;
    }
    indptr[r + 1] = at;
  });
  return { numItems, indptr, indices: buffer.slice(0, at), itemCounts };
}

/**
 * Checks an {@link Interactions} value and returns its rows, deduplicated and sorted.
 *
 * @throws {@link RerankError} `INVALID_ARGUMENT` naming the field: `numItems` not a positive integer,
 *   neither `indptr`/`indices` nor `users`/`items` given, misaligned arrays, offsets that do not run
 *   from 0 to `indices.length` without decreasing, or an index that is not an integer in range.
 */
export function interactionRows(interactions: Interactions): InteractionRows {
  if (interactions === null || typeof interactions !== 'object') throw invalid('interactions must be an object ({ numItems, indptr, indices } or { numItems, users, items }).', 'interactions');
  const { numItems } = interactions;
  if (typeof numItems !== 'number' || !Number.isSafeInteger(numItems) || numItems < 1) {
    throw invalid(`numItems must be a positive integer, got ${String(numItems)}.`, 'interactions.numItems', numItems);
  }
  if ('indptr' in interactions || 'indices' in interactions) {
    const { indptr, indices } = interactions as CsrInteractions;
    if (!isArrayLike(indptr) || !isArrayLike(indices)) throw invalid('indptr and indices must both be arrays of integers.', 'interactions.indptr');
    if (indptr.length < 1 || indptr[0] !== 0 || indptr[indptr.length - 1] !== indices.length) {
      throw invalid(`indptr must start at 0 and end at indices.length (${indices.length}).`, 'interactions.indptr');
    }
    const rows: Int32Array[] = [];
    for (let r = 0; r + 1 < indptr.length; r++) {
      const from = indptr[r] as number;
      const to = checkIndex(indptr[r + 1], indices.length + 1, `interactions.indptr[${r + 1}]`);
      if (to < from) throw invalid(`indptr must not decrease (indptr[${r + 1}] = ${to} < ${from}).`, `interactions.indptr[${r + 1}]`, to);
      const row = new Int32Array(to - from);
      for (let p = from; p < to; p++) row[p - from] = checkIndex(indices[p], numItems, `interactions.indices[${p}]`);
      rows.push(row);
    }
    return packRows(numItems, rows);
  }
  const { users, items } = interactions as PairInteractions;
  if (!isArrayLike(users) || !isArrayLike(items)) {
    throw invalid('give either { indptr, indices } (CSR rows) or { users, items } (pairs), as arrays of integers.', 'interactions');
  }
  if (users.length !== items.length) {
    throw invalid(`users and items must have the same length (got ${users.length} and ${items.length}).`, 'interactions.items', items.length);
  }
  const rowOf = new Map<number, number>();
  const lengths: number[] = [];
  const rowOfPair = new Int32Array(users.length);
  for (let p = 0; p < users.length; p++) {
    const user = checkIndex(users[p], Infinity, `interactions.users[${p}]`);
    checkIndex(items[p], numItems, `interactions.items[${p}]`);
    let row = rowOf.get(user);
    if (row === undefined) {
      row = lengths.length;
      rowOf.set(user, row);
      lengths.push(0);
    }
    lengths[row] = (lengths[row] as number) + 1;
    rowOfPair[p] = row;
  }
  const rows = lengths.map((length) => new Int32Array(length));
  const fill = new Int32Array(lengths.length);
  for (let p = 0; p < users.length; p++) {
    const row = rowOfPair[p] as number;
    const at = fill[row] as number;
    (rows[row] as Int32Array)[at] = items[p] as number;
    fill[row] = at + 1;
  }
  return packRows(numItems, rows);
}
