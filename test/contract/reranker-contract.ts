/**
 * Shared contract property suite run against every Reranker (fast-check's "one contract, many
 * implementations" style). Call {@link describeRerankerContract} from a strategy's test file.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { rerank } from '../../src/rerank.js';
import type { Candidate, Reranker, RerankRequest, UserContext } from '../../src/types.js';

/** What the contract needs to know about a strategy. */
export interface ContractOptions {
  /** Shown in the describe block. */
  readonly name: string;
  /** Builds the strategy under test; called afresh for every generated request. */
  readonly make: () => Reranker;
  /** The strategy at its no-op setting, which must reproduce relevance order (ties by input index). */
  readonly noop?: () => Reranker;
  /** Whether shuffling the input keeps the chosen set (apart from ties). Default true. */
  readonly shuffleInvariant?: boolean;
  /** fast-check runs per property. Default 60. */
  readonly numRuns?: number;
}

const VOCABULARY = ['action', 'drama', 'comedy', '__proto__', 'constructor', 'toString'] as const;
const SPECIAL_IDS = ['__proto__', 'constructor', 'hasOwnProperty'] as const;

const vectorArb = (dim: number): fc.Arbitrary<number[]> =>
  fc
    .array(fc.double({ min: -1, max: 1, noNaN: true, noDefaultInfinity: true }), { minLength: dim, maxLength: dim })
    .map((v) => (v.every((x) => Math.abs(x) < 1e-6) ? v.map((_, j) => (j === 0 ? 1 : 0)) : v));

const categoriesArb = fc.uniqueArray(fc.constantFrom(...VOCABULARY), { minLength: 1, maxLength: 3 });

/** A request where every candidate carries every field and the user has a history. */
export const requestArb = (options: { readonly tiedRelevance?: boolean } = {}) =>
  fc
    .record({
      n: fc.integer({ min: 0, max: 24 }),
      dim: fc.integer({ min: 2, max: 6 }),
      historyLength: fc.integer({ min: 0, max: 8 }),
      k: fc.integer({ min: 1, max: 30 }),
    })
    .chain(({ n, dim, historyLength, k }) =>
      fc.record({
        k: fc.constant(k),
        relevance: options.tiedRelevance
          ? fc.array(fc.integer({ min: 0, max: 3 }).map((x) => x / 3), { minLength: n, maxLength: n })
          : fc.uniqueArray(fc.integer({ min: 0, max: 1_000_000 }), { minLength: n, maxLength: n }).map((xs) => xs.map((x) => x / 1_000_000)),
        embeddings: fc.array(vectorArb(dim), { minLength: n, maxLength: n }),
        categories: fc.array(categoriesArb, { minLength: n, maxLength: n }),
        popularity: fc.array(fc.integer({ min: 0, max: 1000 }), { minLength: n, maxLength: n }),
        history: fc.array(fc.record({ embedding: vectorArb(dim), categories: categoriesArb }), {
          minLength: historyLength,
          maxLength: historyLength,
        }),
      }),
    )
    .map(({ k, relevance, embeddings, categories, popularity, history }) => {
      const candidates: Candidate[] = relevance.map((r, i) => ({
        id: SPECIAL_IDS[i] ?? `item-${i}`,
        relevance: r,
        embedding: embeddings[i] as number[],
        categories: categories[i] as string[],
        popularity: popularity[i] as number,
      }));
      const user: UserContext = {
        id: 'user-1',
        history: history.map((h, i) => ({ id: `seen-${i}`, embedding: h.embedding, categories: h.categories })),
      };
      return { candidates, user, k };
    });

/** Relevance order with ties broken by the lower input index (docs/formulas.md#conventions). */
export function relevanceOrder(candidates: readonly Candidate[]): string[] {
  return candidates
    .map((c, i) => ({ id: c.id, relevance: c.relevance, i }))
    .sort((a, b) => b.relevance - a.relevance || a.i - b.i)
    .map((c) => c.id);
}

