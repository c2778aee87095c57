import { describeValue } from '../../errors/describe-value.js';
import { sigmoid } from '../../_internals/sigmoid.js';
import { isRerankError, RerankError } from '../../errors/rerank-error.js';
import type { PackedRequest } from '../../types.js';
import { type FeatureName, type FeatureSpec, type FeatureSpecOptions, featureMatrix, resolveFeatureSpec } from './features.js';

/** `format` tag of a serialised {@link SerendipityModel}. */
export const MODEL_FORMAT = 'serendipity-rerank/logistic';
/** Current model schema version. Loading any other version fails with `INVALID_MODEL`. */
export const MODEL_VERSION = 1;

/**
 * A learned serendipity scorer: `P(serendipitous | x) = σ(b + w_rel·rel′ + Σ_j w_j·x_j)`.
 * Plain, versioned JSON: `JSON.parse(JSON.stringify(model))` loads back with
 * {@link loadSerendipityModel} to an identical model (every number is a finite float64, which JSON
 * round-trips exactly; fitting never produces −0, which JSON would turn into 0).
 */
export interface SerendipityModel {
  /** Always {@link MODEL_FORMAT}. */
  readonly format: typeof MODEL_FORMAT;
  /** Schema version, {@link MODEL_VERSION}. */
  readonly version: typeof MODEL_VERSION;
  /** How the inputs are computed from a request. */
  readonly spec: FeatureSpec;
  /** Weights aligned with `['relevance', ...spec.features]`. */
  readonly weights: readonly number[];
  /** Intercept `b`. */
  readonly intercept: number;
  /** Training summary, for logs. */
  readonly training: {
    readonly samples: number;
    readonly positives: number;
    readonly l2: number;
    readonly iterations: number;
    readonly converged: boolean;
  };
}

/**
 * One training example: a candidate's inputs and whether it turned out serendipitous.
 * `relevance` must be normalised as `spec.relevance` says (what {@link trainingSamples} produces),
 * so that training matches serving.
 */
export interface TrainingSample {
  /** The normalised relevance input. */
  readonly relevance: number;
  /** Feature values in `features` order. */
  readonly features: readonly number[];
  /** Serendipitous (true / 1) or not (false / 0). */
  readonly label: boolean | 0 | 1;
  /**
   * Importance weight, > 0 (e.g. to up-weight a rarer kind of serendipitous item).
   * @defaultValue 1
   */
  readonly weight?: number;
}

function trainingError(message: string, field: string, value?: unknown): RerankError {
  return new RerankError('INVALID_TRAINING_DATA', message, { field, value });
}

function modelError(message: string, field: string, value?: unknown): RerankError {
  return new RerankError('INVALID_MODEL', `loadSerendipityModel: ${message}`, { field, value });
}

function finiteNumber(value: unknown, field: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) throw modelError(`${field} must be a finite number, got ${describeValue(value)}.`, field, value);
  return value;
}

/**
 * Validates a parsed model object (e.g. `JSON.parse(text)`) and returns it as a
 * {@link SerendipityModel}. Accepts exactly what `fitSerendipityModel` (`serendipity-rerank/train`) produces.
 *
 * @throws {@link RerankError} `INVALID_MODEL` for another format or version, unknown features, or
 *   weights of the wrong length or not finite.
 */
export function loadSerendipityModel(json: unknown): SerendipityModel {
  try {
    return readModel(json);
  } catch (error) {
    if (isRerankError(error)) throw error;
    throw modelError("reading the model threw (a getter or Proxy); pass the parsed JSON. See the error's cause.", 'model', error);
  }
}

