import type { ColumnSpec } from './table.js';
import { readTable } from './table.js';
import { inputError } from './input-error.js';
import type { IdIndex } from './growable.js';

/** The genre label MovieLens uses for a movie without genres; it maps to no category. */
const NO_GENRES = '(no genres listed)';

/** Column names of an items file (defaults: ml-latest-small's `movies.csv`). */
export interface ItemColumns {
  /** Item id. @defaultValue `movieId` */
  readonly item: string;
  /** Optional display title. @defaultValue `title` */
  readonly title: string;
  /** Optional categories, `|`-separated (a JSON array in JSONL). @defaultValue `genres` */
  readonly categories: string;
  /** Optional embedding: numbers separated by spaces (a JSON array in JSONL). @defaultValue `embedding` */
  readonly embedding: string;
}

/** The CLI flag that renames each items-file column. */
export const ITEM_FLAGS: Readonly<Record<keyof ItemColumns, string>> = {
  item: '--items-item-col',
  title: '--title-col',
  categories: '--categories-col',
  embedding: '--embedding-col',
};

/** Default {@link ItemColumns}. */
export const DEFAULT_ITEM_COLUMNS: ItemColumns = { item: 'movieId', title: 'title', categories: 'genres', embedding: 'embedding' };

/** What an items file adds, aligned with an {@link IdIndex}'s ids. */
export interface ItemMetadata {
  /** Title per item index (empty when unknown). */
  readonly titles: string[];
  /** Categories per item index. */
  readonly categories: string[][];
  /** Embedding per item index (`undefined` when the file has none for it). */
  readonly embeddings: (Float64Array | undefined)[];
  /** Whether the file has an embedding column. */
  readonly hasEmbeddings: boolean;
}

/**
 * Streams an items file (CSV or JSONL) into `items` (new ids are added): title, categories (the
 * MovieLens `(no genres listed)` means none) and embedding. Embeddings must all have one length and
 * none may be all zeros (cosine similarity needs a direction).
 *
 * @param explicit - Column keys named by the user (must exist).
 * @throws {@link RerankError} `INVALID_ARGUMENT` (`file:line:column:` message) on bad rows, a
 *   duplicate item, an embedding whose length differs from the first one, or an all-zero embedding.
 */
export async function readItems(path: string, items: IdIndex, columns: ItemColumns, explicit: ReadonlySet<string>): Promise<ItemMetadata> {
  const spec = (key: keyof ItemColumns, kind: ColumnSpec['kind'], required: boolean): ColumnSpec => ({
    column: columns[key],
    kind,
    required,
    explicit: explicit.has(key),
    flag: ITEM_FLAGS[key],
  });
  const specs = [spec('item', 'string', true), spec('title', 'string', false), spec('categories', 'list', false), spec('embedding', 'vector', false)];
  const titles: string[] = [];
  const categories: string[][] = [];
  const embeddings: (Float64Array | undefined)[] = [];
  const firstLine = new Map<number, number>();
  let dim = -1;
  let dimLine = 0;
  const summary = await readTable(path, specs, (values, line, where) => {
    const index = items.intern(values[0] as string);
    const seen = firstLine.get(index);
    if (seen !== undefined) throw inputError(path, line, 1, `duplicate row: item "${values[0] as string}" already appears on line ${seen}.`);
    firstLine.set(index, line);
    titles[index] = (values[1] as string | undefined) ?? '';
    categories[index] = ((values[2] as readonly string[] | undefined) ?? []).filter((c) => c !== NO_GENRES);
    const embedding = values[3] as Float64Array | undefined;
    if (embedding !== undefined) {
      if (dim === -1) [dim, dimLine] = [embedding.length, line];
      else if (embedding.length !== dim) throw inputError(path, line, where[3], `embedding has ${embedding.length} numbers; line ${dimLine} has ${dim}.`);
      if (embedding.every((x) => x === 0)) throw inputError(path, line, where[3], 'embedding is all zeros, so its cosine similarity is undefined; give the item a non-zero embedding or leave it out of the file.');
    }
    embeddings[index] = embedding;
  });
  for (let i = 0; i < items.size; i++) {
    titles[i] ??= '';
    categories[i] ??= [];
  }
  return { titles, categories, embeddings, hasEmbeddings: summary.present[3] === true };
}
