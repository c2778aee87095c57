import { describe, expect, it } from 'vitest';
import { evaluateList } from '../../src/metrics/evaluate-list.js';
import { meanOverUsers } from '../../src/metrics/mean-over-users.js';

describe('meanOverUsers', () => {
  it('averages each metric over users, every user weighing the same', () => {
    expect(meanOverUsers([{ ndcg: 1, recall: 0.5 }, { ndcg: 0.5, recall: 0 }, { ndcg: 0, recall: 1 }])).toEqual({
      ndcg: (1 + 0.5 + 0) / 3,
      recall: (0.5 + 0 + 1) / 3,
    });
  });

  it('averages evaluateList rows from a harness loop', () => {
    const rows = [
      evaluateList({ list: ['a', 'b'], relevant: ['a'], k: 2 }),
      evaluateList({ list: ['c', 'd'], relevant: ['x'], k: 2 }),
    ];
    const mean = meanOverUsers(rows);
    expect(mean.precision).toBe((1 / 2 + 0) / 2);
    expect(mean.recall).toBe((1 + 0) / 2);
  });

  it('keeps a metric named __proto__ as an own property', () => {
    const rows = [JSON.parse('{"__proto__": 1}') as Record<string, number>, JSON.parse('{"__proto__": 3}') as Record<string, number>];
    const mean = meanOverUsers(rows);
    expect(Object.hasOwn(mean, '__proto__')).toBe(true);
    expect(mean['__proto__']).toBe(2);
  });

  it('rejects no rows, rows with different metrics and non-finite values', () => {
    expect(() => meanOverUsers([])).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT', field: 'rows' }));
    expect(() => meanOverUsers([{ a: 1 }, { b: 1 }])).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT', field: 'rows[1].a' }));
    expect(() => meanOverUsers([{ a: 1 }, { a: 1, b: 2 }])).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT', field: 'rows[1]' }));
    expect(() => meanOverUsers([{ a: 1 }, { a: Number.NaN }])).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT', field: 'rows[1].a' }));
  });
});
