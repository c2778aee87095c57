import { describe, expect, it } from 'vitest';
import { rerank } from '../src/rerank.js';
import { createItemTable } from '../src/pack/item-table.js';
import { relevance } from '../src/strategies/post/relevance.js';
import { RerankError, type RerankErrorCode } from '../src/errors/rerank-error.js';
import type { PackedRequest, Requirements, Reranker, RerankRequest } from '../src/types.js';

/** A strategy that records the packed request it receives and returns relevance order. */
function probe(requires: Requirements): Reranker & { seen: PackedRequest[] } {
  const seen: PackedRequest[] = [];
  const inner = relevance();
  return { name: 'probe', stage: 'post', requires, seen, select: (request, k) => (seen.push(request), inner.select(request, k)) };
}

function expectCode(attempt: () => unknown, code: RerankErrorCode, field?: string): void {
  let thrown: unknown;
  try {
    attempt();
  } catch (error) {
    thrown = error;
  }
  expect(thrown).toBeInstanceOf(RerankError);
  expect((thrown as RerankError).code).toBe(code);
  if (field !== undefined) expect((thrown as RerankError).field).toBe(field);
}

const needsEmbeddings = () => probe({ embeddings: 'required' });

describe('rerank() input validation', () => {
  const base = { candidates: [{ id: 'a', relevance: 1, embedding: [1, 0] }], k: 1 };

  it.each([0, -1, 1.5, Number.NaN, Number.POSITIVE_INFINITY, '3'])('rejects k = %s with INVALID_K', (k) => {
    expectCode(() => rerank({ ...base, k: k as number, strategy: relevance() }), 'INVALID_K', 'k');
  });

  it.each([Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, '0.5', undefined])(
    'rejects relevance %s with NON_FINITE_RELEVANCE',
    (value) => {
      const candidates = [{ id: 'a', relevance: 1 }, { id: 'b', relevance: value as number }];
      expectCode(() => rerank({ candidates, k: 1, strategy: relevance() }), 'NON_FINITE_RELEVANCE', 'candidates[1].relevance');
    },
  );

  it('rejects duplicate ids, naming both positions', () => {
    const candidates = [{ id: 'x', relevance: 1 }, { id: 'y', relevance: 1 }, { id: 'x', relevance: 0 }];
    expect(() => rerank({ candidates, k: 2, strategy: relevance() })).toThrow(/candidates\[2\].*candidates\[0\]/);
    expectCode(() => rerank({ candidates, k: 2, strategy: relevance() }), 'DUPLICATE_ID');
  });

  it.each(['', 7, null])('rejects id %j with INVALID_ID', (id) => {
    expectCode(() => rerank({ candidates: [{ id: id as string, relevance: 1 }], k: 1, strategy: relevance() }), 'INVALID_ID');
  });

  it('rejects a missing embedding only when the strategy needs one', () => {
    const candidates = [{ id: 'a', relevance: 1, embedding: [1, 0] }, { id: 'b', relevance: 0.5 }];
    expect(rerank({ candidates, k: 2, strategy: relevance() }).items).toHaveLength(2);
    expectCode(() => rerank({ candidates, k: 2, strategy: needsEmbeddings() }), 'MISSING_EMBEDDING', 'candidates[1].embedding');
  });

  it('rejects mismatched dimensions between candidates and between candidates and history', () => {
    const candidates = [{ id: 'a', relevance: 1, embedding: [1, 0] }, { id: 'b', relevance: 0.5, embedding: [1, 0, 0] }];
    expectCode(() => rerank({ candidates, k: 2, strategy: needsEmbeddings() }), 'DIMENSION_MISMATCH', 'candidates[1].embedding');
    const user = { id: 'u', history: [{ id: 'h', embedding: [1, 2, 3] }] };
    expectCode(
      () => rerank({ candidates: [{ id: 'a', relevance: 1, embedding: [1, 0] }], user, k: 1, strategy: probe({ embeddings: 'required', historyEmbeddings: 'required' }) }),
      'DIMENSION_MISMATCH',
      'user.history[0].embedding',
    );
  });

  it('rejects zero and non-finite vectors', () => {
    expectCode(() => rerank({ candidates: [{ id: 'a', relevance: 1, embedding: [0, 0] }], k: 1, strategy: needsEmbeddings() }), 'ZERO_VECTOR');
    expectCode(
      () => rerank({ candidates: [{ id: 'a', relevance: 1, embedding: [Number.NaN, 1] }], k: 1, strategy: needsEmbeddings() }),
      'NON_FINITE_EMBEDDING',
    );
  });

  it('rejects invalid popularity and missing categories when required', () => {
    expectCode(
      () => rerank({ candidates: [{ id: 'a', relevance: 1, popularity: -1 }], k: 1, strategy: probe({ popularity: 'required' }) }),
      'INVALID_POPULARITY',
    );
    expectCode(() => rerank({ candidates: [{ id: 'a', relevance: 1 }], k: 1, strategy: probe({ categories: 'required' }) }), 'MISSING_CATEGORIES');
  });

  it('rejects malformed requests and strategies', () => {
    expectCode(() => rerank(null as unknown as RerankRequest), 'INVALID_REQUEST');
    expectCode(() => rerank({ candidates: 'nope' as never, k: 1, strategy: relevance() }), 'INVALID_REQUEST', 'candidates');
    expectCode(() => rerank({ candidates: [], k: 1, strategy: {} as Reranker }), 'INVALID_REQUEST', 'strategy');
    expectCode(() => rerank({ candidates: [], k: 1, user: { id: '' }, strategy: relevance() }), 'INVALID_ID', 'user.id');
  });

  it('rejects a custom strategy that returns an invalid selection', () => {
    const broken: Reranker = {
      name: 'broken',
      stage: 'post',
      requires: {},
      select: (_request, k) => ({ indices: new Int32Array(k), scores: new Float64Array(k), parts: {} }),
    };
    const candidates = [{ id: 'a', relevance: 1 }, { id: 'b', relevance: 0 }];
    expectCode(() => rerank({ candidates, k: 2, strategy: broken }), 'INVALID_STRATEGY_OUTPUT');
  });
});

