import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { aggressiveNeighbour, MAX_GRID_REFINEMENTS } from '../../src/evaluate/grids.js';
import { loadMovieLens, type MovieLensData } from '../../src/evaluate/movielens.js';
import { type EvaluationResult, runEvaluation, type StrategyRow } from '../../src/evaluate/run.js';
import { numeric, type StrategyFamily } from '../../src/evaluate/strategies.js';
import { mmr, relevance, unexpectednessBlend } from '../../src/index.js';
import { writeSyntheticMovieLens } from './synthetic-movielens.js';

/**
 * Grid refinement end to end (docs/evaluation.md, "Selection"), on a synthetic MovieLens folder with
 * deliberately coarse grids, so that a floor falls between two grid points.
 */
const FLOORS = [0.95, 0.9];
const coarse: StrategyFamily<unknown>[] = [
  { family: 'mmr', paramName: 'lambda', params: [0.9, 0.3], range: { noop: 1, extreme: 0 }, make: (p) => mmr({ lambda: numeric(p) }) },
  { family: 'blend', paramName: 'weight', params: [0.1, 0.9], range: { noop: 0, extreme: 1 }, make: (p) => unexpectednessBlend({ weight: numeric(p) }) },
];
/** The same families, but on the test window they return the base order: what test says must not change any choice. */
const blindOnTest = coarse.map((family) => ({ ...family, make: (p: unknown, context: Parameters<typeof family.make>[1], prepared: unknown) => (context.split === 'test' ? relevance() : family.make(p as number, context, prepared)) }));

let dir: string;
let data: MovieLensData;
let result: EvaluationResult;
let blind: EvaluationResult;

beforeAll(async () => {
  dir = writeSyntheticMovieLens({ users: 100, items: 320, ratingsPerUser: 50, seed: 3 });
  data = await loadMovieLens(dir);
  const options = { dataDir: dir, data, k: 10, seed: 5, lambdas: [100], dim: 16, bootstrapSamples: 300, floors: FLOORS, splits: ['standard'] as const };
  result = await runEvaluation({ ...options, families: coarse });
  blind = await runEvaluation({ ...options, families: blindOnTest });
}, 120_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The selection rule written out on the reported validation columns: lower bound ≥ floor, most validation Ge hits, ties to the earlier row. */
function choose(rows: readonly StrategyRow[], floor: number): StrategyRow | undefined {
  let choice: StrategyRow | undefined;
  for (const row of rows) {
    if (row.predictedTestNdcgLower < floor) continue;
    if (choice === undefined || row.validationSerendipityRatio > choice.validationSerendipityRatio) choice = row;
  }
  return choice;
}

describe('grid refinement', () => {
  it('refines at least one family here (the grids are coarse on purpose)', () => {
    expect(result.strategies.some((row) => row.extended === 'refined')).toBe(true);
  });

  it('adds only midpoints between a floor\'s choice and its aggressive neighbour, where that neighbour fails the floor on validation', () => {
    for (const family of coarse) {
      const rows = result.strategies.filter((row) => row.name === family.family);
      const before = rows.filter((row) => row.extended !== 'refined');
      const refined = rows.filter((row) => row.extended === 'refined').map((row) => row.param);
      expect(refined.length).toBeLessThanOrEqual(MAX_GRID_REFINEMENTS * FLOORS.length);
      const expected = new Set<number>();
      for (const floor of FLOORS) {
        const choice = choose(before, floor);
        if (choice === undefined) continue;
        const grid = before.map((row) => row.param as number);
        const next = aggressiveNeighbour(grid, choice.param as number, family.range!);
        const neighbour = before.find((row) => row.param === next);
        if (neighbour === undefined || neighbour.predictedTestNdcgLower >= floor) continue;
        expected.add(Math.round((((choice.param as number) + (neighbour.param as number)) / 2) * 1e4) / 1e4);
      }
      if (MAX_GRID_REFINEMENTS === 1) expect(new Set(refined)).toEqual(expected);
      else for (const value of expected) expect(refined).toContain(value);
      const note = result.selected.find((row) => row.strategy === family.family)?.gridNote ?? '';
      if (refined.length > 0) expect(note).toContain(`grid refined: ${refined.join(', ')}`);
    }
  });

  it('selects, over the grid and the refined points, what the rule picks from the validation columns', () => {
    for (const family of coarse) {
      const rows = result.strategies.filter((row) => row.name === family.family);
      for (const floor of FLOORS) {
        const selected = result.selected.find((row) => row.strategy === family.family && row.floor === floor);
        expect(selected?.param ?? null).toBe(choose(rows, floor)?.param ?? null);
      }
    }
  });

  it('never reads test: families that behave differently on test only get the same grids and choices', () => {
    const grid = (r: EvaluationResult) => r.strategies.map((row) => `${row.name} ${String(row.param)} ${row.extended ?? ''}`);
    expect(grid(blind)).toEqual(grid(result));
    expect(blind.selected.map((row) => [row.strategy, row.floor, row.param, row.gridNote])).toEqual(result.selected.map((row) => [row.strategy, row.floor, row.param, row.gridNote]));
    // …while the test numbers did change (the blind families return the base order on test).
    expect(blind.strategies.every((row) => row.ndcgRatio === 1)).toBe(true);
    expect(result.strategies.some((row) => row.ndcgRatio !== 1)).toBe(true);
  });
});
