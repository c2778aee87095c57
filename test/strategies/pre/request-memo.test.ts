import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createRequestMemo, memoisedFeature, withRequestMemo } from '../../../src/strategies/pre/request-memo.js';
import { pursFeature } from '../../../src/strategies/pre/purs.js';
import { unexpectednessFeature } from '../../../src/strategies/pre/unexpectedness.js';
import { pack } from './helpers.js';

const requires = { embeddings: 'required', historyEmbeddings: 'required' } as const;
const history = [
  { id: 'h1', embedding: [1, 0, 0] },
  { id: 'h2', embedding: [0, 1, 0] },
];
const candidates = [
  { id: 'a', relevance: 1, embedding: [1, 1, 0] },
  { id: 'b', relevance: 0.5, embedding: [0, 0, 2] },
];
/** The same ids with other embeddings: only a memo that is really consulted returns the first values. */
const moved = [
  { id: 'a', relevance: 1, embedding: [0, 0, 1] },
  { id: 'b', relevance: 0.5, embedding: [1, 0, 0] },
];

describe('request memo', () => {
  it('reuses the values of the same candidate and history ids inside one memo (hand-computed)', () => {
    const memo = createRequestMemo();
    const first = withRequestMemo(memo, () => unexpectednessFeature(pack(candidates, history, requires)));
    expect(first[0]).toBeCloseTo(1 - 1 / Math.SQRT2, 12);
    // Same ids, other embeddings: the memo's contract (one embedding per id) makes this a reuse.
    const again = withRequestMemo(memo, () => unexpectednessFeature(pack(moved, history, requires)));
    expect(Array.from(again)).toEqual(Array.from(first));
    // Outside the memo, and in a fresh one, the moved embeddings are used.
    expect(unexpectednessFeature(pack(moved, history, requires))[0]).toBeCloseTo(1, 12);
    expect(withRequestMemo(createRequestMemo(), () => unexpectednessFeature(pack(moved, history, requires)))[1]).toBeCloseTo(0, 12);
  });

  it('memoises the PURS feature per option set', () => {
    const memo = createRequestMemo();
    const first = withRequestMemo(memo, () => pursFeature(pack(candidates, history, requires)));
    expect(Array.from(withRequestMemo(memo, () => pursFeature(pack(moved, history, requires))))).toEqual(Array.from(first));
    expect(Array.from(pursFeature(pack(moved, history, requires)))).not.toEqual(Array.from(first));
    const nearest = withRequestMemo(memo, () => pursFeature(pack(moved, history, requires), { aggregate: 'nearest' }));
    expect(Array.from(nearest)).toEqual(Array.from(pursFeature(pack(moved, history, requires), { aggregate: 'nearest' })));
  });

  it('computes afresh for other history ids, other candidate ids or another variant', () => {
    const memo = createRequestMemo();
    withRequestMemo(memo, () => unexpectednessFeature(pack(candidates, history, requires)));
    const shorter = withRequestMemo(memo, () => unexpectednessFeature(pack(moved, history.slice(1), requires)));
    expect(Array.from(shorter)).toEqual(Array.from(unexpectednessFeature(pack(moved, history.slice(1), requires))));
    const renamed = moved.map((c) => ({ ...c, id: `${c.id}2` }));
    const other = withRequestMemo(memo, () => unexpectednessFeature(pack(renamed, history, requires)));
    expect(Array.from(other)).toEqual(Array.from(unexpectednessFeature(pack(renamed, history, requires))));
    const mean = withRequestMemo(memo, () => unexpectednessFeature(pack(moved, history, requires), { variant: 'mean' }));
    expect(Array.from(mean)).toEqual(Array.from(unexpectednessFeature(pack(moved, history, requires), { variant: 'mean' })));
  });

  it('computes afresh for the same ids at another dimension (one memo shared across representations)', () => {
    const memo = createRequestMemo();
    const first = withRequestMemo(memo, () => unexpectednessFeature(pack(candidates, history, requires)));
    const history4 = history.map((h) => ({ ...h, embedding: [...h.embedding, 0] }));
    const wider = [
      { id: 'a', relevance: 1, embedding: [0, 0, 0, 1] },
      { id: 'b', relevance: 0.5, embedding: [1, 0, 0, 0] },
    ];
    const other = withRequestMemo(memo, () => unexpectednessFeature(pack(wider, history4, requires)));
    expect(other[0]).toBeCloseTo(1, 12); // orthogonal to both history items in 4-d
    expect(Array.from(other)).not.toEqual(Array.from(first));
  });

  it('returns a copy the caller may modify, and restores the outer memo after a nested one', () => {
    const outer = createRequestMemo();
    let calls = 0;
    const compute = (): Float64Array => Float64Array.of(++calls);
    const scope = { dim: 2, candidates: { ids: ['a'] }, history: { ids: [] } };
    withRequestMemo(outer, () => {
      const v = memoisedFeature('f', scope, compute);
      v[0] = 99;
      expect(Array.from(memoisedFeature('f', scope, compute))).toEqual([1]);
      withRequestMemo(createRequestMemo(), () => expect(Array.from(memoisedFeature('f', scope, compute))).toEqual([2]));
      expect(Array.from(memoisedFeature('f', scope, compute))).toEqual([1]);
    });
    expect(Array.from(memoisedFeature('f', scope, compute))).toEqual([3]);
    expect(calls).toBe(3);
  });

  it('is bit-identical to the unmemoised feature on random requests, hit or miss', () => {
    const vector = fc.array(fc.double({ min: -1, max: 1, noNaN: true }), { minLength: 3, maxLength: 3 }).filter((v) => v.some((x) => Math.abs(x) > 1e-3));
    fc.assert(
      fc.property(fc.array(vector, { minLength: 1, maxLength: 8 }), fc.array(vector, { maxLength: 6 }), (cs, hs) => {
        const request = pack(
          cs.map((embedding, i) => ({ id: `c${i}`, relevance: i, embedding })),
          hs.map((embedding, i) => ({ id: `h${i}`, embedding })),
          requires,
        );
        const plain = Array.from(unexpectednessFeature(request));
        const memo = createRequestMemo();
        expect(Array.from(withRequestMemo(memo, () => unexpectednessFeature(request)))).toEqual(plain);
        expect(Array.from(withRequestMemo(memo, () => unexpectednessFeature(request)))).toEqual(plain);
      }),
    );
  });
});
