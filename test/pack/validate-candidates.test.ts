import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { RerankError } from '../../src/errors/rerank-error.js';
import { createItemTable, type ItemTable } from '../../src/pack/item-table.js';
import { rerank } from '../../src/rerank.js';
import { relevance } from '../../src/strategies/post/relevance.js';
import type { Candidate } from '../../src/types.js';

const CATALOGUED = ['a', 'b', 'c', '__proto__', 'constructor'] as const;
const catalog = createItemTable(CATALOGUED.map((id) => ({ id })));

/** The result, or the error's code, field and message, of re-ranking `candidates` by relevance. */
function outcome(candidates: readonly unknown[], table: ItemTable | undefined): unknown {
  try {
    return rerank({ candidates: candidates as Candidate[], k: 3, strategy: relevance(), ...(table === undefined ? {} : { catalog: table }) });
  } catch (error) {
    const { code, field, message } = error as RerankError;
    return { code, field, message };
  }
}

const candidateArb: fc.Arbitrary<unknown> = fc.oneof(
  {
    weight: 20,
    arbitrary: fc.record({
      id: fc.constantFrom<unknown>(...CATALOGUED, 'x', 'y', 'toString'),
      relevance: fc.oneof({ weight: 9, arbitrary: fc.integer({ min: 0, max: 3 }) }, { weight: 1, arbitrary: fc.constant(Number.NaN) }),
    }),
  },
  { weight: 1, arbitrary: fc.constantFrom<unknown>(null, 7, { id: '', relevance: 1 }, { id: 3, relevance: 1 }) },
);

describe('candidate validation with a catalogue', () => {
  it('reports the same first problem, or gives the same result, as without a catalogue, on every repeat', () => {
    fc.assert(
      fc.property(fc.array(candidateArb, { maxLength: 10 }), (candidates) => {
        const expected = outcome(candidates, undefined);
        expect(outcome(candidates, catalog)).toEqual(expected);
        expect(outcome(candidates, catalog)).toEqual(expected);
        expect(outcome(candidates, { ...catalog })).toEqual(expected);
      }),
      { numRuns: 500 },
    );
  });

  it('names both positions of an id repeated among catalogued candidates', () => {
    const candidates = [{ id: 'b', relevance: 1 }, { id: 'x', relevance: 1 }, { id: '__proto__', relevance: 1 }, { id: 'b', relevance: 0 }];
    expect(outcome(candidates, catalog)).toMatchObject({ code: 'DUPLICATE_ID', field: 'candidates[3].id' });
    expect(() => rerank({ candidates, catalog, k: 1, strategy: relevance() })).toThrow(/candidates\[3\].*candidates\[0\]/);
  });

  it('keeps an outer request correct when reading a candidate runs a nested rerank() on the same catalogue', () => {
    const nested = { id: 'b', relevance: 1 };
    const candidates = [
      { id: 'a', relevance: 1 },
      {
        get id() {
          rerank({ candidates: [{ id: 'a', relevance: 1 }, nested], catalog, k: 1, strategy: relevance() });
          return 'b';
        },
        relevance: 0.5,
      },
      { id: 'c', relevance: 0 },
    ];
    expect(rerank({ candidates, catalog, k: 3, strategy: relevance() }).items.map((item) => item.id)).toEqual(['a', 'b', 'c']);
    expect(outcome([...candidates, { id: 'a', relevance: 0 }], catalog)).toMatchObject({ code: 'DUPLICATE_ID', field: 'candidates[3].id' });
  });
});
