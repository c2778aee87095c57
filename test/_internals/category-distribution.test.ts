import { describe, expect, it } from 'vitest';
import { categoryDistribution } from '../../src/_internals/category-distribution.js';

const csr = (rows: number[][]) => {
  const offsets = new Uint32Array(rows.length + 1);
  rows.forEach((row, i) => (offsets[i + 1] = (offsets[i] as number) + row.length));
  return { offsets, codes: Uint32Array.from(rows.flat()) };
};

describe('categoryDistribution', () => {
  it("spreads 1/|cats| per row and divides by the rows that have categories (Steck's form)", () => {
    const target = new Float64Array(4).fill(9);
    // Rows: {0}, {0, 1}, {} (no weight), {1, 2, 3}.
    const weighted = categoryDistribution(csr([[0], [0, 1], [], [1, 2, 3]]), 4, target);
    expect(weighted).toBe(3);
    expect([...target]).toEqual([(1 + 1 / 2) / 3, (1 / 2 + 1 / 3) / 3, 1 / 3 / 3, 1 / 3 / 3]);
  });

  it('returns 0 and an all-zero target when no row has categories', () => {
    const target = new Float64Array(2).fill(1);
    expect(categoryDistribution(csr([[], []]), 2, target)).toBe(0);
    expect([...target]).toEqual([0, 0]);
  });
});
