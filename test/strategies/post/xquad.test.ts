import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { RerankError } from '../../../src/errors/rerank-error.js';
import { createItemTable } from '../../../src/pack/item-table.js';
import { rerank } from '../../../src/rerank.js';
import { xquad } from '../../../src/strategies/post/xquad.js';
import type { Candidate, UserContext } from '../../../src/types.js';
import { describeRerankerContract } from '../../contract/reranker-contract.js';

describeRerankerContract({ name: 'xquad(lambda=0.5)', make: () => xquad({ lambda: 0.5 }), noop: () => xquad({ lambda: 0 }) });
// At λ = 1 scores depend on categories only, so ties are common and shuffling may pick another tied item.
describeRerankerContract({ name: 'xquad(lambda=1)', make: () => xquad({ lambda: 1 }), noop: () => xquad({ lambda: 0 }), shuffleInvariant: false });

/**
 * Independent naive xQuAD on the raw request: p(c|u) from the history strings (each item spreads
 * 1/|cats| over its categories; uniform over candidate categories when none), binary p(i|c), and
 * the coverage product recomputed over the whole selected set for every candidate. `decided` counts
 * the leading steps won by a margin of at least 1e-9 (after a closer call, float rounding may
 * legitimately pick the other item).
 */
function naiveXquad(candidates: readonly Candidate[], history: readonly { categories: readonly string[] }[], k: number, lambda: number) {
  const unique = (names: readonly string[]) => [...new Set(names)];
  const userAspects = new Map<string, number>();
  let weighted = 0;
  for (const h of history) {
    const cats = unique(h.categories);
    if (cats.length === 0) continue;
    weighted++;
    for (const c of cats) userAspects.set(c, (userAspects.get(c) ?? 0) + 1 / cats.length);
  }
  if (weighted > 0) {
    for (const [c, w] of userAspects) userAspects.set(c, w / weighted);
  } else {
    const all = unique(candidates.flatMap((c) => c.categories ?? []));
    for (const c of all) userAspects.set(c, 1 / all.length);
  }
  const selected: number[] = [];
  const scores: number[] = [];
  let decided = -1;
  while (selected.length < Math.min(k, candidates.length)) {
    let best = -1;
    let bestScore = Number.NEGATIVE_INFINITY;
    let runnerUp = Number.NEGATIVE_INFINITY;
    candidates.forEach((candidate, i) => {
      if (selected.includes(i)) return;
      let coverage = 0;
      for (const c of unique(candidate.categories ?? [])) {
        let notCovered = 1;
        for (const j of selected) notCovered *= 1 - ((candidates[j]?.categories ?? []).includes(c) ? 1 : 0);
        coverage += (userAspects.get(c) ?? 0) * notCovered;
      }
      const score = (1 - lambda) * candidate.relevance + lambda * coverage;
      if (score > bestScore) {
        runnerUp = bestScore;
        best = i;
        bestScore = score;
      } else if (score > runnerUp) runnerUp = score;
    });
    if (decided < 0 && bestScore - runnerUp < 1e-9) decided = selected.length;
    selected.push(best);
    scores.push(bestScore);
  }
  return { ids: selected.map((i) => candidates[i]?.id), scores, decided: decided < 0 ? selected.length : decided };
}

const VOCABULARY = ['drama', 'comedy', 'action', '__proto__'] as const;
const smallRequest = fc
  .record({
    relevance: fc.uniqueArray(fc.integer({ min: 0, max: 10_000 }), { minLength: 1, maxLength: 9 }),
    history: fc.array(fc.uniqueArray(fc.constantFrom(...VOCABULARY), { maxLength: 3 }), { maxLength: 5 }),
    lambda: fc.double({ min: 0, max: 1, noNaN: true }),
    k: fc.integer({ min: 1, max: 10 }),
  })
  .chain(({ relevance, history, lambda, k }) =>
    fc
      .array(fc.uniqueArray(fc.constantFrom(...VOCABULARY), { maxLength: 3 }), { minLength: relevance.length, maxLength: relevance.length })
      .map((categories) => ({
        candidates: relevance.map((r, i): Candidate => ({ id: `c${i}`, relevance: r / 10_000, categories: categories[i] as string[] })),
        history: history.map((categories) => ({ categories })),
        lambda,
        k,
      })),
  );