describe('rerank() edge cases', () => {
  it('returns an empty result for an empty candidate list', () => {
    expect(rerank({ candidates: [], k: 5, strategy: relevance() })).toEqual({ items: [], strategy: 'relevance' });
  });

  it('returns n items when k > n', () => {
    const candidates = [{ id: 'a', relevance: 0.1 }, { id: 'b', relevance: 0.2 }];
    expect(rerank({ candidates, k: 10, strategy: relevance() }).items.map((item) => item.id)).toEqual(['b', 'a']);
  });

  it('treats __proto__, constructor and toString as ordinary ids', () => {
    const candidates = [
      { id: '__proto__', relevance: 0.3 },
      { id: 'constructor', relevance: 0.9 },
      { id: 'toString', relevance: 0.5 },
    ];
    const { items } = rerank({ candidates, k: 3, strategy: relevance() });
    expect(items.map((item) => item.id)).toEqual(['constructor', 'toString', '__proto__']);
    expect(items.map((item) => item.index)).toEqual([1, 2, 0]);
    expectCode(() => rerank({ candidates: [...candidates, { id: '__proto__', relevance: 0 }], k: 1, strategy: relevance() }), 'DUPLICATE_ID');
  });
});

describe('buffer reuse', () => {
  it('gives a nested rerank() inside a strategy its own embeddings, and the outer call stays correct', () => {
    const outerCandidates = [{ id: 'a', relevance: 1, embedding: [1, 0] }, { id: 'b', relevance: 0, embedding: [0, 1] }];
    const innerCandidates = [{ id: 'x', relevance: 1, embedding: [0, 4] }];
    let innerSeen: number[] = [];
    let outerAfterInner: number[] = [];
    const inner = needsEmbeddings();
    const outer: Reranker = {
      name: 'outer',
      stage: 'post',
      requires: { embeddings: 'required' },
      select(request, k) {
        rerank({ candidates: innerCandidates, k: 1, strategy: inner });
        innerSeen = Array.from(inner.seen[0]?.candidates.embeddings ?? []);
        outerAfterInner = Array.from(request.candidates.embeddings ?? []);
        return relevance().select(request, k);
      },
    };
    rerank({ candidates: outerCandidates, k: 2, strategy: outer });
    expect(innerSeen).toEqual([0, 1]);
    expect(outerAfterInner).toEqual([1, 0, 0, 1]);
  });

  it('packs each request afresh when the same buffer is reused by consecutive calls', () => {
    const strategy = needsEmbeddings();
    rerank({ candidates: [{ id: 'a', relevance: 1, embedding: [0, 2] }, { id: 'b', relevance: 0, embedding: [2, 0] }], k: 1, strategy });
    const first = Array.from(strategy.seen[0]?.candidates.embeddings ?? []);
    rerank({ candidates: [{ id: 'c', relevance: 1, embedding: [5, 0] }], k: 1, strategy });
    expect(first).toEqual([0, 1, 1, 0]);
    expect(Array.from(strategy.seen[1]?.candidates.embeddings ?? [])).toEqual([1, 0]);
  });
});

