import { describe, expect, it } from 'vitest';
import type { UserTimeline } from '../../src/evaluate/movielens.js';
import { temporalSplit } from '../../src/evaluate/split.js';
import { nestedWindows, SPLIT_KINDS } from '../../src/evaluate/windows.js';

/** One user with 100 positives (items 0..99 in time order) and one with 20. */
const timelines: UserTimeline[] = [
  { user: 'a', items: Int32Array.from({ length: 100 }, (_, i) => i), ratings: new Float64Array(100).fill(5) },
  { user: 'b', items: Int32Array.from({ length: 20 }, (_, i) => 200 + i), ratings: new Float64Array(20).fill(5) },
];

describe('nestedWindows', () => {
  it('standard: test holds out the last 20 %, validation the 20 % before, fit the 20 % before that', () => {
    const w = nestedWindows(timelines, 'standard');
    // User a: 100 → test 80..99, train 0..79 → validation 64..79, train 0..63 → fit 51..63.
    expect(Array.from(w.test.heldOutPositives[0]!)).toEqual(Array.from({ length: 20 }, (_, i) => 80 + i));
    expect(Array.from(w.validation.heldOutPositives[0]!)).toEqual(Array.from({ length: 16 }, (_, i) => 64 + i));
    expect(Array.from(w.fit.heldOutPositives[0]!)).toEqual(Array.from({ length: 13 }, (_, i) => 51 + i));
  });

  it('shifted: the test window is the standard validation window, and every window moves one level back', () => {
    const standard = nestedWindows(timelines, 'standard');
    const shifted = nestedWindows(timelines, 'shifted');
    expect(shifted.test).toEqual(standard.validation);
    expect(shifted.validation).toEqual(standard.fit);
    expect(shifted.fit).toEqual(temporalSplit(standard.fit.train));
  });

  it('development: two windows back, so its test is the shifted validation window and older than any reported test', () => {
    const shifted = nestedWindows(timelines, 'shifted');
    const development = nestedWindows(timelines, 'development');
    expect(development.test).toEqual(shifted.validation);
    expect(development.validation).toEqual(shifted.fit);
    expect(development.fit).toEqual(temporalSplit(shifted.fit.train));
    // User a: levels 1–5 hold out 80..99, 64..79, 51..63, 41..50 (round(0.2 · 51) = 10), 33..40 (round(8.2) = 8).
    expect(Array.from(development.fit.heldOutPositives[0]!)).toEqual(Array.from({ length: 8 }, (_, i) => 33 + i));
    expect(SPLIT_KINDS).not.toContain('development');
  });

  it('each held-out window is strictly earlier than the next (per user, every fit item precedes every validation item)', () => {
    for (const kind of ['standard', 'shifted', 'development'] as const) {
      const w = nestedWindows(timelines, kind);
      const last = (xs: Int32Array | undefined) => Math.max(...Array.from(xs ?? []));
      const first = (xs: Int32Array | undefined) => Math.min(...Array.from(xs ?? []));
      expect(last(w.fit.heldOutPositives[0])).toBeLessThan(first(w.validation.heldOutPositives[0]));
      expect(last(w.validation.heldOutPositives[0])).toBeLessThan(first(w.test.heldOutPositives[0]));
    }
  });
});
