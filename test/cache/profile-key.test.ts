import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createScoreCache, llmBlend, rerank } from '../../src/index.js';
import { canonicalJson, hash53, hashProfile, MAX_PROFILE_HASH_CHARS } from '../../src/cache/profile-key.js';

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

describe('hashProfile on hostile profiles (issue 12)', () => {
  it('fault 10: a profile nested 20,000 deep hashes without a stack overflow (iterative), to the same text as built by hand', () => {
    const depth = 20_000;
    let deep: unknown = 1;
    for (let i = 0; i < depth; i++) deep = { a: deep };
    const expected = `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`;
    expect(canonicalJson(deep)).toBe(expected);
    expect(hashProfile(deep)).toBe(`p:${hash53(expected)}`);
    let list: unknown = [];
    for (let i = 0; i < depth; i++) list = [list, i];
    expect(() => hashProfile(list)).not.toThrow();
  });

  it('fault 10: a cycle deep inside a 20,000-deep profile is still a typed INVALID_ARGUMENT', () => {
    const root: Record<string, unknown> = {};
    let node = root;
    for (let i = 0; i < 20_000; i++) {
      const next: Record<string, unknown> = {};
      node.a = next;
      node = next;
    }
    node.loop = root;
    expect(() => hashProfile(root)).toThrow(expect.objectContaining({ name: 'RerankError', code: 'INVALID_ARGUMENT' }));
    // A shared (non-cyclic) sub-object is not a cycle.
    const shared = { x: 1 };
    expect(canonicalJson({ a: shared, b: [shared, shared] })).toBe('{"a":{"x":1},"b":[{"x":1},{"x":1}]}');
  });

  it('fault 14: a profile past MAX_PROFILE_HASH_CHARS is refused with INVALID_ARGUMENT naming profileKey, without reading it all', () => {
    expect(MAX_PROFILE_HASH_CHARS).toBe(1 << 20);
    const big = { text: 'x'.repeat(10 * 2 ** 20) };
    expect(() => hashProfile(big)).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT', message: expect.stringContaining('profileKey') }));
    // A sparse array of 4 billion holes would take minutes to walk: it is refused up front.
    const sparse: unknown[] = [];
    sparse.length = 4_000_000_000;
    expect(() => hashProfile({ sparse })).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
    // Just under the cap is fine, and the cap is adjustable.
    const fits = 'y'.repeat(MAX_PROFILE_HASH_CHARS - 2);
    expect(hashProfile(fits)).toBe(`p:${hash53(JSON.stringify(fits))}`);
    expect(() => hashProfile('y'.repeat(MAX_PROFILE_HASH_CHARS - 1))).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
    expect(() => hashProfile({ a: 'abc' }, 5)).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
    expect(hashProfile({ a: 'abc' }, 11)).toBe(`p:${hash53('{"a":"abc"}')}`);
  });

  it('fault 10: a profile whose getter or proxy throws gives INVALID_ARGUMENT, not the foreign error', () => {
    const getter = Object.defineProperty({}, 'x', {
      enumerable: true,
      get() {
        throw new TypeError('boom');
      },
    });
    const proxy = new Proxy(
      {},
      {
        ownKeys() {
          throw new RangeError('no keys');
        },
      },
    );
    for (const profile of [getter, proxy, { nested: [getter] }]) {
      expect(() => hashProfile(profile)).toThrow(expect.objectContaining({ name: 'RerankError', code: 'INVALID_ARGUMENT' }));
    }
  });
});

describe('rerank(llmBlend) with a deep or huge user.profile (issue 12, items 10 and 14)', () => {
  const candidates = [
    { id: 'a', relevance: 1 },
    { id: 'b', relevance: 0.5 },
  ];
  const scorer = async (batch: readonly unknown[]) => batch.map(() => 0.5);

  it('fault 10: user.profile nested 20,000 deep ranks (documented success), no stack overflow', async () => {
    let deep: unknown = 'leaf';
    for (let i = 0; i < 20_000; i++) deep = { a: deep };
    const cache = createScoreCache({ scorer, lingerMs: 0 });
    try {
      const { items } = rerank({ candidates, user: { id: 'u', profile: deep }, k: 2, strategy: llmBlend({ cache, weight: 0.5 }) });
      expect(items.map((item) => item.id)).toEqual(['a', 'b']);
    } finally {
      await cache.close();
    }
  });

  it('fault 14: a 10 MB user.profile without a key is a RerankError naming profileKey; with user.profileKey it ranks', async () => {
    const huge = { notes: 'z'.repeat(10 * 2 ** 20) };
    const cache = createScoreCache({ scorer, lingerMs: 0 });
    try {
      expect(() => rerank({ candidates, user: { id: 'u', profile: huge }, k: 2, strategy: llmBlend({ cache, weight: 0.5 }) })).toThrow(
        expect.objectContaining({ name: 'RerankError', code: 'INVALID_ARGUMENT', message: expect.stringContaining('profileKey') }),
      );
      const { items } = rerank({ candidates, user: { id: 'u', profile: huge, profileKey: 'u-v1' }, k: 2, strategy: llmBlend({ cache, weight: 0.5 }) });
      expect(items).toHaveLength(2);
    } finally {
      await cache.close();
    }
  });
});
