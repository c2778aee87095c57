import type { DppScreenKernels, DppWorkspace } from '../../_internals/wasm/dpp-kernels.js';
import { blockRows, DppBlocks, denseHandOver } from './dpp-blocks.js';

/** Unit roundoff of float32 (round to nearest). */
const UNIT_ROUNDOFF_32 = 2 ** -24;
/** Unit roundoff of float64 (round to nearest). */
const UNIT_ROUNDOFF_64 = 2 ** -53;
/**
 * Once one pick brings more than this share of the candidates up to date exactly, the float32
 * bounds are too loose to pay for themselves (gains near zero, once the kernel is nearly exhausted,
 * or gains closer together than the bound's slack): every candidate is caught up and blocked
 * sweeps ({@link DppBlocks}) take over. Either way the selection is the same.
 */
const GIVE_UP_SHARE = 0.25;

/** `(1/√2)²` with room for rounding: the largest squared norm of a basis part the bounds allow. */
const MAX_BASIS_SQUARED_NORM = 0.5 * (1 + 1e-9);

/**
 * Rigorous error bounds of the float32 projections (Higham, "Accuracy and Stability of Numerical
 * Algorithms", 2nd ed., §3.1: a dot product summed in any tree of height h has error at most
 * `γ_h·Σ|x_j||y_j|`, `γ_h = h·u/(1 − h·u)`).
 *
 * - `eps` bounds `|p̃ − p|`, where `p = ⟨e_i, b_u⟩ + c_u` in exact arithmetic on the float64 values
 *   and `p̃` is the screening kernel's float32 dot of the rounded copies, promoted and added to
 *   `c_u` in float64. Rounding both factors costs `(1 + u)² − 1`; the kernel's summation trees
 *   have height at most `⌈dim/4⌉ + 12` (f32x4 lanes of ⌈dim/4⌉ sums when two basis vectors share a
 *   pass, else two accumulators of ⌈dim/8⌉, a lane reduction of depth ≤ 3, a tail of at most 7,
 *   the product); `Σ|e_j||b_j| ≤ ‖e‖·‖b_u‖ ≤ maxRowNorm/√2`. Underflow and the float64 additions
 *   add terms far below the rest.
 * - `perLevel` bounds, per basis vector applied, how far the float64 residual the exact kernels
 *   compute (dot products of height ≤ dim + 2, then `ρ −= p²`) and the bound's own float64
 *   arithmetic can drift from exact arithmetic.
 */
export function screenErrorBounds(dim: number, maxRowNormSquared: number): { eps: number; perLevel: number } {
  const u = UNIT_ROUNDOFF_32;
  const height = Math.ceil(dim / 4) + 12;
  const gamma = (height * u) / (1 - height * u);
  const cross = Math.sqrt(maxRowNormSquared) * (1 + 1e-9) * Math.SQRT1_2 * (1 + 1e-9);
  const eps = (gamma * (1 + u) ** 2 + 2 * u + u * u) * cross + dim * 2 ** -140 + 1e-15;
  const h64 = dim + 2;
  const magnitude = cross + 1; // |p| ≤ ‖e‖·‖b_u‖ + |c_u|
  const eps64 = ((h64 * UNIT_ROUNDOFF_64) / (1 - h64 * UNIT_ROUNDOFF_64)) * cross + 2 * UNIT_ROUNDOFF_64 * magnitude;
  const perLevel = 2 * magnitude * eps64 + eps64 * eps64 + 8 * UNIT_ROUNDOFF_64 * (1 + magnitude * magnitude);
  return { eps, perLevel };
}

/**
 * Slack of the gain bounds once `level` basis vectors are applied: `level · perLevel` (see
 * {@link screenErrorBounds}) plus the rounding of adding it.
 */
export function screenSlack(perLevel: number, level: number): number {
  return level * perLevel + 4 * UNIT_ROUNDOFF_64;
}

/**
 * Exact argmax of the DPP gains by float32 screening, for inputs where lazy evaluation stops paying
 * (every gain falls at every pick). A float32 copy of the rows gives every candidate rigorous float64
 * bounds on its residual from above and below: each basis vector lowers them by
 * `max(0, |p̃| − eps)²` and `(|p̃| + eps)²` (see {@link screenErrorBounds}), computed four rows by
 * two basis vectors at a time with twice the SIMD lanes and half the bytes of the float64 sweep.
 * Rows are screened in groups of four; the lower bounds found so far make a floor (some gain reaches
 * it), and a group whose highest upper bound is below it keeps its stale bounds (still valid: gains
 * only fall, log det being submodular, and so do the float64 residuals, each step subtracting a
 * square) until the floor comes down to them. The groups holding the last pick's highest bounds go
 * first, so the floor rises early. The candidate with the highest upper bound is then brought up to
 * date in float64 ({@link DppWorkspace.catchUp}, the arithmetic of the dense sweep), and so is every
 * other one whose upper bound reaches that gain or the floor (stopping early once below). A
 * candidate left out has a float64 gain below one already found, so the result is the dense
 * greedy's argmax, ties → lower index, bit for bit, while the float64 arithmetic touches only the
 * few candidates near the top. When the bounds verify too many candidates ({@link GIVE_UP_SHARE}) it
 * hands over to {@link DppBlocks}.
 */
