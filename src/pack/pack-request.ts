import { describeValue } from '../errors/describe-value.js';
import { RerankError } from '../errors/rerank-error.js';
import { checkedRequirements } from '../_internals/options.js';
import { liveKernelRows } from '../_internals/wasm/kernel-instance.js';
import type { Need, PackedCategories, PackedRequest, RerankRequest, Requirements, UserContext } from '../types.js';
import { markCatalogueRows, type TableKernels, tableKernelsOf } from './catalogue-rows.js';
import { CategoryInterner, CategoryRowsBuilder } from './categories.js';
import { assertId } from './ids.js';
import { checkedPopularity, type ItemTable } from './item-table.js';
import { unitRowWriter } from './unit-row-writer.js';
import { unreadableRequestError } from './unreadable.js';
import { validateCandidates } from './validate-candidates.js';

interface ItemFields {
  readonly id: string;
  readonly embedding?: ArrayLike<number>;
  readonly categories?: readonly string[];
}

function allocateFloat64(length: number): Float64Array {
  return new Float64Array(length);
}

/** Row of item `i` in the catalogue when `has` says the catalogue holds the field, else -1. */
function catalogRow(rows: Int32Array | undefined, has: boolean, i: number): number {
  return rows !== undefined && has ? (rows[i] as number) : -1;
}

/** Each item's row in `catalog` (-1 when absent), or undefined without a catalogue. */
function catalogRows(items: readonly ItemFields[], catalog: ItemTable | undefined): Int32Array | undefined {
  return catalog === undefined ? undefined : Int32Array.from(items, (item) => catalog.indexOf(item.id));
}

function missing(code: 'MISSING_EMBEDDING' | 'MISSING_CATEGORIES' | 'MISSING_POPULARITY', field: string, what: string): RerankError {
  return new RerankError(
    code,
    `${field} is missing, and the strategy needs ${what}. Provide it on the item or pass a catalog (createItemTable) that holds it for this id.`,
    { field },
  );
}

/**
 * The length of the embedding at `field`, which sets the request's dimension.
 *
 * @throws {@link RerankError} `INVALID_REQUEST` when it is not a non-negative integer (not an array).
 */
function vectorLength(embedding: ArrayLike<number>, field: string): number {
  const { length } = embedding;
  if (!Number.isSafeInteger(length) || length < 0) {
    throw new RerankError('INVALID_REQUEST', `${field} must be an array of numbers; its length is ${describeValue(length)}.`, {
      field,
      value: length,
    });
  }
  return length;
}

/**
 * `n × dim` floats from `allocate`.
 *
 * @throws {@link RerankError} `INVALID_REQUEST` when the runtime cannot allocate them (an absurd
 *   length such as `{ length: 2 ** 40 }`), with the engine's error as `cause`.
 */
function allocateRows(allocate: (length: number) => Float64Array, n: number, dim: number, collection: string): Float64Array {
  try {
    return allocate(n * dim);
  } catch (cause) {
    const field = `${collection}[0].embedding`;
    throw new RerankError(
      'INVALID_REQUEST',
      `${collection} need ${n} × ${dim} float64 values for their embeddings (${dim} dimensions from ${field}.length), more than this runtime can allocate.`,
      { field, value: dim, cause },
    );
  }
}

/**
 * Packed embeddings: `inPlace` when they are catalogue rows the kernels read in place, in which case
 * `embeddings` is filled from the catalogue only when first read (see {@link packedCandidates}).
 */
interface PackedEmbeddings {
  readonly embeddings: Float64Array;
  readonly dim: number;
  readonly inPlace?: { readonly table: TableKernels; readonly rows: Int32Array };
}

/**
 * Packs embeddings of `items` into one unit-normalised row-major Float64Array.
 * Returns undefined when the field is not needed, or optional and absent everywhere.
 */
