import type { PackedCategories } from '../types.js';

/**
 * Category distribution of a set of rows in the form of Steck (RecSys 2018, "Calibrated
 * recommendations") with uniform item weights: each row with at least one category spreads
 * weight `1/|cats(row)|` over its categories, and the sum is divided by the number of such rows.
 * Rows without categories carry no weight.
 *
 * Writes `p(c)` into `target` (indexed by category code, zeroed first; codes ≥ `target.length`
 * must not occur).
 *
 * @returns the number of rows that carried weight; 0 means the distribution is undefined and
 *   `target` is left all zero.
 */
export function categoryDistribution(rows: PackedCategories, rowCount: number, target: Float64Array): number {
  target.fill(0);
  const { offsets, codes } = rows;
  let weighted = 0;
  for (let row = 0; row < rowCount; row++) {
    const start = offsets[row] as number;
    const end = offsets[row + 1] as number;
    if (end === start) continue;
    const share = 1 / (end - start);
    for (let p = start; p < end; p++) {
      const c = codes[p] as number;
      target[c] = (target[c] as number) + share;
    }
    weighted++;
  }
  if (weighted > 0) for (let c = 0; c < target.length; c++) target[c] = (target[c] as number) / weighted;
  return weighted;
}