export class DppScreening {
  /** Exact (candidate, basis vector) updates made so far, the blocked sweeps' included. */
  get updates(): number {
    return this.exactUpdates + (this.blocks === null ? 0 : this.blocks.updates);
  }
  private exactUpdates = 0;
  private readonly kernels: DppScreenKernels;
  private readonly eps: number;
  private readonly perLevel: number;
  private readonly gain: Float64Array;
  private givenUp = false;
  private blocks: DppBlocks | null = null;

  /**
   * Screening over the `n` candidates of `workspace` (whose `screen` kernels must exist), after
   * basis vectors `0 .. level−1` were made; candidates keep whatever exact state they have.
   */
  constructor(
    private readonly workspace: DppWorkspace,
    private readonly n: number,
    private readonly dim: number,
    level: number,
  ) {
    this.kernels = workspace.screen as DppScreenKernels;
    ({ eps: this.eps, perLevel: this.perLevel } = screenErrorBounds(dim, this.kernels.rows()));
    this.gain = workspace.heap.subarray(workspace.gain, workspace.gain + n);
    for (let u = 0; u < level && !this.givenUp; u++) if (!this.copyBasis(u)) this.giveUp(level);
  }

  /**
   * The next pick's candidate: the one not taken with the highest float64 gain once basis vectors
   * `0 .. t` are applied (ties → lower index), brought up to date; -1 when every candidate is taken.
   * Call it after pick `t` (candidate `picked`) was marked taken and made basis vector `t`.
   */
  next(t: number, picked: number): number {
    if (!this.givenUp && !this.copyBasis(t)) this.giveUp(t);
    if (this.givenUp) {
      this.blocks ??= new DppBlocks(this.workspace, this.n, t, blockRows(this.dim), denseHandOver(this.n, this.dim));
      return this.blocks.next(t, picked);
    }
    const to = t + 1;
    const before = this.exactUpdates;
    const { upper } = this.kernels;
    const { taken } = this.workspace;
    let best = this.kernels.screen(to, this.eps, screenSlack(this.perLevel, to), -Infinity);
    if (best < 0) return -1;
    let bestGain = this.exact(best, to, -Infinity);
    // Some candidate's gain reaches the floor, so a candidate whose bound is below it cannot win.
    const threshold = Math.max(bestGain, this.kernels.floor());
    // Usually no other bound reaches the threshold and the scan is skipped: the screened groups'
    // bounds are at most the runner-up, the others' below the floor.
    for (let i = this.kernels.runnerUp() < threshold ? this.n : 0; i < this.n; i++) {
      if ((upper[i] as number) < threshold || taken[i] !== 0 || i === best) continue;
      const gain = this.exact(i, to, bestGain);
      if (gain > bestGain || (gain === bestGain && i < best)) {
        best = i;
        bestGain = gain;
      }
    }
    if (this.exactUpdates - before > GIVE_UP_SHARE * this.n) this.giveUp(to);
    return best;
  }

  /** Hands over to blocked sweeps: every candidate is caught up to basis vector `level` (exclusive). */
  private giveUp(level: number): void {
    this.givenUp = true;
    this.exactUpdates += this.workspace.catchUpAll(level);
  }

  /**
   * Brings candidate i up to basis vector `to` (exclusive) in float64, stopping early once its gain
   * falls below `floor`; returns its gain, or -Infinity when it stopped early (its gain is then below
   * `floor`).
   */
  private exact(i: number, to: number, floor: number): number {
    const { seen } = this.workspace;
    const from = seen[i] as number;
    if (from < to) {
      const reached = this.workspace.catchUp(i, from, to, floor);
      this.exactUpdates += reached - from;
      seen[i] = reached;
      if (reached < to) return -Infinity;
    }
    return this.gain[i] as number;
  }

  /**
   * Rounds basis part `b_u` to float32 for the screening kernel. Returns false when its norm exceeds
   * the `1/√2` (up to rounding) that {@link screenErrorBounds} assumes, which Gram–Schmidt guarantees
   * for every pick the greedy makes; the bounds are then not trusted.
   */
  private copyBasis(u: number): boolean {
    const { heap, basis } = this.workspace;
    const { dim } = this;
    const part = heap.subarray(basis + u * dim, basis + (u + 1) * dim);
    this.kernels.basis32.set(part, u * dim);
    let squaredNorm = 0;
    for (let x = 0; x < dim; x++) squaredNorm += (part[x] as number) * (part[x] as number);
    return squaredNorm <= MAX_BASIS_SQUARED_NORM;
  }
}
