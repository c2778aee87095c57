import { describe, expect, it } from 'vitest';
import { beatsRules, beatsRulesConfidently, type TestHits } from '../../src/evaluate/rule-wins.js';

const USERS = 600;
/** Per-user hits: user u has one hit when `hit(u)`. */
const hits = (hit: (u: number) => boolean): Float64Array => Float64Array.from({ length: USERS }, (_, u) => (hit(u) ? 1 : 0));
const options = { samples: 1000, seedOf: (rule: number, definition: 0 | 1) => 100 * rule + definition + 1 };

describe('beatsRules (point estimates)', () => {
  it('needs both ratios above every rule’s, a rule with nothing selected counting as 1×', () => {
    expect(beatsRules({ serendipityRatio: 1.5, unexpectedHitsRatio: 2 }, [{ serendipityRatio: 1.4, unexpectedHitsRatio: 1.9 }])).toBe(true);
    expect(beatsRules({ serendipityRatio: 1.5, unexpectedHitsRatio: 2 }, [{ serendipityRatio: 1.5, unexpectedHitsRatio: 1.9 }])).toBe(false);
    expect(beatsRules({ serendipityRatio: 1.1, unexpectedHitsRatio: 1.1 }, [{ serendipityRatio: Number.NaN, unexpectedHitsRatio: Number.NaN }])).toBe(true);
    expect(beatsRules({ serendipityRatio: 0.9, unexpectedHitsRatio: 1.1 }, [{ serendipityRatio: Number.NaN, unexpectedHitsRatio: Number.NaN }])).toBe(false);
  });
});

describe('beatsRulesConfidently', () => {
  // a rule with a hit for every 6th user (100 Ge hits) and every 20th (30 unexpected hits)
  const rule: TestHits = { serendipityHits: hits((u) => u % 6 === 0), unexpectedHits: hits((u) => u % 20 === 0) };

  it('holds for a row with three times the rule’s hits on both definitions', () => {
    const row: TestHits = { serendipityHits: hits((u) => u % 2 === 0), unexpectedHits: hits((u) => u % 20 < 3) };
    expect(beatsRulesConfidently(row, [rule, rule], options)).toBe(true);
  });

  it('fails for a win of one hit, which the point estimates would count', () => {
    // the rule's hits plus one more user on each definition: ratios 101/100 and 31/30
    const row: TestHits = { serendipityHits: hits((u) => u % 6 === 0 || u === 1), unexpectedHits: hits((u) => u % 20 === 0 || u === 1) };
    expect(beatsRules({ serendipityRatio: 1.01, unexpectedHitsRatio: 31 / 30 }, [{ serendipityRatio: 1, unexpectedHitsRatio: 1 }])).toBe(true);
    expect(beatsRulesConfidently(row, [rule], options)).toBe(false);
  });

  it('needs every rule and both definitions: a clear Ge win with a tied UH count fails', () => {
    const row: TestHits = { serendipityHits: hits((u) => u % 2 === 0), unexpectedHits: rule.unexpectedHits };
    expect(beatsRulesConfidently(row, [rule], options)).toBe(false);
    const strong: TestHits = { serendipityHits: hits((u) => u % 2 === 0), unexpectedHits: hits((u) => u % 20 < 3) };
    const strongerRule: TestHits = { serendipityHits: hits((u) => u % 2 === 0 || u % 3 === 0), unexpectedHits: rule.unexpectedHits };
    expect(beatsRulesConfidently(strong, [rule, strongerRule], options)).toBe(false);
  });

  it('holds against a rule with no hits at all when the row has many (the ratio would be undefined)', () => {
    const none: TestHits = { serendipityHits: hits(() => false), unexpectedHits: hits(() => false) };
    const row: TestHits = { serendipityHits: hits((u) => u % 5 === 0), unexpectedHits: hits((u) => u % 10 === 0) };
    expect(beatsRulesConfidently(row, [none], options)).toBe(true);
  });
});
