import { CholeskyDecomposition, Matrix } from 'ml-matrix';
import { sigmoid } from '../_internals/sigmoid.js';
import { RerankError } from '../errors/rerank-error.js';

/** Settings of {@link fitLogisticRegression}. */
export interface LogisticSettings {
  /** L2 penalty on the standardised weights (not the intercept), > 0. */
  readonly l2: number;
  /** Newton iterations cap. */
  readonly maxIterations: number;
  /** Stop when every Newton step component is below this. */
  readonly tolerance: number;
}

/** A fitted logistic regression, weights on the original (unstandardised) inputs. */
export interface LogisticFit {
  /** One weight per input column. */
  readonly weights: Float64Array;
  /** Intercept. */
  readonly intercept: number;
  /** Newton iterations run. */
  readonly iterations: number;
  /** Whether the step fell below the tolerance before the cap. */
  readonly converged: boolean;
}

/** Numerically stable `ln(1 + e^z)`. */
function softplus(z: number): number {
  return z > 0 ? z + Math.log1p(Math.exp(-z)) : Math.log1p(Math.exp(z));
}

/**
 * L2-regularised logistic regression fitted by Newton's method (iteratively reweighted least
 * squares; Hastie, Tibshirani & Friedman, "The Elements of Statistical Learning", §4.4.1).
 *
 * Columns are standardised (weighted mean 0, standard deviation 1; constant columns left centred)
 * so one penalty fits all scales; with sample weights `s_i` (default 1) the objective is
 * `−(1/Σs)·Σ_i s_i·[y_i·ln p_i + (1 − y_i)·ln(1 − p_i)] + (l2/2)·‖β‖²` over the standardised
 * weights β, intercept unpenalised. Each step solves `H·Δ = g` by Cholesky (ml-matrix), halving the step
 * until the objective does not increase. The result is mapped back to the original scale.
 * Deterministic: no randomness, a fixed summation order.
 *
 * @param x - Row-major `n × p` inputs, finite.
 * @param y - Labels 0/1, both classes present.
 * @param sampleWeights - Optional positive importance weight per row.
 * @throws {@link RerankError} `INVALID_TRAINING_DATA` when the Newton system is singular.
 */
export function fitLogisticRegression(
  x: Float64Array,
  y: Uint8Array,
  n: number,
  p: number,
  settings: LogisticSettings,
  sampleWeights?: Float64Array,
): LogisticFit {
  const s = (i: number): number => (sampleWeights === undefined ? 1 : (sampleWeights[i] as number));
  let totalWeight = 0;
  for (let i = 0; i < n; i++) totalWeight += s(i);
  const mean = new Float64Array(p);
  const scale = new Float64Array(p);
  for (let i = 0; i < n; i++) for (let j = 0; j < p; j++) mean[j] = (mean[j] as number) + s(i) * (x[i * p + j] as number);
  for (let j = 0; j < p; j++) mean[j] = (mean[j] as number) / totalWeight;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < p; j++) {
      const d = (x[i * p + j] as number) - (mean[j] as number);
      scale[j] = (scale[j] as number) + s(i) * d * d;
    }
  }
  for (let j = 0; j < p; j++) {
    const sd = Math.sqrt((scale[j] as number) / totalWeight);
    scale[j] = sd > 0 ? sd : 1;
  }
  const z = new Float64Array(n * p);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < p; j++) z[i * p + j] = ((x[i * p + j] as number) - (mean[j] as number)) / (scale[j] as number);
  }

  // beta[0] is the intercept, beta[1..p] the standardised weights.
  const q = p + 1;
  let beta = new Float64Array(q);
  let positives = 0;
  for (let i = 0; i < n; i++) positives += s(i) * (y[i] as number);
  beta[0] = Math.log(positives / (totalWeight - positives));
  const linear = (b: Float64Array, i: number): number => {
    let s = b[0] as number;
    for (let j = 0; j < p; j++) s += (b[j + 1] as number) * (z[i * p + j] as number);
    return s;
  };
  const objective = (b: Float64Array): number => {
    let loss = 0;
    for (let i = 0; i < n; i++) {
      const eta = linear(b, i);
      loss += s(i) * (softplus(eta) - (y[i] as number) * eta);
    }
    let penalty = 0;
    for (let j = 1; j < q; j++) penalty += (b[j] as number) ** 2;
    return loss / totalWeight + (settings.l2 / 2) * penalty;
  };

  let current = objective(beta);
  let iterations = 0;
  let converged = false;
  const gradient = new Float64Array(q);
  const hessian = new Float64Array(q * q);
  const row = new Float64Array(q);
  while (iterations < settings.maxIterations) {
    iterations++;
    gradient.fill(0);
    hessian.fill(0);
    for (let i = 0; i < n; i++) {
      const prob = sigmoid(linear(beta, i));
      const w = s(i) * prob * (1 - prob);
      const r = s(i) * (prob - (y[i] as number));
      row[0] = 1;
      for (let j = 0; j < p; j++) row[j + 1] = z[i * p + j] as number;
      for (let a = 0; a < q; a++) {
        const ra = row[a] as number;
        gradient[a] = (gradient[a] as number) + r * ra;
        const wa = w * ra;
        for (let b = 0; b <= a; b++) hessian[a * q + b] = (hessian[a * q + b] as number) + wa * (row[b] as number);
      }
    }
    const h = new Matrix(q, q);
    const g = new Matrix(q, 1);
    for (let a = 0; a < q; a++) {
      g.set(a, 0, (gradient[a] as number) / totalWeight + (a > 0 ? settings.l2 * (beta[a] as number) : 0));
      for (let b = 0; b <= a; b++) {
        const value = (hessian[a * q + b] as number) / totalWeight + (a === b && a > 0 ? settings.l2 : 0);
        h.set(a, b, value);
        h.set(b, a, value);
      }
    }
    const cholesky = new CholeskyDecomposition(h);
    if (!cholesky.isPositiveDefinite()) {
      throw new RerankError(
        'INVALID_TRAINING_DATA',
        'fit: the Newton system is singular (the labels are perfectly predictable from the intercept alone); add samples of both classes or increase l2.',
        { field: 'samples' },
      );
    }
    const step = cholesky.solve(g);
    let stepSize = 1;
    let next = new Float64Array(q);
    let value = Infinity;
    for (let halving = 0; halving < 30; halving++) {
      for (let a = 0; a < q; a++) next[a] = (beta[a] as number) - stepSize * step.get(a, 0);
      value = objective(next);
      if (value <= current) break;
      stepSize /= 2;
    }
    let largest = 0;
    for (let a = 0; a < q; a++) largest = Math.max(largest, Math.abs(stepSize * step.get(a, 0)));
    if (value <= current) {
      [beta, next] = [next, beta];
      current = value;
    }
    if (largest < settings.tolerance || value > current) {
      converged = largest < settings.tolerance;
      break;
    }
  }

  const weights = new Float64Array(p);
  let intercept = beta[0] as number;
  for (let j = 0; j < p; j++) {
    weights[j] = (beta[j + 1] as number) / (scale[j] as number);
    intercept -= (weights[j] as number) * (mean[j] as number);
  }
  return { weights, intercept, iterations, converged };
}
