import { describeValue } from '../errors/describe-value.js';
import { RerankError } from '../errors/rerank-error.js';
import { ascendingOrder, assertLabelledScores } from './labelled-data.js';

/** Format tag of serialised calibrators; {@link loadCalibrator} rejects any other. */
export const CALIBRATOR_FORMAT = 'serendipity-rerank-calibrator/1';
/** Newton iterations allowed when fitting Platt scaling. */
export const PLATT_MAX_ITERATIONS = 100;
/** Platt fitting stops when the gradient's largest entry falls below this. */
export const PLATT_GRADIENT_TOLERANCE = 1e-10;
/** Below this Newton decrement (relative to the loss) the full Newton step is taken without line search. */
export const PLATT_FULL_STEP_DECREMENT = 1e-8;
/** Ridge added to the Hessian's diagonal (Lin, Lin & Weng 2007), so constant scores still fit. */
export const PLATT_HESSIAN_RIDGE = 1e-12;

/** Calibration methods. */
export type CalibrationMethod = 'platt' | 'isotonic';

/** A serialised calibrator: store it next to the model version and reload with {@link loadCalibrator}. */
export type CalibratorJSON =
  | { readonly format: typeof CALIBRATOR_FORMAT; readonly method: 'platt'; readonly a: number; readonly b: number }
  | {
      readonly format: typeof CALIBRATOR_FORMAT;
      readonly method: 'isotonic';
      /** Knot scores, strictly increasing. */
      readonly x: readonly number[];
      /** Calibrated values at the knots, non-decreasing, in [0, 1]. */
      readonly y: readonly number[];
    };

/** Maps raw judge scores to calibrated probabilities of "a human calls this serendipitous". */
export interface Calibrator {
  /** The fitted method. */
  readonly method: CalibrationMethod;
  /**
   * Calibrated probability in [0, 1] for a raw score.
   * @throws {@link RerankError} `INVALID_ARGUMENT` for a non-finite score.
   */
  apply(score: number): number;
  /** Plain-data form for storage. */
  toJSON(): CalibratorJSON;
}

/** Options of {@link calibrate}. */
export interface CalibrateOptions {
  /** `platt` (a 2-parameter sigmoid; little data, smooth) or `isotonic` (monotone step fit; more data). */
  readonly method: CalibrationMethod;
}

function assertFinite(score: number): void {
  if (typeof score !== 'number' || !Number.isFinite(score)) {
    throw new RerankError('INVALID_ARGUMENT', `Calibrator.apply: score must be a finite number, got ${describeValue(score)}.`, {
      field: 'score',
      value: score,
    });
  }
}

/** log(1 + e^z) without overflow. */
function softplus(z: number): number {
  return z > 0 ? z + Math.log1p(Math.exp(-z)) : Math.log1p(Math.exp(z));
}

function sigmoid(z: number): number {
  return z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z));
}

function plattCalibrator(a: number, b: number): Calibrator {
  return {
    method: 'platt',
    apply(score) {
      assertFinite(score);
      return sigmoid(a * score + b);
    },
    toJSON: () => ({ format: CALIBRATOR_FORMAT, method: 'platt', a, b }),
  };
}

/**
 * Platt scaling (Platt 1999) with the numerically robust Newton method of Lin, Lin & Weng (Machine
 * Learning 68, 2007): fits `p(s) = σ(a·s + b)` by minimising cross-entropy against Platt's
 * regularised targets `t₊ = (N₊ + 1)/(N₊ + 2)` and `t₋ = 1/(N₋ + 2)`, which keep `a`, `b` finite even
 * on separable data. Newton steps with Armijo backtracking from `a = 0`,
 * `b = log((N₊ + 1)/(N₋ + 1))` (full steps once the Newton decrement is negligible), until the
 * gradient's largest entry is below {@link PLATT_GRADIENT_TOLERANCE}; deterministic. When every
 * score is equal, only `a·s + b` is identified: `a = 0` and `b = logit(mean target)`.
 */
