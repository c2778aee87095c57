import { reportNotes, resultRows, type ReportInput } from './report-html.js';

/**
 * The results of every split as aligned plain-text tables, for a terminal, followed by the report's
 * notes (as in report.md), so output redirected to a file keeps them.
 */
export function formatPlainTable(result: ReportInput): string {
  const tables = result.splits
    .map(({ split, floorsMet }) => {
      const rows = resultRows(result, split);
      const widths = (rows[0] as string[]).map((_, c) => Math.max(...rows.map((r) => (r[c] as string).length)));
      const line = (r: string[]): string => r.map((cell, c) => cell.padEnd(widths[c] as number)).join('  ').trimEnd();
      const met = floorsMet === undefined ? '' : `\n${floorsMet.met} of ${floorsMet.rows} selected rows met their floor on test.`;
      return [`${split} split (test):`, line(rows[0] as string[]), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.slice(1).map(line)].join('\n') + met;
    })
    .join('\n\n');
  const notes = reportNotes(result);
  return notes.length === 0 ? tables : `${tables}\n\n${notes.join('\n')}`;
}
