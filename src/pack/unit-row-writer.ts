import { tryWriteUnitVector, writeUnitVector } from '../_internals/vector.js';
import { lentRowsNormaliser } from '../_internals/wasm/kernel-instance.js';

/**
 * Raw rows copied ahead of normalising them: few enough to be still in the L2 cache when the
 * kernel reads them back, enough to make the kernel call's cost negligible.
 */
const BATCH_BYTES = 64 * 1024;

/**
 * Writes one collection's embeddings as unit rows, row by row in increasing order, with the bits and
 * errors of {@link writeUnitVector} (rows given by other means, such as catalogue rows, are
 * announced with {@link UnitRowWriter.skip}).
 */
export interface UnitRowWriter {
  /** Writes `source / ‖source‖₂` as row `i`; may defer normalising it until a later call. */
  write(source: ArrayLike<number>, i: number): void;
  /** Row `i` is the caller's: every row before it is finished (and validated) first. */
  skip(i: number): void;
  /** Finishes every row before `end`. */
  finish(end: number): void;
}

/**
 * The writer for `target`, rows of `dim` floats. `sourceOf(i)` is row i's embedding, `fieldOf(i)` its
 * path for error messages. Where `target` is the WebAssembly memory lent by `lendKernelRows`, rows
 * of plain arrays, `Float64Array`s and `Float32Array`s are copied raw (one pass over the input, a
 * memcpy for float64) and normalised in place by the `normaliseRows` kernel a batch at a time;
 * every other row, and every row the kernel stops at (zero, non-finite, tiny or huge vectors), goes
 * through {@link writeUnitVector}. So the results and the first error thrown are those of calling
 * {@link writeUnitVector} row by row.
 */
export function unitRowWriter(
  target: Float64Array,
  dim: number,
  sourceOf: (i: number) => ArrayLike<number>,
  fieldOf: (i: number) => string,
): UnitRowWriter {
  const normalise = lentRowsNormaliser(target);
  if (normalise === undefined) return new DirectRowWriter(target, dim, fieldOf);
  return new BatchedRowWriter(target, dim, normalise, sourceOf, fieldOf);
}

/** Normalises each row as it is written, in JS. */
class DirectRowWriter implements UnitRowWriter {
  constructor(
    private readonly target: Float64Array,
    private readonly dim: number,
    private readonly fieldOf: (i: number) => string,
  ) {}

  write(source: ArrayLike<number>, i: number): void {
    const { target, dim } = this;
    if (!tryWriteUnitVector(source, target, i * dim, dim)) writeUnitVector(source, target, i * dim, dim, this.fieldOf(i));
  }

  skip(): void {}

  finish(): void {}
}

/** Copies rows raw and normalises them in batches with the WebAssembly kernel. */
class BatchedRowWriter implements UnitRowWriter {
  /** First row copied raw and not yet normalised. */
  private pending = 0;
  private readonly batchRows: number;

  constructor(
    private readonly target: Float64Array,
    private readonly dim: number,
    private readonly normalise: (at: number, count: number, d: number) => number,
    private readonly sourceOf: (i: number) => ArrayLike<number>,
    private readonly fieldOf: (i: number) => string,
  ) {
    this.batchRows = Math.max(1, Math.floor(BATCH_BYTES / (dim * Float64Array.BYTES_PER_ELEMENT)));
  }

  write(source: ArrayLike<number>, i: number): void {
    const { target, dim } = this;
    if (copyRaw(source, target, i * dim, dim)) {
      if (i + 1 - this.pending >= this.batchRows) this.finish(i + 1);
      return;
    }
    this.skip(i);
    writeUnitVector(source, target, i * dim, dim, this.fieldOf(i));
  }

  skip(i: number): void {
    this.finish(i);
    this.pending = i + 1;
  }

  finish(end: number): void {
    const { target, dim } = this;
    let row = this.pending;
    this.pending = end;
    while (row < end) {
      const stop = row + this.normalise(target.byteOffset + row * dim * Float64Array.BYTES_PER_ELEMENT, end - row, dim);
      if (stop >= end) return;
      writeUnitVector(this.sourceOf(stop), target, stop * dim, dim, this.fieldOf(stop));
      row = stop + 1;
    }
  }
}

/**
 * Copies `source` into `target[offset .. offset + dim)` unchanged when it is a `Float64Array`, a
 * `Float32Array` (widened exactly) or a plain array of numbers of length `dim`; false otherwise
 * (the row then goes through {@link writeUnitVector}, which names the problem).
 */
function copyRaw(source: ArrayLike<number>, target: Float64Array, offset: number, dim: number): boolean {
  if (source.length !== dim) return false;
  if (Array.isArray(source)) return copyNumbers(source as readonly unknown[], target, offset, dim);
  if (!(source instanceof Float64Array || source instanceof Float32Array)) return false;
  target.set(source, offset);
  return true;
}

/**
 * Copies a plain array's entries while they are numbers; false at the first group of four holding
 * something else. Four entries per pass: the checks and stores of a group are independent, which
 * measured about 20% faster than one entry per pass.
 */
function copyNumbers(source: readonly unknown[], target: Float64Array, offset: number, dim: number): boolean {
  let j = 0;
  for (; j + 3 < dim; j += 4) {
    const x0 = source[j];
    const x1 = source[j + 1];
    const x2 = source[j + 2];
    const x3 = source[j + 3];
    if (typeof x0 !== 'number' || typeof x1 !== 'number' || typeof x2 !== 'number' || typeof x3 !== 'number') return false;
    target[offset + j] = x0;
    target[offset + j + 1] = x1;
    target[offset + j + 2] = x2;
    target[offset + j + 3] = x3;
  }
  for (; j < dim; j++) {
    const x = source[j];
    if (typeof x !== 'number') return false;
    target[offset + j] = x;
  }
  return true;
}