function readModel(json: unknown): SerendipityModel {
  if (json === null || typeof json !== 'object') throw modelError('expected a model object (parse the JSON first).', 'model');
  const raw = json as Record<string, unknown>;
  if (raw.format !== MODEL_FORMAT) throw modelError(`format must be '${MODEL_FORMAT}', got ${describeValue(raw.format)}.`, 'format', raw.format);
  if (raw.version !== MODEL_VERSION) {
    throw modelError(`version ${describeValue(raw.version)} is not supported; this library reads version ${MODEL_VERSION}. Re-train or upgrade.`, 'version', raw.version);
  }
  const rawSpec = raw.spec as Record<string, unknown> | null | undefined;
  if (rawSpec === null || typeof rawSpec !== 'object') throw modelError('spec must be an object.', 'spec');
  let spec: FeatureSpec;
  try {
    spec = resolveFeatureSpec(rawSpec as unknown as FeatureSpecOptions, 'loadSerendipityModel');
  } catch (error) {
    throw modelError(`spec is invalid: ${isRerankError(error) ? error.message : 'reading it threw'}`, 'spec', error);
  }
  const weights = raw.weights;
  if (!Array.isArray(weights) || weights.length !== 1 + spec.features.length) {
    throw modelError(
      `weights must be an array of ${1 + spec.features.length} numbers (relevance, then ${spec.features.join(', ') || 'no features'}).`,
      'weights',
    );
  }
  weights.forEach((w, j) => finiteNumber(w, `weights[${j}]`));
  const training = raw.training as Record<string, unknown> | null | undefined;
  if (training === null || typeof training !== 'object') throw modelError('training must be an object.', 'training');
  return {
    format: MODEL_FORMAT,
    version: MODEL_VERSION,
    spec,
    weights: [...(weights as number[])],
    intercept: finiteNumber(raw.intercept, 'intercept'),
    training: {
      samples: finiteNumber(training.samples, 'training.samples'),
      positives: finiteNumber(training.positives, 'training.positives'),
      l2: finiteNumber(training.l2, 'training.l2'),
      iterations: finiteNumber(training.iterations, 'training.iterations'),
      converged: training.converged === true,
    },
  };
}

/**
 * Predicted probability that each candidate is serendipitous, `σ(b + w·x)`, in (0, 1).
 *
 * @param request - Packed with {@link featureRequirements}(model.spec).
 */
export function predictSerendipity(model: SerendipityModel, request: PackedRequest): Float64Array {
  const inputs = featureMatrix(request, model.spec);
  const n = request.candidates.n;
  const p = model.weights.length;
  const result = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let eta = model.intercept;
    for (let j = 0; j < p; j++) eta += (model.weights[j] as number) * (inputs[i * p + j] as number);
    result[i] = sigmoid(eta);
  }
  return result;
}

/**
 * Training samples for one packed request: each candidate's inputs under `spec` (as
 * {@link featureMatrix} computes them, so training matches serving) with its label.
 *
 * @param labels - One per candidate; non-zero / true = serendipitous.
 * @throws {@link RerankError} `INVALID_TRAINING_DATA` when `labels` has the wrong length.
 */
export function trainingSamples(
  request: PackedRequest,
  labels: ArrayLike<number | boolean>,
  spec: FeatureSpec | FeatureSpecOptions,
): TrainingSample[] {
  const resolved = resolveFeatureSpec(spec, 'trainingSamples');
  const n = request.candidates.n;
  if (labels.length !== n) {
    throw trainingError(`trainingSamples: ${labels.length} labels for ${n} candidates; give one label per candidate.`, 'labels', labels.length);
  }
  const inputs = featureMatrix(request, resolved);
  const p = 1 + resolved.features.length;
  const samples: TrainingSample[] = new Array(n);
  for (let i = 0; i < n; i++) {
    const row = Array.from(inputs.subarray(i * p, i * p + p));
    samples[i] = { relevance: row[0] as number, features: row.slice(1), label: labels[i] ? 1 : 0 };
  }
  return samples;
}

/** The names of a model's inputs in weight order: `['relevance', ...features]`. */
export function modelInputNames(model: SerendipityModel): readonly ('relevance' | FeatureName)[] {
  return ['relevance', ...model.spec.features];
}
