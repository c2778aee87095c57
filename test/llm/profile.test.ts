import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildCognitionProfile, type CognitionProfile, type ProfileHistoryItem } from '../../src/llm/profile.js';
import { buildListwisePrompt, buildScorePrompt } from '../../src/llm/prompts.js';
import { renderProfile } from '../../src/llm/render-profile.js';
import { estimateTokens } from '../../src/llm/tokens.js';

const history: ProfileHistoryItem[] = [
  { id: 'm1', categories: ['drama'], title: 'First' },
  { id: 'm2', categories: ['drama', 'comedy'], title: 'Second' },
  { id: 'm3', categories: ['comedy'] },
  { id: 'm4', categories: ['drama'], title: 'Fourth' },
  { id: 'm5', categories: ['documentary'], title: 'Fifth' },
];

function content(profile: CognitionProfile): string {
  const { key: _key, ...rest } = profile;
  return JSON.stringify(rest);
}

describe('buildCognitionProfile', () => {
  it('computes the levels by hand on a small history', () => {
    const profile = buildCognitionProfile(history, { shortTermWindow: 2, edgeMaxShare: 0.35, recentTitles: 3, attributes: { country: 'BR', age: '25-34' } });
    // long-term: drama = (1 + 1/2 + 1)/5 = 0.5, comedy = (1/2 + 1)/5 = 0.3, documentary = 1/5 = 0.2
    expect(profile.longTerm.map((c) => c.category)).toEqual(['drama', 'comedy', 'documentary']);
    expect(profile.longTerm.map((c) => c.share)).toEqual([0.5, expect.closeTo(0.3, 12), expect.closeTo(0.2, 12)]);
    // short-term (last 2 items): drama 1/2, documentary 1/2, ties by name
    expect(profile.shortTerm.map((c) => [c.category, c.share])).toEqual([
      ['documentary', 0.5],
      ['drama', 0.5],
    ]);
    // edges: long-term share ≤ 0.35, most recent first (documentary last seen 0 items ago, comedy at m3 → 2 items ago)
    expect(profile.edges.map((e) => [e.category, e.itemsAgo])).toEqual([
      ['documentary', 0],
      ['comedy', 2],
    ]);
    expect(profile.recent).toEqual(['Fifth', 'Fourth', 'm3']);
    expect(profile.attributes).toEqual([
      ['age', '25-34'],
      ['country', 'BR'],
    ]);
    expect(profile.key).toMatch(/^cp1-[0-9a-f]{16}$/);
  });

  it('edgeMaxShare is inclusive: a share exactly at the bound is an edge, one just above is not', () => {
    // 19 drama + 1 jazz: jazz's share is 1/20 = 0.05, exactly the default bound (the same double).
    const atBound = [...Array.from({ length: 19 }, (_, i) => ({ id: `d${i}`, categories: ['drama'] })), { id: 'j', categories: ['jazz'] }];
    expect(1 / 20).toBe(0.05);
    expect(buildCognitionProfile(atBound).edges.map((e) => e.category)).toEqual(['jazz']);
    expect(buildCognitionProfile(atBound, { edgeMaxShare: 0.25 }).edges.map((e) => e.category)).toEqual(['jazz']);
    // 2 of 39 items (share 0.0513) is just above 0.05: no edge; drama (37/39) never is.
    const above = [...Array.from({ length: 37 }, (_, i) => ({ id: `d${i}`, categories: ['drama'] })), { id: 'j1', categories: ['jazz'] }, { id: 'j2', categories: ['jazz'] }];
    expect(buildCognitionProfile(above).edges).toEqual([]);
    // With the bound at exactly 2/39 it is an edge again.
    expect(buildCognitionProfile(above, { edgeMaxShare: 2 / 39 }).edges.map((e) => [e.category, e.itemsAgo])).toEqual([['jazz', 0]]);
  });

  it('fault 15: untrusted text is capped before escaping: a 10 MB label of control characters is cut to maxTextChars', () => {
    const huge = '\u0001'.repeat(10_000_000);
    const profile = buildCognitionProfile([
      { id: 'a', categories: [huge, 'jazz'], title: huge },
      { id: huge, categories: ['drama'] },
    ]);
    const labels = [...profile.longTerm, ...profile.shortTerm, ...profile.edges].map((c) => c.category);
    expect(labels.length).toBeGreaterThan(0);
    for (const label of labels) expect(label.length).toBeLessThanOrEqual(120);
    expect(labels).toContain(`${'\u0001'.repeat(119)}…`);
    for (const title of profile.recent) expect(title.length).toBeLessThanOrEqual(120);
    // The key covers only the capped content: two labels equal in their first 119 characters share it.
    const other = buildCognitionProfile([
      { id: 'a', categories: [`${'\u0001'.repeat(200)}x`, 'jazz'], title: huge },
      { id: huge, categories: ['drama'] },
    ]);
    expect(other.key).toBe(profile.key);
    // Short labels are untouched, and maxTextChars sets the cap.
    const short = buildCognitionProfile([{ id: 'a', categories: ['abcdef'] }], { maxTextChars: 4 });
    expect(short.longTerm.map((c) => c.category)).toEqual(['abc…']);
  });

  it('keeps at most maxCategories and maxEdges entries', () => {
    const many = Array.from({ length: 100 }, (_, i) => ({ id: `x${i}`, categories: [`c${i % 30}`] }));
    const profile = buildCognitionProfile(many, { maxCategories: 4, maxEdges: 2, edgeMaxShare: 1 });
    expect(profile.longTerm).toHaveLength(4);
    expect(profile.edges).toHaveLength(2);
  });

  it('is deterministic: the same history gives the same profile and key', () => {
    const item = fc.record({ id: fc.constantFrom('a', 'b', 'c', 'd'), categories: fc.array(fc.constantFrom('x', 'y', 'z', 'w'), { maxLength: 3 }) });
    fc.assert(
      fc.property(fc.array(item, { maxLength: 40 }), (items) => {
        const copy = items.map((i) => ({ ...i, categories: [...i.categories] }));
        expect(buildCognitionProfile(copy)).toEqual(buildCognitionProfile(items));
      }),
    );
  });

  it('property: key changes exactly when the content changes', () => {
    const item = fc.record({
      id: fc.constantFrom('a', 'b', 'c'),
      categories: fc.array(fc.constantFrom('x', 'y', 'z'), { maxLength: 2 }),
      title: fc.constantFrom('T', 'U'),
    });
    const options = { shortTermWindow: 3, recentTitles: 2, edgeMaxShare: 0.3 };
    let equalSeen = 0;
    let differentSeen = 0;
    fc.assert(
      fc.property(fc.array(item, { maxLength: 8 }), fc.array(item, { maxLength: 8 }), (a, b) => {
        const pa = buildCognitionProfile(a, options);
        const pb = buildCognitionProfile(b, options);
        const same = content(pa) === content(pb);
        if (same) equalSeen++;
        else differentSeen++;
        expect(pa.key === pb.key).toBe(same);
      }),
      { numRuns: 1000 },
    );
    // both directions were exercised
    expect(equalSeen).toBeGreaterThan(0);
    expect(differentSeen).toBeGreaterThan(0);
  });

  it('key depends on attributes but not on their insertion order', () => {
    const a = buildCognitionProfile(history, { attributes: { p: '1', q: '2' } });
    const b = buildCognitionProfile(history, { attributes: { q: '2', p: '1' } });
    const c = buildCognitionProfile(history, { attributes: { p: '1', q: '3' } });
    expect(a.key).toBe(b.key);
    expect(a.key).not.toBe(c.key);
  });

  it('a 10,000-item history gives a bounded profile and a bounded prompt', () => {
    const huge = Array.from({ length: 10_000 }, (_, i) => ({
      id: `item-${i}`,
      categories: [`genre-${i % 500}`, `mood-${i % 37}`],
      title: `A very long title number ${i} `.repeat(20),
    }));
    const profile = buildCognitionProfile(huge);
    expect(profile.longTerm.length).toBeLessThanOrEqual(8);
    expect(profile.recent.length).toBeLessThanOrEqual(5);
    const rendered = renderProfile(profile, 300);
    expect(estimateTokens(rendered)).toBeLessThanOrEqual(300);
    const messages = buildScorePrompt('direct', profile, 'Candidate'.repeat(1000));
    const tokens = messages.reduce((sum, m) => sum + estimateTokens(m.content), 0);
    // 300 (profile) + 150 (600 item chars) + the fixed instructions, well under 1,000
    expect(tokens).toBeLessThan(1000);
    const list = buildListwisePrompt(profile, Array.from({ length: 10 }, () => 'x'.repeat(10_000)));
    expect(list.messages.reduce((sum, m) => sum + estimateTokens(m.content), 0)).toBeLessThan(300 + 10 * 160 + 400);
  });

  it('renderProfile respects tiny budgets and renders opaque host profiles as escaped JSON', () => {
    const profile = buildCognitionProfile(history);
    for (const budget of [1, 5, 10, 20, 50]) expect(estimateTokens(renderProfile(profile, budget))).toBeLessThanOrEqual(budget);
    expect(renderProfile({ likes: '<b>' }, 100)).toBe('"{\\"likes\\":\\"\\u003cb\\u003e\\"}"');
    const hostile = { notes: '<"&>'.repeat(5000) };
    for (const budget of [1, 10, 300]) expect(renderProfile(hostile, budget).length).toBeLessThanOrEqual(budget * 4);
  });

  it('rejects malformed histories and options with typed errors', () => {
    expect(() => buildCognitionProfile('x' as never)).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
    expect(() => buildCognitionProfile([{ id: '' }])).toThrow(expect.objectContaining({ code: 'INVALID_ID', field: 'history[0].id' }));
    expect(() => buildCognitionProfile([{ id: 'a', categories: [1] as never }])).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
    expect(() => buildCognitionProfile(history, { shortTermWindow: 0 })).toThrow(expect.objectContaining({ code: 'INVALID_OPTION' }));
    expect(() => buildCognitionProfile(history, { window: 3 } as never)).toThrow(expect.objectContaining({ code: 'UNKNOWN_OPTION' }));
    expect(() => buildCognitionProfile(history, { attributes: { a: 1 } as never })).toThrow(expect.objectContaining({ code: 'INVALID_OPTION' }));
  });

  it('an empty history gives an empty profile with a key', () => {
    const profile = buildCognitionProfile([]);
    expect(profile.longTerm).toEqual([]);
    expect(profile.edges).toEqual([]);
    expect(profile.key).toMatch(/^cp1-/);
  });
});
