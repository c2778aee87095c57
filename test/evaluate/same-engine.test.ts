import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { evaluateInteractions } from '../../src/evaluate/api.js';
import { configuredFamilies } from '../../src/evaluate/config.js';
import { runEvaluation } from '../../src/evaluate/run.js';
import { STRATEGY_FAMILIES } from '../../src/evaluate/strategies.js';
import { writeSyntheticMovieLens } from './synthetic-movielens.js';

const dir = writeSyntheticMovieLens({ users: 70, items: 200, ratingsPerUser: 40, seed: 9 });
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Everything but wall-clock fields and the dataset label. */
function comparable(value: unknown): unknown {
  return JSON.parse(JSON.stringify(value, (key, v: unknown) => (key === 'timings' || key === 'dataset' || key.startsWith('latency') ? undefined : v)));
}

describe('the CLI engine with a default config is the demo', () => {
  it('gives the same rows, selections and bases as runEvaluation on the same MovieLens folder', async () => {
    const config = { strategies: ['mmr', 'rule: r − c·1[PM]'], bootstrapSamples: 200, easeLambdas: [30, 300] };
    const demo = await runEvaluation({ dataDir: dir, families: configuredFamilies(config, STRATEGY_FAMILIES), bootstrapSamples: 200, lambdas: [30, 300] });
    const cli = await evaluateInteractions({ interactions: join(dir, 'ratings.csv'), items: join(dir, 'movies.csv'), config });
    // 70 users: both give the same few-users notes and nothing else
    expect(demo.notes.length).toBeGreaterThan(0);
    expect(cli.notes).toEqual(demo.notes);
    const { mode, baseName, ...rest } = cli;
    expect([mode, baseName]).toEqual(['interactions', 'EASE']);
    expect(comparable(rest)).toEqual(comparable(demo));
  }, 240_000);
});
