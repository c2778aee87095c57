import { describe, expect, it } from 'vitest';
import { RETAINED_PACKING_BYTES, retainedPackingBytes, withPackingBuffer } from '../../src/pack/packing-buffer.js';
import { rerank } from '../../src/rerank.js';
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
  it('fault 8: one large request no longer pins its packing buffer for the life of the process', () => {
    // 9,000 × 512 floats = 36.9 MB, above the 32 MB kept between requests
    const large = candidates(9_000, 512);
    expect(large.length * 512 * 8).toBeGreaterThan(RETAINED_PACKING_BYTES);
    expect(rerank({ candidates: large, k: 3, strategy: packsEmbeddings }).items.map((item) => item.id)).toEqual(['c0', 'c1', 'c2']);
    expect(retainedPackingBytes()).toBeLessThanOrEqual(RETAINED_PACKING_BYTES);
    for (let r = 0; r < 5; r++) rerank({ candidates: candidates(100, 64), k: 3, strategy: packsEmbeddings });
    expect(retainedPackingBytes()).toBeLessThanOrEqual(RETAINED_PACKING_BYTES);
    expect(retainedPackingBytes()).toBeGreaterThanOrEqual(100 * 64 * 8); // small requests keep reusing it
  });

  it('keeps a buffer under the cap between requests, so repeated requests reuse it', () => {
    rerank({ candidates: candidates(1_000, 64), k: 1, strategy: packsEmbeddings });
    const kept = retainedPackingBytes();
    expect(kept).toBeGreaterThanOrEqual(1_000 * 64 * 8);
    rerank({ candidates: candidates(500, 64), k: 1, strategy: packsEmbeddings });
    expect(retainedPackingBytes()).toBe(kept);
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
