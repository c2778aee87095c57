import { describe, expect, it } from 'vitest';
import { RerankError, type RerankErrorCode } from '../../src/errors/rerank-error.js';
import { createItemTable } from '../../src/pack/item-table.js';
import { packRequest } from '../../src/pack/pack-request.js';
import { rerank } from '../../src/rerank.js';
import { mmr } from '../../src/strategies/post/mmr.js';
import { relevance } from '../../src/strategies/post/relevance.js';
import type { RerankRequest } from '../../src/types.js';

function thrownBy(attempt: () => unknown): unknown {
  try {
    attempt();
  } catch (error) {
    return error;
  }
  return undefined;
}

function expectRerankError(attempt: () => unknown, code: RerankErrorCode, field?: string): RerankError {
  const error = thrownBy(attempt);
  expect(error).toBeInstanceOf(RerankError);
  expect((error as RerankError).code).toBe(code);
  if (field !== undefined) expect((error as RerankError).field).toBe(field);
  return error as RerankError;
}

const plain = (id: string, embedding: ArrayLike<number> = [1, 0]) => ({ id, relevance: 1, embedding });

describe('fault 10: errors other than RerankError escaped from packing', () => {
  it.each([
    ['null', null],
    ['{}', {}],
    ['a number', 3],
    ['an array', []],
  ])('catalog: %s is INVALID_REQUEST at catalog (was a TypeError)', (_name, catalog) => {
    const request = { candidates: [plain('a')], k: 1, strategy: mmr(), catalog } as unknown as RerankRequest;
    expectRerankError(() => rerank(request), 'INVALID_REQUEST', 'catalog');
    expectRerankError(() => packRequest(request), 'INVALID_REQUEST', 'catalog');
  });

  it('a real catalogue still works', () => {
    const catalog = createItemTable([{ id: 'a', embedding: [1, 0] }]);
    expect(rerank({ candidates: [{ id: 'a', relevance: 1 }], k: 1, strategy: mmr(), catalog }).items).toHaveLength(1);
  });

  it.each([
    ['2 ** 40', 2 ** 40],
    ['2 ** 31 with 8 candidates', 2 ** 31],
  ])('embedding: { length: %s } is INVALID_REQUEST (was a RangeError)', (_name, length) => {
    const candidates = Array.from({ length: 8 }, (_, i) => ({ id: `c${i}`, relevance: 1, embedding: { length } as ArrayLike<number> }));
    const error = expectRerankError(() => rerank({ candidates, k: 1, strategy: mmr() }), 'INVALID_REQUEST', 'candidates[0].embedding');
    expect(error.cause).toBeDefined();
  });

  it.each([-1, 1.5, Number.NaN, undefined, '3'])('an embedding whose length is %s is INVALID_REQUEST', (length) => {
    const candidates = [{ id: 'a', relevance: 1, embedding: { length } as unknown as ArrayLike<number> }];
    expectRerankError(() => rerank({ candidates, k: 1, strategy: mmr() }), 'INVALID_REQUEST', 'candidates[0].embedding');
  });

  it.each([
    ['id', 'candidates[1].id'],
    ['relevance', 'candidates[1].relevance'],
    ['embedding', 'candidates[1].embedding'],
  ])("a candidate's throwing %s getter is INVALID_REQUEST naming it, with the error as cause", (name, field) => {
    const boom = new Error('getter exploded');
    const bad = { ...plain('b') };
    Object.defineProperty(bad, name, {
      get() {
        throw boom;
      },
    });
    const error = expectRerankError(() => rerank({ candidates: [plain('a'), bad], k: 1, strategy: mmr() }), 'INVALID_REQUEST', field);
    expect(error.cause).toBe(boom);
  });

  it('an embedding Proxy that throws on an entry is INVALID_REQUEST naming the entry', () => {
    const boom = new Error('no entry');
    const embedding = new Proxy([1, 0], {
      get(target, key, receiver) {
        if (key === '1') throw boom;
        return Reflect.get(target, key, receiver);
      },
    });
    const error = expectRerankError(
      () => rerank({ candidates: [plain('a'), plain('b', embedding)], k: 1, strategy: mmr() }),
      'INVALID_REQUEST',
      'candidates[1].embedding[1]',
    );
    expect(error.cause).toBe(boom);
  });

  it("a history item's throwing getter is INVALID_REQUEST naming it", () => {
    const history = [{ id: 'h' }];
    Object.defineProperty(history[0], 'embedding', {
      get() {
        throw new Error('no');
      },
    });
    const request = { candidates: [plain('a')], user: { id: 'u', history }, k: 1, strategy: mmr() };
    expectRerankError(() => packRequest(request, { historyEmbeddings: 'required' }), 'INVALID_REQUEST', 'user.history[0].embedding');
  });

  it('a candidates array behind a throwing Proxy is INVALID_REQUEST', () => {
    const candidates = new Proxy([plain('a')], {
      get(target, key, receiver) {
        if (key === '0') throw new Error('no');
        return Reflect.get(target, key, receiver);
      },
    });
    expectRerankError(() => packRequest({ candidates, k: 1, strategy: relevance() }), 'INVALID_REQUEST', 'candidates[0]');
  });

  it('packRequest(req) without requires, on a strategy without requires, is INVALID_REQUEST (was a TypeError)', () => {
    const strategy = { name: 'custom', stage: 'post', select: relevance().select } as unknown as RerankRequest['strategy'];
    expectRerankError(() => packRequest({ candidates: [plain('a')], k: 1, strategy }), 'INVALID_REQUEST', 'strategy.requires');
    expectRerankError(() => packRequest({ candidates: [plain('a')], k: 1 } as unknown as RerankRequest), 'INVALID_REQUEST', 'strategy.requires');
    expectRerankError(() => packRequest(null as unknown as RerankRequest), 'INVALID_REQUEST');
  });

  it('packRequest(req) without requires packs what req.strategy requires', () => {
    const packed = packRequest({ candidates: [plain('a', [3, 4])], k: 1, strategy: mmr() });
    const [x, y] = Array.from(packed.candidates.embeddings as Float64Array);
    expect(x).toBeCloseTo(0.6, 15);
    expect(y).toBeCloseTo(0.8, 15);
  });
});

describe('fault 10: createItemTable lets no foreign error escape', () => {
  it("an item's throwing getter is INVALID_ARGUMENT naming it, with the error as cause", () => {
    const boom = new Error('getter exploded');
    const item = { id: 'b', embedding: [0, 1] };
    Object.defineProperty(item, 'categories', {
      get() {
        throw boom;
      },
    });
    const error = expectRerankError(() => createItemTable([{ id: 'a', embedding: [1, 0] }, item]), 'INVALID_ARGUMENT', 'items[1].categories');
    expect(error.cause).toBe(boom);
  });

  it('an items Proxy whose length throws is INVALID_ARGUMENT at items', () => {
    const items = new Proxy([], {
      get(target, key, receiver) {
        if (key === 'length') throw new Error('no');
        return Reflect.get(target, key, receiver);
      },
    });
    expectRerankError(() => createItemTable(items), 'INVALID_ARGUMENT', 'items');
  });

  it('an embedding of absurd length is a RerankError, not a RangeError', () => {
    expectRerankError(() => createItemTable([{ id: 'a', embedding: { length: 2 ** 40 } as ArrayLike<number> }]), 'INVALID_ARGUMENT', 'items[0].embedding');
    expectRerankError(() => createItemTable([{ id: 'a', embedding: { length: -1 } as ArrayLike<number> }]), 'INVALID_ARGUMENT', 'items[0].embedding');
  });
});
