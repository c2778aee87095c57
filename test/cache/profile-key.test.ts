import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalJson, hash53, hashProfile } from '../../src/cache/profile-key.js';

describe('canonicalJson / hashProfile', () => {
  it('ignores key order, keeps array order, and tells NaN, null and undefined apart', () => {
    expect(canonicalJson({ b: 1, a: [2, { d: 3, c: 4 }] })).toBe('{"a":[2,{"c":4,"d":3}],"b":1}');
    expect(canonicalJson([1, 2])).not.toBe(canonicalJson([2, 1]));
    expect(new Set([canonicalJson(Number.NaN), canonicalJson(null), canonicalJson(undefined), canonicalJson('#NaN')]).size).toBe(4);
    expect(canonicalJson(new Float32Array([0.5, 1]))).toBe('[0.5,1]');
    expect(() => canonicalJson({ f: () => 1 })).toThrow(/function/);
    // A changed date, map or set changes the key (Object.keys alone would see none of them).
    expect(hashProfile({ since: new Date(0) })).not.toBe(hashProfile({ since: new Date(1) }));
    expect(hashProfile({ tags: new Set(['a']) })).not.toBe(hashProfile({ tags: new Set(['b']) }));
    expect(hashProfile({ w: new Map([['a', 1]]) })).not.toBe(hashProfile({ w: new Map([['a', 2]]) }));
    expect(canonicalJson(new Set([1]))).not.toBe(canonicalJson([1]));
  });

  it('equal data hashes equal whatever the key order; the JSON of plain data round-trips (property)', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        const reversed = JSON.parse(JSON.stringify(value), (_, v) =>
          v !== null && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).reverse()) : v,
        );
        expect(hashProfile(reversed)).toBe(hashProfile(value));
        expect(JSON.parse(canonicalJson(value))).toEqual(JSON.parse(JSON.stringify(value))); // same data as JSON (so -0 reads as 0)
      }),
      { numRuns: 200 },
    );
  });

  it('hash53 gives 14 hex digits and separates near-identical strings', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 10_000; i++) seen.add(hash53(`profile-${i}`));
    expect(seen.size).toBe(10_000);
    expect(hash53('a')).toMatch(/^[0-9a-f]{14}$/);
  });
});
