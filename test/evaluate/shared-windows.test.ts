import { describe, expect, it } from 'vitest';
import type { SplitModel } from '../../src/evaluate/context.js';
import { SharedWindows } from '../../src/evaluate/shared-windows.js';

/** The fields of a window the content key reads: item space, users' train timelines and positives. */
function model(users: readonly [string, number[], number[]][], items: number[]): SplitModel {
  return {
    space: { items: Int32Array.from(items) },
    train: { train: users.map(([user, rated]) => ({ user, items: Int32Array.from(rated), ratings: new Float64Array(rated.length) })) },
    columns: users.map(([, , positives]) => Int32Array.from(positives)),
  } as unknown as SplitModel;
}

describe('SharedWindows', () => {
  it('computes once for two windows with the same content, per kind of work', () => {
    const shared = new SharedWindows();
    let calls = 0;
    const a = model([['u1', [3, 4], [0]], ['u2', [4], [1]]], [3, 4]);
    const b = model([['u1', [3, 4], [0]], ['u2', [4], [1]]], [3, 4]);
    expect(shared.get(a, 'ease:100', () => ++calls)).toBe(1);
    expect(shared.get(b, 'ease:100', () => ++calls)).toBe(1);
    expect(shared.get(b, 'ease:300', () => ++calls)).toBe(2);
  });

  it('computes afresh when any user, interaction, positive or item differs', () => {
    const shared = new SharedWindows();
    let calls = 0;
    const variants = [
      model([['u1', [3, 4], [0]]], [3, 4]),
      model([['u9', [3, 4], [0]]], [3, 4]),
      model([['u1', [3, 5], [0]]], [3, 4]),
      model([['u1', [3, 4], [1]]], [3, 4]),
      model([['u1', [3, 4], [0]]], [3, 5]),
      model([['u1', [3, 4], [0]], ['u2', [], []]], [3, 4]),
    ];
    expect(variants.map((m) => shared.get(m, 'vectors', () => ++calls))).toEqual([1, 2, 3, 4, 5, 6]);
  });
});