function packEmbeddings(
  items: readonly ItemFields[],
  rows: Int32Array | undefined,
  need: Need | undefined,
  catalog: ItemTable | undefined,
  expectedDim: number,
  collection: string,
  allocate: (length: number) => Float64Array,
): PackedEmbeddings | undefined {
  if (need === undefined) return undefined;
  const n = items.length;
  const fromCatalog = catalog?.embeddings !== undefined;
  const available = (i: number): boolean => (items[i] as ItemFields).embedding != null || catalogRow(rows, fromCatalog, i) >= 0;
  if (n === 0) return { embeddings: new Float64Array(0), dim: expectedDim };
  if (need === 'optional' && !available(0)) {
    for (let i = 1; i < n; i++) if (available(i)) throw missing('MISSING_EMBEDDING', `${collection}[0].embedding`, 'embeddings on every item once one has them');
    return undefined;
  }
  let dim = expectedDim;
  if (dim === 0) {
    const first = items[0] as ItemFields;
    dim = first.embedding != null ? vectorLength(first.embedding, `${collection}[0].embedding`) : catalogRow(rows, fromCatalog, 0) >= 0 ? (catalog as ItemTable).dim : 0;
  }
  const table = catalog !== undefined && fromCatalog && collection === 'candidates' ? tableKernelsOf(catalog) : undefined;
  if (table !== undefined && rows !== undefined && items.every((item) => item.embedding == null)) {
    // every row comes from a catalogue whose rows the MMR kernels read in place: copy them only if read
    const absent = rows.indexOf(-1);
    if (absent >= 0) throw missing('MISSING_EMBEDDING', `${collection}[${absent}].embedding`, 'embeddings');
    return { embeddings: allocateRows(allocate, n, dim, collection), dim, inPlace: { table, rows } };
  }
  const embeddings = allocateRows(allocate, n, dim, collection);
  const writer = unitRowWriter(
    embeddings,
    dim,
    (i) => (items[i] as ItemFields).embedding as ArrayLike<number>,
    (i) => `${collection}[${i}].embedding`,
  );
  for (let i = 0; i < n; i++) {
    const item = items[i] as ItemFields;
    if (item.embedding != null) {
      writer.write(item.embedding, i);
      continue;
    }
    writer.skip(i);
    const row = catalogRow(rows, fromCatalog, i);
    if (row < 0) throw missing('MISSING_EMBEDDING', `${collection}[${i}].embedding`, 'embeddings');
    const table = catalog as ItemTable;
    if (table.dim !== dim) {
      const field = `${collection}[${i}].embedding`;
      throw new RerankError('DIMENSION_MISMATCH', `catalog embeddings have ${table.dim} dimensions but ${field} needs ${dim}.`, {
        field,
        value: table.dim,
      });
    }
    embeddings.set((table.embeddings as Float64Array).subarray(row * dim, row * dim + dim), i * dim);
  }
  writer.finish(n);
  return { embeddings, dim };
}

function packCategories(
  items: readonly ItemFields[],
  rows: Int32Array | undefined,
  need: Need | undefined,
  catalog: ItemTable | undefined,
  interner: CategoryInterner,
  collection: string,
): PackedCategories | undefined {
  if (need === undefined) return undefined;
  const n = items.length;
  const table = catalog?.categories;
  const available = (i: number): boolean => (items[i] as ItemFields).categories != null || catalogRow(rows, table !== undefined, i) >= 0;
  if (need === 'optional' && n > 0 && !available(0)) {
    for (let i = 1; i < n; i++) if (available(i)) throw missing('MISSING_CATEGORIES', `${collection}[0].categories`, 'categories on every item once one has them');
    return undefined;
  }
  const builder = new CategoryRowsBuilder(n);
  for (let i = 0; i < n; i++) {
    const item = items[i] as ItemFields;
    const field = `${collection}[${i}].categories`;
    if (item.categories != null) {
      builder.pushNames(item.categories, interner, field);
      continue;
    }
    const row = catalogRow(rows, table !== undefined, i);
    if (row < 0 || table === undefined) throw missing('MISSING_CATEGORIES', field, 'categories');
    builder.pushCodes(table.codes, table.offsets[row] as number, table.offsets[row + 1] as number);
  }
  return builder.build();
}

