import { describe, expect, it } from 'vitest';
import { relevance } from '../../../src/strategies/post/relevance.js';
import { rerank } from '../../../src/rerank.js';
import { RerankError } from '../../../src/errors/rerank-error.js';
import { describeRerankerContract } from '../../contract/reranker-contract.js';

describeRerankerContract({ name: 'relevance()', make: () => relevance(), noop: () => relevance() });

describe('relevance()', () => {
  it('orders by relevance, ties by input index, and reports the relevance as the score', () => {
    const candidates = [
      { id: 'a', relevance: 0.2 },
      { id: 'b', relevance: 0.9 },
      { id: 'c', relevance: 0.2 },
      { id: 'd', relevance: 0.5 },
    ];
    const { items } = rerank({ candidates, k: 3, strategy: relevance() });
    expect(items.map((item) => item.id)).toEqual(['b', 'd', 'a']);
    expect(items.map((item) => item.score)).toEqual([0.9, 0.5, 0.2]);
    expect(items[0]?.parts).toEqual({ relevance: 0.9 });
  });

  it('rejects unknown options', () => {
    expect(() => relevance({ lambda: 1 } as never)).toThrow(RerankError);
  });
});
