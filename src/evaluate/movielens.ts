import { createReadStream, existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { RerankError } from '../index.js';
import { parseCsv } from './csv.js';

/** The genre label MovieLens uses for a movie without genres; it maps to no category. */
export const NO_GENRES = '(no genres listed)';

/** One user's ratings in time order (timestamp, then file order for equal timestamps). */
export interface UserTimeline {
  /** The MovieLens `userId`. */
  readonly user: string;
  /** Item indices (into {@link MovieLensData.items}), oldest first. */
  readonly items: Int32Array;
  /** Ratings aligned with `items`. */
  readonly ratings: Float64Array;
}

/** A MovieLens CSV folder loaded into indices. */
export interface MovieLensData {
  /** `movieId` of each item index. */
  readonly items: readonly string[];
  /** Title of each item (empty for a movie rated but absent from `movies.csv`). */
  readonly titles: readonly string[];
  /** Genres of each item, `(no genres listed)` removed. */
  readonly genres: readonly (readonly string[])[];
  /** One timeline per user, in order of first appearance in `ratings.csv`. */
  readonly timelines: readonly UserTimeline[];
  /** Number of rating rows read. */
  readonly numRatings: number;
  /**
   * Item embeddings given with the data (an items file's `embedding` column), aligned with `items`;
   * `undefined` rows have none. When present, the evaluation offers them to the families that try
   * item representations as the `given` representation. @defaultValue none (MovieLens folders have none)
   */
  readonly embeddings?: readonly (Float64Array | undefined)[];
}

function dataError(message: string, field: string): RerankError {
  return new RerankError('INVALID_ARGUMENT', message, { field });
}

function requireFile(dir: string, name: string): string {
  const path = join(dir, name);
  if (!existsSync(path)) {
    throw dataError(`${name} not found in ${dir}: --data must be a MovieLens CSV folder holding movies.csv and ratings.csv (e.g. ml-latest-small).`, path);
  }
  return path;
}

/**
 * Reads `movies.csv` (`movieId,title,genres`, titles quoted when they hold commas or quotes, UTF-8).
 * Genres are split on `|`; `(no genres listed)` becomes no genre.
 */
export function readMovies(path: string): { ids: string[]; titles: string[]; genres: string[][] } {
  const rows = parseCsv(readFileSync(path, 'utf8'), path);
  const header = rows[0]?.join(',');
  if (header !== 'movieId,title,genres') {
    throw dataError(`${path}: header must be "movieId,title,genres", got "${header ?? ''}".`, path);
  }
  const ids: string[] = [];
  const titles: string[] = [];
  const genres: string[][] = [];
  for (let r = 1; r < rows.length; r++) {
    const row = rows[r] as string[];
    if (row.length === 1 && row[0] === '') continue;
    if (row.length !== 3 || row[0] === '') {
      throw dataError(`${path}: row ${r + 1} has ${row.length} fields; expected movieId,title,genres.`, path);
    }
    ids.push(row[0] as string);
    titles.push(row[1] as string);
    const labels = (row[2] as string).split('|').filter((g) => g !== '' && g !== NO_GENRES);
    genres.push(labels);
  }
  return { ids, titles, genres };
}

/**
 * Loads a MovieLens CSV folder (`ratings.csv` and `movies.csv`, the layout of ml-latest-small,
 * ml-latest, ml-25m and ml-32m). `ratings.csv` is streamed line by line. Movies rated but absent from
 * `movies.csv` are kept with no title and no genres.
 *
 * @throws {@link RerankError} `INVALID_ARGUMENT` when a file is missing or a row is malformed.
 */
export async function loadMovieLens(dir: string): Promise<MovieLensData> {
  const ratingsPath = requireFile(dir, 'ratings.csv');
  const movies = readMovies(requireFile(dir, 'movies.csv'));
  const items = [...movies.ids];
  const titles = [...movies.titles];
  const genres = [...movies.genres];
  const itemIndex = new Map<string, number>();
  items.forEach((id, index) => itemIndex.set(id, index));

  const userIndex = new Map<string, number>();
  const perUser: { user: string; items: number[]; ratings: number[]; times: number[] }[] = [];
  let lineNumber = 0;
  let numRatings = 0;
  const lines = createInterface({ input: createReadStream(ratingsPath, { encoding: 'utf8' }), crlfDelay: Infinity });
  for await (const raw of lines) {
    lineNumber++;
    const line = lineNumber === 1 && raw.charCodeAt(0) === 0xfeff ? raw.slice(1) : raw;
    if (lineNumber === 1) {
      if (line !== 'userId,movieId,rating,timestamp') {
        throw dataError(`${ratingsPath}: header must be "userId,movieId,rating,timestamp", got "${line}".`, ratingsPath);
      }
      continue;
    }
    if (line === '') continue;
    const parts = line.split(',');
    const rating = Number(parts[2]);
    const time = Number(parts[3]);
    if (parts.length !== 4 || parts[0] === '' || parts[1] === '' || !Number.isFinite(rating) || !Number.isFinite(time)) {
      throw dataError(`${ratingsPath}: line ${lineNumber} is not "userId,movieId,rating,timestamp" with numeric rating and timestamp.`, ratingsPath);
    }
    const movie = parts[1] as string;
    let item = itemIndex.get(movie);
    if (item === undefined) {
      item = items.length;
      itemIndex.set(movie, item);
      items.push(movie);
      titles.push('');
      genres.push([]);
    }
    const userId = parts[0] as string;
    let u = userIndex.get(userId);
    if (u === undefined) {
      u = perUser.length;
      userIndex.set(userId, u);
      perUser.push({ user: userId, items: [], ratings: [], times: [] });
    }
    const entry = perUser[u] as (typeof perUser)[number];
    entry.items.push(item);
    entry.ratings.push(rating);
    entry.times.push(time);
    numRatings++;
  }
  if (numRatings === 0) throw dataError(`${ratingsPath}: no ratings.`, ratingsPath);

  const timelines = perUser.map(({ user, items: rated, ratings, times }) => {
    const order = rated.map((_, i) => i).sort((a, b) => (times[a] as number) - (times[b] as number) || a - b);
    return {
      user,
      items: Int32Array.from(order, (i) => rated[i] as number),
      ratings: Float64Array.from(order, (i) => ratings[i] as number),
    };
  });
  return { items, titles, genres, timelines, numRatings };
}
