import { describeValue } from '../errors/describe-value.js';
import { RerankError } from '../errors/rerank-error.js';
import { checkedRequirements } from '../_internals/options.js';
import { liveKernelRows } from '../_internals/wasm/kernel-instance.js';
import type { Need, PackedCategories, PackedRequest, RerankRequest, Requirements, UserContext } from '../types.js';
import { markCatalogueRows } from './catalogue-rows.js';
import { CategoryInterner, CategoryRowsBuilder } from './categories.js';
import { assertId } from './ids.js';
import { catalogRow, type ItemFields, missing } from './item-fields.js';
import { checkedPopularity, type ItemTable } from './item-table.js';
import { copyCatalogueRows, type PackedEmbeddings, packEmbeddings } from './pack-embeddings.js';
import { unreadableRequestError } from './unreadable.js';
import { validateCandidates } from './validate-candidates.js';

function allocateFloat64(length: number): Float64Array {
  return new Float64Array(length);
}

/** Each item's row in `catalog` (-1 when absent), or undefined without a catalogue. */
function catalogRows(items: readonly ItemFields[], catalog: ItemTable | undefined): Int32Array | undefined {
  return catalog === undefined ? undefined : Int32Array.from(items, (item) => catalog.indexOf(item.id));
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