function fitPlatt(scores: readonly number[], labels: readonly (boolean | 0 | 1)[]): Calibrator {
  const n = scores.length;
  let positives = 0;
  for (const label of labels) if (label) positives++;
  const negatives = n - positives;
  const targetPositive = (positives + 1) / (positives + 2);
  const targetNegative = 1 / (negatives + 2);
  const target = new Float64Array(n);
  for (let i = 0; i < n; i++) target[i] = labels[i] ? targetPositive : targetNegative;

  const loss = (a: number, b: number): number => {
    let total = 0;
    for (let i = 0; i < n; i++) {
      const z = a * (scores[i] as number) + b;
      total += softplus(z) - (target[i] as number) * z;
    }
    return total;
  };

  let a = 0;
  let b = Math.log((positives + 1) / (negatives + 1));
  if (scores.every((score) => score === scores[0])) {
    // Only a·s + b is identified: keep the slope at 0 (never a decreasing map) and fit b to the mean target.
    let meanTarget = 0;
    for (let i = 0; i < n; i++) meanTarget += (target[i] as number) / n;
    return plattCalibrator(0, Math.log(meanTarget / (1 - meanTarget)));
  }
  let current = loss(a, b);
  for (let iteration = 0; iteration < PLATT_MAX_ITERATIONS; iteration++) {
    let ga = 0;
    let gb = 0;
    let haa = PLATT_HESSIAN_RIDGE;
    let hab = 0;
    let hbb = PLATT_HESSIAN_RIDGE;
    for (let i = 0; i < n; i++) {
      const s = scores[i] as number;
      const p = sigmoid(a * s + b);
      const residual = p - (target[i] as number);
      const curvature = p * (1 - p);
      ga += residual * s;
      gb += residual;
      haa += curvature * s * s;
      hab += curvature * s;
      hbb += curvature;
    }
    if (Math.max(Math.abs(ga), Math.abs(gb)) < PLATT_GRADIENT_TOLERANCE) break;
    const det = haa * hbb - hab * hab;
    const da = -(hbb * ga - hab * gb) / det;
    const db = -(haa * gb - hab * ga) / det;
    const slope = ga * da + gb * db;
    if (-slope < PLATT_FULL_STEP_DECREMENT * Math.max(1, Math.abs(current))) {
      // Near the optimum, loss differences drown in rounding and a line search stalls; the
      // quadratic model is exact enough there, so take the full Newton step.
      if (a + da === a && b + db === b) break;
      a += da;
      b += db;
      current = loss(a, b);
      continue;
    }
    let step = 1;
    while (step >= 1e-10) {
      const next = loss(a + step * da, b + step * db);
      if (next <= current + 1e-4 * step * slope) {
        a += step * da;
        b += step * db;
        current = next;
        break;
      }
      step /= 2;
    }
    if (step < 1e-10) break;
  }
  return plattCalibrator(a, b);
}

function isotonicCalibrator(x: readonly number[], y: readonly number[]): Calibrator {
  const last = x.length - 1;
  return {
    method: 'isotonic',
    apply(score) {
      assertFinite(score);
      if (score <= (x[0] as number)) return y[0] as number;
      if (score >= (x[last] as number)) return y[last] as number;
      let low = 0;
      let high = last;
      while (high - low > 1) {
        const middle = (low + high) >>> 1;
        if ((x[middle] as number) <= score) low = middle;
        else high = middle;
      }
      const x0 = x[low] as number;
      const y0 = y[low] as number;
      return y0 + (((y[high] as number) - y0) * (score - x0)) / ((x[high] as number) - x0);
    },
    toJSON: () => ({ format: CALIBRATOR_FORMAT, method: 'isotonic', x: [...x], y: [...y] }),
  };
}

/**
 * Isotonic regression by pool-adjacent-violators (Ayer et al. 1955; Zadrozny & Elkan, KDD 2002):
 * sorts by score, pools equal scores, then merges adjacent blocks while their label means decrease,
 * giving the least-squares non-decreasing fit. Each block contributes knots at its lowest and highest
 * score; `apply` interpolates linearly between knots and clamps outside them (as scikit-learn does).
 */
function fitIsotonic(scores: readonly number[], labels: readonly (boolean | 0 | 1)[]): Calibrator {
  const order = ascendingOrder(scores);
  const n = order.length;
  const sum = new Float64Array(n);
  const weight = new Float64Array(n);
  const low = new Float64Array(n);
  const high = new Float64Array(n);
  let blocks = 0;
  for (let position = 0; position < n; position++) {
    const index = order[position] as number;
    const score = scores[index] as number;
    const label = labels[index] ? 1 : 0;
    if (blocks > 0 && high[blocks - 1] === score) {
      sum[blocks - 1] = (sum[blocks - 1] as number) + label;
      weight[blocks - 1] = (weight[blocks - 1] as number) + 1;
    } else {
      sum[blocks] = label;
      weight[blocks] = 1;
      low[blocks] = score;
      high[blocks] = score;
      blocks++;
    }
    while (
      blocks > 1 &&
      (sum[blocks - 2] as number) / (weight[blocks - 2] as number) >= (sum[blocks - 1] as number) / (weight[blocks - 1] as number)
    ) {
      sum[blocks - 2] = (sum[blocks - 2] as number) + (sum[blocks - 1] as number);
      weight[blocks - 2] = (weight[blocks - 2] as number) + (weight[blocks - 1] as number);
      high[blocks - 2] = high[blocks - 1] as number;
      blocks--;
    }
  }
  const x: number[] = [];
  const y: number[] = [];
  for (let block = 0; block < blocks; block++) {
    const value = (sum[block] as number) / (weight[block] as number);
    x.push(low[block] as number);
    y.push(value);
    if (high[block] !== low[block]) {
      x.push(high[block] as number);
      y.push(value);
    }
  }
  return isotonicCalibrator(x, y);
}

