import { describe, expect, it } from 'vitest';
import { RETAINED_PACKING_BYTES, retainedPackingBytes, withPackingBuffer } from '../../src/pack/packing-buffer.js';
import { retainedKernelBytes } from '../../src/_internals/wasm/kernel-instance.js';
import { rerank } from '../../src/rerank.js';
import { dpp } from '../../src/strategies/post/dpp.js';
import { relevance } from '../../src/strategies/post/relevance.js';
import type { Candidate, Reranker } from '../../src/types.js';

/** A strategy that packs embeddings but only ranks by relevance (no kernels involved). */
const packsEmbeddings: Reranker = { ...relevance(), name: 'packs-embeddings', requires: { embeddings: 'required' } };

function candidates(n: number, dim: number): Candidate[] {
  return Array.from({ length: n }, (_, i) => {
    const embedding = new Float64Array(dim);
    embedding[i % dim] = 1;
    return { id: `c${i}`, relevance: n - i, embedding };
  });
}

describe('packing buffer', () => {
  it('fault 8: one large request no longer pins its packing memory for the life of the process', () => {
    // 9,000 × 512 floats = 36.9 MB, above the 32 MB kept between requests
    const large = candidates(9_000, 512);
    const packedBytes = large.length * 512 * 8;
    expect(packedBytes).toBeGreaterThan(RETAINED_PACKING_BYTES);
    expect(rerank({ candidates: large, k: 3, strategy: packsEmbeddings }).items.map((item) => item.id)).toEqual(['c0', 'c1', 'c2']);
    // right after it: at most the packed input plus 32 MB (the rows live once: JS buffer or kernel memory)
    expect(retainedPackingBytes() + retainedKernelBytes()).toBeLessThanOrEqual(packedBytes + RETAINED_PACKING_BYTES);
    expect(retainedPackingBytes()).toBeLessThanOrEqual(RETAINED_PACKING_BYTES);
    for (let r = 0; r < 5; r++) rerank({ candidates: candidates(100, 64), k: 3, strategy: packsEmbeddings });
    // after small requests, neither keeps more than 32 MB
    expect(retainedPackingBytes()).toBeLessThanOrEqual(RETAINED_PACKING_BYTES);
    expect(retainedKernelBytes()).toBeLessThanOrEqual(RETAINED_PACKING_BYTES);
  });

  it('packs repeated requests into the same memory (no allocation per request)', () => {
    const buffers: ArrayBufferLike[] = [];
    const probe: Reranker = {
      ...packsEmbeddings,
      select: (packed, k) => {
        buffers.push((packed.candidates.embeddings as Float64Array).buffer);
        return packsEmbeddings.select(packed, k);
      },
    };
    rerank({ candidates: candidates(1_000, 64), k: 1, strategy: probe });
    rerank({ candidates: candidates(500, 64), k: 1, strategy: probe });
    expect(buffers).toHaveLength(2);
    expect(buffers[1]).toBe(buffers[0]);
  });

  it('lends the buffer to one request at a time: a nested request packs into its own array', () => {
    const seen: (((length: number) => Float64Array) | undefined)[] = [];
    withPackingBuffer((outer) => {
      seen.push(outer);
      withPackingBuffer((inner) => seen.push(inner));
    });
    expect(seen[0]).toBeTypeOf('function');
    expect(seen[1]).toBeUndefined();
  });
});

describe('kernel memory after a request', () => {
  it('stays within the packed input plus 32 MB even when DPP needs k × n projections beyond that', () => {
    // 20,000 × 8 rows (1.3 MB) and k = 220: the projections alone take 35 MB
    const list = Array.from({ length: 20_000 }, (_, i) => ({
      id: `c${i}`,
      relevance: 1 + Math.sin(i),
      embedding: Array.from({ length: 8 }, (_, j) => Math.cos(i * (j + 1))),
    }));
    const { items } = rerank({ candidates: list, k: 220, strategy: dpp({ theta: 0.7 }) });
    expect(items).toHaveLength(220);
    expect(retainedKernelBytes()).toBeLessThanOrEqual(20_000 * 8 * 8 + RETAINED_PACKING_BYTES);
  });
});
