import { describe, expect, it } from 'vitest';
import { buildCognitionProfile } from '../../src/llm/profile.js';
import { renderProfile } from '../../src/llm/render-profile.js';

const profile = buildCognitionProfile(
  [
    { id: 'a', categories: ['drama'], title: 'A' },
    { id: 'b', categories: ['jazz'], title: 'B' },
  ],
  { edgeMaxShare: 0.5, attributes: { country: 'BR' } },
);

const LINES = [
  'attributes: "country": "BR"',
  'long-term interests (share of history): "drama" 50%; "jazz" 50%',
  'short-term interests (recent items): "drama" 50%; "jazz" 50%',
  'edges of taste (rare but consumed): "jazz" 50%, 0 items ago; "drama" 50%, 1 items ago',
  'recent items (newest first): "B"; "A"',
];

describe('renderProfile on a cognition profile (hand-worked)', () => {
  it('writes one line per level in order of importance', () => {
    expect(renderProfile(profile)).toBe(LINES.join('\n'));
  });

  it('appends the summaries when present', () => {
    const withSummaries = { ...profile, summaries: { longTerm: 'L', shortTerm: 'S', edges: 'E' } };
    expect(renderProfile(withSummaries)).toBe(
      [...LINES, 'summary of lasting interests: "L"', 'summary of current interests: "S"', 'summary of taste edges: "E"'].join('\n'),
    );
  });

  it('cuts at the budget, line by line and entry by entry (4 characters per token, a newline each)', () => {
    // line 1 is 27 characters + newline = 28 = 7 tokens exactly
    expect(renderProfile(profile, 7)).toBe(LINES[0]);
    expect(renderProfile(profile, 6)).toBe('');
    // 28 + 'long-term interests (share of history): "drama" 50%' (51) + 1 = 80 = 20 tokens: one entry of line 2
    expect(renderProfile(profile, 20)).toBe(`${LINES[0]}\nlong-term interests (share of history): "drama" 50%`);
    expect(renderProfile(profile, 19)).toBe(LINES[0]);
    expect(() => renderProfile(profile, 0)).toThrow(expect.objectContaining({ code: 'INVALID_OPTION' }));
  });
});
