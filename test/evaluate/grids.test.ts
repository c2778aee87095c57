import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { edgeDirection, extendGrid, fromNoop, MIN_REFINEMENT_GAP, refineGrid } from '../../src/evaluate/grids.js';

const mmr = { noop: 1, extreme: 0 };
const blend = { noop: 0, extreme: 1 };

describe('moving grids', () => {
  it('hand-worked: MMR grid [0.95 … 0.4]', () => {
    const grid = [0.95, 0.9, 0.8, 0.4];
    expect(edgeDirection(grid, 0.95, mmr)).toBe('toward no-op');
    expect(edgeDirection(grid, undefined, mmr)).toBe('toward no-op');
    expect(edgeDirection(grid, 0.4, mmr)).toBe('away from no-op');
    expect(edgeDirection(grid, 0.8, mmr)).toBeUndefined();
    expect(extendGrid(grid, 'toward no-op', mmr)).toBe(0.975);
    // One step of the last spacing (0.8 → 0.4) beyond 0.4 would pass 0, so it clamps to the extreme.
    expect(extendGrid(grid, 'away from no-op', mmr)).toBe(0);
    expect(extendGrid([0.9, 0.7, 0], 'away from no-op', mmr)).toBeUndefined();
  });

  it('hand-worked: blend weights [0.1, 0.2, 0.3]', () => {
    expect(extendGrid([0.1, 0.2, 0.3], 'away from no-op', blend)).toBe(0.4);
    expect(extendGrid([0.1, 0.2, 0.3], 'toward no-op', blend)).toBe(0.05);
  });

  it('an extension is new, lies between no-op and extreme, and beyond the edge it extends (property)', () => {
    const range = fc.constantFrom(mmr, blend);
    fc.assert(
      fc.property(range, fc.uniqueArray(fc.integer({ min: 1, max: 99 }), { minLength: 1, maxLength: 6 }), fc.boolean(), (r, raw, toward) => {
        const grid = raw.map((x) => x / 100);
        const direction = toward ? 'toward no-op' : 'away from no-op';
        const next = extendGrid(grid, direction, r);
        if (next === undefined) return;
        expect(grid).not.toContain(next);
        const distance = (x: number) => Math.abs(x - r.noop);
        expect(distance(next)).toBeGreaterThan(0);
        expect(distance(next)).toBeLessThanOrEqual(distance(r.extreme));
        const ordered = fromNoop(grid, r);
        if (toward) expect(distance(next)).toBeLessThan(distance(ordered[0]!));
        else expect(distance(next)).toBeGreaterThan(distance(ordered[ordered.length - 1]!));
      }),
    );
  });
});

describe('grid refinement', () => {
  it('hand-worked: DPP θ grid, choice 0.9 → 0.875, then 0.8875 or 0.8625', () => {
    const grid = [0.99, 0.95, 0.9, 0.85, 0.8];
    expect(refineGrid(grid, 0.9, mmr)).toBe(0.875);
    // 0.875 did not win: bisect 0.9 … 0.875; it won: bisect 0.875 … 0.85.
    expect(refineGrid([...grid, 0.875], 0.9, mmr)).toBe(0.8875);
    expect(refineGrid([...grid, 0.875], 0.875, mmr)).toBe(0.8625);
    // The most aggressive point has no aggressive neighbour (the moving grid owns that edge).
    expect(refineGrid(grid, 0.8, mmr)).toBeUndefined();
  });

  it('hand-worked: blend weights, choice 0.2 → 0.25; a gap below the minimum is not split', () => {
    expect(refineGrid([0.1, 0.2, 0.3, 0.5], 0.2, blend)).toBe(0.25);
    expect(refineGrid([0.1, 0.2, 0.3, 0.5], 0.3, blend)).toBe(0.4);
    expect(refineGrid([0.1, 0.2, 0.2 + MIN_REFINEMENT_GAP / 2], 0.2, blend)).toBeUndefined();
  });

  it('a refinement is new and lies strictly between the choice and its nearest more aggressive neighbour (property)', () => {
    const range = fc.constantFrom(mmr, blend);
    fc.assert(
      fc.property(range, fc.uniqueArray(fc.integer({ min: 1, max: 99 }), { minLength: 1, maxLength: 8 }), fc.nat(), (r, raw, pick) => {
        const grid = raw.map((x) => x / 100);
        const chosen = grid[pick % grid.length]!;
        const next = refineGrid(grid, chosen, r);
        const distance = (x: number) => Math.abs(x - r.noop);
        const further = grid.filter((p) => distance(p) > distance(chosen));
        if (further.length === 0) {
          expect(next).toBeUndefined();
          return;
        }
        const neighbour = further.reduce((a, b) => (Math.abs(b - chosen) < Math.abs(a - chosen) ? b : a));
        expect(next).toBeDefined();
        expect(grid).not.toContain(next);
        expect(next!).toBeCloseTo((chosen + neighbour) / 2, 3);
        expect(distance(next!)).toBeGreaterThan(distance(chosen));
        expect(distance(next!)).toBeLessThan(distance(neighbour));
      }),
    );
  });
});
