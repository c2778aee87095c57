import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { rerank } from '../../../src/rerank.js';
import { CALIBRATION_SMOOTHING, calibrated } from '../../../src/strategies/post/calibrated.js';
import type { Candidate, UserContext } from '../../../src/types.js';
import { describeRerankerContract } from '../../contract/reranker-contract.js';

describeRerankerContract({ name: 'calibrated(lambda=0.5)', make: () => calibrated({ lambda: 0.5 }), noop: () => calibrated({ lambda: 0 }) });
describeRerankerContract({ name: 'calibrated(lambda=0.9)', make: () => calibrated({ lambda: 0.9 }), noop: () => calibrated({ lambda: 0 }) });

const A = 0.01;

/** Steck's category distribution of a set of category lists: each spreads 1/|cats| over its categories. */
function distribution(rows: readonly (readonly string[])[]): Map<string, number> {
  const result = new Map<string, number>();
  let weighted = 0;
  for (const row of rows) {
    const cats = [...new Set(row)];
    if (cats.length === 0) continue;
    weighted++;
    for (const c of cats) result.set(c, (result.get(c) ?? 0) + 1 / cats.length);
  }
  for (const [c, w] of result) result.set(c, w / weighted);
  return result;
}

/** KL(p‖q̃) with q̃ = (1−a)q + a·p, summed over the support of p. */
function kl(p: Map<string, number>, q: Map<string, number>): number {
  let sum = 0;
  for (const [c, pc] of p) sum += pc * Math.log(pc / ((1 - A) * (q.get(c) ?? 0) + A * pc));
  return sum;
}

/**
 * Independent naive greedy: for every candidate, the full objective (1−λ)·Σ rel − λ·KL(p‖q̃(S ∪ {i}))
 * recomputed from scratch; returns the chosen ids, the objective's increase at each step, and how
 * many leading steps were decided by a margin of at least 1e-9 over the runner-up (after a closer
 * call, float rounding may legitimately pick the other item).
 */
function naiveCalibrated(candidates: readonly Candidate[], history: readonly (readonly string[])[], k: number, lambda: number) {
  const p = distribution(history);
  const objective = (set: readonly number[]) =>
    (1 - lambda) * set.reduce((sum, i) => sum + (candidates[i] as Candidate).relevance, 0) -
    lambda * kl(p, distribution(set.map((i) => (candidates[i] as Candidate).categories ?? [])));
  const selected: number[] = [];
  const gains: number[] = [];
  let decided = -1;
  while (selected.length < Math.min(k, candidates.length)) {
    let best = -1;
    let bestValue = Number.NEGATIVE_INFINITY;
    let runnerUp = Number.NEGATIVE_INFINITY;
    candidates.forEach((_, i) => {
      if (selected.includes(i)) return;
      const value = objective([...selected, i]);
      if (value > bestValue) {
        runnerUp = bestValue;
        best = i;
        bestValue = value;
      } else if (value > runnerUp) runnerUp = value;
    });
    if (decided < 0 && bestValue - runnerUp < 1e-9) decided = selected.length;
    gains.push(bestValue - objective(selected));
    selected.push(best);
  }
  return { ids: selected.map((i) => candidates[i]?.id), gains, decided: decided < 0 ? selected.length : decided };
}

const VOCABULARY = ['drama', 'comedy', 'action', 'constructor'] as const;
const smallRequest = fc
  .record({
    relevance: fc.uniqueArray(fc.integer({ min: 0, max: 10_000 }), { minLength: 1, maxLength: 8 }),
    history: fc.array(fc.uniqueArray(fc.constantFrom(...VOCABULARY), { maxLength: 3 }), { minLength: 1, maxLength: 6 }),
    lambda: fc.double({ min: 0, max: 1, noNaN: true }),
    k: fc.integer({ min: 1, max: 9 }),
  })
  .filter(({ history }) => history.some((row) => row.length > 0))
  .chain(({ relevance, history, lambda, k }) =>
    fc
      .array(fc.uniqueArray(fc.constantFrom(...VOCABULARY), { maxLength: 3 }), { minLength: relevance.length, maxLength: relevance.length })
      .map((categories) => ({
        candidates: relevance.map((r, i): Candidate => ({ id: `c${i}`, relevance: r / 10_000, categories: categories[i] as string[] })),
        history,
        lambda,
        k,
      })),
  );

const userWith = (history: readonly (readonly string[])[]): UserContext => ({
  id: 'u',
  history: history.map((categories, i) => ({ id: `h${i}`, categories })),
});

