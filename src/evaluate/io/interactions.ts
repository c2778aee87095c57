import { seededRandom } from '../random.js';
import type { MovieLensData, UserTimeline } from '../movielens.js';
import { Growable, IdIndex } from './growable.js';
import { inputError } from './input-error.js';
import { DEFAULT_ITEM_COLUMNS, type ItemColumns, readItems } from './items.js';
import { type ColumnSpec, readTable } from './table.js';

/** Column names of an interactions file (defaults: ml-latest-small's `ratings.csv`). */
export interface InteractionColumns {
  /** User id. @defaultValue `userId` */
  readonly user: string;
  /** Item id. @defaultValue `movieId` */
  readonly item: string;
  /** Optional rating; without it every interaction is a positive. @defaultValue `rating` */
  readonly rating: string;
  /** Optional timestamp (any number that orders time); without it the split is a seeded random one. @defaultValue `timestamp` */
  readonly timestamp: string;
}

/** Default {@link InteractionColumns}. */
export const DEFAULT_INTERACTION_COLUMNS: InteractionColumns = { user: 'userId', item: 'movieId', rating: 'rating', timestamp: 'timestamp' };

/** The CLI flag that renames each interactions column. */
export const INTERACTION_FLAGS: Readonly<Record<keyof InteractionColumns, string>> = {
  user: '--user-col',
  item: '--item-col',
  rating: '--rating-col',
  timestamp: '--time-col',
};

/** Options of {@link loadInteractions}. */
export interface LoadInteractionsOptions {
  /** Interactions file (CSV with a header, or `.jsonl`). */
  readonly interactions: string;
  /** Optional items file (CSV or `.jsonl`). */
  readonly items?: string;
  /** Column names; keys given here must exist in the file. @defaultValue {@link DEFAULT_INTERACTION_COLUMNS} */
  readonly columns?: Partial<InteractionColumns>;
  /** Items-file column names. @defaultValue {@link DEFAULT_ITEM_COLUMNS} */
  readonly itemColumns?: Partial<ItemColumns>;
  /** Seed of the per-user shuffle used when there are no timestamps. @defaultValue 42 */
  readonly seed?: number;
}

/** Interactions loaded into per-user timelines (the shape the evaluation runs on). */
export interface LoadedInteractions extends MovieLensData {
  /** Whether a rating column was read; without one every rating is `+∞` (every interaction a positive). */
  readonly hasRatings: boolean;
  /** Whether a timestamp column was read; without one each timeline is in a seeded random order. */
  readonly hasTimestamps: boolean;
  /**
   * Where each item first appears in the interactions file: line, and item column (CSV field number
   * or JSONL key), for error messages about an item; line 0 for items only in the items file.
   */
  readonly firstSeen: { readonly lines: Int32Array; readonly column: number | string };
}

function shuffle(order: number[], random: () => number): void {
  for (let i = order.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [order[i], order[j]] = [order[j] as number, order[i] as number];
  }
}

/**
 * Streams an interactions file (and an optional items file) into per-user timelines. Storage is
 * columnar typed arrays that grow with the number of interactions (about 28 bytes each), never
 * users × items. Each user's interactions are ordered by timestamp (ties in file order), or shuffled
 * with `seed` when there is no timestamp column.
 *
 * @throws {@link RerankError} `INVALID_ARGUMENT` with a one-line `file:line:column:` message for an
 *   empty file, a missing or unknown column, a non-numeric rating or timestamp, or a duplicate
 *   (user, item) row.
 */
