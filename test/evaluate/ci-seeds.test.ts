import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compareStrategies, type SelectedRow } from '../../src/evaluate/compare.js';
import { baseCandidates, buildEvalContext, type EvalContext, prepareSplitModel, splitVectors } from '../../src/evaluate/context.js';
import { loadMovieLens } from '../../src/evaluate/movielens.js';
import { temporalSplit } from '../../src/evaluate/split.js';
import { STRATEGY_FAMILIES } from '../../src/evaluate/strategies.js';
import { writeSyntheticMovieLens } from './synthetic-movielens.js';

/** A family's test CIs must not depend on which other families or floors run beside it. */
describe('selected rows keep their CIs whatever else runs', { timeout: 60_000 }, () => {
  let dir: string;
  let validation: EvalContext;
  let test: EvalContext;
  beforeAll(async () => {
    dir = writeSyntheticMovieLens({ users: 80, items: 150, ratingsPerUser: 50, seed: 11 });
    const data = await loadMovieLens(dir);
    const testSplit = temporalSplit(data.timelines);
    const validationSplit = temporalSplit(testSplit.train);
    const context = (split: typeof testSplit, name: 'validation' | 'test'): EvalContext => {
      const model = prepareSplitModel(split, data.items.length);
      const vectors = splitVectors(model, 3, 8);
      return buildEvalContext(data, model, baseCandidates(model, 50), vectors, { split: name, k: 10, metricVectors: vectors });
    };
    validation = context(validationSplit, 'validation');
    test = context(testSplit, 'test');
  }, 60_000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const family = (name: string) => STRATEGY_FAMILIES.find((f) => f.family === name) as (typeof STRATEGY_FAMILIES)[number];
  const run = (names: string[], floors: number[]): readonly SelectedRow[] =>
    compareStrategies(validation, test, { families: names.map(family), floors, seed: 3, bootstrapSamples: 200 }).selected;

  it('a family alone, after another family, and under other floors gets the same intervals', () => {
    const alone = run(['popularityNoveltyBlend'], [0.9]);
    const second = run(['mmr', 'popularityNoveltyBlend'], [0.95, 0.9]).filter((row) => row.strategy === 'popularityNoveltyBlend' && row.floor === 0.9);
    expect(alone).toHaveLength(1);
    expect(second).toHaveLength(1);
    const [a, b] = [alone[0] as SelectedRow, second[0] as SelectedRow];
    expect(b.param).toBe(a.param);
    expect(a.param).not.toBeNull();
    expect(b.ci).toEqual(a.ci);
    expect(b.ciUnexpected).toEqual(a.ciUnexpected);
    // And they are real bootstrap intervals around the row's ratio, not constants.
    expect(a.ci[0]).toBeLessThanOrEqual(a.serendipityRatio);
    expect(a.ci[1]).toBeGreaterThanOrEqual(a.serendipityRatio);
    expect(a.ci[1]).toBeGreaterThan(a.ci[0]);
  });
});
