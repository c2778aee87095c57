import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { catalogueRowsOf, SMALLEST_TABLE_BYTES, tableKernelsOf } from '../../src/pack/catalogue-rows.js';
import { createItemTable } from '../../src/pack/item-table.js';
import { rerank } from '../../src/rerank.js';
import { dpp } from '../../src/strategies/post/dpp.js';
import { mmr } from '../../src/strategies/post/mmr.js';
import { mulberry32 } from '../../src/_internals/random.js';
import type { Candidate, Reranker } from '../../src/types.js';
import { correlatedInput } from '../_internals/wasm/correlated-input.js';

/** A catalogue of `size` raw vectors and a request of `n` of them in a shuffled order. */
function catalogueCase(size: number, n: number, dim: number, seed: number) {
  const { embeddings, relevance } = correlatedInput(size, dim, 1, seed, 1);
  const raw = Array.from({ length: size }, (_, i) => Array.from(embeddings.subarray(i * dim, i * dim + dim), (x, j) => x * (1 + ((i + j) % 5))));
  const table = createItemTable(raw.map((embedding, i) => ({ id: `item-${i}`, embedding })));
  const random = mulberry32(seed + 1);
  const order = Array.from({ length: size }, (_, i) => i);
  for (let i = size - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [order[i], order[j]] = [order[j] as number, order[i] as number];
  }
  const picked = order.slice(0, n);
  const byId: Candidate[] = picked.map((row) => ({ id: `item-${row}`, relevance: relevance[row] as number }));
  const withVectors: Candidate[] = picked.map((row) => ({ id: `item-${row}`, relevance: relevance[row] as number, embedding: raw[row] as number[] }));
  return { table, byId, withVectors };
}

describe('catalogue rows read in place by the MMR kernels', () => {
  /** Rows of `dim` floats a table needs to get kernels of its own. */
  const rowsFor = (dim: number): number => Math.ceil(SMALLEST_TABLE_BYTES / (8 * dim));

  it('createItemTable keeps the rows of a table of 64 KB or more in a kernel memory of their own here (Node runs the kernels)', () => {
    const { table } = catalogueCase(rowsFor(3), 5, 3, 1);
    expect(tableKernelsOf(table)).toBeDefined();
    expect((table.embeddings as Float64Array).buffer).toBe(tableKernelsOf(table)?.kernels.memory.buffer);
    const small = catalogueCase(rowsFor(3) - 1, 5, 3, 1).table;
    expect(tableKernelsOf(small)).toBeUndefined();
    expect(rerank({ candidates: [{ id: 'item-0', relevance: 1 }, { id: 'item-1', relevance: 0 }], k: 2, strategy: mmr(), catalog: small }).items).toHaveLength(2);
  });

  it('selects the same items with the same scores and parts as the same vectors given raw, and as the dense reference', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 100 }),
        fc.integer({ min: 1, max: 11 }),
        fc.integer({ min: 1, max: 30 }),
        fc.constantFrom(0, 0.3, 0.5, 0.9),
        fc.nat(),
        (extra, dim, k, lambda, seed) => {
          const { table, byId, withVectors } = catalogueCase(rowsFor(dim) + extra, 1 + (seed % 200), dim, seed);
          expect(tableKernelsOf(table)).toBeDefined();
          const inPlace = rerank({ candidates: byId, k, strategy: mmr({ lambda }), catalog: table });
          expect(inPlace).toEqual(rerank({ candidates: withVectors, k, strategy: mmr({ lambda }) }));
          expect(inPlace.items).toEqual(rerank({ candidates: byId, k, strategy: mmr({ lambda, algorithm: 'dense' }), catalog: table }).items);
        },
      ),
      { numRuns: 100 },
    );
  });

  it('gathers the rows for strategies that read the embeddings (DPP, custom), and for mixed requests', () => {
    const { table, byId, withVectors } = catalogueCase(rowsFor(16), 60, 16, 7);
    expect(rerank({ candidates: byId, k: 10, strategy: dpp({ theta: 0.7 }), catalog: table }).items).toEqual(
      rerank({ candidates: withVectors, k: 10, strategy: dpp({ theta: 0.7 }) }).items,
    );
    let seen: { inPlace: boolean; rows: number[] } | undefined;
    const probe: Reranker = {
      name: 'probe',
      stage: 'post',
      requires: { embeddings: 'required' },
      select: (packed, k) => {
        seen = { inPlace: catalogueRowsOf(packed.candidates) !== undefined, rows: Array.from(packed.candidates.embeddings as Float64Array) };
        return { indices: Int32Array.from({ length: k }, (_, i) => i), scores: new Float64Array(k), parts: {} };
      },
    };
    rerank({ candidates: byId, k: 2, strategy: probe, catalog: table });
    const unit = table.embeddings as Float64Array;
    const expected = byId.flatMap(({ id }) => Array.from(unit.subarray(table.indexOf(id) * 16, table.indexOf(id) * 16 + 16)));
    expect(seen).toEqual({ inPlace: true, rows: expected });
    // one candidate carrying its own vector: every row is packed (no in-place reading)
    const mixed = byId.map((candidate, i) => (i === 3 ? (withVectors[i] as Candidate) : candidate));
    rerank({ candidates: mixed, k: 2, strategy: probe, catalog: table });
    expect(seen?.inPlace).toBe(false);
    expect(rerank({ candidates: mixed, k: 10, strategy: mmr(), catalog: table })).toEqual(rerank({ candidates: withVectors, k: 10, strategy: mmr() }));
  });

  it('keeps the catalogue valid across many requests of every size, and still reports a missing id', () => {
    const { table, byId } = catalogueCase(rowsFor(8), 300, 8, 3);
    const before = Array.from(table.embeddings as Float64Array);
    for (const n of [300, 1, 150, 300]) rerank({ candidates: byId.slice(0, n), k: Math.min(n, 20), strategy: mmr(), catalog: table });
    expect(Array.from(table.embeddings as Float64Array)).toEqual(before);
    expect(() => rerank({ candidates: [...byId.slice(0, 4), { id: 'nope', relevance: 1 }], k: 2, strategy: mmr(), catalog: table })).toThrow(
      expect.objectContaining({ code: 'MISSING_EMBEDDING', field: 'candidates[4].embedding' }),
    );
  });
});
