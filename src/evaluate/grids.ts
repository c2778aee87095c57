/**
 * Grids that move (docs/evaluation.md): a choice on the edge of a grid says the grid was wrong for
 * the data, so the protocol adds a point beyond that edge and chooses again, and says so in the
 * output. A family describes its numeric knob by the setting that changes nothing (`noop`, e.g.
 * MMR λ = 1, a blend weight 0) and the most aggressive legal setting (`extreme`).
 */

/** The two ends of a family's numeric knob. */
export interface KnobRange {
  /** The setting at which the strategy returns the base order (may itself be outside the legal range, e.g. DPP θ = 1). */
  readonly noop: number;
  /** The most aggressive legal setting. */
  readonly extreme: number;
}

/** Which way a grid is extended: toward the no-op setting, or further away from it. */
export type GridDirection = 'toward no-op' | 'away from no-op';

/** Extensions per family and direction before the protocol stops moving the grid. @defaultValue 3 */
export const MAX_GRID_EXTENSIONS = 3;

/** Points closer than this are the same point. */
const SAME_POINT = 1e-4;

/** Rounds a grid value to 4 decimals so extended points print cleanly. */
function tidy(value: number): number {
  return Math.round(value * 10_000) / 10_000;
}

/** The grid sorted from the no-op end outward. */
export function fromNoop(params: readonly number[], range: KnobRange): number[] {
  return [...params].sort((a, b) => Math.abs(a - range.noop) - Math.abs(b - range.noop));
}

/**
 * Where a choice sits in its grid: `toward no-op` when nothing qualified or the choice is the grid
 * point nearest the no-op setting (the floor may admit a milder setting, or only a milder one
 * qualifies), `away from no-op` when it is the most aggressive point; `undefined` inside the grid.
 */
export function edgeDirection(params: readonly number[], chosen: number | undefined, range: KnobRange): GridDirection | undefined {
  const ordered = fromNoop(params, range);
  if (ordered.length === 0) return undefined;
  if (chosen === undefined || chosen === ordered[0]) return 'toward no-op';
  if (chosen === ordered[ordered.length - 1]) return 'away from no-op';
  return undefined;
}

/**
 * The next grid point in `direction`: halfway from the mildest point to the no-op setting, or one
 * step (the spacing of the two most aggressive points) beyond the most aggressive point, clamped to
 * `extreme`. `undefined` when the grid already reaches that end.
 */
export function extendGrid(params: readonly number[], direction: GridDirection, range: KnobRange): number | undefined {
  const ordered = fromNoop(params, range);
  if (ordered.length === 0) return undefined;
  let next: number;
  if (direction === 'toward no-op') {
    const mildest = ordered[0] as number;
    next = tidy(mildest + (range.noop - mildest) / 2);
  } else {
    const last = ordered[ordered.length - 1] as number;
    const before = ordered.length > 1 ? (ordered[ordered.length - 2] as number) : range.noop;
    const stepped = last + (last - before);
    const beyond = (range.extreme - last) * (stepped - last) > 0 ? stepped : range.extreme;
    next = tidy(Math.abs(beyond - range.noop) > Math.abs(range.extreme - range.noop) ? range.extreme : beyond);
  }
  return params.some((p) => Math.abs(p - next) < SAME_POINT) || Math.abs(next - range.noop) < SAME_POINT ? undefined : next;
}

/**
 * Bisection rounds of grid refinement per family (docs/evaluation.md, "Selection"): after the
 * choice, the protocol adds the midpoint between the chosen point and its next more aggressive grid
 * neighbour and chooses again, up to this many times. Each round costs one evaluation per floor
 * whose choice is refined. @defaultValue 1
 */
export const MAX_GRID_REFINEMENTS = 1;

/** Refinement stops once the chosen point and its neighbour are closer than this. @defaultValue 0.005 */
export const MIN_REFINEMENT_GAP = 0.005;

/** The grid point next to `chosen` on the aggressive side (the nearest point further from the no-op setting), or `undefined`. */
export function aggressiveNeighbour(params: readonly number[], chosen: number, range: KnobRange): number | undefined {
  const reach = Math.abs(chosen - range.noop);
  const side = Math.sign(range.extreme - range.noop);
  let neighbour: number | undefined;
  for (const p of params) {
    const further = Math.abs(p - range.noop) > reach + SAME_POINT && Math.sign(p - range.noop) === side;
    if (further && (neighbour === undefined || Math.abs(p - chosen) < Math.abs(neighbour - chosen))) neighbour = p;
  }
  return neighbour;
}

/**
 * Grid refinement: the midpoint between the chosen point and its {@link aggressiveNeighbour}. A
 * coarse grid can leave the best setting that still clears a floor between two of its points (e.g.
 * DPP θ = 0.9 qualifies at the 95% floor and 0.85 does not); bisecting that gap is a generic
 * search, decided on validation like every other choice. `undefined` when the choice is the most
 * aggressive point (the moving grid handles that edge), or the gap is below
 * {@link MIN_REFINEMENT_GAP}.
 */
export function refineGrid(params: readonly number[], chosen: number, range: KnobRange): number | undefined {
  const neighbour = aggressiveNeighbour(params, chosen, range);
  if (neighbour === undefined || Math.abs(neighbour - chosen) < MIN_REFINEMENT_GAP) return undefined;
  const next = tidy((chosen + neighbour) / 2);
  return params.some((p) => Math.abs(p - next) < SAME_POINT) ? undefined : next;
}
