import type { UserTimeline } from './movielens.js';
import { temporalSplit, type SplitOptions, type TemporalSplit } from './split.js';

/**
 * Which split the evaluation reports on:
 * - `standard`: test is each user's latest ratings (the `heldOutFraction` of {@link temporalSplit});
 * - `shifted`: the whole protocol moves one window back in time, so test is the standard split's
 *   validation window (and the latest ratings are never used). A claim that holds on both splits
 *   is less likely to be an accident of one time window;
 * - `development`: two windows back (test is the shifted split's validation window). Not reported
 *   by default ({@link SPLIT_KINDS}): it is where a strategy's design can be iterated on without
 *   reading the test windows of the reported splits, which are all later than it.
 */
export type SplitKind = 'standard' | 'shifted' | 'development';

/** The reported split kinds, in report order (`development` is only run on request). */
export const SPLIT_KINDS: readonly SplitKind[] = ['standard', 'shifted'];

/** How many windows each split kind moves back in time from the latest ratings. */
const SHIFT: Readonly<Record<SplitKind, number>> = { standard: 0, shifted: 1, development: 2 };

/**
 * Three nested temporal windows, each carved from the next one's train part by the same per-user
 * hold-out ({@link temporalSplit}), so every held-out window is strictly earlier than the one after it:
 * - `fit`: labels for models that learn from labels (the learned pipeline) when their weight is
 *   chosen (such a model may carve further windows from `fit.train` the same way);
 * - `validation`: where every setting is chosen (and where learned models for test are fitted);
 * - `test`: where the chosen settings are reported, never read by selection.
 */
export interface NestedWindows {
  /** The split kind. */
  readonly kind: SplitKind;
  /** Held-out window before validation's. */
  readonly fit: TemporalSplit;
  /** Held-out window before test's. */
  readonly validation: TemporalSplit;
  /** The reported window. */
  readonly test: TemporalSplit;
}

/**
 * Builds the {@link NestedWindows} of a split kind: `standard` uses hold-out levels 1 (test), 2
 * (validation) and 3 (fit) of the timelines; `shifted` levels 2, 3 and 4; `development` levels 3, 4 and 5.
 */
export function nestedWindows(timelines: readonly UserTimeline[], kind: SplitKind, options: SplitOptions = {}): NestedWindows {
  const depth = SHIFT[kind] + 3;
  const levels: TemporalSplit[] = [temporalSplit(timelines, options)];
  while (levels.length < depth) levels.push(temporalSplit((levels[levels.length - 1] as TemporalSplit).train, options));
  const [test, validation, fit] = levels.slice(depth - 3) as [TemporalSplit, TemporalSplit, TemporalSplit];
  return { kind, fit, validation, test };
}
