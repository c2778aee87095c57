import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runEvaluate as run } from './cli-harness.js';

/**
 * Mode (a) with an items file that has an `embedding` column. The embeddings are one-hot (item i is
 * the i-th axis), so every pair of items has cosine 0. Worked by hand:
 * - MMR scores `λ·r − (1 − λ)·max cos(i, picked) = λ·r` for every λ < 1: the relevance order;
 * - DPP's kernel `L = diag(q)·S·diag(q)` with `S = I` makes `det L_Y = Π q_i²`, `q_i` increasing in
 *   the relevance, so greedy MAP picks by relevance too.
 * So with the `given` representation both re-rankers return the base list exactly (every metric equal
 * to the base's), while the vectors built from the interactions move it: a visible, predictable
 * difference that says the given vectors, and only they, reached the strategies.
 */
const FIXTURES = fileURLToPath(new URL('./fixtures/interactions/', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'serendipity-given-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface Row {
  name: string;
  param: number;
  representation: string;
  ndcg: number;
  serendipityHitCount: number;
  unexpectedHitCount: number;
  validationNdcgRatio: number;
  validationSerendipityRatio: number;
}
let report: { base: { ndcg: number; serendipityHitCount: number; unexpectedHitCount: number }; strategies: Row[]; selected: { strategy: string; representation: string | null }[]; notes: string[] };
let markdown: string;

beforeAll(async () => {
  const movies = readFileSync(join(FIXTURES, 'movies.csv'), 'utf8').trim().split('\n').slice(1);
  const ids = movies.map((line) => line.slice(0, line.indexOf(',')));
  const oneHot = (i: number): string => ids.map((_, j) => (i === j ? '1' : '0')).join(' ');
  writeFileSync(join(dir, 'items.csv'), `movieId,embedding\n${ids.map((id, i) => `${id},${oneHot(i)}`).join('\n')}\n`);
  writeFileSync(
    join(dir, 'config.json'),
    JSON.stringify({ strategies: ['mmr', 'dpp'], grids: { mmr: [0.9, 0.5], dpp: [0.95, 0.6] }, splits: ['standard'], bootstrapSamples: 200, easeLambdas: [100] }),
  );
  const out = join(dir, 'out');
  const result = await run(['--interactions', join(FIXTURES, 'ratings.csv'), '--items', join(dir, 'items.csv'), '--config', join(dir, 'config.json'), '--out', out, '--quiet']);
  expect(result.stderr).toBe('');
  expect(result.code).toBe(0);
  report = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8'));
  markdown = readFileSync(join(out, 'report.md'), 'utf8');
}, 180_000);

describe('mode (a): the items file\'s embeddings as the "given" representation', () => {
  it('runs MMR and DPP on every representation, given included, and says so in the notes', () => {
    for (const family of ['mmr', 'dpp']) {
      expect(new Set(report.strategies.filter((r) => r.name === family).map((r) => r.representation))).toEqual(new Set(['cosine', 'cooccurrence', 'given']));
    }
    expect(report.notes.some((note) => /offered as the "given" item representation/.test(note) && note.includes(`d=${150}`))).toBe(true);
    expect(markdown).toContain('given');
  });

  it('with one-hot (mutually orthogonal) given vectors, every MMR and DPP setting returns the base list exactly', () => {
    const given = report.strategies.filter((r) => r.representation === 'given');
    expect(given.length).toBeGreaterThanOrEqual(4);
    for (const row of given) {
      expect(row.ndcg).toBeCloseTo(report.base.ndcg, 12);
      expect(row.serendipityHitCount).toBe(report.base.serendipityHitCount);
      expect(row.unexpectedHitCount).toBe(report.base.unexpectedHitCount);
      expect(row.validationNdcgRatio).toBeCloseTo(1, 12);
      expect(row.validationSerendipityRatio).toBeCloseTo(1, 12);
    }
  });

  it('while the vectors built from the interactions move the list at the aggressive settings', () => {
    for (const [family, param] of [
      ['mmr', 0.5],
      ['dpp', 0.6],
    ] as const) {
      const cosine = report.strategies.find((r) => r.name === family && r.param === param && r.representation === 'cosine');
      expect(cosine).toBeDefined();
      expect(Math.abs((cosine as Row).ndcg - report.base.ndcg)).toBeGreaterThan(1e-3);
    }
  });

  it('reports the representation of every selected row', () => {
    for (const row of report.selected) if (row.representation !== null) expect(['cosine', 'cooccurrence', 'given']).toContain(row.representation);
  });
});
