import type { MovieLensData } from './movielens.js';

/** Default number of items the CLI's EASE base runs on (its solve costs items³). @defaultValue 2500 */
export const DEFAULT_MAX_ITEMS = 2500;

/**
 * Keeps only the `maxItems` items with the most interactions (ties by first appearance): every
 * timeline drops the other items. EASE inverts an items × items matrix, so this bounds its time
 * (items³) and memory (items²) whatever the catalogue size. Returns `data` itself when it already
 * has no more than `maxItems` items.
 */
export function restrictToTopItems(data: MovieLensData, maxItems: number): MovieLensData {
  if (data.items.length <= maxItems) return data;
  const counts = new Float64Array(data.items.length);
  for (const timeline of data.timelines) for (const item of timeline.items) counts[item] = (counts[item] as number) + 1;
  const order = Array.from(counts.keys()).sort((a, b) => (counts[b] as number) - (counts[a] as number) || a - b);
  const keep = new Uint8Array(data.items.length);
  for (const item of order.slice(0, maxItems)) keep[item] = 1;
  let numRatings = 0;
  const timelines = data.timelines.map((timeline) => {
    const kept: number[] = [];
    timeline.items.forEach((item, i) => {
      if (keep[item] === 1) kept.push(i);
    });
    numRatings += kept.length;
    return { user: timeline.user, items: Int32Array.from(kept, (i) => timeline.items[i] as number), ratings: Float64Array.from(kept, (i) => timeline.ratings[i] as number) };
  });
  return { ...data, timelines, numRatings };
}
