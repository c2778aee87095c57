import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { baseCandidates, buildEvalContext, type EvalContext, prepareSplitModel, splitVectors } from '../../src/evaluate/context.js';
import { compareStrategies } from '../../src/evaluate/compare.js';
import { evaluateStrategy } from '../../src/evaluate/evaluate.js';
import { contextSamples, LEARNED_RELEVANCE_FEATURES, makeLearned, prepareLearned } from '../../src/evaluate/learned.js';
import { loadMovieLens } from '../../src/evaluate/movielens.js';
import { temporalSplit, type TemporalSplit } from '../../src/evaluate/split.js';
import { learned, pipeline, relevance, resolveFeatureSpec, type SerendipityModel } from '../../src/index.js';
import { writeSyntheticMovieLens } from './synthetic-movielens.js';

/** Three nested windows of a synthetic dataset, as the protocol builds them (fit → validation → test). */
// Fitting on a loaded 2-core machine can pass vitest's 5 s default.
describe('learned family on nested windows', { timeout: 60_000 }, () => {
  let dir: string;
  let windows: { fit: EvalContext; validation: EvalContext; test: EvalContext; level4: EvalContext };
  /** Training samples a window gives: one per candidate of each user. */
  const samplesOf = (window: EvalContext): number => window.users.reduce((n, user) => n + user.candidateIds.length, 0);
  beforeAll(async () => {
    dir = writeSyntheticMovieLens({ users: 90, items: 200, ratingsPerUser: 60, seed: 5 });
    const data = await loadMovieLens(dir);
    const splits = [temporalSplit(data.timelines)];
    for (let level = 1; level < 4; level++) splits.push(temporalSplit((splits[level - 1] as TemporalSplit).train));
    const context = (split: TemporalSplit, name: 'fit' | 'validation' | 'test'): EvalContext => {
      const model = prepareSplitModel(split, data.items.length);
      const vectors = splitVectors(model, 3, 8);
      return buildEvalContext(data, model, baseCandidates(model, 50), vectors, { split: name, k: 10, metricVectors: vectors });
    };
    windows = { test: context(splits[0]!, 'test'), validation: context(splits[1]!, 'validation'), fit: context(splits[2]!, 'fit'), level4: context(splits[3]!, 'fit') };
  }, 60_000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('refuses to train without an earlier window, and never on test labels', () => {
    expect(() => prepareLearned(windows.test)).toThrow(/earlier window/);
    const spec = resolveFeatureSpec({ features: ['unexpectedness'] }, 'test');
    expect(() => contextSamples(windows.test, windows.test.users, spec)).toThrow(/never from test/);
  });

  it('reports each step of fitting through the progress callback', () => {
    const steps: string[] = [];
    prepareLearned(windows.validation, windows.fit, (step) => steps.push(step));
    expect(steps).toEqual([
      `learned: relevance samples, label window 1 of 1 (${windows.fit.users.length} users)`,
      expect.stringMatching(/^learned: fitting the relevance model \(\d+ samples\)$/),
      `learned: serendipity samples, label window 1 of 1 (${windows.fit.users.length} users)`,
      expect.stringMatching(/^learned: fitting the serendipity model \(\d+ samples\)$/),
    ]);
  });

  it('with two label windows, trains on the window before `previous` too, carved like the next level of nested windows', () => {
    const steps: string[] = [];
    const models = prepareLearned(windows.validation, windows.fit, (step) => steps.push(step), { labelWindows: 2 });
    // The fit window's samples plus those of level 4 (temporalSplit of the fit window's train part,
    // EASE at the same λ): the relevance model saw both windows.
    expect(steps[0]).toBe('learned: EASE candidates of label window 2 of 2');
    expect(steps).toContain(`learned: relevance samples, label window 2 of 2 (${windows.level4.users.length} users)`);
    expect(windows.level4.users.length).toBeGreaterThan(0);
    expect(models.relevance?.training.samples).toBe(samplesOf(windows.fit) + samplesOf(windows.level4));
    // For test, the window before validation is the fit window handed over above: nothing is rebuilt.
    const later: string[] = [];
    const testModels = prepareLearned(windows.test, windows.validation, (step) => later.push(step), { labelWindows: 2 });
    expect(later.some((step) => step.startsWith('learned: EASE'))).toBe(false);
    expect(testModels.relevance?.training.samples).toBe(samplesOf(windows.validation) + samplesOf(windows.fit));
  });

  it('serves exactly what the public pipeline(learned, learned) ranks, at every weight (the memoised scores change nothing)', () => {
    const models = prepareLearned(windows.validation, windows.fit);
    const relevanceModel = models.relevance as SerendipityModel;
    expect(relevanceModel.spec.features).toEqual(LEARNED_RELEVANCE_FEATURES);
    for (const weight of [0.1, 0.3, 0.6]) {
      const served = evaluateStrategy(windows.validation, makeLearned(weight, models), false);
      const plain = pipeline(learned({ model: relevanceModel, weight: 1 }), learned({ model: models.serendipity, weight }));
      const expected = evaluateStrategy(windows.validation, plain, false);
      expect(Array.from(served.outcomes.ndcg)).toEqual(Array.from(expected.outcomes.ndcg));
      expect(Array.from(served.outcomes.serendipityHits)).toEqual(Array.from(expected.outcomes.serendipityHits));
      expect(Array.from(served.outcomes.unexpectedHits)).toEqual(Array.from(expected.outcomes.unexpectedHits));
    }
    // Models serve their own window only (their features come from its packed requests).
    let thrown: unknown;
    try {
      evaluateStrategy(windows.test, makeLearned(0.3, models), false);
    } catch (error) {
      thrown = error;
    }
    expect(String((thrown as Error | undefined)?.cause)).toMatch(/not the served window's/);
  });

  it('without a relevance model: no stage 1 is fitted, it serves exactly learned({ model, weight }) on the base relevance, and weight 0 is the base ranking', () => {
    const steps: string[] = [];
    const models = prepareLearned(windows.validation, windows.fit, (step) => steps.push(step), { relevanceModel: false });
    expect(models.relevance).toBeUndefined();
    expect(steps.some((step) => step.includes('relevance'))).toBe(false);
    // The serendipity model learned on the base relevance: it differs from the pipeline's stage 2.
    expect(models.serendipity.weights).not.toEqual(prepareLearned(windows.validation, windows.fit).serendipity.weights);
    for (const weight of [0.1, 0.3]) {
      const served = evaluateStrategy(windows.validation, makeLearned(weight, models), false);
      const plain = evaluateStrategy(windows.validation, learned({ model: models.serendipity, weight }), false);
      expect(Array.from(served.outcomes.ndcg)).toEqual(Array.from(plain.outcomes.ndcg));
      expect(Array.from(served.outcomes.serendipityHits)).toEqual(Array.from(plain.outcomes.serendipityHits));
    }
    const base = evaluateStrategy(windows.validation, relevance(), false);
    const noop = evaluateStrategy(windows.validation, makeLearned(0, models), false);
    expect(Array.from(noop.outcomes.ndcg)).toEqual(Array.from(base.outcomes.ndcg));
    expect(Array.from(noop.outcomes.serendipityHits)).toEqual(Array.from(base.outcomes.serendipityHits));
  });

  it("compareStrategies passes each prepare step on as a progress label without advancing the count", () => {
    const calls: [number, number, string][] = [];
    compareStrategies(windows.validation, windows.test, {
      families: [{ family: 'fake', paramName: 'p', params: [1], prepare: (_c, _p, progress) => progress?.('fitting'), make: () => relevance() }],
      floors: [0.9],
      seed: 1,
      bootstrapSamples: 20,
      fit: windows.fit,
      onProgress: (done, total, label) => calls.push([done, total, label]),
    });
    // Base on validation and test (2 of 4), then the two prepare notes at 2, then the grid point.
    expect(calls.map(([done, , label]) => [done, label])).toEqual([
      [1, 'base (validation)'],
      [2, 'base (test)'],
      [2, 'fake: fitting (for validation)'],
      [2, 'fake: fitting (for test)'],
      [3, 'fake 1 (validation)'],
      [4, 'fake 1 (test)'],
    ]);
  });
});
