import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { RerankError } from '../../src/errors/rerank-error.js';
import { createItemTable } from '../../src/pack/item-table.js';
import { packRequest } from '../../src/pack/pack-request.js';
import { withPackingBuffer } from '../../src/pack/packing-buffer.js';
import { defaultKernelBackend, lentRowsNormaliser } from '../../src/_internals/wasm/kernel-instance.js';
import type { ItemTable, Requirements, RerankRequest } from '../../src/types.js';

const requires: Requirements = { embeddings: 'required' };
const strategy = { name: 'pack', stage: 'post', requires, select: () => ({ indices: [], scores: [], parts: {} }) } as unknown as RerankRequest['strategy'];

type Outcome = { rows: number[] } | { code: string; field: string | undefined; message: string };

function outcome(pack: () => Float64Array): Outcome {
  try {
    return { rows: Array.from(pack()) };
  } catch (error) {
    if (!(error instanceof RerankError)) throw error;
    return { code: error.code, field: error.field, message: error.message };
  }
}

/** Packs the candidates as `rerank()` does: into the kernels' memory, normalised by the batched kernel. */
function packedInKernelMemory(embeddings: unknown[], catalog?: ItemTable): Outcome {
  return outcome(() =>
    withPackingBuffer((allocate) => {
      const request = { candidates: embeddings.map((embedding, i) => ({ id: `c${i}`, relevance: 1, embedding })), k: 1, strategy, catalog } as RerankRequest;
      return Float64Array.from(packRequest(request, requires, allocate).candidates.embeddings as Float64Array);
    }),
  );
}

/** Packs them into a fresh array, row by row in JS (writeUnitVector): the reference. */
function packedInJs(embeddings: unknown[], catalog?: ItemTable): Outcome {
  return outcome(() => {
    const request = { candidates: embeddings.map((embedding, i) => ({ id: `c${i}`, relevance: 1, embedding })), k: 1, strategy, catalog } as RerankRequest;
    return packRequest(request, requires).candidates.embeddings as Float64Array;
  });
}

describe('batched unit rows in the kernels’ memory', () => {
  it('runs here (Node has WebAssembly SIMD), so the tests below exercise the kernel', () => {
    expect(defaultKernelBackend()).toBe('wasm');
    withPackingBuffer((allocate) => {
      expect(lentRowsNormaliser((allocate as (length: number) => Float64Array)(8))).toBeDefined();
    });
    expect(lentRowsNormaliser(new Float64Array(8))).toBeUndefined();
  });

  it('normalises hand-worked vectors of every input type', () => {
    const packed = packedInKernelMemory([[3, 4], Float64Array.of(0, -2), Float32Array.of(5, 12), [1e-309, 0], [3e300, 4e300]]);
    const expected = [0.6, 0.8, 0, -1, 5 / 13, 12 / 13, 1, 0, 0.6, 0.8];
    if (!('rows' in packed)) throw new Error(`packing failed: ${packed.message}`);
    expect(packed.rows).toHaveLength(expected.length);
    packed.rows.forEach((x, at) => expect(x).toBeCloseTo(expected[at] as number, 15));
  });

  it('matches the JS packing bit for bit, and throws its first error, on mixed valid and invalid rows', () => {
    const entry = fc.oneof(
      { weight: 20, arbitrary: fc.double({ min: -10, max: 10, noNaN: true }) },
      { weight: 1, arbitrary: fc.constantFrom(0, -0, 1e-309, -5e-324, 1e-160, 1e200, 1.7e308, Number.NaN, Infinity) },
    );
    const row = (dim: number) =>
      fc.oneof(
        { weight: 12, arbitrary: fc.array(entry, { minLength: dim, maxLength: dim }) },
        { weight: 4, arbitrary: fc.array(entry, { minLength: dim, maxLength: dim }).map((values) => Float64Array.from(values)) },
        { weight: 4, arbitrary: fc.array(entry, { minLength: dim, maxLength: dim }).map((values) => Float32Array.from(values)) },
        { weight: 1, arbitrary: fc.array(fc.integer({ min: -3, max: 3 }), { minLength: dim, maxLength: dim }).map((values) => Int16Array.from(values)) },
        { weight: 1, arbitrary: fc.array(entry, { minLength: dim + 1, maxLength: dim + 1 }) },
        { weight: 1, arbitrary: fc.array(entry, { minLength: dim, maxLength: dim }).map((values) => [...values.slice(1), '0.5']) },
      );
    const request = fc.integer({ min: 1, max: 9 }).chain((dim) => fc.array(row(dim), { minLength: 1, maxLength: 30 }));
    fc.assert(
      fc.property(request, (embeddings) => {
        expect(packedInKernelMemory(embeddings)).toEqual(packedInJs(embeddings));
      }),
      { numRuns: 400 },
    );
  });

  it('matches across several batches of wide rows, with a bad row far into the request', () => {
    const dim = 700; // 64 KB batches hold 11 rows of 700 floats
    const rows = Array.from({ length: 60 }, (_, i) => Array.from({ length: dim }, (_, j) => Math.sin(i * 31 + j * 7) + (j === i ? 1e-309 : 0)));
    const good = packedInKernelMemory(rows);
    expect(good).toEqual(packedInJs(rows));
    const withZero = rows.map((values, i) => (i === 47 ? new Array(dim).fill(0) : values));
    const zero = packedInKernelMemory(withZero);
    expect(zero).toEqual(packedInJs(withZero));
    expect(zero).toMatchObject({ code: 'ZERO_VECTOR', field: 'candidates[47].embedding' });
    const tiny = rows.map((values, i) => (i === 33 ? values.map((x) => x * 1e-310) : values));
    expect(packedInKernelMemory(tiny)).toEqual(packedInJs(tiny));
  });

  it('reports an earlier bad row before a later row of the wrong length or type', () => {
    const rows: unknown[] = [[1, 2, 3], [0, 0, 0], [1, 2], ['1', 2, 3]];
    expect(packedInKernelMemory(rows)).toMatchObject({ code: 'ZERO_VECTOR', field: 'candidates[1].embedding' });
    expect(packedInKernelMemory([[1, 2, 3], [Number.NaN, 0, 1], [1, 2]])).toMatchObject({ code: 'NON_FINITE_EMBEDDING', field: 'candidates[1].embedding[0]' });
    expect(packedInKernelMemory([[1, 2, 3], [1, 2], [0, 0, 0]])).toMatchObject({ code: 'DIMENSION_MISMATCH', field: 'candidates[1].embedding' });
  });

  it('copies catalogue rows as they are (no second normalisation) between rows it normalises', () => {
    const table = createItemTable([
      { id: 'c1', embedding: [1, 1, 1] },
      { id: 'c3', embedding: [0.1, 0.2, 0.3] },
    ]);
    const embeddings = [[2, 0, 0], undefined, Float32Array.of(0, 0, 4), undefined];
    const packed = packedInKernelMemory(embeddings, table);
    const catalogue = table.embeddings as Float64Array;
    expect(packed).toEqual({ rows: [1, 0, 0, ...catalogue.subarray(0, 3), 0, 0, 1, ...catalogue.subarray(3, 6)] });
    expect(packed).toEqual(packedInJs(embeddings, table));
  });
});
