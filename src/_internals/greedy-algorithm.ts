import { describeValue } from '../errors/describe-value.js';
import { RerankError } from '../errors/rerank-error.js';

/**
 * How a greedy re-ranker evaluates its argmax at each step.
 * - `'lazy'`: accelerated greedy (Minoux 1978). Stale scores are upper bounds kept in a max-heap;
 *   only the item on top is brought up to date, until the top is current. Same selection as
 *   `'dense'`, bit for bit, usually at a fraction of the work.
 * - `'dense'`: the textbook loop that updates every remaining item at every step. The reference
 *   the lazy path is tested and benchmarked against.
 */
export type GreedyAlgorithm = 'lazy' | 'dense';

/** Default {@link GreedyAlgorithm}. */
export const DEFAULT_GREEDY_ALGORITHM: GreedyAlgorithm = 'lazy';

/**
 * Returns `value` when it is a {@link GreedyAlgorithm}, the default when it is undefined.
 *
 * @throws {@link RerankError} `INVALID_OPTION` naming the option and the accepted values.
 */
export function greedyAlgorithmOption(owner: string, value: unknown): GreedyAlgorithm {
  if (value === undefined) return DEFAULT_GREEDY_ALGORITHM;
  if (value === 'lazy' || value === 'dense') return value;
  throw new RerankError('INVALID_OPTION', `${owner}: option "algorithm" must be 'lazy' or 'dense', got ${describeValue(value)}.`, {
    field: 'options.algorithm',
    value,
  });
}
