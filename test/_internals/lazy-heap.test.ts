import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LazyMaxHeap } from '../../src/_internals/lazy-heap.js';

/** Brute-force order: key descending, then index ascending (docs/formulas.md#conventions tie rule). */
const bruteOrder = (keys: number[], excluded: Set<number>): number[] =>
  keys
    .map((key, i) => ({ key, i }))
    .filter(({ i }) => !excluded.has(i))
    .sort((a, b) => b.key - a.key || a.i - b.i)
    .map(({ i }) => i);

const tiedKeys = fc.array(fc.integer({ min: 0, max: 4 }), { minLength: 1, maxLength: 80 });

describe('LazyMaxHeap', () => {
  it('runnerUpKey is the largest key among the items below the top, at every pop', () => {
    fc.assert(
      fc.property(tiedKeys, (keys) => {
        const n = keys.length;
        const heap = new LazyMaxHeap(n);
        heap.keys.set(keys);
        heap.build(n, new Uint8Array(n));
        const left = new Set(keys.map((_, i) => i));
        while (heap.size > 0) {
          left.delete(heap.top());
          const others = [...left].map((i) => keys[i] as number);
          expect(heap.runnerUpKey()).toBe(others.length === 0 ? -Infinity : Math.max(...others));
          heap.pop();
        }
      }),
    );
  });

  it('pops items by key descending, ties by lower index, skipping excluded ones', () => {
    fc.assert(
      fc.property(tiedKeys, fc.array(fc.boolean(), { maxLength: 80 }), (keys, mask) => {
        const n = keys.length;
        const excluded = new Uint8Array(n);
        const excludedSet = new Set<number>();
        mask.slice(0, n).forEach((x, i) => {
          if (x) {
            excluded[i] = 1;
            excludedSet.add(i);
          }
        });
        const heap = new LazyMaxHeap(n);
        heap.keys.set(keys);
        heap.build(n, excluded);
        const popped: number[] = [];
        while (heap.size > 0) {
          popped.push(heap.top());
          heap.pop();
        }
        expect(popped).toEqual(bruteOrder(keys, excludedSet));
      }),
    );
  });

  it('restores the order after the top key is lowered, and topLeads says whether a sift is needed', () => {
    fc.assert(
      fc.property(tiedKeys, fc.array(fc.integer({ min: 0, max: 3 }), { maxLength: 40 }), (keys, drops) => {
        const n = keys.length;
        const heap = new LazyMaxHeap(n);
        const current = [...keys];
        heap.keys.set(keys);
        heap.build(n, new Uint8Array(n));
        for (const drop of drops) {
          const top = heap.top();
          current[top] = (current[top] as number) - drop;
          heap.keys[top] = current[top] as number;
          const leads = heap.topLeads();
          expect(leads).toBe(bruteOrder(current, new Set())[0] === top);
          heap.siftTopDown();
          expect(heap.top()).toBe(bruteOrder(current, new Set())[0]);
        }
      }),
    );
  });

  it('a hand-worked tie: equal keys come out by index', () => {
    const heap = new LazyMaxHeap(4);
    heap.keys.set([1, 2, 2, 1]);
    heap.build(4, new Uint8Array(4));
    const order: number[] = [];
    while (heap.size > 0) {
      order.push(heap.top());
      heap.pop();
    }
    expect(order).toEqual([1, 2, 0, 3]);
  });
});
