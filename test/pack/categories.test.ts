import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CategoryInterner, CategoryRowsBuilder } from '../../src/pack/categories.js';
import { createItemTable } from '../../src/pack/item-table.js';
import { packRequest } from '../../src/pack/pack-request.js';
import { relevance } from '../../src/strategies/post/relevance.js';

/** Distinct labels in first-occurrence order: the expected row, computed without the builder. */
function firstOccurrences(labels: readonly string[]): string[] {
  const out: string[] = [];
  for (const label of labels) if (!out.includes(label)) out.push(label);
  return out;
}

function rowNames(labels: readonly string[][]): string[][] {
  const interner = new CategoryInterner();
  const builder = new CategoryRowsBuilder(labels.length);
  labels.forEach((row, i) => builder.pushNames(row, interner, `items[${i}].categories`));
  const { offsets, codes } = builder.build();
  const vocabulary = interner.vocabulary();
  return labels.map((_, i) => Array.from(codes.subarray(offsets[i], offsets[i + 1]), (code) => vocabulary[code] as string));
}

describe('category rows', () => {
  it('keep the first occurrence of each label, in order, for short and long rows alike', () => {
    const label = fc.integer({ min: 0, max: 60 }).map((x) => `c${x}`);
    fc.assert(
      fc.property(fc.array(fc.array(label, { maxLength: 120 }), { maxLength: 5 }), (rows) => {
        expect(rowNames(rows)).toEqual(rows.map(firstOccurrences));
      }),
      { numRuns: 300 },
    );
  });

  it('fault 9: one item with 80,000 labels (half of them repeats) packs in linear time and exactly', () => {
    // The old builder compared each label with every earlier label of its row: 80,000 labels took
    // about 5.6 s. Linear de-duplication does it in milliseconds (see the report; no timing here).
    const distinct = Array.from({ length: 40_000 }, (_, j) => `label-${j}`);
    const labels = [...distinct, ...distinct.slice().reverse()];
    const table = createItemTable([{ id: 'big', categories: labels }, { id: 'small', categories: ['label-7', 'x', 'label-7'] }]);
    const { offsets, codes } = table.categories as { offsets: Uint32Array; codes: Uint32Array };
    expect(offsets[1]).toBe(40_000);
    expect(Array.from(codes.subarray(0, 40_000), (code) => table.vocabulary[code])).toEqual(distinct);
    expect(Array.from(codes.subarray(offsets[1], offsets[2]), (code) => table.vocabulary[code])).toEqual(['label-7', 'x']);

    const packed = packRequest(
      { candidates: [{ id: 'c', relevance: 1, categories: labels }], k: 1, strategy: relevance() },
      { categories: 'required' },
    );
    expect(packed.candidates.categories?.codes.length).toBe(40_000);
  });
});