function packPopularity(
  candidates: RerankRequest['candidates'],
  rows: Int32Array | undefined,
  need: Need | undefined,
  catalog: ItemTable | undefined,
): Float64Array | undefined {
  if (need === undefined) return undefined;
  const n = candidates.length;
  const table = catalog?.popularity;
  const lookup = (i: number): number | undefined => {
    const candidate = candidates[i] as RerankRequest['candidates'][number];
    if (candidate.popularity != null) return candidate.popularity;
    const row = catalogRow(rows, table !== undefined, i);
    return row >= 0 ? (table as Float64Array)[row] : undefined;
  };
  if (need === 'optional' && n > 0 && lookup(0) === undefined) {
    for (let i = 1; i < n; i++) if (lookup(i) !== undefined) throw missing('MISSING_POPULARITY', 'candidates[0].popularity', 'popularity on every candidate once one has it');
    return undefined;
  }
  const popularity = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const field = `candidates[${i}].popularity`;
    const value = lookup(i);
    if (value === undefined) throw missing('MISSING_POPULARITY', field, 'popularity counts');
    popularity[i] = checkedPopularity(value, field);
  }
  return popularity;
}

function validateUser(user: UserContext | undefined): readonly ItemFields[] {
  if (user === undefined) return [];
  if (user === null || typeof user !== 'object') {
    throw new RerankError('INVALID_REQUEST', 'user must be an object { id, history? }.', { field: 'user', value: user });
  }
  assertId(user.id, 'user.id');
  const history = user.history ?? [];
  if (!Array.isArray(history)) {
    throw new RerankError('INVALID_REQUEST', 'user.history must be an array of { id, embedding?, categories? }.', {
      field: 'user.history',
    });
  }
  for (let i = 0; i < history.length; i++) {
    const item: unknown = history[i];
    if (item === null || typeof item !== 'object') {
      throw new RerankError('INVALID_REQUEST', `user.history[${i}] must be an object { id, embedding?, categories? }.`, {
        field: `user.history[${i}]`,
      });
    }
    assertId((item as ItemFields).id, `user.history[${i}].id`);
  }
  return history;
}

/**
 * The packed candidates. `embeddings` is read through {@link liveKernelRows}: when they were packed
 * into WebAssembly memory and a kernel has grown it since (which detaches older views), every read
 * still sees the rows.
 */
function packedCandidates(
  ids: string[],
  relevance: Float64Array,
  embeddings: Float64Array | undefined,
  categories: PackedCategories | undefined,
  popularity: Float64Array | undefined,
  catalog: ItemTable | undefined,
  inPlace: PackedEmbeddings['inPlace'],
): PackedRequest['candidates'] {
  let rows = embeddings;
  let unfilled = inPlace !== undefined;
  const candidates = {
    n: ids.length,
    ids,
    relevance,
    get embeddings() {
      if (rows !== undefined) rows = liveKernelRows(rows);
      if (unfilled && rows !== undefined) {
        unfilled = false;
        copyCatalogueRows(catalog as ItemTable, (inPlace as NonNullable<typeof inPlace>).rows, rows);
      }
      return rows;
    },
    categories,
    popularity,
  };
  if (inPlace !== undefined) markCatalogueRows(candidates, inPlace.table, inPlace.rows);
  return candidates;
}

/** Copies catalogue row `rows[i]` of `catalog` into row i of `target`, for every i. */
function copyCatalogueRows(catalog: ItemTable, rows: Int32Array, target: Float64Array): void {
  const { dim } = catalog;
  const source = catalog.embeddings as Float64Array;
  for (let i = 0; i < rows.length; i++) {
    const row = rows[i] as number;
    target.set(source.subarray(row * dim, row * dim + dim), i * dim);
  }
}

/**
 * Validates a request once and packs what its strategy {@link Requirements | requires}:
 * ids checked unique, relevance finite, embeddings normalised into one contiguous `Float64Array`
 * (copied from the catalogue when omitted), categories interned to integer codes shared by
 * candidates and history. `k` is not checked here (see {@link rerank}).
 *
 * @param requires - What to pack; defaults to `request.strategy.requires`.
 * @param allocateCandidateEmbeddings - Where the candidates' unit rows go (`rerank()` passes its
 *   reusable buffer); a fresh `Float64Array` by default.
 * @throws {@link RerankError} with a code naming the first problem found; `INVALID_REQUEST` when
 *   `requires` is missing or malformed, `catalog` is not an {@link ItemTable}, an embedding's
 *   length is not a usable size, or reading the request throws (a getter or Proxy; the error is
 *   the `cause`).
 */
