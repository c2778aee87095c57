import type { UserTimeline } from './movielens.js';

/** A rating at or above this is an interaction (a positive). @defaultValue 3.5 */
export const POSITIVE_THRESHOLD = 3.5;
/** Share of each user's latest ratings held out. @defaultValue 0.2 */
export const HELD_OUT_FRACTION = 0.2;
/** Users with fewer train positives are dropped. @defaultValue 10 */
export const MIN_TRAIN_POSITIVES = 10;

/** Options of {@link temporalSplit}. */
export interface SplitOptions {
  /** Ratings ≥ this are positives. @defaultValue {@link POSITIVE_THRESHOLD} */
  readonly threshold?: number;
  /** Fraction of each user's ratings, latest first, held out. @defaultValue {@link HELD_OUT_FRACTION} */
  readonly heldOutFraction?: number;
  /** Minimum train positives for a user to be kept. @defaultValue {@link MIN_TRAIN_POSITIVES} */
  readonly minTrainPositives?: number;
}

/** A per-user temporal hold-out split; arrays are aligned by kept user. */
export interface TemporalSplit {
  /** Train part of each kept user's timeline (every rating, positive or not), oldest first. */
  readonly train: readonly UserTimeline[];
  /** Train positives of each kept user, oldest first. */
  readonly trainPositives: readonly Int32Array[];
  /** Held-out positives of each kept user (possibly empty), oldest first. */
  readonly heldOutPositives: readonly Int32Array[];
}

/** Number of ratings held out of `n`: `max(1, round(fraction · n))`. */
export function heldOutCount(n: number, fraction: number = HELD_OUT_FRACTION): number {
  return Math.max(1, Math.round(fraction * n));
}

function positives(items: Int32Array, ratings: Float64Array, from: number, to: number, threshold: number): Int32Array {
  let count = 0;
  for (let i = from; i < to; i++) if ((ratings[i] as number) >= threshold) count++;
  const out = new Int32Array(count);
  let j = 0;
  for (let i = from; i < to; i++) if ((ratings[i] as number) >= threshold) out[j++] = items[i] as number;
  return out;
}

/**
 * The protocol of docs/evaluation.md#protocol: for each user, the latest {@link heldOutCount} ratings (by
 * timestamp, ties in file order) are held out; positives are ratings ≥ `threshold`; users with fewer
 * than `minTrainPositives` train positives are dropped. The held-out share is taken over *all* of the
 * user's ratings, so a user's held-out set may contain no positive. Applying it again to `train`
 * carves the validation split "the same way".
 */
export function temporalSplit(timelines: readonly UserTimeline[], options: SplitOptions = {}): TemporalSplit {
  const threshold = options.threshold ?? POSITIVE_THRESHOLD;
  const fraction = options.heldOutFraction ?? HELD_OUT_FRACTION;
  const minimum = options.minTrainPositives ?? MIN_TRAIN_POSITIVES;
  const train: UserTimeline[] = [];
  const trainPositives: Int32Array[] = [];
  const heldOutPositives: Int32Array[] = [];
  for (const timeline of timelines) {
    const n = timeline.items.length;
    const cut = n - heldOutCount(n, fraction);
    if (cut <= 0) continue;
    const kept = positives(timeline.items, timeline.ratings, 0, cut, threshold);
    if (kept.length < minimum) continue;
    train.push({ user: timeline.user, items: timeline.items.slice(0, cut), ratings: timeline.ratings.slice(0, cut) });
    trainPositives.push(kept);
    heldOutPositives.push(positives(timeline.items, timeline.ratings, cut, n, threshold));
  }
  return { train, trainPositives, heldOutPositives };
}
