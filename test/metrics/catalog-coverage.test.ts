import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { catalogCoverage } from '../../src/metrics/catalog-coverage.js';
import { ID_POOL } from './ranking.arbitraries.js';

describe('catalogCoverage', () => {
  it('is the share of the catalogue shown to anyone (hand-worked)', () => {
    expect(catalogCoverage([['a', 'b'], ['b', 'c'], []], ['a', 'b', 'c', 'd', 'e'])).toBe(3 / 5);
    expect(catalogCoverage([], new Set(['a']))).toBe(0);
    expect(catalogCoverage([['__proto__']], ['__proto__', 'constructor', '__proto__'])).toBe(1 / 2);
  });

  it('rejects an empty catalogue, an id outside the catalogue and a list with repeats', () => {
    expect(() => catalogCoverage([['a']], [])).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT', field: 'catalog' }));
    expect(() => catalogCoverage([['a'], ['z']], ['a'])).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT', field: 'lists[1][0]' }));
    expect(() => catalogCoverage([['a', 'a']], ['a'])).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT', field: 'lists[0][1]' }));
  });

  it('lies in [0, 1]', () => {
    fc.assert(
      fc.property(fc.array(fc.uniqueArray(fc.constantFrom(...ID_POOL))), (lists) => {
        const value = catalogCoverage(lists, ID_POOL);
        expect(value).toBeGreaterThanOrEqual(0);
        expect(value).toBeLessThanOrEqual(1);
        expect(value).toBe(new Set(lists.flat()).size / ID_POOL.length);
      }),
    );
  });
});