function shuffled<T>(items: readonly T[], seed: number): T[] {
  const copy = [...items];
  let state = seed >>> 0 || 1;
  for (let i = copy.length - 1; i > 0; i--) {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    const j = state % (i + 1);
    [copy[i], copy[j]] = [copy[j] as T, copy[i] as T];
  }
  return copy;
}

/**
 * Harness limit for one contract property. Properties over strategies that read a score cache take
 * a few seconds on a loaded machine; this bounds a hang, it is not a speed assertion.
 */
const CONTRACT_TIMEOUT_MS = 30_000;

/** Registers the contract properties for one strategy. */
export function describeRerankerContract(options: ContractOptions): void {
  const numRuns = options.numRuns ?? 60;
  const run = (request: Omit<RerankRequest, 'strategy'>, strategy = options.make()) => rerank({ ...request, strategy });

  describe(`Reranker contract: ${options.name}`, () => {
    it('rejects a wrong-typed k and an unknown request key with a RerankError that names them', () => {
      const request = { candidates: [{ id: 'a', relevance: 1, embedding: [1, 0], categories: ['x'], popularity: 1 }], user: { id: 'user-1' } };
      expect(() => rerank({ ...request, k: '1' as unknown as number, strategy: options.make() })).toThrow(
        expect.objectContaining({ code: 'INVALID_K', message: expect.stringContaining('got string "1"') }),
      );
      expect(() => rerank({ ...request, k: 1, kk: 1, strategy: options.make() } as RerankRequest)).toThrow(
        expect.objectContaining({ code: 'UNKNOWN_OPTION', field: 'kk' }),
      );
    });

    it('returns a duplicate-free subset of the input of length min(k, n), with consistent fields', () => {
      fc.assert(
        fc.property(requestArb(), (request) => {
          const { items } = run(request);
          const n = request.candidates.length;
          expect(items.length).toBe(Math.min(request.k, n));
          expect(new Set(items.map((item) => item.id)).size).toBe(items.length);
          items.forEach((item, slot) => {
            const candidate = request.candidates[item.index] as Candidate;
            expect(candidate.id).toBe(item.id);
            expect(item.relevance).toBe(candidate.relevance);
            expect(item.rank).toBe(slot + 1);
          });
        }),
        { numRuns },
      );
    }, CONTRACT_TIMEOUT_MS);

    it('is deterministic: equal inputs give equal outputs', () => {
      fc.assert(
        fc.property(requestArb(), (request) => {
          expect(run(request)).toEqual(run(structuredClone(request)));
        }),
        { numRuns },
      );
    }, CONTRACT_TIMEOUT_MS);

    it('gives finite scores and finite score parts, and leaves the request untouched', () => {
      fc.assert(
        fc.property(requestArb({ tiedRelevance: true }), (request) => {
          const before = structuredClone(request);
          for (const item of run(request).items) {
            expect(Number.isFinite(item.score)).toBe(true);
            for (const value of Object.values(item.parts)) expect(Number.isFinite(value)).toBe(true);
          }
          expect(request).toEqual(before);
        }),
        { numRuns },
      );
    }, CONTRACT_TIMEOUT_MS);

    const { noop } = options;
    if (noop !== undefined) {
      it('reproduces relevance order at its no-op setting, ties by input index', () => {
        fc.assert(
          fc.property(fc.boolean().chain((tied) => requestArb({ tiedRelevance: tied })), (request) => {
            const ids = run(request, noop()).items.map((item) => item.id);
            expect(ids).toEqual(relevanceOrder(request.candidates).slice(0, request.k));
          }),
          { numRuns },
        );
      }, CONTRACT_TIMEOUT_MS);
    }

    if (options.shuffleInvariant !== false) {
      it('chooses the same set when the input is shuffled (relevance distinct, so no ties)', () => {
        fc.assert(
          fc.property(requestArb(), fc.integer(), (request, seed) => {
            const original = new Set(run(request).items.map((item) => item.id));
            const permuted = { ...request, candidates: shuffled(request.candidates, seed) };
            expect(new Set(run(permuted).items.map((item) => item.id))).toEqual(original);
          }),
          { numRuns },
        );
      }, CONTRACT_TIMEOUT_MS);
    }
  });
}
