import { guardArguments } from '../_internals/metric-args.js';
import { exposureCounts } from '../_internals/exposure.js';

/**
 * Catalogue coverage (Ge, Delgado-Battenfeld & Jannach, RecSys 2010, "prediction coverage";
 * docs/formulas.md#catalogue-coverage): the share of the catalogue recommended to at least one user,
 *
 * `coverage = |∪_u list_u| / |catalog|`.
 *
 * @param lists - One recommended list per user, each without repeats.
 * @param catalog - Every item that could be recommended (repeats count once); not empty.
 * @returns a value in [0, 1].
 * @throws {@link RerankError} `INVALID_ARGUMENT` for an empty catalogue, a list with repeats, or a
 *   listed id that is not in the catalogue.
 */
export function catalogCoverage(lists: readonly (readonly string[])[], catalog: Iterable<string>): number {
  return guardArguments('catalogCoverage', () => catalogCoverageUnchecked(lists, catalog));
}

function catalogCoverageUnchecked(lists: readonly (readonly string[])[], catalog: Iterable<string>): number {
  const counts = exposureCounts('catalogCoverage', lists, catalog);
  let covered = 0;
  for (let i = 0; i < counts.length; i++) if ((counts[i] as number) > 0) covered++;
  return covered / counts.length;
}
