import { csvFields, forEachLine, formatOf } from './lines.js';
import { inputError } from './input-error.js';

/** How a column's text is read: an id, a finite number, a `|`-separated label list, or a numeric vector. */
export type FieldKind = 'string' | 'number' | 'list' | 'vector';

/** One column a reader expects. */
export interface ColumnSpec {
  /** Column (CSV header name or JSONL key) in the file. */
  readonly column: string;
  /** How its values are read. */
  readonly kind: FieldKind;
  /** A required column must be present; an optional one may be absent from the whole file. */
  readonly required: boolean;
  /** Named explicitly by the user (flag or config): then it must exist even when optional. */
  readonly explicit: boolean;
  /** The flag that renames it, quoted in error messages (e.g. `--user-col`). */
  readonly flag: string;
}

/** One parsed value: absent optional columns give `undefined`. */
export type FieldValue = string | number | readonly string[] | Float64Array | undefined;

/** What {@link readTable} reports. */
export interface TableSummary {
  /** Data rows read. */
  readonly rows: number;
  /** Per spec, whether the column is present in the file. */
  readonly present: readonly boolean[];
}

function parseNumber(text: string): number {
  const trimmed = text.trim();
  return trimmed === '' ? Number.NaN : Number(trimmed);
}

function parseVector(raw: unknown): Float64Array | undefined {
  if (Array.isArray(raw)) return raw.every((v) => typeof v === 'number' && Number.isFinite(v)) ? Float64Array.from(raw as number[]) : undefined;
  if (typeof raw !== 'string') return undefined;
  const text = raw.trim().replace(/^\[|\]$/g, '');
  if (text === '') return undefined;
  const values = text.split(/[\s,;|]+/).map(parseNumber);
  return values.every(Number.isFinite) ? Float64Array.from(values) : undefined;
}

function parseValue(raw: unknown, spec: ColumnSpec, file: string, line: number, column: number | string): FieldValue {
  const shown = typeof raw === 'string' ? JSON.stringify(raw.length > 40 ? `${raw.slice(0, 40)}…` : raw) : JSON.stringify(raw);
  switch (spec.kind) {
    case 'string': {
      const text = typeof raw === 'number' && Number.isFinite(raw) ? String(raw) : raw;
      if (typeof text !== 'string' || text.trim() === '') throw inputError(file, line, column, `"${spec.column}" must be a non-empty id, got ${shown ?? 'nothing'}.`);
      return text.trim();
    }
    case 'number': {
      const value = typeof raw === 'number' ? raw : typeof raw === 'string' ? parseNumber(raw) : Number.NaN;
      if (!Number.isFinite(value)) throw inputError(file, line, column, `"${spec.column}" must be a finite number, got ${shown ?? 'nothing'}.`);
      return value;
    }
    case 'list': {
      if (Array.isArray(raw) && raw.every((v) => typeof v === 'string')) return raw as string[];
      if (typeof raw !== 'string') throw inputError(file, line, column, `"${spec.column}" must be labels separated by "|", got ${shown ?? 'nothing'}.`);
      return raw.split('|').map((label) => label.trim()).filter((label) => label !== '');
    }
    case 'vector': {
      const vector = parseVector(raw);
      if (vector === undefined) throw inputError(file, line, column, `"${spec.column}" must be finite numbers separated by spaces (or a JSON array), got ${shown ?? 'nothing'}.`);
      return vector;
    }
  }
}

function checkPresence(specs: readonly ColumnSpec[], has: (column: string) => boolean, file: string, available: readonly string[]): boolean[] {
  return specs.map((spec) => {
    if (has(spec.column)) return true;
    const list = available.map((c) => `"${c}"`).join(', ');
    if (spec.explicit) throw inputError(file, 1, undefined, `unknown column "${spec.column}" (named by ${spec.flag}); the file has ${list}.`);
    if (spec.required) throw inputError(file, 1, undefined, `missing column "${spec.column}"; the file has ${list}. Name the right one with ${spec.flag}.`);
    return false;
  });
}

/**
 * Streams a CSV (header line first) or JSONL file row by row, parsing the columns of `specs` and
 * calling `onRow(values, line, columns)` with values aligned with `specs` (the array is reused between
 * rows) and, aligned with them too, where each value sits (CSV field number or JSONL key).
 * Columns not in `specs` are ignored. Nothing is kept in memory by the reader.
 *
 * @throws {@link RerankError} `INVALID_ARGUMENT` with a one-line `file:line:column:` message for an
 *   empty file, a missing required column, a column named explicitly but absent, a wrong field count,
 *   malformed JSON or a value of the wrong kind.
 */
export async function readTable(
  path: string,
  specs: readonly ColumnSpec[],
  onRow: (values: FieldValue[], line: number, columns: readonly (number | string)[]) => void,
): Promise<TableSummary> {
  const format = formatOf(path);
  const values: FieldValue[] = specs.map(() => undefined);
  let present: boolean[] | undefined;
  let positions: number[] = [];
  // Where each spec's value sits, as error messages name it: the CSV field number, or the JSONL key.
  let columns: (number | string)[] = specs.map((spec) => spec.column);
  let width = 0;
  let rows = 0;
  await forEachLine(path, (line, lineNumber) => {
    if (format === 'csv') {
      const fields = csvFields(line, path, lineNumber);
      if (present === undefined) {
        const header = fields.map((f) => f.trim());
        present = checkPresence(specs, (c) => header.includes(c), path, header);
        positions = specs.map((spec) => header.indexOf(spec.column));
        columns = positions.map((at) => at + 1);
        width = header.length;
        return;
      }
      if (fields.length !== width) throw inputError(path, lineNumber, undefined, `${fields.length} fields where the header has ${width}.`);
      specs.forEach((spec, s) => {
        const at = positions[s] as number;
        values[s] = at < 0 ? undefined : parseValue(fields[at], spec, path, lineNumber, at + 1);
      });
    } else {
      let object: unknown;
      try {
        object = JSON.parse(line);
      } catch {
        throw inputError(path, lineNumber, 1, 'not a JSON object (JSON Lines: one object per line).');
      }
      if (object === null || typeof object !== 'object' || Array.isArray(object)) throw inputError(path, lineNumber, 1, 'not a JSON object (JSON Lines: one object per line).');
      const record = object as Record<string, unknown>;
      if (present === undefined) present = checkPresence(specs, (c) => Object.hasOwn(record, c), path, Object.keys(record));
      const known = present;
      specs.forEach((spec, s) => {
        if (!known[s]) {
          values[s] = undefined;
          return;
        }
        if (!Object.hasOwn(record, spec.column)) throw inputError(path, lineNumber, spec.column, `missing field "${spec.column}" (present on line 1).`);
        values[s] = parseValue(record[spec.column], spec, path, lineNumber, spec.column);
      });
    }
    rows++;
    onRow(values, lineNumber, columns);
  });
  if (present === undefined || rows === 0) throw inputError(path, 1, undefined, present === undefined ? 'empty file.' : 'empty file: a header but no rows.');
  return { rows, present };
}
