import { rmSync } from 'node:fs';
import { inverse, Matrix } from 'ml-matrix';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadMovieLens, type MovieLensData } from '../../src/evaluate/movielens.js';
import { type EvaluationResult, runEvaluation } from '../../src/evaluate/run.js';
import { temporalSplit, type TemporalSplit } from '../../src/evaluate/split.js';
import { numeric, STRATEGY_FAMILIES, type StrategyFamily } from '../../src/evaluate/strategies.js';
import { mmr, relevance, xquad } from '../../src/index.js';
import { writeSyntheticMovieLens } from './synthetic-movielens.js';

const LAMBDAS = [10, 100];
const K = 10;
let dir: string;
let data: MovieLensData;
let result: EvaluationResult;
const logLines: string[] = [];

const prepareCalls: string[] = [];
const madeWith: string[] = [];
const preparedFamily: StrategyFamily<string> = {
  family: 'prepared: relevance',
  paramName: 'none',
  params: ['a', 'b'],
  prepare: (context, previous) => {
    prepareCalls.push(`${context.split}<${previous?.split}`);
    return `state-${context.split}`;
  },
  make: (param, context, prepared) => {
    madeWith.push(`${param}/${context.split}/${prepared}`);
    return relevance();
  },
};
const NOOP_FAMILIES: StrategyFamily<unknown>[] = [
  { family: 'noop: mmr λ=1', paramName: 'lambda', params: [1], make: (p) => mmr({ lambda: numeric(p) }) },
  { family: 'noop: xquad λ=0', paramName: 'lambda', params: [0], make: (p) => xquad({ lambda: numeric(p) }) },
  preparedFamily,
];

