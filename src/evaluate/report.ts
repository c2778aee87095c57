import type { EvaluationResult, SelectedRow } from './run.js';

function ratio(value: number): string {
  return Number.isFinite(value) ? `${value.toFixed(2)}×` : '—';
}

function interval(ci: readonly [number, number]): string {
  return Number.isFinite(ci[0]) && Number.isFinite(ci[1]) ? `[${ci[0].toFixed(2)}, ${ci[1].toFixed(2)}]` : '—';
}

/** Rows of the comparison: the base, then each family's selected parameter per floor. */
function tableRows(result: EvaluationResult): string[][] {
  const { base, k } = result;
  const header = [
    'strategy',
    'floor',
    'param',
    `nDCG@${k}`,
    'Ge hits',
    'Ge ratio [95% CI]',
    'UH hits',
    'UH ratio [95% CI]',
    'ILD',
    'novelty',
    'coverage',
    'p50 / p99 ms',
  ];
  const rows = [
    header,
    [
      'base (EASE)',
      '—',
      `λ=${result.ease.lambda}`,
      base.ndcg.toFixed(4),
      String(base.serendipityHitCount),
      '1.00×',
      String(base.unexpectedHitCount),
      '1.00×',
      base.ild.toFixed(3),
      base.novelty.toFixed(2),
      base.coverage.toFixed(3),
      `${base.latencyMedianMs.toFixed(2)} / ${base.latencyP99Ms.toFixed(2)}`,
    ],
  ];
  for (const row of result.selected) rows.push(selectedRow(result, row));
  return rows;
}

function selectedRow(result: EvaluationResult, row: SelectedRow): string[] {
  const point = result.strategies.find((s) => s.name === row.strategy && s.param === row.param);
  if (row.param === null || point === undefined) {
    return [row.strategy, `${Math.round(row.floor * 100)}%`, 'none meets the floor', '—', '—', '—', '—', '—', '—', '—', '—', '—'];
  }
  return [
    row.strategy,
    `${Math.round(row.floor * 100)}%`,
    String(row.param),
    `${point.ndcg.toFixed(4)} (${ratio(row.ndcgRatio)})`,
    String(row.serendipityHitCount),
    `${ratio(row.serendipityRatio)} ${interval(row.ci)}`,
    String(row.unexpectedHitCount),
    `${ratio(row.unexpectedHitsRatio)} ${interval(row.ciUnexpected)}`,
    point.ild.toFixed(3),
    point.novelty.toFixed(2),
    point.coverage.toFixed(3),
    `${point.latencyMedianMs.toFixed(2)} / ${point.latencyP99Ms.toFixed(2)}`,
  ];
}

/** The comparison as aligned plain text, for stdout. */
export function formatTable(result: EvaluationResult): string {
  const rows = tableRows(result);
  const widths = (rows[0] as string[]).map((_, c) => Math.max(...rows.map((r) => (r[c] as string).length)));
  const line = (r: string[]): string => r.map((cell, c) => cell.padEnd(widths[c] as number)).join('  ').trimEnd();
  return [line(rows[0] as string[]), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.slice(1).map(line)].join('\n');
}

/** The comparison as a Markdown table, for the README. */
export function markdownTable(result: EvaluationResult): string {
  const rows = tableRows(result);
  const line = (r: string[]): string => `| ${r.join(' | ')} |`;
  return [line(rows[0] as string[]), line((rows[0] as string[]).map(() => '---')), ...rows.slice(1).map(line)].join('\n');
}