describe('calibrated()', () => {
  it('uses a = 0.01 as in Steck (2018)', () => {
    expect(CALIBRATION_SMOOTHING).toBe(0.01);
  });

  it('adds the category that calibrates the list (hand-worked, λ = 0.5)', () => {
    // p = { drama: 1/2, comedy: 1/2 }.
    const user = userWith([['drama'], ['comedy']]);
    const candidates: Candidate[] = [
      { id: 'a', relevance: 0.9, categories: ['drama'] },
      { id: 'b', relevance: 0.8, categories: ['drama'] },
      { id: 'c', relevance: 0.5, categories: ['comedy'] },
    ];
    const { items } = rerank({ candidates, user, k: 2, strategy: calibrated({ lambda: 0.5 }) });
    // Empty list: q = 0, KL = −ln a. One-genre list: q̃ = (0.99 + 0.005, 0.005).
    const klEmpty = -Math.log(0.01);
    const klOneGenre = 0.5 * Math.log(0.5 / (0.99 * 1 + 0.01 * 0.5)) + 0.5 * Math.log(0.5 / (0.99 * 0 + 0.01 * 0.5));
    // Step 1: all three give the same KL, so relevance decides: a. Step 2: {a, c} has q = p and KL = 0,
    // so c (0.5·0.5 − 0) beats b (0.5·0.8 − 0.5·klOneGenre ≈ −0.58).
    expect(items.map((item) => item.id)).toEqual(['a', 'c']);
    expect(items[0]?.parts.relevance).toBeCloseTo(0.5 * 0.9, 12);
    expect(items[0]?.parts.calibration).toBeCloseTo(-0.5 * (klOneGenre - klEmpty), 12);
    expect(items[1]?.parts.relevance).toBeCloseTo(0.5 * 0.5, 12);
    expect(items[1]?.parts.calibration).toBeCloseTo(-0.5 * (0 - klOneGenre), 12);
    expect(items[1]?.score).toBeCloseTo(0.5 * 0.5 + 0.5 * klOneGenre, 12);
  });

  it('is the no-op (relevance order, zero calibration) when the history is empty', () => {
    const candidates: Candidate[] = [
      { id: 'a', relevance: 0.2, categories: ['drama'] },
      { id: '__proto__', relevance: 0.9, categories: ['comedy'] },
      { id: 'c', relevance: 0.2, categories: [] },
    ];
    for (const user of [undefined, { id: 'u' }, userWith([]), userWith([[], []])]) {
      const { items } = rerank({ candidates, ...(user ? { user } : {}), k: 3, strategy: calibrated({ lambda: 0.8 }) });
      expect(items.map((item) => item.id)).toEqual(['__proto__', 'a', 'c']);
      expect(items.map((item) => item.parts.calibration)).toEqual([0, 0, 0]);
      expect(items[0]?.score).toBeCloseTo(0.2 * 0.9, 12);
    }
  });

  it('matches a naive greedy that recomputes the full objective for every candidate set', () => {
    let fullyCompared = 0;
    const numRuns = 300;
    fc.assert(
      fc.property(smallRequest, ({ candidates, history, lambda, k }) => {
        const { items } = rerank({ candidates, user: userWith(history), k, strategy: calibrated({ lambda }) });
        const expected = naiveCalibrated(candidates, history, k, lambda);
        const compared = items.slice(0, expected.decided);
        expect(compared.map((item) => item.id)).toEqual(expected.ids.slice(0, compared.length));
        compared.forEach((item, slot) => {
          expect(Math.abs(item.score - (expected.gains[slot] as number))).toBeLessThan(1e-9);
          expect(Math.abs((item.parts.relevance as number) + (item.parts.calibration as number) - item.score)).toBeLessThan(1e-12);
        });
        if (expected.decided === expected.ids.length) fullyCompared++;
      }),
      { numRuns },
    );
    // Near-ties are rare: most generated cases are compared in full.
    expect(fullyCompared).toBeGreaterThan(numRuns * 0.8);
  });

  it('never gives NaN, even when no candidate shares a category with the history', () => {
    const candidates: Candidate[] = [
      { id: 'a', relevance: 0.3, categories: ['action'] },
      { id: 'b', relevance: 0.6, categories: [] },
    ];
    const { items } = rerank({ candidates, user: userWith([['drama']]), k: 2, strategy: calibrated({ lambda: 1 }) });
    for (const item of items) expect(Number.isFinite(item.score)).toBe(true);
    // λ = 1: neither changes KL(p‖q̃) on drama (q(drama) stays 0), so the tie goes to the lower index.
    expect(items.map((item) => item.id)).toEqual(['a', 'b']);
  });

  it('validates its options and requires history categories', () => {
    expect(calibrated().name).toBe('calibrated(lambda=0.5)');
    for (const lambda of [-1e-9, 1.0001, Number.NaN, null]) {
      expect(() => calibrated({ lambda } as never)).toThrow(expect.objectContaining({ code: 'INVALID_OPTION', field: 'options.lambda' }));
    }
    expect(() => calibrated({ a: 0.1 } as never)).toThrow(expect.objectContaining({ code: 'UNKNOWN_OPTION' }));
    const run = () =>
      rerank({
        candidates: [{ id: 'a', relevance: 1, categories: ['drama'] }],
        user: { id: 'u', history: [{ id: 'h' }] },
        k: 1,
        strategy: calibrated(),
      });
    expect(run).toThrow(expect.objectContaining({ code: 'MISSING_CATEGORIES' }));
  });
});
