import { describe, expect, it } from 'vitest';
import { borrowIdMarks, IdMarks, RETAINED_ID_MARKS, retainedIdMarks } from '../../src/pack/id-marks.js';
import { rerank } from '../../src/rerank.js';
import { RerankError } from '../../src/errors/rerank-error.js';
import { relevance } from '../../src/strategies/post/relevance.js';
import type { Reranker } from '../../src/types.js';

describe('IdMarks', () => {
  it('reports a repeat within a request, never across requests', () => {
    const marks = new IdMarks();
    expect(marks.borrow()).toBe(true);
    expect([marks.mark('a'), marks.mark('b'), marks.mark('a')]).toEqual([true, true, false]);
    marks.release();
    expect(marks.borrow()).toBe(true);
    expect([marks.mark('b'), marks.mark('a'), marks.mark('c'), marks.mark('b')]).toEqual([true, true, true, false]);
    marks.release();
  });

  it('is lent to one request at a time', () => {
    const marks = new IdMarks();
    expect(marks.borrow()).toBe(true);
    expect(marks.borrow()).toBe(false);
    marks.release();
    expect(marks.borrow()).toBe(true);
    marks.release();
  });

  it(`keeps at most ${RETAINED_ID_MARKS} ids between requests`, () => {
    const big = Array.from({ length: RETAINED_ID_MARKS + 10 }, (_, i) => ({ id: `big-${i}`, relevance: i }));
    rerank({ candidates: big, k: 1, strategy: relevance() });
    expect(retainedIdMarks()).toBe(0);
    rerank({ candidates: big.slice(0, 100), k: 1, strategy: relevance() });
    expect(retainedIdMarks()).toBe(100);
  });

  it('a rerank() nested inside another packing (a getter) still finds repeats in both', () => {
    const outerMarks = borrowIdMarks();
    expect(outerMarks).toBeDefined();
    try {
      // while the shared marks are lent, rerank() falls back to single-use marks
      const duplicate = [{ id: 'x', relevance: 1 }, { id: 'x', relevance: 0 }];
      expect(() => rerank({ candidates: duplicate, k: 1, strategy: relevance() })).toThrow(RerankError);
      expect(rerank({ candidates: [{ id: 'x', relevance: 1 }], k: 1, strategy: relevance() }).items).toHaveLength(1);
    } finally {
      outerMarks?.release();
    }
  });

  it('a strategy that re-ranks from inside select() sees its own request only', () => {
    const inner = relevance();
    const nesting: Reranker = {
      name: 'nesting',
      stage: 'post',
      requires: {},
      select: (packed, k) => {
        rerank({ candidates: [{ id: 'a', relevance: 1 }, { id: 'b', relevance: 2 }], k: 2, strategy: inner });
        return inner.select(packed, k);
      },
    };
    const { items } = rerank({ candidates: [{ id: 'a', relevance: 1 }, { id: 'b', relevance: 3 }], k: 2, strategy: nesting });
    expect(items.map((item) => item.id)).toEqual(['b', 'a']);
  });
});
