import { describe, expect, it } from 'vitest';
import { primitivePenalty, unexpectednessPenalty } from '../../src/evaluate/rules.js';
import { isRerankError, rerank } from '../../src/index.js';
import { describeRerankerContract } from '../contract/reranker-contract.js';

// The contract's candidates are named item-3, item-4, ... after three special ids.
const PM = new Set(['__proto__', 'item-4', 'item-7', 'seen-0']);
describeRerankerContract({
  name: 'primitivePenalty(c=0.123456789)',
  make: () => primitivePenalty({ penalty: 0.123456789, primitive: PM }),
  noop: () => primitivePenalty({ penalty: 0, primitive: PM }),
});
describeRerankerContract({
  name: 'unexpectednessPenalty(c=0.123456789)',
  make: () => unexpectednessPenalty({ penalty: 0.123456789 }),
  noop: () => unexpectednessPenalty({ penalty: 0 }),
});

describe('primitivePenalty', () => {
  it('scores r − c·1[id ∈ PM] (hand-worked)', () => {
    const candidates = [
      { id: 'a', relevance: 1.0 }, // in PM: 1.0 − 0.3 = 0.7
      { id: 'b', relevance: 0.8 }, // 0.8
      { id: 'c', relevance: 0.75 }, // in PM: 0.45
      { id: 'd', relevance: 0.5 }, // 0.5
    ];
    const { items } = rerank({ candidates, k: 4, strategy: primitivePenalty({ penalty: 0.3, primitive: new Set(['a', 'c']) }) });
    expect(items.map((i) => i.id)).toEqual(['b', 'a', 'd', 'c']);
    expect(items.map((i) => i.score)).toEqual([0.8, 1.0 - 0.3, 0.5, 0.75 - 0.3]);
    [0, 0.3, 0, 0.3].forEach((penalty, slot) => expect(items[slot]?.parts.penalty).toBeCloseTo(penalty, 12));
  });

  it('rejects a missing PM set and a negative penalty', () => {
    expect(() => primitivePenalty({ primitive: undefined as unknown as Set<string> })).toThrow(/options\.primitive must be a Set/);
    let caught: unknown;
    try {
      primitivePenalty({ penalty: -1, primitive: new Set() });
    } catch (error) {
      caught = error;
    }
    expect(isRerankError(caught, 'INVALID_OPTION')).toBe(true);
  });
});

describe('unexpectednessPenalty', () => {
  it('demotes the candidates at or below the median u = 1 − max cos to the history (hand-worked)', () => {
    // History points along x. Candidate u values: a (x) 0, b (45°) 1 − √½ ≈ 0.29, c (y) 1, d (−x) 2.
    // Median of [0, 0.29, 1, 2] = (0.29 + 1)/2 ≈ 0.65: a and b are penalised by c = 0.5.
    const candidates = [
      { id: 'a', relevance: 1.0, embedding: [1, 0] },
      { id: 'b', relevance: 0.9, embedding: [1, 1] },
      { id: 'c', relevance: 0.6, embedding: [0, 1] },
      { id: 'd', relevance: 0.2, embedding: [-1, 0] },
    ];
    const user = { id: 'u', history: [{ id: 'h', embedding: [2, 0] }] };
    const { items } = rerank({ candidates, user, k: 4, strategy: unexpectednessPenalty({ penalty: 0.5 }) });
    // Scores: a 0.5, b 0.4, c 0.6, d 0.2.
    expect(items.map((i) => i.id)).toEqual(['c', 'a', 'b', 'd']);
    expect(items[1]?.score).toBeCloseTo(0.5, 12);
    expect(items[2]?.score).toBeCloseTo(0.4, 12);
  });

  it('keeps relevance order when the history is empty (every u = 1, all penalised alike)', () => {
    const candidates = [
      { id: 'a', relevance: 0.2, embedding: [1, 0] },
      { id: 'b', relevance: 0.9, embedding: [0, 1] },
      { id: 'c', relevance: 0.5, embedding: [1, 1] },
    ];
    const { items } = rerank({ candidates, user: { id: 'u', history: [] }, k: 3, strategy: unexpectednessPenalty({ penalty: 0.4 }) });
    expect(items.map((i) => i.id)).toEqual(['b', 'c', 'a']);
  });
});
