import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { baseCandidates, buildEvalContext, type EvalContext, median, minMaxNormalise, mostPopular, prepareSplitModel, splitVectors } from '../../src/evaluate/context.js';
import { evaluateStrategy, quantile } from '../../src/evaluate/evaluate.js';
import { loadMovieLens } from '../../src/evaluate/movielens.js';
import { temporalSplit } from '../../src/evaluate/split.js';
import { relevance } from '../../src/index.js';
import { writeSyntheticMovieLens } from './synthetic-movielens.js';

describe('context helpers', () => {
  it('minMaxNormalise maps to [0, 1] and a constant list to ones', () => {
    expect(Array.from(minMaxNormalise(Float64Array.from([2, 4, 3])))).toEqual([0, 1, 0.5]);
    expect(Array.from(minMaxNormalise(Float64Array.from([7, 7])))).toEqual([1, 1]);
  });

  it('median averages the two middle values of an even count', () => {
    expect(median([5, 1, 3])).toBe(3);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([])).toBeNaN();
  });

  it('mostPopular breaks ties by the lower item index', () => {
    expect([...mostPopular(Float64Array.from([3, 5, 5, 1, 3]), ['a', 'b', 'c', 'd', 'e'], 3)]).toEqual(['b', 'c', 'a']);
  });

  it('quantile uses the nearest rank', () => {
    const values = Float64Array.from([10, 20, 30, 40]);
    expect(quantile(values, 0.5)).toBe(20); // ceil(0.5·4) = rank 2
    expect(quantile(values, 0.99)).toBe(40); // ceil(3.96) = rank 4
  });
});

describe('unexpected hits on a synthetic dataset', () => {
  let dir: string;
  let context: EvalContext;
  beforeAll(async () => {
    dir = writeSyntheticMovieLens({ users: 80, items: 240, ratingsPerUser: 45, seed: 21 });
    const data = await loadMovieLens(dir);
    const model = prepareSplitModel(temporalSplit(data.timelines), data.items.length);
    // Strategies see cosine vectors; u is measured with separate metric vectors (raw co-occurrence
    // here, which gives this small synthetic set unexpected hits), so the brute force below must use those.
    context = buildEvalContext(data, model, baseCandidates(model, 50), splitVectors(model, 2, 12), {
      split: 'test',
      k: 10,
      metricVectors: splitVectors(model, 2, 12, 'cooccurrence'),
    });
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('counts base UH hits as a brute-force recomputation of u = 1 − max cos (metric vectors) and the median does', () => {
    const catalog = context.metricCatalog;
    expect(catalog).not.toBe(context.catalog);
    const unit = (id: string): number[] => {
      const row = catalog.indexOf(id);
      return Array.from((catalog.embeddings as Float64Array).subarray(row * catalog.dim, (row + 1) * catalog.dim));
    };
    const cos = (a: number[], b: number[]): number => a.reduce((s, x, j) => s + x * (b[j] as number), 0);
    let expected = 0;
    for (const user of context.users) {
      const history = user.historyIds.map(unit);
      const u = user.candidateIds.map((id) => 1 - Math.max(...history.map((h) => cos(unit(id), h))));
      const sorted = [...u].sort((a, b) => a - b);
      const mid = sorted.length / 2;
      const med = sorted.length % 2 === 1 ? (sorted[Math.floor(mid)] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
      // The base list is the candidates in relevance order (they arrive sorted by EASE score).
      for (let i = 0; i < 10; i++) if (user.relevant.has(user.candidateIds[i] as string) && (u[i] as number) > med + 1e-12) expected++;
    }
    const base = evaluateStrategy(context, relevance(), false).metrics;
    expect(base.unexpectedHitCount).toBe(expected);
    expect(expected).toBeGreaterThan(0);
  });

  it('gives every user candidates sorted by relevance in [0, 1], unseen in train, and a history', () => {
    for (const user of context.users) {
      expect(user.relevance[0]).toBe(1);
      for (let i = 1; i < user.relevance.length; i++) expect(user.relevance[i]).toBeLessThanOrEqual(user.relevance[i - 1] as number);
      expect(user.historyIds.length).toBeGreaterThan(0);
      const history = new Set(user.historyIds);
      expect(user.candidateIds.some((id) => history.has(id))).toBe(false);
    }
  });
});
