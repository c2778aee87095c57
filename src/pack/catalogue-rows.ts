import { dedicatedKernels, type GreedyKernelExports } from '../_internals/wasm/kernel-instance.js';
import type { CatalogueRows } from '../_internals/wasm/mmr-kernels.js';
import type { ItemTable, PackedRequest } from '../types.js';

/**
 * Catalogue rows the MMR kernels read in place. Where the WebAssembly kernels run,
 * `createItemTable` keeps its unit rows at byte 0 of a kernel instance of its own, whose memory
 * also holds, right after the rows, room for one MMR request's workspace over at most every row
 * (similarities, candidate rows, picks: 16 bytes per row). That memory never grows after the table
 * is built, so `table.embeddings` stays a valid view; it lives as long as the table.
 */
export interface TableKernels {
  readonly kernels: GreedyKernelExports;
  /** Bytes of the rows (the workspace starts here). */
  readonly rowsBytes: number;
}

/** Workspace bytes per catalogue row: a similarity (8), a candidate's row (4), a pick (4). */
const WORKSPACE_BYTES_PER_ROW = 16;

/**
 * Smallest catalogue (bytes of rows) given kernels of its own: below one WebAssembly page of rows,
 * copying a request's rows costs less than an instance per table (about 25 µs and 128 KB).
 */
export const SMALLEST_TABLE_BYTES = 65_536;

/** Largest memory given to a catalogue's kernels (byte offsets stay below 2^31). */
const LARGEST_TABLE_BYTES = 2 ** 31 - 65_536;

const kernelsByTable = new WeakMap<ItemTable, TableKernels>();
const rowsByCandidates = new WeakMap<object, CatalogueRows>();

/**
 * Memory for a catalogue's `size × dim` unit rows: a view of byte 0 of a dedicated kernel instance
 * (see {@link TableKernels}) where the kernels run, the rows take at least
 * {@link SMALLEST_TABLE_BYTES} and the memory can be had, else undefined (the caller allocates a
 * plain array).
 */
export function tableRowsInKernelMemory(size: number, dim: number): { rows: Float64Array; kernels: TableKernels } | undefined {
  const rowsBytes = size * dim * Float64Array.BYTES_PER_ELEMENT;
  const bytes = rowsBytes + size * WORKSPACE_BYTES_PER_ROW + 64;
  if (rowsBytes < SMALLEST_TABLE_BYTES || bytes > LARGEST_TABLE_BYTES) return undefined;
  const kernels = dedicatedKernels(bytes);
  if (kernels === null) return undefined;
  return { rows: new Float64Array(kernels.memory.buffer, 0, size * dim), kernels: { kernels, rowsBytes } };
}

/** Records that `table`'s rows live in `kernels` (only `createItemTable` calls this). */
export function attachTableKernels(table: ItemTable, kernels: TableKernels | undefined): ItemTable {
  if (kernels !== undefined) kernelsByTable.set(table, kernels);
  return table;
}

/** The kernels holding `table`'s rows, when it has them. */
export function tableKernelsOf(table: ItemTable): TableKernels | undefined {
  return kernelsByTable.get(table);
}

/** Records that the packed `candidates` are the catalogue rows `rows` (see {@link catalogueRowsOf}). */
export function markCatalogueRows(candidates: PackedRequest['candidates'], table: TableKernels, rows: Int32Array): void {
  rowsByCandidates.set(candidates, { kernels: table.kernels, rowsBytes: table.rowsBytes, rows });
}

/**
 * Where the packed candidates' embeddings are rows of a catalogue that the kernels read in place
 * (every candidate taken from a `createItemTable` catalogue), those rows; else undefined.
 */
export function catalogueRowsOf(candidates: PackedRequest['candidates']): CatalogueRows | undefined {
  return rowsByCandidates.get(candidates);
}
