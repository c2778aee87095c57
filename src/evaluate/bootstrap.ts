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
 * Paired percentile-bootstrap confidence interval (Efron & Tibshirani 1993, ch. 13) of the ratio
 * `Σ_u a_u / Σ_u b_u` over users: each resample draws users with replacement, keeping a user's `a`
 * and `b` together, and the interval is the `(1−c)/2` and `(1+c)/2` quantiles of the resampled
 * ratios. Resamples whose denominator is 0 are skipped (reported as `skipped`).
 *
 * @returns `[lo, hi]`, `[NaN, NaN]` when every resample was skipped.
 */
export function bootstrapRatioCi(a: ArrayLike<number>, b: ArrayLike<number>, options: BootstrapOptions): { ci: [number, number]; skipped: number } {
  const n = a.length;
  if (b.length !== n || n === 0) throw new RangeError(`bootstrapRatioCi: a and b must be non-empty and aligned (got ${n} and ${b.length}).`);
  const samples = options.samples ?? BOOTSTRAP_SAMPLES;
  const confidence = options.confidence ?? CONFIDENCE;
  const random = seededRandom(options.seed);
  const ratios = new Float64Array(samples);
  let kept = 0;
  for (let s = 0; s < samples; s++) {
    let top = 0;
    let bottom = 0;
    for (let i = 0; i < n; i++) {
      const u = Math.floor(random() * n);
      top += a[u] as number;
      bottom += b[u] as number;
    }
    if (bottom !== 0) ratios[kept++] = top / bottom;
  }
  if (kept === 0) return { ci: [Number.NaN, Number.NaN], skipped: samples };
  const sorted = ratios.subarray(0, kept).sort();
  const at = (q: number): number => sorted[Math.min(kept - 1, Math.max(0, Math.floor(q * kept)))] as number;
  return { ci: [at((1 - confidence) / 2), at((1 + confidence) / 2)], skipped: samples - kept };
}
