import { describeValue } from '../errors/describe-value.js';
import { RerankError } from '../errors/rerank-error.js';
import type { Need } from '../types.js';
import { type TableKernels, tableKernelsOf } from './catalogue-rows.js';
import { catalogRow, type ItemFields, missing } from './item-fields.js';
import type { ItemTable } from './item-table.js';
import { unitRowWriter } from './unit-row-writer.js';

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
export interface PackedEmbeddings {
  readonly embeddings: Float64Array;
  readonly dim: number;
  readonly inPlace?: { readonly table: TableKernels; readonly rows: Int32Array };
}

/**
 * Packs embeddings of `items` into one unit-normalised row-major Float64Array.
 * Returns undefined when the field is not needed, or optional and absent everywhere.
 */
export function packEmbeddings(
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

/** Copies catalogue row `rows[i]` of `catalog` into row i of `target`, for every i. */
export function copyCatalogueRows(catalog: ItemTable, rows: Int32Array, target: Float64Array): void {
  const { dim } = catalog;
  const source = catalog.embeddings as Float64Array;
  for (let i = 0; i < rows.length; i++) {
    const row = rows[i] as number;
    target.set(source.subarray(row * dim, row * dim + dim), i * dim);
  }
}
