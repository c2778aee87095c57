import { describeValue } from '../errors/describe-value.js';
import { RerankError } from '../errors/rerank-error.js';

/**
 * Validates paired scores and labels for fitting or evaluation: equal lengths, at least
 * `minLength` pairs, finite scores (inside [0, 1] when `unit`), labels `true`/`false` or `1`/`0`
 * (the convention `fitSerendipityModel` shares), and (when `bothClasses`) at least one of each class.
 *
 * @throws {@link RerankError} `INVALID_ARGUMENT` (shape, non-finite or out-of-range score) or
 * `INVALID_TRAINING_DATA` (one class only).
 */
export function assertLabelledScores(
  owner: string,
  scores: readonly number[],
  labels: readonly (boolean | 0 | 1)[],
  { unit, bothClasses, minLength }: { unit: boolean; bothClasses: boolean; minLength: number },
): void {
  if (!Array.isArray(scores) || !Array.isArray(labels) || scores.length !== labels.length) {
    throw new RerankError('INVALID_ARGUMENT', `${owner}: scores and labels must be arrays of equal length (one label per score).`, {
      field: 'labels',
    });
  }
  if (scores.length < minLength) {
    throw new RerankError('INVALID_TRAINING_DATA', `${owner}: needs at least ${minLength} labelled scores, got ${scores.length}.`, {
      field: 'scores',
      value: scores.length,
    });
  }
  let positives = 0;
  for (let i = 0; i < scores.length; i++) {
    const score = scores[i];
    if (typeof score !== 'number' || !Number.isFinite(score) || (unit && (score < 0 || score > 1))) {
      throw new RerankError(
        'INVALID_ARGUMENT',
        `${owner}: scores[${i}] is ${describeValue(score)}; scores must be finite${unit ? ' and in [0, 1] (calibrate raw scores first)' : ''}.`,
        { field: `scores[${i}]`, value: score },
      );
    }
    const label = labels[i];
    if (typeof label !== 'boolean' && label !== 0 && label !== 1) {
      throw new RerankError('INVALID_ARGUMENT', `${owner}: labels[${i}] is ${describeValue(label)}; labels must be true/false or 1/0 (true or 1 = serendipitous).`, {
        field: `labels[${i}]`,
        value: label,
      });
    }
    if (label) positives++;
  }
  if (bothClasses && (positives === 0 || positives === scores.length)) {
    throw new RerankError(
      'INVALID_TRAINING_DATA',
      `${owner}: labels hold only one class (${positives} of ${scores.length} true); label both serendipitous and non-serendipitous pairs.`,
      { field: 'labels' },
    );
  }
}

/** Indices of `scores` sorted ascending by score, ties by lower index (stable). */
export function ascendingOrder(scores: readonly number[]): Uint32Array {
  const order = new Uint32Array(scores.length);
  for (let i = 0; i < order.length; i++) order[i] = i;
  order.sort((a, b) => (scores[a] as number) - (scores[b] as number) || a - b);
  return order;
}
