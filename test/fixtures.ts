/**
 * Loader for the independent numpy reference fixtures vendored in `test/fixtures/` (schema
 * `serendipity-rerank-fixture/1`, see `test/fixtures/README.md`), used by the strategy and metric
 * tests.
 */
import { readFileSync, readdirSync } from 'node:fs';

/** One candidate of a fixture: every field is present. */
export interface FixtureCandidate {
  readonly id: string;
  readonly relevance: number;
  readonly embedding: number[];
  readonly categories: string[];
  readonly popularity: number;
}

/** Metric names whose reference values a fixture holds. */
export type FixtureMetric = 'precision' | 'recall' | 'ndcg' | 'ild' | 'novelty' | 'unexpectedness' | 'serendipityGe' | 'serendipityAuralist';

/** One fixture file. */
export interface ReferenceFixture {
  readonly schema: string;
  readonly name: string;
  readonly k: number;
  readonly candidates: FixtureCandidate[];
  readonly user: { readonly id: string; readonly history: { readonly id: string; readonly embedding: number[]; readonly categories: string[] }[] };
  readonly expected: {
    readonly mmr: { readonly lambda: number; readonly ids: string[] }[];
    readonly dpp: { readonly theta: number; readonly ids: string[] }[];
    readonly metrics: {
      readonly list: string[];
      readonly relevant: string[];
      readonly primitive: string[];
      readonly numUsers: number;
      readonly k: number;
      readonly values: Record<FixtureMetric, number>;
    };
    readonly aggregate: { readonly lists: string[][]; readonly catalog: string[]; readonly coverage: number; readonly gini: number };
  };
}

const FIXTURES = new URL('./fixtures/', import.meta.url);

/** Every fixture file, parsed. */
export function loadReferenceFixtures(): ReferenceFixture[] {
  const fixtures = readdirSync(FIXTURES)
    .filter((file) => file.endsWith('.json'))
    .map((file) => JSON.parse(readFileSync(new URL(file, FIXTURES), 'utf8')) as ReferenceFixture);
  // A missing file must fail the suites, not shrink them to nothing.
  if (fixtures.length !== 3 || fixtures.some((f) => f.schema !== 'serendipity-rerank-fixture/1')) {
    throw new Error(`expected the 3 reference fixtures of test/fixtures/, found ${fixtures.length}`);
  }
  return fixtures;
}
