import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { parseCsv } from '../csv.js';
import { inputError } from './input-error.js';

/** How a table file is read: CSV with a header line, or JSON Lines (one object per line). */
export type TableFormat = 'csv' | 'jsonl';

/** `jsonl` for `.jsonl`/`.ndjson` files, `csv` otherwise. */
export function formatOf(path: string): TableFormat {
  return /\.(jsonl|ndjson)$/i.test(path) ? 'jsonl' : 'csv';
}

/**
 * Streams the non-empty lines of a UTF-8 file (LF or CRLF; a leading byte-order mark dropped) with
 * their 1-based line numbers; the file is never held whole in memory.
 */
export async function forEachLine(path: string, onLine: (line: string, lineNumber: number) => void): Promise<void> {
  const lines = createInterface({ input: createReadStream(path, { encoding: 'utf8' }), crlfDelay: Infinity });
  let lineNumber = 0;
  for await (const raw of lines) {
    lineNumber++;
    const line = lineNumber === 1 && raw.charCodeAt(0) === 0xfeff ? raw.slice(1) : raw;
    if (line.trim() === '') continue;
    onLine(line, lineNumber);
  }
}

/** Splits one CSV line into fields (RFC 4180 quoting within the line; fast path without quotes). */
export function csvFields(line: string, file: string, lineNumber: number): string[] {
  if (!line.includes('"')) return line.split(',');
  try {
    return parseCsv(line, file)[0] ?? [''];
  } catch (error) {
    throw inputError(file, lineNumber, undefined, error instanceof Error ? error.message.replace(/^.*?line \d+: /, '') : String(error));
  }
}
