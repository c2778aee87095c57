import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { UserTimeline } from '../../src/evaluate/movielens.js';
import { heldOutCount, temporalSplit } from '../../src/evaluate/split.js';

function timeline(user: string, items: number[], ratings: number[]): UserTimeline {
  return { user, items: Int32Array.from(items), ratings: Float64Array.from(ratings) };
}

describe('heldOutCount', () => {
  it('is max(1, round(0.2·n))', () => {
    expect(heldOutCount(1)).toBe(1); // 0.2 → 0, at least 1
    expect(heldOutCount(7)).toBe(1); // 1.4 → 1
    expect(heldOutCount(8)).toBe(2); // 1.6 → 2
    expect(heldOutCount(13)).toBe(3); // 2.6 → 3
    expect(heldOutCount(15)).toBe(3); // 3.0
  });
});

describe('temporalSplit on a hand-made user', () => {
  // 15 ratings, oldest first: items 0..14. The last round(0.2·15) = 3 (items 12, 13, 14) are held out.
  const ratings = [5, 4, 3.5, 3, 4.5, 5, 4, 4, 2, 4, 5, 3.5, 4, 1, 3.5];
  const user = timeline('u', ratings.map((_, i) => i), ratings);

  it('holds out the latest 20% of all ratings and keeps positives (≥ 3.5) on both sides', () => {
    const split = temporalSplit([user], { minTrainPositives: 1 });
    // Train ratings: items 0..11; positives are those ≥ 3.5: all but item 3 (3.0) and item 8 (2.0).
    expect(Array.from(split.trainPositives[0] ?? [])).toEqual([0, 1, 2, 4, 5, 6, 7, 9, 10, 11]);
    // Held out: items 12 (4), 13 (1), 14 (3.5) → positives 12 and 14.
    expect(Array.from(split.heldOutPositives[0] ?? [])).toEqual([12, 14]);
    expect(Array.from(split.train[0]?.items ?? [])).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
  });

  it('drops the user below 10 train positives and keeps it at exactly 10', () => {
    expect(temporalSplit([user]).train.length).toBe(1); // 10 train positives
    expect(temporalSplit([user], { minTrainPositives: 11 }).train.length).toBe(0);
  });

  it('carves validation from train the same way', () => {
    const test = temporalSplit([user], { minTrainPositives: 1 });
    const validation = temporalSplit(test.train, { minTrainPositives: 1 });
    // Train has 12 ratings: round(2.4) = 2 held out (items 10, 11, both positive).
    expect(Array.from(validation.heldOutPositives[0] ?? [])).toEqual([10, 11]);
    expect(Array.from(validation.trainPositives[0] ?? [])).toEqual([0, 1, 2, 4, 5, 6, 7, 9]);
  });

  it('partitions every kept timeline into an older train part and a newer held-out part (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom(1, 2, 3, 3.5, 4, 5), { minLength: 1, maxLength: 60 }), (values) => {
        const t = timeline('p', values.map((_, i) => i), values);
        const split = temporalSplit([t], { minTrainPositives: 0 });
        const n = values.length;
        const cut = n - heldOutCount(n);
        if (cut <= 0) {
          expect(split.train.length).toBe(0);
          return;
        }
        const trainItems = Array.from(split.train[0]?.items ?? []);
        expect(trainItems).toEqual(values.slice(0, cut).map((_, i) => i));
        const expectedHeldOut = values.map((v, i) => ({ v, i })).filter(({ v, i }) => i >= cut && v >= 3.5).map(({ i }) => i);
        expect(Array.from(split.heldOutPositives[0] ?? [])).toEqual(expectedHeldOut);
      }),
    );
  });
});
