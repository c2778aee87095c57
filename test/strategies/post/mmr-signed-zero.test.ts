import { describe, expect, it } from 'vitest';
import { mmr } from '../../../src/strategies/post/mmr.js';
import { rerank } from '../../../src/rerank.js';

// A first pick has no selected item to be similar to, so its diversity part is −(1−λ)·0. It must
// read as 0, not −0 (which `console.log` prints as "-0" and looks like a bug to users).
describe('mmr score parts have no negative zero', () => {
  const candidates = [
    { id: 'a', relevance: 0.9, embedding: [1, 0] },
    { id: 'b', relevance: -0.5, embedding: [0, 1] },
  ];

  it('gives +0 for the first pick diversity', () => {
    const [first] = rerank({ candidates, k: 2, strategy: mmr({ lambda: 0.6 }) }).items;
    expect(Object.is(first?.parts.diversity, 0)).toBe(true);
  });

  it('gives +0 for the relevance part when λ = 0 meets a negative relevance', () => {
    const items = rerank({ candidates, k: 2, strategy: mmr({ lambda: 0 }) }).items;
    const negative = items.find((item) => item.id === 'b');
    expect(Object.is(negative?.parts.relevance, 0)).toBe(true);
  });
});
