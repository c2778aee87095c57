import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { seededRandom } from '../../src/evaluate/random.js';

/** Shape of {@link writeSyntheticMovieLens}'s data. */
export interface SyntheticShape {
  readonly users: number;
  readonly items: number;
  readonly ratingsPerUser: number;
  readonly seed: number;
}

const GENRES = ['Action', 'Comedy', 'Drama', 'Horror', 'Romance', 'Sci-Fi', 'Thriller', 'Animation'];

/**
 * Writes a small MovieLens-format folder (movies.csv with quoted titles holding commas, quotes and
 * UTF-8; ratings.csv) to a fresh temp dir and returns its path. Each user prefers two genres and
 * mostly rates items of them, and higher; other picks follow a skewed popularity, so "most popular"
 * is meaningful.
 */
export function writeSyntheticMovieLens(shape: SyntheticShape): string {
  const random = seededRandom(shape.seed);
  const dir = mkdtempSync(join(tmpdir(), 'serendipity-synthetic-'));
  const movies = ['movieId,title,genres'];
  const itemGenres: number[] = [];
  for (let i = 0; i < shape.items; i++) {
    const genre = i % GENRES.length;
    itemGenres.push(genre);
    const title = i % 3 === 0 ? `"Film ${i}, The (19${50 + (i % 50)})"` : i % 3 === 1 ? `"Película ""${i}"" (2001)"` : `Movie ${i} (1999)`;
    const genres = i % 17 === 5 ? '(no genres listed)' : `${GENRES[genre]}|${GENRES[(genre + 3) % GENRES.length]}`;
    movies.push(`${i + 1},${title},${genres}`);
  }
  const ratings = ['userId,movieId,rating,timestamp'];
  for (let u = 0; u < shape.users; u++) {
    const liked = new Set([u % GENRES.length, (u * 3 + 1) % GENRES.length]);
    const chosen = new Set<number>();
    const likedItems = itemGenres.flatMap((genre, item) => (liked.has(genre) ? [item] : []));
    while (chosen.size < shape.ratingsPerUser) {
      // Mostly items of the liked genres, otherwise skewed popularity (low ids drawn more often).
      chosen.add(random() < 0.6 ? (likedItems[Math.floor(random() * likedItems.length)] as number) : Math.floor(shape.items * random() ** 1.8));
    }
    let time = 1_000_000 + u * 10_000;
    for (const item of chosen) {
      time += 1 + Math.floor(random() * 50);
      const base = liked.has(itemGenres[item] as number) ? 4 : 2.5;
      const rating = Math.min(5, Math.max(0.5, Math.round((base + (random() - 0.3) * 2) * 2) / 2));
      ratings.push(`${u + 1},${item + 1},${rating.toFixed(1)},${time}`);
    }
  }
  writeFileSync(join(dir, 'movies.csv'), `${movies.join('\r\n')}\r\n`, 'utf8');
  writeFileSync(join(dir, 'ratings.csv'), `${ratings.join('\n')}\n`, 'utf8');
  return dir;
}
