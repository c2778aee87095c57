import { MIN_ITEM_SUPPORT } from './ease.js';
import type { MovieLensData } from './movielens.js';
import { POSITIVE_THRESHOLD } from './split.js';

/** Default number of items the CLI's EASE base may run on (its solve costs items³). @defaultValue 2500 */
export const DEFAULT_MAX_ITEMS = 2500;

/** Options of {@link restrictToTopItems}. */
export interface TopItemsOptions {
  /** Ratings at or above this are positives. @defaultValue {@link POSITIVE_THRESHOLD} */
  readonly threshold?: number;
  /** Items need this many users with a positive to enter EASE. @defaultValue {@link MIN_ITEM_SUPPORT} */
  readonly minSupport?: number;
}

/**
 * Caps the items EASE can see at `maxItems`. EASE inverts an items × items matrix, so this bounds its
 * time (items³) and memory (items²) whatever the catalogue size. EASE only ever uses items with at
 * least `minSupport` users with a positive; when there are no more of those than `maxItems` (the
 * case of ml-latest-small: 2,412 ≤ 2,500), `data` itself is returned and nothing changes. Otherwise
 * the `maxItems` of them with the most such users are kept (ties by lower index) and every positive
 * of any other item becomes a non-positive (rating −∞): the timelines, and so every user's split,
 * stay the same, and the capped items can neither be recommended nor count as hits.
 */
export function restrictToTopItems(data: MovieLensData, maxItems: number, options: TopItemsOptions = {}): MovieLensData {
  const threshold = options.threshold ?? POSITIVE_THRESHOLD;
  const minSupport = options.minSupport ?? MIN_ITEM_SUPPORT;
  const users = new Float64Array(data.items.length);
  const lastUser = new Int32Array(data.items.length).fill(-1);
  data.timelines.forEach((timeline, u) => {
    timeline.items.forEach((item, i) => {
      if ((timeline.ratings[i] as number) >= threshold && lastUser[item] !== u) {
        lastUser[item] = u;
        users[item] = (users[item] as number) + 1;
      }
    });
  });
  const eligible = Array.from(users.keys()).filter((item) => (users[item] as number) >= minSupport);
  if (eligible.length <= maxItems) return data;
  eligible.sort((a, b) => (users[b] as number) - (users[a] as number) || a - b);
  const keep = new Uint8Array(data.items.length);
  for (const item of eligible.slice(0, maxItems)) keep[item] = 1;
  const timelines = data.timelines.map((timeline) => ({
    user: timeline.user,
    items: timeline.items,
    ratings: Float64Array.from(timeline.ratings, (rating, i) => (keep[timeline.items[i] as number] === 1 ? rating : Number.NEGATIVE_INFINITY)),
  }));
  return { ...data, timelines };
}