export async function loadInteractions(options: LoadInteractionsOptions): Promise<LoadedInteractions> {
  const columns = { ...DEFAULT_INTERACTION_COLUMNS, ...options.columns };
  const explicit = new Set(Object.keys(options.columns ?? {}));
  const items = new IdIndex();
  const itemColumns = { ...DEFAULT_ITEM_COLUMNS, ...options.itemColumns };
  const metadata = options.items === undefined ? undefined : await readItems(options.items, items, itemColumns, new Set(Object.keys(options.itemColumns ?? {})));
  const spec = (key: keyof InteractionColumns, kind: ColumnSpec['kind'], required: boolean): ColumnSpec => ({
    column: columns[key],
    kind,
    required,
    explicit: explicit.has(key),
    flag: INTERACTION_FLAGS[key],
  });
  const specs = [spec('user', 'string', true), spec('item', 'string', true), spec('rating', 'number', false), spec('timestamp', 'number', false)];
  const users = new IdIndex();
  const userOf = new Growable((n) => new Int32Array(n));
  const itemOf = new Growable((n) => new Int32Array(n));
  const ratingOf = new Growable((n) => new Float64Array(n));
  const timeOf = new Growable((n) => new Float64Array(n));
  const lineOf = new Growable((n) => new Int32Array(n));
  let itemColumn: number | string = columns.item;
  const summary = await readTable(options.interactions, specs, (values, line, where) => {
    itemColumn = where[1] as number | string;
    userOf.push(users.intern(values[0] as string));
    itemOf.push(items.intern(values[1] as string));
    ratingOf.push((values[2] as number | undefined) ?? Number.POSITIVE_INFINITY);
    timeOf.push((values[3] as number | undefined) ?? 0);
    lineOf.push(line);
  });
  const hasTimestamps = summary.present[3] === true;
  const n = userOf.length;
  const user = userOf.view();
  const item = itemOf.view();
  const rating = ratingOf.view();
  const time = timeOf.view();
  const lineNumber = lineOf.view();

  // Counting sort by user keeps file order within a user.
  const offsets = new Int32Array(users.size + 1);
  for (let i = 0; i < n; i++) offsets[(user[i] as number) + 1] = (offsets[(user[i] as number) + 1] as number) + 1;
  for (let u = 0; u < users.size; u++) offsets[u + 1] = (offsets[u + 1] as number) + (offsets[u] as number);
  const rows = new Int32Array(n);
  const fill = offsets.slice(0, users.size);
  for (let i = 0; i < n; i++) {
    const u = user[i] as number;
    rows[fill[u] as number] = i;
    fill[u] = (fill[u] as number) + 1;
  }

  const firstLines = new Int32Array(items.size);
  for (let i = n - 1; i >= 0; i--) firstLines[item[i] as number] = lineNumber[i] as number;

  const lastUser = new Int32Array(items.size).fill(-1);
  const lastRow = new Int32Array(items.size);
  const random = seededRandom(options.seed ?? 42);
  const timelines: UserTimeline[] = [];
  for (let u = 0; u < users.size; u++) {
    const order: number[] = [];
    for (let r = offsets[u] as number; r < (offsets[u + 1] as number); r++) {
      const row = rows[r] as number;
      const it = item[row] as number;
      if (lastUser[it] === u) {
        throw inputError(
          options.interactions,
          lineNumber[row] as number,
          undefined,
          `duplicate row: user "${users.ids[u] as string}" and item "${items.ids[it] as string}" already appear on line ${lineNumber[lastRow[it] as number] as number}; keep one row per user and item.`,
        );
      }
      lastUser[it] = u;
      lastRow[it] = row;
      order.push(row);
    }
    if (hasTimestamps) order.sort((a, b) => (time[a] as number) - (time[b] as number) || a - b);
    else shuffle(order, random);
    timelines.push({
      user: users.ids[u] as string,
      items: Int32Array.from(order, (row) => item[row] as number),
      ratings: Float64Array.from(order, (row) => rating[row] as number),
    });
  }
  const titles = Array.from(items.ids, (_, i) => metadata?.titles[i] ?? '');
  const genres = Array.from(items.ids, (_, i) => metadata?.categories[i] ?? []);
  return {
    items: items.ids,
    titles,
    genres,
    timelines,
    numRatings: n,
    hasRatings: summary.present[2] === true,
    hasTimestamps,
    ...(metadata?.hasEmbeddings === true ? { embeddings: Array.from(items.ids, (_, i) => metadata.embeddings[i]) } : {}),
    firstSeen: { lines: firstLines, column: itemColumn },
  };
}