describe('packing', () => {
  it('normalises embeddings once into one contiguous row-major Float64Array', () => {
    const strategy = needsEmbeddings();
    rerank({ candidates: [{ id: 'a', relevance: 1, embedding: [3, 4] }, { id: 'b', relevance: 0, embedding: [0, 2] }], k: 1, strategy });
    const packed = strategy.seen[0] as PackedRequest;
    expect(packed.dim).toBe(2);
    expect(packed.candidates.embeddings).toBeInstanceOf(Float64Array);
    const packedValues = Array.from(packed.candidates.embeddings ?? []);
    [3 / 5, 4 / 5, 0, 1].forEach((value, j) => expect(packedValues[j]).toBeCloseTo(value, 15));
    expect(packedValues).toHaveLength(4);
  });

  it('does not pack fields the strategy did not ask for', () => {
    const strategy = probe({});
    rerank({ candidates: [{ id: 'a', relevance: 1, embedding: [3, 4], categories: ['x'], popularity: 3 }], k: 1, strategy });
    const { candidates } = strategy.seen[0] as PackedRequest;
    expect(candidates.embeddings).toBeUndefined();
    expect(candidates.categories).toBeUndefined();
    expect(candidates.popularity).toBeUndefined();
  });

  it('interns categories to codes shared by candidates and history, dropping repeats within an item', () => {
    const strategy = probe({ categories: 'required', historyCategories: 'required' });
    rerank({
      candidates: [{ id: 'a', relevance: 1, categories: ['drama', 'comedy', 'drama'] }, { id: 'b', relevance: 0, categories: [] }],
      user: { id: 'u', history: [{ id: 'h', categories: ['comedy', '__proto__'] }] },
      k: 1,
      strategy,
    });
    const packed = strategy.seen[0] as PackedRequest;
    expect(packed.vocabulary).toEqual(['drama', 'comedy', '__proto__']);
    expect(Array.from(packed.candidates.categories?.offsets ?? [])).toEqual([0, 2, 2]);
    expect(Array.from(packed.candidates.categories?.codes ?? [])).toEqual([0, 1]);
    expect(Array.from(packed.history.categories?.codes ?? [])).toEqual([1, 2]);
  });

  it('packs optional fields only when every item has them', () => {
    const strategy = probe({ embeddings: 'optional' });
    rerank({ candidates: [{ id: 'a', relevance: 1 }, { id: 'b', relevance: 0 }], k: 1, strategy });
    expect(strategy.seen[0]?.candidates.embeddings).toBeUndefined();
    expectCode(
      () => rerank({ candidates: [{ id: 'a', relevance: 1 }, { id: 'b', relevance: 0, embedding: [1] }], k: 1, strategy }),
      'MISSING_EMBEDDING',
    );
  });
});

