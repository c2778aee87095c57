import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { dot32 } from '../../src/_internals/f32/dot32.js';
import { f32KernelBackend } from '../../src/_internals/wasm/f32-workspace.js';
import { selectDppF32 } from '../../src/strategies/post/dpp-f32.js';
import { selectMmrF32 } from '../../src/strategies/post/mmr-f32.js';
import { unitRows } from './reference.js';

const same = (a: { indices: Int32Array; scores: Float64Array }, b: { indices: Int32Array; scores: Float64Array }): void => {
  expect(Array.from(a.indices)).toEqual(Array.from(b.indices));
  a.scores.forEach((score, slot) => expect(Object.is(score, b.scores[slot])).toBe(true));
};

const instance = fc
  .record({ n: fc.integer({ min: 1, max: 40 }), dim: fc.integer({ min: 1, max: 70 }), k: fc.integer({ min: 1, max: 12 }), seed: fc.integer(), shared: fc.double({ min: 0, max: 4, noNaN: true }) })
  .map(({ n, dim, k, seed, shared }) => {
    let state = (seed >>> 0) % 2147483646 + 1;
    const rnd = (): number => (state = (state * 16807) % 2147483647) / 2147483647;
    const common = Array.from({ length: dim }, () => rnd() - 0.5);
    const vectors = Array.from({ length: n }, () => Array.from({ length: dim }, (_, x) => shared * (common[x] as number) + rnd() - 0.5 + (x === 0 ? 1e-3 : 0)));
    // a few exact ties in relevance to exercise the tie rule
    const relevance = Float64Array.from({ length: n }, () => Math.round(rnd() * 8) / 8);
    return { n, dim, k: Math.min(k, n), embeddings: unitRows(vectors), relevance };
  });

describe('float32 kernels', () => {
  it('load as WebAssembly in Node', () => {
    expect(f32KernelBackend()).toBe('wasm');
  });

  it('dot32 rounds like IEEE single precision, in the documented order (hand-worked)', () => {
    // 1 + 2⁻²⁴ is not a float32: in float32, (1 + 2⁻²⁴) + (−1) in lane 0 gives 0, float64 would give 2⁻²⁴.
    const a = new Float32Array([1, 0, 0, 0, 1, 0, 0, 0, 1]);
    const b = new Float32Array([2 ** -24, 0, 0, 0, 1, 0, 0, 0, -1]);
    // lanes: p0 = 2⁻²⁴, q0 = 1 → (p0 + q0) = fl32(1 + 2⁻²⁴) = 1; tail: 1 + (−1) = 0
    expect(dot32(a, 0, b, 0, 9)).toBe(0);
    // the same numbers in another order keep the small term: 2⁻²⁴ is added last
    expect(dot32(new Float32Array([1, 1, 1]), 0, new Float32Array([1, -1, 2 ** -24]), 0, 3)).toBe(2 ** -24);
    // products round to float32: (1 + 2⁻¹²)² = 1 + 2⁻¹¹ + 2⁻²⁴ rounds to 1 + 2⁻¹¹ (ties to even)
    const x = 1 + 2 ** -12;
    expect(dot32(new Float32Array([x]), 0, new Float32Array([x]), 0, 1)).toBe(1 + 2 ** -11);
  });

  it('give the same ids and scores, bit for bit, in WebAssembly and JS, lazy and dense', () => {
    fc.assert(
      fc.property(instance, fc.double({ min: 0, max: 1, noNaN: true }), ({ n, dim, k, embeddings, relevance }, lambda) => {
        const input = { n, dim, relevance, embeddings, lambda };
        const wasm = selectMmrF32(input, k, 'lazy', 'wasm');
        same(wasm, selectMmrF32(input, k, 'lazy', 'js'));
        same(wasm, selectMmrF32(input, k, 'dense', 'wasm'));
        same(wasm, selectMmrF32(input, k, 'dense', 'js'));
        const dppInput = { n, dim, relevance, embeddings, alpha: lambda * 3 };
        const dpp = selectDppF32(dppInput, k, 'lazy', 'wasm');
        same(dpp, selectDppF32(dppInput, k, 'lazy', 'js'));
        same(dpp, selectDppF32(dppInput, k, 'dense', 'wasm'));
        same(dpp, selectDppF32(dppInput, k, 'dense', 'js'));
      }),
      { numRuns: 300 },
    );
  });

  it('hand over from lazy to dense DPP sweeps on flat gains with the same result', () => {
    // every row shares one direction, relevance flat: gains fall everywhere, so refreshes stop paying
    const n = 200;
    const dim = 16;
    const vectors = Array.from({ length: n }, (_, i) => Array.from({ length: dim }, (_, x) => 1 + Math.sin(i * 7.3 + x * 1.1 + i * x)));
    const input = { n, dim, relevance: new Float64Array(n).fill(0.5), embeddings: unitRows(vectors), alpha: 1 };
    const lazy = selectDppF32(input, 10, 'lazy', 'wasm');
    same(lazy, selectDppF32(input, 10, 'dense', 'js'));
    // it refreshed the candidates one by one for a few picks only, then swept them all at every pick
    expect(lazy.refreshes).toBeLessThan(2 * n);
    expect(lazy.updates).toBeGreaterThanOrEqual(8 * (n - 10));
  });
});