describe('xquad()', () => {
  it('covers the user categories by p(c|u) before going back to relevance (hand-worked, λ = 0.7)', () => {
    // p(drama|u) = (1 + 1/2) / 2 = 0.75, p(comedy|u) = (1/2) / 2 = 0.25.
    const user: UserContext = { id: 'u', history: [{ id: 'h1', categories: ['drama'] }, { id: 'h2', categories: ['drama', 'comedy'] }] };
    const candidates: Candidate[] = [
      { id: 'a', relevance: 0.9, categories: ['drama'] },
      { id: 'b', relevance: 0.8, categories: ['drama'] },
      { id: 'c', relevance: 0.5, categories: ['comedy'] },
      { id: 'd', relevance: 0.4, categories: ['action'] },
    ];
    const { items } = rerank({ candidates, user, k: 4, strategy: xquad({ lambda: 0.7 }) });
    // Step 1: a = 0.3·0.9 + 0.7·0.75 beats b = 0.3·0.8 + 0.7·0.75. Step 2: drama is covered, so
    // c = 0.3·0.5 + 0.7·0.25 beats b = 0.3·0.8. Then relevance: b, d.
    expect(items.map((item) => item.id)).toEqual(['a', 'c', 'b', 'd']);
    const expectedScores = [0.3 * 0.9 + 0.7 * 0.75, 0.3 * 0.5 + 0.7 * 0.25, 0.3 * 0.8, 0.3 * 0.4];
    items.forEach((item, slot) => expect(item.score).toBeCloseTo(expectedScores[slot] as number, 12));
    expect(items.map((item) => item.parts.diversity)).toEqual([0.7 * 0.75, 0.7 * 0.25, 0, 0]);
    items.forEach((item) => expect(item.parts.relevance).toBeCloseTo(0.3 * item.relevance, 12));
    expect(items[0]?.parts.relevance! + items[0]?.parts.diversity!).toBeCloseTo(items[0]?.score as number, 12);
  });

  it('falls back to a uniform p(c|u) over candidate categories when the history is empty', () => {
    const candidates: Candidate[] = [
      { id: 'a', relevance: 0.9, categories: ['drama'] },
      { id: 'b', relevance: 0.8, categories: ['drama'] },
      { id: 'c', relevance: 0.5, categories: ['comedy'] },
    ];
    // p = 1/2 each. Step 2: c = 0.3·0.5 + 0.7·0.5 beats b = 0.3·0.8.
    for (const user of [undefined, { id: 'u' }, { id: 'u', history: [] }, { id: 'u', history: [{ id: 'h', categories: [] }] }]) {
      const { items } = rerank({ candidates, ...(user ? { user } : {}), k: 3, strategy: xquad({ lambda: 0.7 }) });
      expect(items.map((item) => item.id)).toEqual(['a', 'c', 'b']);
      expect(items[1]?.score).toBeCloseTo(0.3 * 0.5 + 0.7 * 0.5, 12);
    }
  });

  it('is the relevance order at λ = 0 and breaks exact ties by the lower input index', () => {
    const candidates: Candidate[] = [
      { id: 'x', relevance: 0.5, categories: ['drama'] },
      { id: 'y', relevance: 0.5, categories: ['drama'] },
      { id: '__proto__', relevance: 0.9, categories: ['comedy'] },
    ];
    expect(rerank({ candidates, k: 3, strategy: xquad({ lambda: 0 }) }).items.map((i) => i.id)).toEqual(['__proto__', 'x', 'y']);
    // λ = 1, empty history: p = 1/2 each; first pick is a three-way tie at 0.5 → lowest index x.
    expect(rerank({ candidates, k: 3, strategy: xquad({ lambda: 1 }) }).items.map((i) => i.id)).toEqual(['x', '__proto__', 'y']);
  });

  it('matches a naive greedy that recomputes the coverage products from scratch', () => {
    let fullyCompared = 0;
    const numRuns = 300;
    fc.assert(
      fc.property(smallRequest, ({ candidates, history, lambda, k }) => {
        const user: UserContext = { id: 'u', history: history.map((h, i) => ({ id: `h${i}`, categories: h.categories })) };
        const { items } = rerank({ candidates, user, k, strategy: xquad({ lambda }) });
        const expected = naiveXquad(candidates, history, k, lambda);
        const compared = items.slice(0, expected.decided);
        expect(compared.map((item) => item.id)).toEqual(expected.ids.slice(0, compared.length));
        compared.forEach((item, slot) => expect(Math.abs(item.score - (expected.scores[slot] as number))).toBeLessThan(1e-12));
        if (expected.decided === expected.ids.length) fullyCompared++;
      }),
      { numRuns },
    );
    // Near-ties are rare: most generated cases are compared in full.
    expect(fullyCompared).toBeGreaterThan(numRuns * 0.8);
  });

  it('reads categories from a catalog when the candidates omit them', () => {
    // Categories only in the item table: a and c are drama, b is comedy, the history item h1 is drama.
    const items = rerank({
      candidates: [
        { id: 'a', relevance: 0.9 },
        { id: 'c', relevance: 0.5 },
        { id: 'b', relevance: 0.8 },
      ],
      user: { id: 'u', history: [{ id: 'h1' }] },
      k: 3,
      strategy: xquad({ lambda: 0.7 }),
      catalog: createCatalog(),
    }).items;
    // p(drama|u) = 1. Step 1: a = 0.3·0.9 + 0.7 beats c = 0.3·0.5 + 0.7. Step 2: drama is covered,
    // so b = 0.3·0.8 beats c = 0.3·0.5.
    expect(items.map((item) => item.id)).toEqual(['a', 'b', 'c']);
  });

  it('validates its options', () => {
    expect(xquad().name).toBe('xquad(lambda=0.5)');
    expect(xquad({ lambda: 0.25 }).requires).toEqual({ categories: 'required', historyCategories: 'optional' });
    for (const lambda of [-0.1, 1.5, Number.NaN, Number.POSITIVE_INFINITY, '0.5']) {
      expect(() => xquad({ lambda } as never)).toThrow(expect.objectContaining({ code: 'INVALID_OPTION', field: 'options.lambda' }));
    }
    expect(() => xquad({ lamda: 0.5 } as never)).toThrow(expect.objectContaining({ code: 'UNKNOWN_OPTION' }));
  });

  it('raises MISSING_CATEGORIES when a candidate has none', () => {
    const run = () => rerank({ candidates: [{ id: 'a', relevance: 1 }], k: 1, strategy: xquad() });
    expect(run).toThrow(RerankError);
    expect(run).toThrow(expect.objectContaining({ code: 'MISSING_CATEGORIES' }));
  });
});

function createCatalog() {
  return createItemTable([
    { id: 'a', categories: ['drama'] },
    { id: 'b', categories: ['comedy'] },
    { id: 'c', categories: ['drama'] },
    { id: 'h1', categories: ['drama'] },
  ]);
}
