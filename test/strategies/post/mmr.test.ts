import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { RerankError } from '../../../src/errors/rerank-error.js';
import { rerank } from '../../../src/rerank.js';
import { mmr } from '../../../src/strategies/post/mmr.js';
import type { Candidate } from '../../../src/types.js';
import { describeRerankerContract } from '../../contract/reranker-contract.js';
import { loadReferenceFixtures } from '../../fixtures.js';
import { smallInstance as smallInstanceOf, tiedInstance as tiedInstanceOf, toCandidates } from './greedy-inputs.js';

const fixtures = loadReferenceFixtures();

describeRerankerContract({ name: 'mmr(lambda=0.5)', make: () => mmr({ lambda: 0.5 }), noop: () => mmr({ lambda: 1 }) });
describeRerankerContract({ name: 'mmr(lambda=0.3, dense)', make: () => mmr({ lambda: 0.3, algorithm: 'dense' }), noop: () => mmr({ lambda: 1, algorithm: 'dense' }) });

describe('mmr() on the shared numpy fixtures', () => {
  it('finds the fixtures', () => {
    expect(fixtures.length).toBeGreaterThanOrEqual(3);
  });
  for (const fixture of fixtures) {
    for (const { lambda, ids } of fixture.expected.mmr) {
      for (const algorithm of ['lazy', 'dense'] as const) {
        it(`${fixture.name}: lambda=${lambda} (${algorithm}) selects the expected ids in order`, () => {
          const { items } = rerank({ candidates: fixture.candidates, k: fixture.k, strategy: mmr({ lambda, algorithm }) });
          expect(items.map((item) => item.id)).toEqual(ids);
        });
      }
    }
  }
});

/** Plain cosine from raw vectors, written independently of the library's packing. */
function cosine(a: readonly number[], b: readonly number[]): number {
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (let j = 0; j < a.length; j++) {
    dot += (a[j] as number) * (b[j] as number);
    na += (a[j] as number) ** 2;
    nb += (b[j] as number) ** 2;
  }
  return dot / (Math.sqrt(na) * Math.sqrt(nb));
}

/**
 * Naive O(k·n²) MMR straight from the definition. Returns the picks up to (excluding) the first
 * step whose winner beats the runner-up by less than 1e-9, where float rounding may decide.
 */
function naiveMmr(rel: number[], vectors: number[][], k: number, lambda: number): { ids: number[]; decided: number } {
  const chosen: number[] = [];
  let decided = -1;
  while (chosen.length < Math.min(k, rel.length)) {
    const scored = rel
      .map((r, i) => ({ i, s: lambda * r - (1 - lambda) * (chosen.length === 0 ? 0 : Math.max(...chosen.map((j) => cosine(vectors[i] as number[], vectors[j] as number[])))) }))
      .filter(({ i }) => !chosen.includes(i))
      .sort((a, b) => b.s - a.s || a.i - b.i);
    const [best, second] = scored;
    if (decided < 0 && second !== undefined && best !== undefined && best.s - second.s < 1e-9) decided = chosen.length;
    chosen.push((best as { i: number }).i);
  }
  return { ids: chosen, decided: decided < 0 ? chosen.length : decided };
}

const smallInstance = smallInstanceOf({ maxN: 14, maxK: 16, tradeoff: fc.integer({ min: 0, max: 100 }).map((x) => x / 100), relevanceRange: [-2, 2] });

describe('mmr() against a brute-force re-implementation', () => {
  it('matches the naive O(k·n²) greedy wherever the naive margins are decisive', () => {
    let compared = 0;
    fc.assert(
      fc.property(smallInstance, ({ k, tradeoff: lambda, rel, vectors }) => {
        const naive = naiveMmr(rel, vectors, k, lambda);
        compared += naive.decided;
        for (const algorithm of ['lazy', 'dense'] as const) {
          const { items } = rerank({ candidates: toCandidates(rel, vectors), k, strategy: mmr({ lambda, algorithm }) });
          expect(items.slice(0, naive.decided).map((item) => item.index)).toEqual(naive.ids.slice(0, naive.decided));
          expect(items.length).toBe(naive.ids.length);
        }
      }),
      { numRuns: 300 },
    );
    expect(compared).toBeGreaterThan(600); // the comparison is not vacuous
  });
});

const tiedInstance = tiedInstanceOf(fc.constantFrom(0, 0.25, 0.5, 0.7, 1), 5);

describe('mmr() lazy ≡ dense', () => {
  it('selects identical indices, scores and parts, including on heavy ties', () => {
    fc.assert(
      fc.property(fc.oneof(tiedInstance, smallInstance), ({ k, tradeoff: lambda, rel, vectors }) => {
        const candidates = toCandidates(rel, vectors);
        const lazy = rerank({ candidates, k, strategy: mmr({ lambda }) });
        const dense = rerank({ candidates, k, strategy: mmr({ lambda, algorithm: 'dense' }) });
        expect(lazy.items).toEqual(dense.items);
      }),
      { numRuns: 400 },
    );
  });
});

