import { RerankError } from '../../errors/rerank-error.js';

/** Input of {@link deriveSerendipityLabels}: one user's candidates and logged outcome. */
export interface LabelSource {
  /** Candidate ids, in the order the labels should follow. */
  readonly candidates: readonly string[];
  /** Items the user went on to consume (held-out positives, e.g. a validation split). */
  readonly heldOut: Iterable<string>;
  /**
   * The primitive recommender's list for this user (PM; usually the most popular unseen items).
   * A held-out positive in PM is relevant but expected, so it is not serendipitous.
   */
  readonly primitive: Iterable<string>;
  /**
   * Optional per-candidate mask (aligned with `candidates`): when given, a label also requires the
   * candidate to be unexpected (truthy), as in the unexpected-hits definition (a held-out positive
   * whose unexpectedness is above the user's median candidate).
   */
  readonly unexpected?: ArrayLike<boolean | number>;
}

/**
 * Labels candidates as serendipitous the way the offline protocol scores hits (Ge, Delgado-Battenfeld
 * & Jannach, RecSys 2010): 1 when the candidate is a held-out positive **and** not in the
 * primitive list PM (**and**, when `unexpected` is given, unexpected), else 0. Ids are compared
 * with `Set`s, so ids like `__proto__` are safe.
 *
 * Train on labels from a split that the evaluation does not report on (e.g. validation positives
 * carved from train), never on test.
 *
 * @returns one 0/1 label per candidate, aligned with `candidates`.
 * @throws {@link RerankError} `INVALID_ARGUMENT` when a field is not an array / iterable of strings,
 *   or `unexpected` is not aligned with `candidates`.
 */
export function deriveSerendipityLabels(source: LabelSource): Uint8Array {
  if (source === null || typeof source !== 'object' || !Array.isArray(source.candidates)) {
    throw new RerankError('INVALID_ARGUMENT', 'deriveSerendipityLabels: expected { candidates: string[], heldOut, primitive }.', {
      field: 'candidates',
    });
  }
  const asSet = (values: Iterable<string>, field: string): ReadonlySet<string> => {
    if (values == null || typeof (values as Iterable<string>)[Symbol.iterator] !== 'function' || typeof values === 'string') {
      throw new RerankError('INVALID_ARGUMENT', `deriveSerendipityLabels: ${field} must be an iterable of ids (an array or a Set).`, { field });
    }
    return values instanceof Set ? values : new Set(values);
  };
  const heldOut = asSet(source.heldOut, 'heldOut');
  const primitive = asSet(source.primitive, 'primitive');
  const { unexpected } = source;
  if (unexpected !== undefined && (unexpected === null || unexpected.length !== source.candidates.length)) {
    throw new RerankError('INVALID_ARGUMENT', 'deriveSerendipityLabels: unexpected must have one entry per candidate.', {
      field: 'unexpected',
    });
  }
  const labels = new Uint8Array(source.candidates.length);
  source.candidates.forEach((id, i) => {
    labels[i] = heldOut.has(id) && !primitive.has(id) && (unexpected === undefined || Boolean(unexpected[i])) ? 1 : 0;
  });
  return labels;
}
