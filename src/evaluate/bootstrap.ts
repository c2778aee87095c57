import { seededRandom } from './random.js';

/** Bootstrap resamples for the confidence intervals. @defaultValue 2000 */
export const BOOTSTRAP_SAMPLES = 2000;
/** Two-sided confidence level of the intervals. @defaultValue 0.95 */
export const CONFIDENCE = 0.95;

/** Options of {@link bootstrapRatioCi}. */
export interface BootstrapOptions {
  /** Number of resamples. @defaultValue {@link BOOTSTRAP_SAMPLES} */
  readonly samples?: number;
  /** Confidence level. @defaultValue {@link CONFIDENCE} */
  readonly confidence?: number;
  /** Seed of the resampling. */
  readonly seed: number;
}

/**
 * Draws `samples` paired resamples of the `n` users (with replacement, a user's `a` and `b`
 * together; Efron & Tibshirani 1993, ch. 13) and calls `visit(Σ a, Σ b)` for each.
 */
function forEachResample(a: ArrayLike<number>, b: ArrayLike<number>, samples: number, seed: number, visit: (top: number, bottom: number) => void): void {
  const n = a.length;
  const random = seededRandom(seed);
  for (let s = 0; s < samples; s++) {
    let top = 0;
    let bottom = 0;
    for (let i = 0; i < n; i++) {
      const u = Math.floor(random() * n);
      top += a[u] as number;
      bottom += b[u] as number;
    }
    visit(top, bottom);
  }
}

/** The `(1−c)/2` and `(1+c)/2` quantiles of `values` (sorted in place). */
function percentileInterval(values: Float64Array, confidence: number): [number, number] {
  const kept = values.length;
  const sorted = values.sort();
  const at = (q: number): number => sorted[Math.min(kept - 1, Math.max(0, Math.floor(q * kept)))] as number;
  return [at((1 - confidence) / 2), at((1 + confidence) / 2)];
}

function checkAligned(name: string, a: ArrayLike<number>, b: ArrayLike<number>): void {
  if (b.length !== a.length || a.length === 0) throw new RangeError(`${name}: a and b must be non-empty and aligned (got ${a.length} and ${b.length}).`);
}

/**
 * Paired percentile-bootstrap confidence interval (Efron & Tibshirani 1993, ch. 13) of the ratio
 * `Σ_u a_u / Σ_u b_u` over users: each resample draws users with replacement, keeping a user's `a`
 * and `b` together, and the interval is the `(1−c)/2` and `(1+c)/2` quantiles of the resampled
 * ratios. Resamples whose denominator is 0 are skipped (reported as `skipped`).
 *
 * @returns `[lo, hi]`, `[NaN, NaN]` when every resample was skipped.
 */
export function bootstrapRatioCi(a: ArrayLike<number>, b: ArrayLike<number>, options: BootstrapOptions): { ci: [number, number]; skipped: number } {
  checkAligned('bootstrapRatioCi', a, b);
  const samples = options.samples ?? BOOTSTRAP_SAMPLES;
  const ratios = new Float64Array(samples);
  let kept = 0;
  forEachResample(a, b, samples, options.seed, (top, bottom) => {
    if (bottom !== 0) ratios[kept++] = top / bottom;
  });
  if (kept === 0) return { ci: [Number.NaN, Number.NaN], skipped: samples };
  return { ci: percentileInterval(ratios.subarray(0, kept), options.confidence ?? CONFIDENCE), skipped: samples - kept };
}

/**
 * Paired percentile-bootstrap confidence interval of the difference `Σ_u a_u − Σ_u b_u` over users,
 * with the resamples of {@link bootstrapRatioCi} (the same seed draws the same users). Where every
 * resample has `Σ b > 0`, its lower end is above 0 exactly when the ratio interval's is above 1;
 * unlike the ratio, it stays defined when `b` has no mass (a rule with no hits).
 */
export function bootstrapDifferenceCi(a: ArrayLike<number>, b: ArrayLike<number>, options: BootstrapOptions): [number, number] {
  checkAligned('bootstrapDifferenceCi', a, b);
  const samples = options.samples ?? BOOTSTRAP_SAMPLES;
  const differences = new Float64Array(samples);
  let s = 0;
  forEachResample(a, b, samples, options.seed, (top, bottom) => {
    differences[s++] = top - bottom;
  });
  return percentileInterval(differences, options.confidence ?? CONFIDENCE);
}