beforeAll(async () => {
  dir = writeSyntheticMovieLens({ users: 100, items: 320, ratingsPerUser: 50, seed: 3 });
  data = await loadMovieLens(dir);
  result = await runEvaluation({ dataDir: dir, k: K, seed: 5, lambdas: LAMBDAS, dim: 16, bootstrapSamples: 300, families: [...STRATEGY_FAMILIES, ...NOOP_FAMILIES], splits: ['standard'], log: (line) => logLines.push(line) });
}, 60_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/**
 * The base recommender recomputed independently with dense ml-matrix algebra and the formulas
 * written out: items with ≥ 5 train users, X binary, P = inverse(XᵀX + λI), B = I − P·diag(1/diag P),
 * unseen top-k by score, nDCG = DCG/IDCG, Ge hits = held-out positives in the top k outside the 100
 * most popular train items.
 */
function independentBase(split: TemporalSplit, lambda: number): { ndcg: number; geHits: number; users: number } {
  const counts = new Map<number, number>();
  split.trainPositives.forEach((items) => new Set(items).forEach((i) => counts.set(i, (counts.get(i) ?? 0) + 1)));
  const space = [...counts.entries()].filter(([, c]) => c >= 5).map(([i]) => i).sort((a, b) => a - b);
  const col = new Map(space.map((item, c) => [item, c]));
  const X = new Matrix(split.train.length, space.length);
  split.trainPositives.forEach((items, u) => items.forEach((i) => col.has(i) && X.set(u, col.get(i) as number, 1)));
  const P = inverse(X.transpose().mmul(X).add(Matrix.eye(space.length).mul(lambda)));
  const B = new Matrix(space.length, space.length);
  for (let i = 0; i < space.length; i++) for (let j = 0; j < space.length; j++) B.set(i, j, i === j ? 0 : -P.get(i, j) / P.get(j, j));
  const S = X.mmul(B);
  const popular = new Set([...counts.entries()].sort((a, b) => b[1] - a[1] || a[0] - b[0]).slice(0, 100).map(([i]) => i));
  let ndcg = 0;
  let geHits = 0;
  let users = 0;
  split.train.forEach((timeline, u) => {
    const relevant = new Set(split.heldOutPositives[u]);
    if (relevant.size === 0) return;
    const seen = new Set(timeline.items);
    const ranked = space.map((item, c) => ({ item, c, s: S.get(u, c) })).filter((x) => !seen.has(x.item)).sort((a, b) => b.s - a.s || a.c - b.c);
    const top = ranked.slice(0, K).map((x) => x.item);
    let dcg = 0;
    top.forEach((item, r) => {
      if (relevant.has(item)) dcg += 1 / Math.log2(r + 2);
    });
    let idcg = 0;
    for (let r = 0; r < Math.min(K, relevant.size); r++) idcg += 1 / Math.log2(r + 2);
    ndcg += dcg / idcg;
    geHits += top.filter((item) => relevant.has(item) && !popular.has(item)).length;
    users++;
  });
  return { ndcg: ndcg / users, geHits, users };
}

describe('runEvaluation on a synthetic MovieLens-format dataset', () => {
  it('tunes λ on validation, moving the grid past its edge: each λ’s validation nDCG and the choice match an independent computation', () => {
    const validation = temporalSplit(temporalSplit(data.timelines).train);
    const ndcgOf = (lambda: number): number => independentBase(validation, lambda).ndcg;
    // By hand for the grid [10, 100] (a factor of 10 between neighbours): while the best λ so far is
    // the largest tried, the next is 10× it; while it is the smallest, a tenth of it; at most twice.
    const tried = [...LAMBDAS];
    const scores = tried.map(ndcgOf);
    const best = (): number => tried[scores.indexOf(Math.max(...scores))] as number;
    const expectedExtensions: number[] = [];
    for (let step = 0; step < 2; step++) {
      const next = best() === Math.max(...tried) ? best() * 10 : best() === Math.min(...tried) ? best() / 10 : undefined;
      if (next === undefined) break;
      expectedExtensions.push(next);
      tried.push(next);
      scores.push(ndcgOf(next));
    }
    expect(expectedExtensions.length).toBeGreaterThan(0); // a two-value grid always chooses an edge
    expect(result.ease.extended).toEqual(expectedExtensions);
    tried.forEach((lambda, i) => expect(result.ease.validationNdcg[String(lambda)]).toBeCloseTo(scores[i] as number, 9));
    expect(Object.keys(result.ease.validationNdcg)).toHaveLength(tried.length);
    expect(result.ease.lambda).toBe(best());
  });

  it('reports the base (EASE) nDCG and Ge hits of an independent dense computation on test', () => {
    const expected = independentBase(temporalSplit(data.timelines), result.ease.lambda);
    expect(result.users.test).toBe(expected.users);
    expect(result.base.ndcg).toBeCloseTo(expected.ndcg, 9);
    expect(result.base.serendipityHitCount).toBe(expected.geHits);
    expect(expected.geHits).toBeGreaterThan(0);
  });

  it('evaluates every grid point (per representation, plus the points a moving grid added), with ratios equal to metric / base', () => {
    const families = [...STRATEGY_FAMILIES, ...NOOP_FAMILIES];
    const original = result.strategies.filter((row) => row.extended === undefined);
    expect(original.length).toBe(families.reduce((n, f) => n + f.params.length * (f.representations?.length ?? 1), 0));
    for (const row of result.strategies.filter((r) => r.extended !== undefined)) {
      const family = families.find((f) => f.family === row.name);
      expect(family?.range).toBeDefined();
      expect(family?.params).not.toContain(row.param);
    }
    for (const row of result.strategies) {
      expect(row.ndcgRatio).toBeCloseTo(row.ndcg / result.base.ndcg, 12);
      expect(row.serendipityRatio).toBeCloseTo(row.serendipityHitCount / result.base.serendipityHitCount, 12);
      expect(row.serendipityHits).toBeCloseTo(row.serendipityHitCount / (K * result.users.test), 12);
      for (const value of [row.ndcg, row.recall, row.ild, row.novelty, row.unexpectedness, row.auralist, row.coverage, row.gini, row.latencyMedianMs]) {
        expect(Number.isFinite(value)).toBe(true);
      }
      expect(row.latencyP99Ms).toBeGreaterThanOrEqual(row.latencyMedianMs);
    }
  });

  it('reproduces the base exactly with no-op settings (mmr λ=1, xquad λ=0)', () => {
    for (const name of ['noop: mmr λ=1', 'noop: xquad λ=0']) {
      const row = result.strategies.find((s) => s.name === name);
      expect(row?.ndcgRatio).toBe(1);
      expect(row?.serendipityHitCount).toBe(result.base.serendipityHitCount);
      expect(row?.unexpectedHitCount).toBe(result.base.unexpectedHitCount);
      expect(row?.validationNdcgRatio).toBe(1);
    }
  });

  it('selects, per family and floor, the most validation Ge hits among points whose predicted test nDCG-ratio lower bound (validation CI widened by √2) meets the floor', () => {
    expect(result.selected.length).toBe((STRATEGY_FAMILIES.length + NOOP_FAMILIES.length) * 2);
    for (const chosen of result.selected) {
      expect(chosen.split).toBe('standard');
      const rows = result.strategies.filter((s) => s.name === chosen.strategy);
      for (const row of rows) {
        const widened = row.validationNdcgRatio - Math.SQRT2 * (row.validationNdcgRatio - row.validationNdcgLower);
        expect(row.predictedTestNdcgLower).toBeCloseTo(widened, 12);
      }
      const eligible = rows.filter((s) => s.predictedTestNdcgLower >= chosen.floor);
      if (eligible.length === 0) {
        expect(chosen.param).toBeNull();
        expect(chosen.metFloorOnTest).toBeNull();
        continue;
      }
      for (const row of eligible) {
        expect(row.validationNdcgLower).toBeLessThanOrEqual(row.validationNdcgRatio + 1e-12);
        expect(row.predictedTestNdcgLower).toBeLessThanOrEqual(row.validationNdcgLower + 1e-12);
      }
      const best = Math.max(...eligible.map((s) => s.validationSerendipityRatio));
      const winners = eligible.filter((s) => s.validationSerendipityRatio === best);
      expect(winners.some((w) => w.param === chosen.param && w.representation === chosen.representation && w.ndcgRatio === chosen.ndcgRatio)).toBe(true);
      expect(chosen.metFloorOnTest).toBe(chosen.ndcgRatio >= chosen.floor - 0.005);
      expect(chosen.ci[0]).toBeLessThanOrEqual(chosen.serendipityRatio + 1e-12);
      expect(chosen.ci[1]).toBeGreaterThanOrEqual(chosen.serendipityRatio - 1e-12);
    }
    expect(result.floorsMet.rows).toBe(result.selected.filter((r) => r.param !== null).length);
    expect(result.floorsMet.met).toBe(result.selected.filter((r) => r.metFloorOnTest === true).length);
  });

  it('counts a serendipity win only where a row beats both reference rules on both ratios', () => {
    for (const row of result.selected) {
      const rules = result.selected.filter((r) => r.strategy.startsWith('rule:') && r.floor === row.floor);
      if (row.strategy.startsWith('rule:')) {
        expect(row.serendipityWin).toBeNull();
        expect(row.serendipityWinConfident).toBeNull();
        continue;
      }
      const or1 = (x: number) => (Number.isFinite(x) ? x : 1);
      const expected = row.param !== null && rules.every((r) => row.serendipityRatio > or1(r.serendipityRatio) && row.unexpectedHitsRatio > or1(r.unexpectedHitsRatio));
      expect(row.serendipityWin).toBe(expected);
      // the confident win is the point win with every paired CI above 0, so it implies it
      expect(typeof row.serendipityWinConfident).toBe('boolean');
      if (row.serendipityWinConfident === true) expect(row.serendipityWin).toBe(true);
    }
  });

  it('refuses an item space too large for the dense EASE solve with a RerankError naming the limit', async () => {
    await expect(runEvaluation({ dataDir: dir, maxItems: 50, families: [] })).rejects.toThrow(/items with ≥ 5 train users; the demo's dense EASE handles at most 50/);
  });

  it('announces every EASE fit as it starts: each λ on validation, then the chosen λ on test and fit', () => {
    const fits = logLines.filter((line) => line.includes('fitting EASE'));
    const chosen = result.ease.lambda;
    expect(fits.map((line) => /λ=([\d.]+) on the (\w+) window/.exec(line)?.slice(1).join(' '))).toEqual([
      ...[...LAMBDAS, ...(result.ease.extended ?? [])].map((lambda) => `${lambda} validation`),
      `${chosen} test`,
      `${chosen} fit`,
    ]);
    // Each comes before the stage line that reports the fits' time.
    const stageLine = logLines.findIndex((line) => line.includes('standard:ease-lambda'));
    expect(logLines.indexOf(fits[fits.length - 3] as string)).toBeLessThan(stageLine);
    expect(fits[0]).toMatch(/\(\d+ items, a dense \d+ × \d+ solve\)$/);
  });

  it('calls a family’s prepare hook once per split and hands its result to make', () => {
    // Nested windows: validation is prepared from the fit window, test from validation.
    expect(prepareCalls).toEqual(['validation<fit', 'test<validation']);
    expect(madeWith).toEqual(['a/validation/state-validation', 'a/test/state-test', 'b/validation/state-validation', 'b/test/state-test']);
    const rows = result.strategies.filter((s) => s.name === 'prepared: relevance');
    expect(rows.map((r) => [r.param, r.ndcgRatio])).toEqual([
      ['a', 1],
      ['b', 1],
    ]);
  });

  it('lets the PM rule raise Ge hits, as it is built to', () => {
    const strongest = result.strategies.filter((s) => s.name === 'rule: r − c·1[PM]' && s.extended === undefined).at(-1);
    expect(strongest?.serendipityHitCount).toBeGreaterThan(result.base.serendipityHitCount);
  });
});