describe('createItemTable and catalog reuse', () => {
  const catalog = createItemTable([
    { id: 'a', embedding: [3, 4], categories: ['drama'], popularity: 10 },
    { id: 'b', embedding: [0, 5], categories: ['comedy', 'drama'], popularity: 2 },
    { id: '__proto__', embedding: [1, 0], categories: ['horror'], popularity: 0 },
  ]);

  it('fills omitted embeddings, categories and popularity from the catalogue, for candidates and history', () => {
    const strategy = probe({ embeddings: 'required', categories: 'required', popularity: 'required', historyEmbeddings: 'required', historyCategories: 'required' });
    rerank({
      candidates: [{ id: 'b', relevance: 1 }, { id: '__proto__', relevance: 0.5, categories: ['new-genre'] }],
      user: { id: 'u', history: [{ id: 'a' }] },
      catalog,
      k: 2,
      strategy,
    });
    const packed = strategy.seen[0] as PackedRequest;
    expect(Array.from(packed.candidates.embeddings ?? [])).toEqual([0, 1, 1, 0]);
    const history = Array.from(packed.history.embeddings ?? []);
    expect(history).toHaveLength(2);
    expect(history[0]).toBeCloseTo(3 / 5, 15);
    expect(history[1]).toBeCloseTo(4 / 5, 15);
    expect(Array.from(packed.candidates.popularity ?? [])).toEqual([2, 0]);
    const names = (row: number, categories = packed.candidates.categories) =>
      Array.from(categories?.codes.subarray(categories.offsets[row], categories.offsets[row + 1]) ?? []).map((code) => packed.vocabulary[code]);
    expect(names(0)).toEqual(['comedy', 'drama']);
    expect(names(1)).toEqual(['new-genre']);
    expect(names(0, packed.history.categories)).toEqual(['drama']);
    expect(catalog.vocabulary).toEqual(['drama', 'comedy', 'horror']);
  });

  it('still reports items absent from the catalogue', () => {
    expectCode(
      () => rerank({ candidates: [{ id: 'zzz', relevance: 1 }], catalog, k: 1, strategy: needsEmbeddings() }),
      'MISSING_EMBEDDING',
      'candidates[0].embedding',
    );
  });

  it('rejects a catalogue embedding whose dimension differs from an inline one (issue 12, mutant: catalogue DIMENSION_MISMATCH)', () => {
    // The first candidate's inline embedding sets d = 3; the second takes the catalogue's d = 2 row.
    expectCode(
      () => rerank({ candidates: [{ id: 'x', relevance: 1, embedding: [1, 2, 2] }, { id: 'a', relevance: 0.5 }], catalog, k: 2, strategy: needsEmbeddings() }),
      'DIMENSION_MISMATCH',
      'candidates[1].embedding',
    );
    expectCode(
      () => rerank({ candidates: [{ id: 'x', relevance: 1, embedding: [1, 2, 2] }], user: { id: 'u', history: [{ id: 'a' }] }, catalog, k: 1, strategy: probe({ embeddings: 'required', historyEmbeddings: 'required' }) }),
      'DIMENSION_MISMATCH',
      'user.history[0].embedding',
    );
  });

  it('validates the catalogue once, up front', () => {
    expectCode(() => createItemTable([{ id: 'a', embedding: [0, 0] }]), 'ZERO_VECTOR', 'items[0].embedding');
    expectCode(() => createItemTable([{ id: 'a' }, { id: 'a' }]), 'DUPLICATE_ID');
    expectCode(() => createItemTable([{ id: 'a', embedding: [1] }, { id: 'b' }]), 'MISSING_EMBEDDING', 'items[1].embedding');
    expect(catalog.indexOf('__proto__')).toBe(2);
    expect(catalog.indexOf('constructor')).toBe(-1);
  });
});
