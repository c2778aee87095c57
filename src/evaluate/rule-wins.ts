import { bootstrapDifferenceCi } from './bootstrap.js';
import type { UserOutcomes } from './evaluate.js';

/** A row's test ratios against the base, as a reference rule or a strategy reports them. */
export interface TestRatios {
  /** Ge hits / base Ge hits on test (NaN when nothing was selected). */
  readonly serendipityRatio: number;
  /** Unexpected hits / base unexpected hits on test (NaN when nothing was selected). */
  readonly unexpectedHitsRatio: number;
}

/**
 * Whether a row beats every reference rule on both test ratios (Ge and UH), comparing point
 * estimates; a rule with nothing selected counts as the base, 1×.
 */
export function beatsRules(row: TestRatios, rules: readonly TestRatios[]): boolean {
  const orBase = (x: number): number => (Number.isFinite(x) ? x : 1);
  return rules.every((rule) => row.serendipityRatio > orBase(rule.serendipityRatio) && row.unexpectedHitsRatio > orBase(rule.unexpectedHitsRatio));
}

/** Per-user test hits of one selected row (or the base's). */
export type TestHits = Pick<UserOutcomes, 'serendipityHits' | 'unexpectedHits'>;

/**
 * Whether a row beats every reference rule with confidence: for each rule and each definition (Ge
 * hits, unexpected hits), the paired-bootstrap 95% interval (Efron & Tibshirani 1993) of the
 * difference `Σ_u row hits − Σ_u rule hits` over the test users lies above 0 (where the rule has
 * hits in every resample, that is the ratio's interval lying above 1; the difference also covers a
 * rule with no hits). Requiring every comparison at once is an intersection–union test (Berger
 * 1982): each interval errs on its lower side with probability 2.5%, so the claim "beats both rules
 * on both definitions" errs with at most 2.5%, with no correction for the four comparisons.
 * `rules` holds each rule's per-user hits, or the base's for a rule with nothing selected;
 * `seedOf(r, definition)` seeds each resampling.
 */
export function beatsRulesConfidently(
  row: TestHits,
  rules: readonly TestHits[],
  options: { readonly samples: number; readonly seedOf: (rule: number, definition: 0 | 1) => number },
): boolean {
  return rules.every((rule, r) =>
    ([0, 1] as const).every((definition) => {
      const key = definition === 0 ? 'serendipityHits' : 'unexpectedHits';
      const [lower] = bootstrapDifferenceCi(row[key], rule[key], { samples: options.samples, seed: options.seedOf(r, definition) });
      return lower > 0;
    }),
  );
}
