import type { MovieLensData } from './movielens.js';
import { seededRandom } from './random.js';

/**
 * A seeded sample of at most `maxUsers` users with all their interactions (the others dropped), in
 * their original order. The evaluation's time grows with the number of users (every strategy
 * re-ranks every user's candidates at every grid point), so a sample bounds it on large logs; the
 * paired bootstrap intervals in the report show what the sample size costs in precision. Returns
 * `data` itself when it has no more than `maxUsers` users.
 */
export function sampleUsers(data: MovieLensData, maxUsers: number, seed: number): MovieLensData {
  if (data.timelines.length <= maxUsers) return data;
  const random = seededRandom(seed ^ 0x5a17);
  const order = data.timelines.map((_, u) => u);
  for (let i = order.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [order[i], order[j]] = [order[j] as number, order[i] as number];
  }
  const kept = order.slice(0, maxUsers).sort((a, b) => a - b);
  const timelines = kept.map((u) => data.timelines[u] as MovieLensData['timelines'][number]);
  return { ...data, timelines, numRatings: timelines.reduce((n, t) => n + t.items.length, 0) };
}
