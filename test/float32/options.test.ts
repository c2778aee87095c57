import { describe, expect, it } from 'vitest';
import { RerankError } from '../../src/errors/rerank-error.js';
import { rerank } from '../../src/rerank.js';
import { dpp } from '../../src/strategies/post/dpp.js';
import { mmr } from '../../src/strategies/post/mmr.js';
import type { Candidate } from '../../src/types.js';

function codeOf(run: () => unknown): string {
  try {
    run();
    return 'ok';
  } catch (error) {
    if (error instanceof RerankError) return error.code;
    throw error;
  }
}

const good = (embedding: number[]): Candidate[] => [
  { id: 'a', relevance: 0.9, embedding: [1, 0.5, 0.25] },
  { id: 'b', relevance: 0.8, embedding },
];

describe('precision option', () => {
  it('names the float32 strategies and rejects other values', () => {
    expect(mmr({ precision: 'float32' }).name).toBe('mmr(lambda=0.5, precision=float32)');
    expect(mmr({ precision: 'float32', algorithm: 'dense' }).name).toBe('mmr(lambda=0.5, algorithm=dense, precision=float32)');
    expect(dpp({ precision: 'float32' }).name).toBe('dpp(theta=0.7, precision=float32)');
    expect(mmr({ precision: 'float64' }).name).toBe('mmr(lambda=0.5)');
    expect(dpp({ precision: 'float64' }).name).toBe('dpp(theta=0.7)');
    for (const precision of ['single', 'f32', 32, null]) {
      expect(codeOf(() => mmr({ precision: precision as never }))).toBe('INVALID_OPTION');
      expect(codeOf(() => dpp({ precision: precision as never }))).toBe('INVALID_OPTION');
    }
  });

  it('rejects float32 with a DPP window', () => {
    expect(codeOf(() => dpp({ precision: 'float32', window: 3 }))).toBe('INVALID_OPTION');
  });

  it('validates the request exactly like float64: same error code for every bad vector', () => {
    const cases: number[][] = [
      [Number.NaN, 0, 1],
      [Infinity, 0, 1],
      [0, 0, 0],
      [1, 2],
      [5e-324, 5e-324, 0], // subnormal entries
      [1e-310, 0, 0],
      [1e300, 1e300, 1e300], // overflow of the squared norm
    ];
    for (const embedding of cases) {
      for (const [f64, f32] of [
        [mmr(), mmr({ precision: 'float32' })],
        [dpp(), dpp({ precision: 'float32' })],
      ] as const) {
        const expected = codeOf(() => rerank({ candidates: good(embedding), k: 2, strategy: f64 }));
        expect(codeOf(() => rerank({ candidates: good(embedding), k: 2, strategy: f32 }))).toBe(expected);
        if (expected === 'ok') {
          const ids = (strategy: typeof f64) => rerank({ candidates: good(embedding), k: 2, strategy }).items.map((item) => item.id);
          expect(ids(f32)).toEqual(ids(f64));
        }
      }
    }
  });

  it('returns finite scores and parts through rerank(), k > n and empty lists included', () => {
    const candidates = good([0.2, 1, -0.3]);
    for (const strategy of [mmr({ precision: 'float32' }), dpp({ precision: 'float32' })]) {
      const { items } = rerank({ candidates, k: 5, strategy });
      expect(items.map((item) => item.id)).toEqual(['a', 'b']);
      for (const item of items) {
        expect(Number.isFinite(item.score)).toBe(true);
        expect(Object.values(item.parts).every(Number.isFinite)).toBe(true);
      }
      expect(rerank({ candidates: [], k: 3, strategy }).items).toEqual([]);
    }
  });
});
