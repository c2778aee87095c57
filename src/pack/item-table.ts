import { describeValue } from '../errors/describe-value.js';
import { RerankError } from '../errors/rerank-error.js';
import { writeUnitVector } from '../_internals/vector.js';
import type { ItemTable, PackedCategories } from '../types.js';
import { CategoryInterner, CategoryRowsBuilder } from './categories.js';
import { assertId, registerUniqueId } from './ids.js';
import { attachTableKernels, type TableKernels, tableRowsInKernelMemory } from './catalogue-rows.js';
import { attachRowMarks } from './row-marks.js';
import { unreadableItemsError } from './unreadable.js';

export type { ItemTable };

/** One catalogue entry for {@link createItemTable}. */
export interface CatalogItem {
  /** Unique item id. */
  readonly id: string;
  /** Item vector; any non-zero finite vector, normalised once by the table. */
  readonly embedding?: ArrayLike<number>;
  /** Category labels. */
  readonly categories?: readonly string[];
  /** Number of distinct users who interacted with the item. */
  readonly popularity?: number;
}

function presence(items: readonly CatalogItem[], has: (item: CatalogItem) => boolean, field: string): boolean {
  const first = items.length > 0 && has(items[0] as CatalogItem);
  for (let i = 1; i < items.length; i++) {
    if (has(items[i] as CatalogItem) !== first) {
      throw new RerankError(
        field === 'embedding' ? 'MISSING_EMBEDDING' : field === 'categories' ? 'MISSING_CATEGORIES' : 'MISSING_POPULARITY',
        `createItemTable: items[${i}].${field} is ${first ? 'missing' : 'present'} but items[0].${field} is ${first ? 'present' : 'missing'}. Give every item the field, or none.`,
        { field: `items[${i}].${field}` },
      );
    }
  }
  return first;
}

/**
 * Validates and packs a catalogue once, for hosts that re-rank candidates from a fixed catalogue:
 * pass it as `rerank({ catalog })` and omit `embedding`/`categories` on candidates and history.
 * Each field must be present on every item or on none.
 *
 * Where the WebAssembly kernels run and the rows take at least 64 KB, the unit rows live at the
 * start of a kernel memory of the table's own, with 16 bytes per item of room after them, so that `mmr()` reads the rows of a
 * request whose candidates all come from the table in place instead of copying them; that memory
 * is the table's and is freed with it.
 *
 * @throws {@link RerankError} on duplicate or invalid ids and on invalid embeddings or popularity;
 *   `INVALID_ARGUMENT` naming the field when reading an item throws (a getter or Proxy; the error is
 *   the `cause`).
 */
export function createItemTable(items: readonly CatalogItem[]): ItemTable {
  try {
    return buildItemTable(items);
  } catch (error) {
    if (error instanceof RerankError) throw error;
    throw unreadableItemsError(items, error);
  }
}

function buildItemTable(items: readonly CatalogItem[]): ItemTable {
  if (!Array.isArray(items)) {
    throw new RerankError('INVALID_ARGUMENT', 'createItemTable: items must be an array of { id, embedding?, categories?, popularity? }.', {
      field: 'items',
    });
  }
  const size = items.length;
  const rowOf = new Map<string, number>();
  const ids: string[] = new Array(size);
  for (let i = 0; i < size; i++) {
    const id = (items[i] as CatalogItem).id;
    assertId(id, `items[${i}].id`);
    registerUniqueId(rowOf, id, i, 'items');
    ids[i] = id;
  }

  let dim = 0;
  let embeddings: Float64Array | undefined;
  let tableKernels: TableKernels | undefined;
  if (presence(items, (item) => item.embedding != null, 'embedding')) {
    dim = catalogueDim((items[0] as CatalogItem).embedding?.length);
    const inKernelMemory = tableRowsInKernelMemory(size, dim);
    tableKernels = inKernelMemory?.kernels;
    embeddings = inKernelMemory?.rows ?? allocateTableRows(size, dim);
    for (let i = 0; i < size; i++) {
      writeUnitVector((items[i] as CatalogItem).embedding as ArrayLike<number>, embeddings, i * dim, dim, `items[${i}].embedding`);
    }
  }

  const interner = new CategoryInterner();
  let categories: PackedCategories | undefined;
  if (presence(items, (item) => item.categories != null, 'categories')) {
    const rows = new CategoryRowsBuilder(size);
    for (let i = 0; i < size; i++) {
      rows.pushNames((items[i] as CatalogItem).categories as readonly string[], interner, `items[${i}].categories`);
    }
    categories = rows.build();
  }

  let popularity: Float64Array | undefined;
  if (presence(items, (item) => item.popularity != null, 'popularity')) {
    popularity = new Float64Array(size);
    for (let i = 0; i < size; i++) popularity[i] = checkedPopularity((items[i] as CatalogItem).popularity, `items[${i}].popularity`);
  }

  const table = attachRowMarks({
    size,
    dim,
    ids,
    indexOf: (id: string) => rowOf.get(id) ?? -1,
    embeddings,
    categories,
    popularity,
    vocabulary: interner.vocabulary(),
    categoryCodes: interner.toMap(),
  });
  return attachTableKernels(table, tableKernels);
}

/** The first item's embedding length, when it is a usable size. */
function catalogueDim(length: unknown): number {
  if (typeof length !== 'number' || !Number.isSafeInteger(length) || length < 0) {
    throw new RerankError('INVALID_ARGUMENT', `createItemTable: items[0].embedding must be an array of numbers; its length is ${describeValue(length)}.`, {
      field: 'items[0].embedding',
      value: length,
    });
  }
  return length;
}

function allocateTableRows(size: number, dim: number): Float64Array {
  try {
    return new Float64Array(size * dim);
  } catch (cause) {
    throw new RerankError(
      'INVALID_ARGUMENT',
      `createItemTable: ${size} items × ${dim} dimensions (from items[0].embedding.length) is more float64 values than this runtime can allocate.`,
      { field: 'items[0].embedding', value: dim, cause },
    );
  }
}

/**
 * Returns `value` when it is a finite number ≥ 0.
 *
 * @throws {@link RerankError} `INVALID_POPULARITY`.
 */
export function checkedPopularity(value: unknown, field: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
    throw new RerankError('INVALID_POPULARITY', `${field} must be a finite number ≥ 0 (a count of users), got ${describeValue(value)}.`, {
      field,
      value,
    });
  }
  return value;
}
