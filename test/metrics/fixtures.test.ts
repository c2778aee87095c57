import { describe, expect, it } from 'vitest';
import {
  catalogCoverage,
  evaluateList,
  giniIndex,
  intraListDiversity,
  ndcgAtK,
  novelty,
  precisionAtK,
  recallAtK,
  serendipityAuralist,
  serendipityGe,
  unexpectedness,
} from '../../src/metrics/index.js';
import { type FixtureCandidate, loadReferenceFixtures } from '../fixtures.js';

// Independent float64 numpy reference values (see ../fixtures/README.md).
const fixtures = loadReferenceFixtures();

const TOLERANCE = 1e-9;

describe('metrics on the shared numpy fixtures', () => {
  it('finds all three fixture files', () => {
    expect(fixtures.map((f) => f.name).length).toBe(3);
  });

  for (const fixture of fixtures) {
    const { list, relevant, primitive, numUsers, k, values } = fixture.expected.metrics;
    const byId = new Map(fixture.candidates.map((c) => [c.id, c]));
    const item = (id: string): FixtureCandidate => byId.get(id) as FixtureCandidate;
    const listVectors = list.map((id) => item(id).embedding);
    const historyVectors = fixture.user.history.map((h) => h.embedding);
    const counts = list.map((id) => item(id).popularity);
    const binary = list.map((id) => (relevant.includes(id) ? 1 : 0));

    describe(fixture.name, () => {
      it('matches every per-list metric to 1e-9', () => {
        expect(Math.abs(precisionAtK(list, relevant, k) - values.precision)).toBeLessThan(TOLERANCE);
        expect(Math.abs(recallAtK(list, relevant, k) - values.recall)).toBeLessThan(TOLERANCE);
        expect(Math.abs(ndcgAtK(list, relevant, k) - values.ndcg)).toBeLessThan(TOLERANCE);
        expect(Math.abs(intraListDiversity(listVectors) - values.ild)).toBeLessThan(TOLERANCE);
        expect(Math.abs(novelty(counts, numUsers) - values.novelty)).toBeLessThan(TOLERANCE);
        expect(Math.abs(unexpectedness(listVectors, historyVectors) - values.unexpectedness)).toBeLessThan(TOLERANCE);
        expect(Math.abs(serendipityGe(list, relevant, primitive, k) - values.serendipityGe)).toBeLessThan(TOLERANCE);
        expect(Math.abs(serendipityAuralist(listVectors, historyVectors, binary) - values.serendipityAuralist)).toBeLessThan(TOLERANCE);
      });

      it('evaluateList reproduces the same values in one call', () => {
        const row = evaluateList({ list, relevant, k, primitive, listVectors, historyVectors, itemUserCounts: counts, numUsers });
        for (const [name, expected] of Object.entries(values)) {
          expect(Math.abs((row[name as keyof typeof values] as number) - expected), name).toBeLessThan(TOLERANCE);
        }
        expect(Object.keys(row).sort()).toEqual(Object.keys(values).sort());
      });

      it('matches catalogue coverage and the Gini index to 1e-9', () => {
        const { lists, catalog, coverage, gini } = fixture.expected.aggregate;
        expect(Math.abs(catalogCoverage(lists, catalog) - coverage)).toBeLessThan(TOLERANCE);
        expect(Math.abs(giniIndex(lists, catalog) - gini)).toBeLessThan(TOLERANCE);
      });
    });
  }
});