describe('mmr() hand-worked cases', () => {
  // a = (1,0), b = (1,0) (a duplicate of a), c = (0,1). cos(a,b) = 1, cos(a,c) = 0.
  const candidates: Candidate[] = [
    { id: 'a', relevance: 1.0, embedding: [1, 0] },
    { id: 'b', relevance: 0.9, embedding: [2, 0] },
    { id: 'c', relevance: 0.5, embedding: [0, 3] },
  ];

  it('λ=0.5: picks a (0.5·1 − 0), then c (0.5·0.5 − 0.5·0 = 0.25 beats b: 0.5·0.9 − 0.5·1 = −0.05), then b', () => {
    const { items } = rerank({ candidates, k: 3, strategy: mmr({ lambda: 0.5 }) });
    expect(items.map((item) => item.id)).toEqual(['a', 'c', 'b']);
    expect(items[0]?.score).toBeCloseTo(0.5 * 1.0 - 0.5 * 0, 15);
    expect(items[1]?.score).toBeCloseTo(0.5 * 0.5 - 0.5 * 0, 15);
    // b after a and c: max(cos(b,a), cos(b,c)) = max(1, 0) = 1.
    expect(items[2]?.score).toBeCloseTo(0.5 * 0.9 - 0.5 * 1, 15);
    expect(items[2]?.parts).toEqual({ relevance: 0.5 * 0.9, diversity: -(0.5 * 1) });
  });

  it('λ=0.9: b wins the second slot (0.9·0.9 − 0.1·1 = 0.71 > 0.9·0.5 − 0 = 0.45)', () => {
    const { items } = rerank({ candidates, k: 2, strategy: mmr({ lambda: 0.9 }) });
    expect(items.map((item) => item.id)).toEqual(['a', 'b']);
    expect(items[1]?.score).toBeCloseTo(0.9 * 0.9 - 0.1 * 1, 15);
  });

  it('a negative max-similarity raises a score after the first pick (the rescore-once step)', () => {
    // x = (1,0) first; y = (-1,0) has cos −1, so its score rises from 0.5·0.1 to 0.5·0.1 + 0.5·1 = 0.55,
    // overtaking z = (0,1) with 0.5·0.4 − 0 = 0.2, although z was ahead before the first pick.
    const items = rerank({
      candidates: [
        { id: 'x', relevance: 1, embedding: [1, 0] },
        { id: 'z', relevance: 0.4, embedding: [0, 1] },
        { id: 'y', relevance: 0.1, embedding: [-1, 0] },
      ],
      k: 3,
      strategy: mmr({ lambda: 0.5 }),
    }).items;
    expect(items.map((item) => item.id)).toEqual(['x', 'y', 'z']);
    expect(items[1]?.score).toBeCloseTo(0.5 * 0.1 + 0.5 * 1, 15);
  });

  it('ties go to the lower input index', () => {
    const tied: Candidate[] = [
      { id: 'p', relevance: 0.5, embedding: [0, 1] },
      { id: 'q', relevance: 0.5, embedding: [0, 1] },
    ];
    expect(rerank({ candidates: tied, k: 2, strategy: mmr({ lambda: 0.3 }) }).items.map((item) => item.id)).toEqual(['p', 'q']);
  });
});

describe('mmr() options', () => {
  const code = (fn: () => unknown): string | undefined => {
    try {
      fn();
    } catch (error) {
      return error instanceof RerankError ? error.code : 'not a RerankError';
    }
    return undefined;
  };
  it('rejects λ outside [0, 1], NaN and non-numbers with INVALID_OPTION', () => {
    for (const lambda of [1.2, -0.1, Number.NaN, Number.POSITIVE_INFINITY, '0.5']) {
      expect(code(() => mmr({ lambda } as never))).toBe('INVALID_OPTION');
    }
  });
  it('rejects an unknown algorithm with INVALID_OPTION and unknown keys with UNKNOWN_OPTION', () => {
    expect(code(() => mmr({ algorithm: 'fast' } as never))).toBe('INVALID_OPTION');
    expect(code(() => mmr({ lamda: 0.5 } as never))).toBe('UNKNOWN_OPTION');
  });
  it('documents its defaults in its name and needs embeddings', () => {
    expect(mmr().name).toBe('mmr(lambda=0.5)');
    expect(mmr({ algorithm: 'dense' }).name).toBe('mmr(lambda=0.5, algorithm=dense)');
    expect(mmr().requires).toEqual({ embeddings: 'required' });
    expect(code(() => rerank({ candidates: [{ id: 'a', relevance: 1 }], k: 1, strategy: mmr() }))).toBe('MISSING_EMBEDDING');
  });
});
