import { RerankError } from '../../index.js';

/**
 * A bad-input error of the evaluation's readers: a {@link RerankError} with code `INVALID_ARGUMENT`
 * whose message is one line starting `file:line:column:` (line and column 1-based; the column is the
 * CSV field number, or the JSONL field name), and whose `field` is that position.
 */
export function inputError(file: string, line: number, column: number | string | undefined, message: string): RerankError {
  const where = column === undefined ? `${file}:${line}` : `${file}:${line}:${column}`;
  return new RerankError('INVALID_ARGUMENT', `${where}: ${message.replace(/\s*\n\s*/g, ' ')}`, { field: where });
}
