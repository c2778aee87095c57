import { assertKnownOptions } from '../../_internals/options.js';
import { topIndices } from '../../_internals/top-k.js';
import type { PackedRequest, Reranker, Selection } from '../../types.js';

/**
 * Identity baseline: the top `k` by relevance, ties by lower input index. Every comparison in the
 * benchmarks and the demo is against this order. O(n log k).
 *
 * Score parts: `relevance` (equal to the score).
 */
export function relevance(options?: Record<string, never>): Reranker {
  assertKnownOptions('relevance', options, []);
  return {
    name: 'relevance',
    stage: 'post',
    requires: {},
    select(request: PackedRequest, k: number): Selection {
      const scores = request.candidates.relevance;
      const indices = topIndices(scores, k);
      const picked = new Float64Array(indices.length);
      for (let slot = 0; slot < indices.length; slot++) picked[slot] = scores[indices[slot] as number] as number;
      return { indices, scores: picked, parts: { relevance: picked } };
    },
  };
}
