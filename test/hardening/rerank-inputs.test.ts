import { describe, expect, it } from 'vitest';
import { RerankError, type RerankErrorCode } from '../../src/errors/rerank-error.js';
import { createItemTable } from '../../src/pack/item-table.js';
import { rerank } from '../../src/rerank.js';
import { pipeline } from '../../src/strategies/pipeline.js';
import { relevance } from '../../src/strategies/post/relevance.js';
import type { Reranker, RerankRequest, Selection } from '../../src/types.js';

function codeOf(attempt: () => unknown): { code: RerankErrorCode; error: RerankError } {
  try {
    attempt();
  } catch (error) {
    expect(error).toBeInstanceOf(RerankError);
    return { code: (error as RerankError).code, error: error as RerankError };
  }
  throw new Error('expected a RerankError, nothing was thrown');
}

const candidates = [{ id: 'a', relevance: 1 }, { id: 'b', relevance: 0.5 }, { id: 'c', relevance: 0 }];
const custom = (overrides: Partial<Record<keyof Reranker, unknown>>): Reranker =>
  ({ ...relevance(), name: 'custom', ...overrides }) as unknown as Reranker;
const selecting = (select: (k: number) => unknown): Reranker => custom({ select: (_: unknown, k: number) => select(k) });

describe('unknown top-level request keys (issue 10: `kk` was silently ignored)', () => {
  it('rejects a typo such as kk with UNKNOWN_OPTION naming the key', () => {
    const request = { candidates, k: 2, kk: 3, strategy: relevance() } as unknown as RerankRequest;
    const { code, error } = codeOf(() => rerank(request));
    expect(code).toBe('UNKNOWN_OPTION');
    expect(error.field).toBe('kk');
    expect(error.message).toContain('"kk"');
    expect(error.message).toContain('candidates, user, k, strategy, catalog');
  });

  it('accepts every documented key', () => {
    expect(rerank({ candidates, k: 2, strategy: relevance(), user: { id: 'u' }, catalog: createItemTable([]) }).items).toHaveLength(2);
  });
});

describe('custom strategy without requires (issues 10 and 12: TypeError)', () => {
  it('gives INVALID_REQUEST at strategy.requires, not a TypeError', () => {
    const { code, error } = codeOf(() => rerank({ candidates, k: 1, strategy: custom({ requires: undefined }) }));
    expect(code).toBe('INVALID_REQUEST');
    expect(error.field).toBe('strategy.requires');
    expect(error.message).toContain('{}');
  });

  it.each([
    ['null', null, 'strategy.requires'],
    ['a string', 'embeddings', 'strategy.requires'],
    ['an unknown field', { embedding: 'required' }, 'strategy.requires'],
    ['an unknown need', { embeddings: 'yes' }, 'strategy.requires.embeddings'],
  ])('rejects requires that is %s', (_label, requires, field) => {
    const { code, error } = codeOf(() => rerank({ candidates, k: 1, strategy: custom({ requires }) }));
    expect(code).toBe('INVALID_REQUEST');
    expect(error.field).toBe(field);
  });

  it('rejects a strategy whose name is not a string', () => {
    expect(codeOf(() => rerank({ candidates, k: 1, strategy: custom({ name: Object.create(null) }) })).code).toBe('INVALID_REQUEST');
  });
});

describe('foreign errors from hostile requests become RerankError', () => {
  const thrower = new Error('from the getter');

  it('a throwing getter on the request', () => {
    const request = { candidates, strategy: relevance(), get k(): number { throw thrower; } };
    const { code, error } = codeOf(() => rerank(request));
    expect(code).toBe('INVALID_REQUEST');
    expect(error.field).toBe('k');
    expect(error.cause).toBe(thrower);
  });

  it('a request Proxy whose ownKeys trap throws', () => {
    const request = new Proxy({ candidates, k: 1, strategy: relevance() }, { ownKeys: () => { throw thrower; } });
    expect(codeOf(() => rerank(request)).code).toBe('INVALID_REQUEST');
  });

  it('a throwing getter on the strategy', () => {
    const strategy = { ...relevance(), get requires(): never { throw thrower; } };
    expect(codeOf(() => rerank({ candidates, k: 1, strategy })).code).toBe('INVALID_REQUEST');
  });

  it('reads each request field once', () => {
    let reads = 0;
    const request = { candidates, strategy: relevance(), get k(): number { reads++; return 2; } };
    expect(rerank(request).items).toHaveLength(2);
    expect(reads).toBe(1);
  });
});

