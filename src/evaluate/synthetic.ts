import { closeSync, mkdirSync, openSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { seededRandom } from './random.js';

/** Genres of the synthetic catalogue. */
const GENRES = ['Action', 'Comedy', 'Drama', 'Horror', 'Romance', 'Sci-Fi', 'Thriller', 'Animation', 'Documentary', 'Western', 'Musical', 'Crime'];

/** Shape of a synthetic interaction log. */
export interface SyntheticLogOptions {
  /** Number of interactions (rows of ratings.csv). */
  readonly interactions: number;
  /** Users. @defaultValue `max(20, interactions / 100)` */
  readonly users?: number;
  /** Items. @defaultValue `max(200, min(20000, interactions / 50))` */
  readonly items?: number;
  /** Zipf exponent of item popularity within a genre. @defaultValue 1 */
  readonly zipf?: number;
  /** Share of a user's interactions in their two preferred genres. @defaultValue 0.75 */
  readonly preference?: number;
  /** Seed (mulberry32). @defaultValue 1 */
  readonly seed?: number;
}

/** Cumulative weights → an index drawn by binary search. */
function drawIndex(cumulative: Float64Array, u: number): number {
  const target = u * (cumulative[cumulative.length - 1] as number);
  let lo = 0;
  let hi = cumulative.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((cumulative[mid] as number) < target) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * Writes a seeded synthetic interaction log in ml-latest-small's layout into `dir`: `ratings.csv`
 * (`userId,movieId,rating,timestamp`) and `movies.csv` (`movieId,title,genres`). Items belong to one
 * of 12 genre clusters and have power-law (Zipf) popularity inside their genre; each user prefers two
 * genres, draws `preference` of their interactions from them (rated higher) and the rest from any
 * genre; per-user counts are geometric around the mean (at least 15); timestamps increase per user.
 * The same options give the same bytes. Rows are streamed to disk in chunks.
 *
 * @returns The paths written.
 */
export function writeSyntheticLog(dir: string, options: SyntheticLogOptions): { ratings: string; movies: string } {
  const random = seededRandom(options.seed ?? 1);
  const total = options.interactions;
  const numUsers = options.users ?? Math.max(20, Math.round(total / 100));
  const numItems = options.items ?? Math.max(200, Math.min(20000, Math.round(total / 50)));
  const zipf = options.zipf ?? 1;
  const preference = options.preference ?? 0.75;
  mkdirSync(dir, { recursive: true });
  const genreOf = new Int32Array(numItems);
  const byGenre: number[][] = GENRES.map(() => []);
  for (let i = 0; i < numItems; i++) {
    const g = Math.floor(random() * GENRES.length);
    genreOf[i] = g;
    (byGenre[g] as number[]).push(i);
  }
  const cumulative = byGenre.map((members) => {
    const c = new Float64Array(Math.max(1, members.length));
    let sum = 0;
    members.forEach((_, r) => {
      sum += 1 / (r + 1) ** zipf;
      c[r] = sum;
    });
    return c;
  });
  const movies = join(dir, 'movies.csv');
  const moviesFd = openSync(movies, 'w');
  let chunk = 'movieId,title,genres\n';
  for (let i = 0; i < numItems; i++) {
    chunk += `${i + 1},"Film ${i + 1}, The (${1950 + (i % 70)})",${GENRES[genreOf[i] as number] as string}\n`;
    if (chunk.length > 1 << 20) {
      writeSync(moviesFd, chunk);
      chunk = '';
    }
  }
  writeSync(moviesFd, chunk);
  closeSync(moviesFd);

  const ratings = join(dir, 'ratings.csv');
  const fd = openSync(ratings, 'w');
  chunk = 'userId,movieId,rating,timestamp\n';
  const mean = total / numUsers;
  const seen = new Int32Array(numItems).fill(-1);
  let written = 0;
  for (let u = 0; u < numUsers && written < total; u++) {
    const left = total - written;
    const usersLeft = numUsers - u;
    const draw = Math.max(15, Math.round(-Math.log(1 - random()) * (mean - 15) + 15));
    const count = usersLeft === 1 ? left : Math.min(left, draw, numItems);
    const liked = [Math.floor(random() * GENRES.length), Math.floor(random() * GENRES.length)];
    let time = 1_000_000_000 + Math.floor(random() * 100_000_000);
    for (let n = 0, tries = 0; n < count && tries < count * 20; tries++) {
      const preferred = random() < preference;
      const g = preferred ? (liked[random() < 0.5 ? 0 : 1] as number) : Math.floor(random() * GENRES.length);
      const members = byGenre[g] as number[];
      if (members.length === 0) continue;
      const item = members[drawIndex(cumulative[g] as Float64Array, random())] as number;
      if (seen[item] === u) continue;
      seen[item] = u;
      const base = preferred ? 3.5 + random() * 1.5 : 1 + random() * 3.5;
      const rating = Math.min(5, Math.max(0.5, Math.round(base * 2) / 2));
      time += 1 + Math.floor(random() * 5000);
      chunk += `${u + 1},${item + 1},${rating},${time}\n`;
      n++;
      written++;
      if (chunk.length > 1 << 20) {
        writeSync(fd, chunk);
        chunk = '';
      }
    }
  }
  writeSync(fd, chunk);
  closeSync(fd);
  return { ratings, movies };
}