export function packRequest(
  request: RerankRequest,
  requires?: Requirements,
  allocateCandidateEmbeddings: (length: number) => Float64Array = allocateFloat64,
): PackedRequest {
  if (request === null || typeof request !== 'object') {
    throw new RerankError('INVALID_REQUEST', `packRequest expects a request object { candidates, k, strategy, user?, catalog? }, got ${describeValue(request)}.`);
  }
  try {
    return packChecked(request, requirementsOf(request, requires), allocateCandidateEmbeddings);
  } catch (error) {
    if (error instanceof RerankError) throw error;
    throw unreadableRequestError(request, error);
  }
}

/** `requires`, or the request's strategy's, checked. */
function requirementsOf(request: RerankRequest, requires: Requirements | undefined): Requirements {
  if (requires !== undefined) return checkedRequirements('packRequest', requires, 'requires');
  const strategy: unknown = request.strategy;
  const declared: unknown = strategy !== null && typeof strategy === 'object' ? (strategy as { requires?: unknown }).requires : undefined;
  return checkedRequirements('packRequest', declared, 'strategy.requires');
}

/** Whether `catalog` has the members packing reads from an {@link ItemTable}. */
function isItemTable(catalog: unknown): catalog is ItemTable {
  if (catalog === null || typeof catalog !== 'object') return false;
  const table = catalog as Partial<ItemTable>;
  return (
    typeof table.indexOf === 'function' &&
    Number.isSafeInteger(table.dim) &&
    Array.isArray(table.vocabulary) &&
    typeof (table.categoryCodes as Partial<ReadonlyMap<string, number>> | undefined)?.get === 'function'
  );
}

function packChecked(
  request: RerankRequest,
  requires: Requirements,
  allocateCandidateEmbeddings: (length: number) => Float64Array,
): PackedRequest {
  const { candidates, catalog } = request;
  if (!Array.isArray(candidates)) {
    throw new RerankError('INVALID_REQUEST', 'candidates must be an array of { id, relevance, ... }.', { field: 'candidates' });
  }
  if (catalog !== undefined && !isItemTable(catalog)) {
    throw new RerankError('INVALID_REQUEST', `catalog must be an ItemTable built by createItemTable(items), or omitted; got ${describeValue(catalog)}.`, {
      field: 'catalog',
    });
  }
  const { ids, relevance, rows } = validateCandidates(candidates, catalog);
  const history = validateUser(request.user);
  const historyRows = requires.historyEmbeddings === undefined && requires.historyCategories === undefined ? undefined : catalogRows(history, catalog);

  const packedEmbeddings = packEmbeddings(candidates, rows, requires.embeddings, catalog, 0, 'candidates', allocateCandidateEmbeddings);
  const historyEmbeddings = packEmbeddings(
    history,
    historyRows,
    requires.historyEmbeddings,
    catalog,
    packedEmbeddings?.dim ?? 0,
    'user.history',
    allocateFloat64,
  );
  const interner = catalog === undefined ? new CategoryInterner() : new CategoryInterner(catalog.categoryCodes, catalog.vocabulary);
  const categories = packCategories(candidates, rows, requires.categories, catalog, interner, 'candidates');
  const historyCategories = packCategories(history, historyRows, requires.historyCategories, catalog, interner, 'user.history');

  return {
    candidates: packedCandidates(
      ids,
      relevance,
      packedEmbeddings?.embeddings,
      categories,
      packPopularity(candidates, rows, requires.popularity, catalog),
      catalog,
      packedEmbeddings?.inPlace,
    ),
    history: {
      n: history.length,
      ids: history.map((item) => item.id),
      embeddings: historyEmbeddings?.embeddings,
      categories: historyCategories,
    },
    dim: packedEmbeddings?.dim ?? historyEmbeddings?.dim ?? 0,
    vocabulary: interner.vocabulary(),
    user: request.user,
  };
}