/**
 * Fits a calibrator from raw judge scores and human labels (`true` or `1` = the person called the
 * item serendipitous; `false` or `0` = not, the same convention as `fitSerendipityModel`), so that `apply(score)` estimates P(serendipitous | score).
 *
 * Workflow: label a few hundred (user, item) pairs (e.g. with the Serendipity-2018 survey questions
 * s1–s8), score them with the judge, fit on one part, check {@link agreement} on the held-out part,
 * then deploy with `calibratedScorer(scorer, calibrator)` and store `toJSON()`.
 *
 * - `platt`: σ(a·s + b), regularised logistic regression fitted by deterministic Newton.
 * - `isotonic`: pool-adjacent-violators; monotone non-decreasing, needs more data.
 *
 * @throws {@link RerankError} `INVALID_ARGUMENT` (mismatched lengths, non-finite score, a label
 * other than true/false/1/0), `INVALID_TRAINING_DATA` (fewer than 2 pairs, one class only),
 * `INVALID_OPTION` (method).
 */
export function calibrate(scores: readonly number[], labels: readonly (boolean | 0 | 1)[], options: CalibrateOptions): Calibrator {
  const method = (options as CalibrateOptions | undefined)?.method;
  if (method !== 'platt' && method !== 'isotonic') {
    throw new RerankError('INVALID_OPTION', `calibrate: option "method" must be 'platt' or 'isotonic', got ${describeValue(method)}.`, {
      field: 'options.method',
      value: method,
    });
  }
  assertLabelledScores('calibrate', scores, labels, { unit: false, bothClasses: true, minLength: 2 });
  return method === 'platt' ? fitPlatt(scores, labels) : fitIsotonic(scores, labels);
}

function invalidModel(message: string): RerankError {
  return new RerankError('INVALID_MODEL', `loadCalibrator: ${message}`, { field: 'json' });
}

/**
 * Rebuilds a calibrator from {@link Calibrator.toJSON} output (e.g. after `JSON.parse`).
 *
 * @throws {@link RerankError} `INVALID_MODEL` for another format, an unknown method, non-finite
 * parameters, or isotonic knots that are not strictly increasing with non-decreasing values in [0, 1].
 */
export function loadCalibrator(json: unknown): Calibrator {
  const value = json as Partial<Record<string, unknown>> | null;
  if (value === null || typeof value !== 'object' || value.format !== CALIBRATOR_FORMAT) {
    throw invalidModel(`expected an object with format "${CALIBRATOR_FORMAT}" (the output of Calibrator.toJSON()).`);
  }
  if (value.method === 'platt') {
    const { a, b } = value;
    if (typeof a !== 'number' || typeof b !== 'number' || !Number.isFinite(a) || !Number.isFinite(b)) {
      throw invalidModel('a Platt calibrator needs finite numbers "a" and "b".');
    }
    return plattCalibrator(a, b);
  }
  if (value.method === 'isotonic') {
    const { x, y } = value;
    if (!Array.isArray(x) || !Array.isArray(y) || x.length === 0 || x.length !== y.length) {
      throw invalidModel('an isotonic calibrator needs non-empty arrays "x" and "y" of equal length.');
    }
    for (let i = 0; i < x.length; i++) {
      const xi = x[i] as unknown;
      const yi = y[i] as unknown;
      if (typeof xi !== 'number' || !Number.isFinite(xi) || typeof yi !== 'number' || !(yi >= 0 && yi <= 1)) {
        throw invalidModel(`knot ${i} must have a finite x and a y in [0, 1].`);
      }
      if (i > 0 && !(xi > (x[i - 1] as number) && yi >= (y[i - 1] as number))) {
        throw invalidModel(`knots must have strictly increasing x and non-decreasing y (violated at knot ${i}).`);
      }
    }
    return isotonicCalibrator(x as number[], y as number[]);
  }
  throw invalidModel(`unknown method ${describeValue(value.method)}; expected 'platt' or 'isotonic'.`);
}
