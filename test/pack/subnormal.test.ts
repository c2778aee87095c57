import { describe, expect, it } from 'vitest';
import { createItemTable } from '../../src/pack/item-table.js';
import { rerank } from '../../src/rerank.js';
import { dpp } from '../../src/strategies/post/dpp.js';
import { mmr } from '../../src/strategies/post/mmr.js';
import { unexpectednessBlend } from '../../src/strategies/pre/unexpectedness.js';
import type { Candidate, Reranker } from '../../src/types.js';

/**
 * Fault 1 of the hardening issue: an embedding whose largest entry is below about 5.6e-309 packed to
 * NaN (its reciprocal overflowed), so mmr/dpp blamed the strategy, unexpectednessBlend returned a
 * wrong ranking and createItemTable stored a NaN row. Every vector here is a plain vector scaled by
 * a tiny factor; cosine similarity does not depend on scale, so the result must match the plain one.
 */
const TINY = 1e-309 / 1; // subnormal: below Number.MIN_VALUE·2^52
const directions = [
  [1, 2],
  [2, 1],
  [1, -1],
  [-3, 1],
  [0, 1],
];
const relevances = [0.9, 0.8, 0.7, 0.6, 0.5];

function candidatesScaledBy(scale: number): Candidate[] {
  return directions.map((v, i) => ({ id: `c${i}`, relevance: relevances[i] as number, embedding: v.map((x) => x * scale) }));
}

function idsAndScores(strategy: Reranker, scale: number, historyScale = scale) {
  const history = [{ id: 'h0', embedding: [1 * historyScale, 3 * historyScale] }];
  const { items } = rerank({ candidates: candidatesScaledBy(scale), user: { id: 'u', history }, k: 4, strategy });
  return { ids: items.map((item) => item.id), scores: items.map((item) => item.score) };
}

describe('fault 1: subnormal vectors became NaN', () => {
  it('packs [1e-309, 2e-309] to the unit vector of [1, 2] in createItemTable (no NaN row)', () => {
    const table = createItemTable([{ id: 'a', embedding: [1e-309, 2e-309] }]);
    const row = Array.from(table.embeddings as Float64Array);
    // 1e-309 and 2e-309 round to subnormals whose ratio is 2 to within 1e-14.
    expect(row[0]).toBeCloseTo(1 / Math.sqrt(5), 12);
    expect(row[1]).toBeCloseTo(2 / Math.sqrt(5), 12);
    // a later request with that id works
    const { items } = rerank({ candidates: [{ id: 'a', relevance: 1 }], catalog: table, k: 1, strategy: mmr() });
    expect(items.map((item) => item.id)).toEqual(['a']);
    expect(Number.isFinite(items[0]?.score)).toBe(true);
  });

  it.each([
    ['mmr', () => mmr({ lambda: 0.5 })],
    ['dpp', () => dpp({ theta: 0.7 })],
    ['unexpectednessBlend', () => unexpectednessBlend({ weight: 0.5 })],
  ])('%s ranks subnormal vectors as it ranks the same directions at unit scale', (_name, make) => {
    const plain = idsAndScores(make(), 1);
    const subnormal = idsAndScores(make(), TINY);
    expect(subnormal.scores.every(Number.isFinite)).toBe(true);
    expect(subnormal.ids).toEqual(plain.ids);
    subnormal.scores.forEach((score, slot) => expect(score).toBeCloseTo(plain.scores[slot] as number, 9));
  });

  it('handles the smallest subnormal, Number.MIN_VALUE, and mixed subnormal/normal vectors', () => {
    const table = createItemTable([
      { id: 'min', embedding: [Number.MIN_VALUE, 0] },
      { id: 'mixed', embedding: [Number.MIN_VALUE, 3e-310, -4e-310] },
    ].map((item) => ({ ...item, embedding: item.embedding.length === 2 ? [...item.embedding, 0] : item.embedding })));
    const rows = Array.from(table.embeddings as Float64Array);
    expect(rows.slice(0, 3)).toEqual([1, 0, 0]);
    expect(rows[3]).toBeCloseTo(0, 12);
    expect(rows[4]).toBeCloseTo(0.6, 12);
    expect(rows[5]).toBeCloseTo(-0.8, 12);
  });
});