describe('float32 selections, hand-worked', () => {
  // Rows exact in float32: e0 = (1,0,0,0), e1 = (0,1,0,0), e2 = (½,½,½,½).
  const embeddings = new Float64Array([1, 0, 0, 0, 0, 1, 0, 0, 0.5, 0.5, 0.5, 0.5]);
  const relevance = new Float64Array([0.9, 0.8, 0.85]);

  it('MMR λ = 0.5: e0 (0.45), then e1 (0.4 − 0.5·0), then e2 (0.425 − 0.5·0.5)', () => {
    const got = selectMmrF32({ n: 3, dim: 4, relevance, embeddings, lambda: 0.5 }, 3);
    expect(Array.from(got.indices)).toEqual([0, 1, 2]);
    expect(Array.from(got.scores)).toEqual([0.45, 0.4, 0.425 - 0.25]);
  });

  it('MMR: float32 rounding makes a near-duplicate an exact duplicate', () => {
    // b = (1, 1e-5)/‖·‖: float64 cos(a, b) = 1/√(1 + 1e-10) < 1; in float32 b rounds to (1, 1e-5), cos = 1.
    const b = unitRows([[1, 1e-5]]);
    expect(Math.fround(b[0] as number)).toBe(1);
    const got = selectMmrF32({ n: 2, dim: 2, relevance: new Float64Array([1, 1]), embeddings: new Float64Array([1, 0, b[0] as number, b[1] as number]), lambda: 0 }, 2);
    expect(got.scores[1]).toBe(-1);
  });

  it('DPP: equal qualities, orthogonal e0 and e1: gains 1, then 1 − ½² = 0.75', () => {
    const got = selectDppF32({ n: 2, dim: 4, relevance: new Float64Array([0.5, 0.5]), embeddings: embeddings.subarray(0, 8), alpha: 1 }, 2);
    expect(Array.from(got.indices)).toEqual([0, 1]);
    expect(got.scores[0]).toBeCloseTo(0, 15);
    expect(got.scores[1]).toBeCloseTo(Math.log(0.75), 15);
  });

  it('DPP: a residual below 1e-4 counts as exhausted; the rest is filled in relevance order', () => {
    // e0 twice and e1: after e0 the duplicate's residual is 0, so e1 (residual 0.75) comes next,
    // then the duplicate fills the last slot with the reported gain 1e-10
    const rows = new Float64Array([1, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0]);
    const got = selectDppF32({ n: 3, dim: 4, relevance: new Float64Array([0.5, 0.5, 0.4]), embeddings: rows, alpha: 1 }, 3);
    expect(Array.from(got.indices)).toEqual([0, 2, 1]);
    expect(got.scores[2]).toBe(Math.log(1e-10));
  });
});
