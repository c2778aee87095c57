import { describeValue } from '../errors/describe-value.js';
import { RerankError } from '../errors/rerank-error.js';
import type { RerankRequest } from '../types.js';
import { duplicateIdError, invalidIdError, isValidId } from './ids.js';
import type { ItemTable } from './item-table.js';
import { borrowIdMarks, FreshIdMarks, type IdMarks } from './id-marks.js';
import { borrowRowMarks, type RowMarks } from './row-marks.js';

/** The candidates' validated ids and relevance, and their catalogue rows. */
export interface ValidatedCandidates {
  /** Ids, in input order, unique. */
  readonly ids: string[];
  /** Finite relevance scores. */
  readonly relevance: Float64Array;
  /** Row of each candidate in the request's catalogue (-1 when absent), or undefined without a catalogue. */
  readonly rows: Int32Array | undefined;
}

/**
 * Checks every candidate in order (an object, a non-empty unique id, a finite relevance) and looks
 * it up in `catalog`. Repeats among ids found in a catalogue built by `createItemTable` are caught
 * by its row marks; the other ids by the process-wide id marks (see {@link IdMarks}): no hash set
 * is built per request.
 *
 * @throws {@link RerankError} `INVALID_REQUEST`, `INVALID_ID`, `DUPLICATE_ID` or `NON_FINITE_RELEVANCE`
 *   for the first candidate with a problem.
 */
export function validateCandidates(candidates: RerankRequest['candidates'], catalog: ItemTable | undefined): ValidatedCandidates {
  const marks = catalog === undefined ? undefined : borrowRowMarks(catalog);
  const idMarks = borrowIdMarks();
  try {
    return validateWithMarks(candidates, catalog, marks, idMarks ?? new FreshIdMarks());
  } finally {
    marks?.release();
    idMarks?.release();
  }
}

function validateWithMarks(
  candidates: RerankRequest['candidates'],
  catalog: ItemTable | undefined,
  marks: RowMarks | undefined,
  seen: IdMarks | FreshIdMarks,
): ValidatedCandidates {
  const n = candidates.length;
  const ids: string[] = new Array(n);
  const relevance = new Float64Array(n);
  const rows = catalog === undefined ? undefined : new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const candidate: unknown = candidates[i];
    if (candidate === null || typeof candidate !== 'object') {
      throw new RerankError('INVALID_REQUEST', `candidates[${i}] must be an object { id, relevance, ... }.`, {
        field: `candidates[${i}]`,
      });
    }
    const { id, relevance: score } = candidate as { id: unknown; relevance: unknown };
    if (!isValidId(id)) throw invalidIdError(id, `candidates[${i}].id`);
    const row = catalog === undefined ? -1 : catalog.indexOf(id);
    if (marks !== undefined && row >= 0 ? !marks.mark(row) : !seen.mark(id)) {
      throw duplicateIdError('candidates', i, ids.indexOf(id), id);
    }
    if (typeof score !== 'number' || !Number.isFinite(score)) {
      throw new RerankError(
        'NON_FINITE_RELEVANCE',
        `candidates[${i}].relevance is ${describeValue(score)}; relevance must be a finite number. Replace missing scores with the lowest score you have.`,
        { field: `candidates[${i}].relevance`, value: score },
      );
    }
    ids[i] = id;
    relevance[i] = score;
    if (rows !== undefined) rows[i] = row;
  }
  return { ids, relevance, rows };
}
