/**
 * Fewest users a validation or test window should hold for the selection margin to keep its
 * promise. The margin widens a paired-bootstrap interval over users, and a percentile bootstrap
 * over few users is a rough guide to the noise of a ratio of sums (Efron & Tibshirani 1993, ch. 13;
 * rougher with the sparse hits of a top-10 list). Measured with `npm run demo` on seeded
 * `writeSyntheticLog` logs, by users per validation and test window: 25–29 users, 3 of 50 selected
 * rows missed their floor on test; 45–50, 1 of 52; 84–97, none of 167 (three logs); 157–200, none
 * of 168. The threshold keeps a margin above the smallest windows that missed.
 * @defaultValue 100
 */
export const MIN_RELIABLE_USERS = 100;

/** A split's evaluated users per window. */
export interface SplitUsers {
  /** Split name (`standard`, `shifted`, or mode (b)'s user split). */
  readonly split: string;
  /** Users evaluated on validation and on test. */
  readonly users: { readonly validation: number; readonly test: number };
}

/**
 * One note per split whose validation or test window has fewer than {@link MIN_RELIABLE_USERS}
 * users, saying that its selected rows may miss their floor on test; none otherwise.
 */
export function fewUsersNotes(splits: readonly SplitUsers[]): string[] {
  return splits
    .filter(({ users }) => Math.min(users.validation, users.test) < MIN_RELIABLE_USERS)
    .map(
      ({ split, users }) =>
        `the ${split} split has ${users.validation} validation and ${users.test} test users; below ${MIN_RELIABLE_USERS} per window the bootstrap intervals are a rough guide, so its selected rows may miss their floor on test`,
    );
}
