import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { meanShift } from '../../../src/strategies/pre/mean-shift.js';
import { pursActivation, pursBlend, pursFeature } from '../../../src/strategies/pre/purs.js';
import { describeRerankerContract, requestArb } from '../../contract/reranker-contract.js';
import { pack } from './helpers.js';

const requires = { embeddings: 'required', historyEmbeddings: 'required' } as const;
const unit = (v: number[]): number[] => {
  const norm = Math.hypot(...v);
  return v.map((x) => x / norm);
};
const distance = (a: number[], b: number[]): number => Math.hypot(...a.map((x, j) => x - (b[j] as number)));
const mean = (vs: number[][]): number[] => (vs[0] as number[]).map((_, j) => vs.reduce((s, v) => s + (v[j] as number), 0) / vs.length);

// Two obvious interests: three items around e1 and two around e2.
const groupA = [unit([1, 0.1, 0]), unit([1, -0.1, 0]), [1, 0, 0]];
const groupB = [unit([0.05, 1, 0]), unit([-0.05, 1, 0])];
const history = [...groupA, ...groupB].map((embedding, i) => ({ id: `h${i}`, embedding }));
const centreA = mean(groupA);
const centreB = mean(groupB);
const candidates = [
  { id: 'near-a', relevance: 0.9, embedding: [1, 0, 0] },
  { id: 'between', relevance: 0.5, embedding: unit([1, 1, 0]) },
  { id: 'away', relevance: 0.1, embedding: [0, 0, 1] },
];

describe('meanShift', () => {
  it('finds the two interest centres of a two-cluster history, biggest first', () => {
    const points = new Float64Array(history.flatMap((h) => h.embedding));
    const result = meanShift(points, 5, 3, 0.5);
    expect(result.count).toBe(2);
    expect(Array.from(result.sizes)).toEqual([3, 2]);
    expect(Array.from(result.labels)).toEqual([0, 0, 0, 1, 1]);
    Array.from(result.centres.subarray(0, 3)).forEach((x, j) => expect(x).toBeCloseTo(centreA[j] as number, 12));
    Array.from(result.centres.subarray(3, 6)).forEach((x, j) => expect(x).toBeCloseTo(centreB[j] as number, 12));
  });

  it('merges everything into one centre when the bandwidth covers all points', () => {
    const points = new Float64Array(history.flatMap((h) => h.embedding));
    const result = meanShift(points, 5, 3, 3);
    expect(result.count).toBe(1);
    expect(Array.from(result.sizes)).toEqual([5]);
  });
});

describe('pursFeature', () => {
  const request = pack(candidates, history, requires);

  it('uses the size-weighted mean distance to the centres with f(d) = d·e^(−d)', () => {
    const values = pursFeature(request, { bandwidth: 0.5 });
    const distances = pursFeature(request, { bandwidth: 0.5, output: 'distance' });
    candidates.forEach((c, i) => {
      const d = (3 * distance(c.embedding, centreA) + 2 * distance(c.embedding, centreB)) / 5;
      expect(distances[i]).toBeCloseTo(d, 12);
      expect(values[i]).toBeCloseTo(d * Math.exp(-d), 12);
    });
    // The item far from both interests is the most unexpected.
    expect(distances[2]).toBeGreaterThan(distances[1] as number);
    expect(distances[1]).toBeGreaterThan(distances[0] as number);
  });

  it("'nearest' takes the distance to the closest centre", () => {
    const distances = pursFeature(request, { bandwidth: 0.5, aggregate: 'nearest', output: 'distance' });
    candidates.forEach((c, i) => {
      expect(distances[i]).toBeCloseTo(Math.min(distance(c.embedding, centreA), distance(c.embedding, centreB)), 12);
    });
  });

  it('clusters only the last `recent` history items', () => {
    const older = groupB.map((embedding, i) => ({ id: `old${i}`, embedding }));
    const recentA = groupA.map((embedding, i) => ({ id: `new${i}`, embedding }));
    const values = pursFeature(pack(candidates, [...older, ...recentA], requires), { bandwidth: 0.5, recent: 3, output: 'distance' });
    candidates.forEach((c, i) => expect(values[i]).toBeCloseTo(distance(c.embedding, centreA), 12));
  });

  it('gives 0 to every candidate when the history is empty', () => {
    expect(Array.from(pursFeature(pack(candidates, [], requires)))).toEqual([0, 0, 0]);
  });

  it('keeps the activation in [0, 1/e] and the distance in [0, 2] on random requests', () => {
    fc.assert(
      fc.property(requestArb(), fc.double({ min: 0.05, max: 2.5, noNaN: true }), (request, bandwidth) => {
        const packed = pack(request.candidates, request.user.history ?? [], requires);
        for (const value of pursFeature(packed, { bandwidth })) {
          expect(value).toBeGreaterThanOrEqual(0);
          expect(value).toBeLessThanOrEqual(1 / Math.E + 1e-15);
        }
        for (const value of pursFeature(packed, { bandwidth, output: 'distance' })) {
          expect(value).toBeGreaterThanOrEqual(0);
          expect(value).toBeLessThanOrEqual(2 + 1e-12);
        }
      }),
      { numRuns: 80 },
    );
  });

  it('pursActivation peaks at 1/e for d = 1', () => {
    expect(pursActivation(1)).toBeCloseTo(1 / Math.E, 15);
    expect(pursActivation(0)).toBe(0);
    fc.assert(fc.property(fc.double({ min: 0, max: 2, noNaN: true }), (d) => pursActivation(d) <= 1 / Math.E));
  });

  it('validates its options', () => {
    expect(() => pursFeature(request, { bandwidth: 0 })).toThrow(expect.objectContaining({ code: 'INVALID_OPTION' }));
    expect(() => pursFeature(request, { recent: 1.5 })).toThrow(expect.objectContaining({ code: 'INVALID_OPTION' }));
    expect(() => pursFeature(request, { aggregate: 'max' as never })).toThrow(expect.objectContaining({ code: 'INVALID_OPTION' }));
    expect(() => pursBlend({ bandwith: 1 } as never)).toThrow(expect.objectContaining({ code: 'UNKNOWN_OPTION' }));
  });
});

describeRerankerContract({ name: 'pursBlend()', make: () => pursBlend({ weight: 0.5 }), noop: () => pursBlend({ weight: 0 }) });
