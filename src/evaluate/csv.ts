import { RerankError } from '../index.js';

/**
 * Parses RFC 4180 CSV text into rows of fields: fields may be wrapped in double quotes, inside which
 * commas, line breaks and doubled quotes (`""` → `"`) are literal. Lines end in LF or CRLF; a leading
 * UTF-8 byte-order mark and a final empty line are ignored. This is the format of the MovieLens
 * `movies.csv` (titles such as `"American President, The (1995)"`).
 *
 * @param source - Name used in error messages (usually the file path).
 * @throws {@link RerankError} `INVALID_ARGUMENT` on an unterminated quoted field or a quote inside an
 *   unquoted field.
 */
export function parseCsv(text: string, source = 'csv'): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let line = 1;
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  const n = text.length;
  let fieldStarted = false;
  while (i < n) {
    const ch = text[i] as string;
    if (ch === '"' && !fieldStarted) {
      const startLine = line;
      i++;
      for (;;) {
        if (i >= n) {
          throw new RerankError('INVALID_ARGUMENT', `${source}: line ${startLine}: quoted field is never closed; check for a missing '"'.`, {
            field: source,
          });
        }
        const c = text[i] as string;
        if (c === '"') {
          if (text[i + 1] === '"') {
            field += '"';
            i += 2;
            continue;
          }
          i++;
          break;
        }
        if (c === '\n') line++;
        field += c;
        i++;
      }
      fieldStarted = true;
      const next = text[i];
      if (next !== undefined && next !== ',' && next !== '\n' && next !== '\r') {
        throw new RerankError('INVALID_ARGUMENT', `${source}: line ${line}: unexpected character after a closing quote; quote the whole field.`, {
          field: source,
        });
      }
      continue;
    }
    if (ch === ',') {
      row.push(field);
      field = '';
      fieldStarted = false;
      i++;
      continue;
    }
    if (ch === '\r' || ch === '\n') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
      fieldStarted = false;
      i += ch === '\r' && text[i + 1] === '\n' ? 2 : 1;
      line++;
      continue;
    }
    if (ch === '"') {
      throw new RerankError('INVALID_ARGUMENT', `${source}: line ${line}: a '"' inside an unquoted field; quote the field and double the quote.`, {
        field: source,
      });
    }
    field += ch;
    fieldStarted = true;
    i++;
  }
  if (fieldStarted || row.length > 0) {
    row.push(field);
    rows.push(row);
  }
  return rows;
}
