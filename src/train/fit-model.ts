import { RerankError } from '../errors/rerank-error.js';
import { resolveFeatureSpec, type FeatureSpecOptions } from '../strategies/in/features.js';
import { MODEL_FORMAT, MODEL_VERSION, type SerendipityModel, type TrainingSample } from '../strategies/in/model.js';
import { fitLogisticRegression } from './logistic.js';

/** Default L2 penalty on the standardised weights. */
export const DEFAULT_L2 = 1e-3;
/** Default cap on Newton iterations. */
export const DEFAULT_MAX_ITERATIONS = 100;
/** Default Newton step tolerance. */
export const DEFAULT_TOLERANCE = 1e-10;

/** Options of {@link fitSerendipityModel}: the feature spec plus solver settings. */
export interface FitOptions extends FeatureSpecOptions {
  /**
   * L2 penalty on the standardised weights (intercept unpenalised), > 0.
   * @defaultValue {@link DEFAULT_L2} (1e-3)
   */
  readonly l2?: number;
  /** @defaultValue {@link DEFAULT_MAX_ITERATIONS} (100) */
  readonly maxIterations?: number;
  /** @defaultValue {@link DEFAULT_TOLERANCE} (1e-10) */
  readonly tolerance?: number;
}

function trainingError(message: string, field: string, value?: unknown): RerankError {
  return new RerankError('INVALID_TRAINING_DATA', message, { field, value });
}

function positiveSetting(name: string, value: unknown, fallback: number, integer = false): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0 || (integer && !Number.isInteger(value))) {
    throw new RerankError('INVALID_OPTION', `fit: option "${name}" must be a positive ${integer ? 'integer' : 'number'}, got ${String(value)}.`, {
      field: `options.${name}`,
      value,
    });
  }
  return value;
}

/**
 * Fits a {@link SerendipityModel} by L2-regularised logistic regression (Newton/IRLS, see
 * {@link fitLogisticRegression}) on samples whose label says whether the item was serendipitous
 * (e.g. from `deriveSerendipityLabels` in the root entry). Deterministic: the same samples give the same model.
 *
 * @throws {@link RerankError} `INVALID_TRAINING_DATA` for an empty sample list, a feature vector of
 *   the wrong length, a non-finite value, a label other than true/false/0/1, a weight ≤ 0, or only one class;
 *   `INVALID_OPTION` for bad options.
 */
export function fitSerendipityModel(samples: readonly TrainingSample[], options: FitOptions): SerendipityModel {
  if (options === null || typeof options !== 'object') {
    throw new RerankError('INVALID_OPTION', 'fit: options must be an object with at least { features }.', { field: 'options' });
  }
  const spec = resolveFeatureSpec(options, 'fit');
  const l2 = positiveSetting('l2', options.l2, DEFAULT_L2);
  const maxIterations = positiveSetting('maxIterations', options.maxIterations, DEFAULT_MAX_ITERATIONS, true);
  const tolerance = positiveSetting('tolerance', options.tolerance, DEFAULT_TOLERANCE);
  if (!Array.isArray(samples) || samples.length === 0) {
    throw trainingError('fit: samples must be a non-empty array of { relevance, features, label }.', 'samples');
  }
  const n = samples.length;
  const p = 1 + spec.features.length;
  const x = new Float64Array(n * p);
  const y = new Uint8Array(n);
  let sampleWeights: Float64Array | undefined;
  let positives = 0;
  for (let i = 0; i < n; i++) {
    const sample = samples[i] as TrainingSample;
    const field = `samples[${i}]`;
    if (sample === null || typeof sample !== 'object' || !Array.isArray(sample.features)) {
      throw trainingError(`${field} must be an object { relevance, features: number[], label }.`, field);
    }
    if (sample.features.length !== spec.features.length) {
      throw trainingError(
        `${field}.features has ${sample.features.length} values but the model has ${spec.features.length} features (${spec.features.join(', ')}).`,
        `${field}.features`,
        sample.features.length,
      );
    }
    const values = [sample.relevance, ...sample.features];
    for (let j = 0; j < p; j++) {
      const value: unknown = values[j];
      if (typeof value !== 'number' || !Number.isFinite(value)) {
        const where = j === 0 ? `${field}.relevance` : `${field}.features[${j - 1}]`;
        throw trainingError(`${where} is ${String(value)}; every input must be a finite number.`, where, value);
      }
      x[i * p + j] = value;
    }
    const label: unknown = sample.label;
    if (label !== true && label !== false && label !== 0 && label !== 1) {
      throw trainingError(`${field}.label must be true/false or 1/0, got ${String(label)}.`, `${field}.label`, label);
    }
    y[i] = label === true || label === 1 ? 1 : 0;
    positives += y[i] as number;
    if (sample.weight !== undefined) {
      if (typeof sample.weight !== 'number' || !Number.isFinite(sample.weight) || sample.weight <= 0) {
        throw trainingError(`${field}.weight must be a finite number > 0, got ${String(sample.weight)}.`, `${field}.weight`, sample.weight);
      }
      sampleWeights ??= new Float64Array(n).fill(1);
      sampleWeights[i] = sample.weight;
    }
  }
  if (positives === 0 || positives === n) {
    throw trainingError(
      `fit: all ${n} samples are ${positives === 0 ? 'negative' : 'positive'}; a classifier needs both serendipitous and other items.`,
      'samples',
    );
  }
  const fit = fitLogisticRegression(x, y, n, p, { l2, maxIterations, tolerance }, sampleWeights);
  return {
    format: MODEL_FORMAT,
    version: MODEL_VERSION,
    spec,
    // `+ 0` turns −0 into 0: JSON has no −0, and the round trip must be exact.
    weights: Array.from(fit.weights, (w) => w + 0),
    intercept: fit.intercept + 0,
    training: { samples: n, positives, l2, iterations: fit.iterations, converged: fit.converged },
  };
}