describe('a custom strategy that throws or returns garbage', () => {
  it('STRATEGY_FAILED, with the original error as cause, when select throws a foreign error', () => {
    const boom = new TypeError('bug in custom code');
    const { code, error } = codeOf(() => rerank({ candidates, k: 2, strategy: selecting(() => { throw boom; }) }));
    expect(code).toBe('STRATEGY_FAILED');
    expect(error.cause).toBe(boom);
  });

  it('lets a RerankError thrown by select through unchanged', () => {
    const own = new RerankError('MISSING_HISTORY', 'needs history');
    expect(codeOf(() => rerank({ candidates, k: 2, strategy: selecting(() => { throw own; }) })).error).toBe(own);
  });

  const good = (k: number): Selection => ({ indices: Int32Array.from({ length: k }, (_, i) => i), scores: new Float64Array(k), parts: {} });
  it.each<[string, (k: number) => unknown]>([
    ['null', () => null],
    ['indices not an array', (k) => ({ ...good(k), indices: 3 })],
    ['a fractional index', (k) => ({ ...good(k), indices: [0.5, 1] })],
    ['a string score', (k) => ({ ...good(k), scores: ['1', '2'] })],
    ['parts that are not arrays', (k) => ({ ...good(k), parts: { x: 1 } })],
    ['parts of the wrong length', (k) => ({ ...good(k), parts: { x: new Float64Array(k + 1) } })],
    ['sources that are not strings', (k) => ({ ...good(k), sources: [1, 2] })],
    ['a throwing getter', (k) => ({ ...good(k), get scores(): never { throw new Error('x'); } })],
  ])('INVALID_STRATEGY_OUTPUT for %s', (_label, select) => {
    expect(codeOf(() => rerank({ candidates, k: 2, strategy: selecting(select) })).code).toBe('INVALID_STRATEGY_OUTPUT');
  });
});

describe('pipeline with a custom stage without requires (issue 10: TypeError)', () => {
  it('gives INVALID_ARGUMENT at stages[i].requires', () => {
    const scoring = { name: 'custom', stage: 'pre', select: relevance().select, score: (request: { candidates: { relevance: Float64Array } }) => request.candidates.relevance.slice() };
    const { code, error } = codeOf(() => pipeline(scoring as never, relevance()));
    expect(code).toBe('INVALID_ARGUMENT');
    expect(error.field).toBe('stages[0].requires');
  });

  it('names a stage whose name is a null-prototype object without a TypeError', () => {
    const selectOnly = { ...relevance(), name: Object.create(null) };
    const { code, error } = codeOf(() => pipeline(selectOnly as never, relevance()));
    expect(code).toBe('INVALID_ARGUMENT');
    expect(error.message).toContain('an object with a null prototype');
  });
});

describe('a selection in typed arrays wrapped in a Proxy is still read once', () => {
  it('a Proxy over an Int32Array whose reads throw gives INVALID_STRATEGY_OUTPUT', () => {
    const boom = new Error('proxied indices');
    const select = (_request: unknown, k: number) => ({
      indices: new Proxy(Int32Array.from({ length: k }, (_, i) => i), { get: (target, key) => (key === 'length' ? target.length : (() => { throw boom; })()) }),
      scores: new Float64Array(k),
      parts: {},
    });
    const strategy = { ...relevance(), name: 'custom', select } as unknown as Reranker;
    expect(codeOf(() => rerank({ candidates, k: 2, strategy })).code).toBe('INVALID_STRATEGY_OUTPUT');
  });
});
