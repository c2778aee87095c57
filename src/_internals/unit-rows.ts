import { describeValue } from '../errors/describe-value.js';
import { RerankError } from '../errors/rerank-error.js';
import { writeUnitVector } from './vector.js';

/** Vectors packed as unit rows, row-major `count × dim`. */
export interface UnitRows {
  /** Number of rows. */
  readonly count: number;
  /** Row length. */
  readonly dim: number;
  /** Unit-normalised rows. */
  readonly data: Float64Array;
}

/**
 * Validates and unit-normalises vectors given to a metric, in float64, so that `cos(a,b)` is the
 * dot product of two rows (docs/formulas.md#conventions: `cos(a,b) = a·b / (|a||b|)`). All rows must have
 * length `dim` (the first row's when `dim` is undefined).
 *
 * @throws {@link RerankError} `INVALID_ARGUMENT` when `vectors` is not an array, `DIMENSION_MISMATCH`,
 *   `NON_FINITE_EMBEDDING` or `ZERO_VECTOR` for a bad row.
 */
export function unitRows(metric: string, vectors: readonly ArrayLike<number>[], field: string, dim?: number): UnitRows {
  if (!Array.isArray(vectors)) {
    throw new RerankError('INVALID_ARGUMENT', `${metric}: ${field} must be an array of vectors.`, { field });
  }
  const count = vectors.length;
  const width = checkedWidth(metric, field, dim ?? (count > 0 ? ((vectors[0] as ArrayLike<number> | null)?.length ?? 0) : 0));
  const data = allocateRows(metric, field, count, width);
  for (let r = 0; r < count; r++) {
    const vector = vectors[r] as ArrayLike<number> | null | undefined;
    const rowField = `${field}[${r}]`;
    if (vector == null || typeof vector.length !== 'number') {
      throw new RerankError('INVALID_ARGUMENT', `${metric}: ${rowField} must be an array of numbers.`, { field: rowField });
    }
    if (vector.length !== width) {
      throw new RerankError(
        'DIMENSION_MISMATCH',
        `${metric}: ${rowField} has ${vector.length} dimensions but ${width} were expected. Pass vectors of one length.`,
        { field: rowField, value: vector.length },
      );
    }
    writeUnitVector(vector, data, r * width, width, rowField);
  }
  return { count, dim: width, data };
}

/** The row length, when it is a usable size (the first vector's `length` may be anything). */
function checkedWidth(metric: string, field: string, width: unknown): number {
  if (typeof width !== 'number' || !Number.isSafeInteger(width) || width < 0) {
    throw new RerankError('INVALID_ARGUMENT', `${metric}: ${field}[0] must be an array of numbers; its length is ${describeValue(width)}.`, {
      field: `${field}[0]`,
    });
  }
  return width;
}

function allocateRows(metric: string, field: string, count: number, width: number): Float64Array {
  try {
    return new Float64Array(count * width);
  } catch (cause) {
    throw new RerankError('INVALID_ARGUMENT', `${metric}: ${field} would need ${count} × ${width} float64 values, more than this runtime can allocate.`, {
      field: `${field}[0]`,
      cause,
    });
  }
}
