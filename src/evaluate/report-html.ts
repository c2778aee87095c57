import { basename } from 'node:path';
import type { SelectedRow, StrategyRow } from './compare.js';
import type { StrategyMetrics } from './evaluate.js';
import { renderTradeoffPlot } from './plot.js';
import type { EvaluationResult } from './run.js';
import { PREDICTION_WIDENING } from './selection.js';
import { escapeXml } from './svg.js';

/** What a report needs: the evaluation result plus how it was produced. */
export type ReportInput = Pick<EvaluationResult, 'dataset' | 'k' | 'seed' | 'protocol' | 'strategies' | 'selected'> & {
  /** Per split: its name, the base on test and how many selected rows met their floor. */
  readonly splits: readonly {
    readonly split: string;
    readonly base: EvaluationResult['base'];
    readonly floorsMet?: { readonly met: number; readonly rows: number };
    readonly ease?: { readonly lambda: number };
  }[];
  /** Which input mode produced it. */
  readonly mode?: string;
  /** Name of the base ranking (e.g. `EASE` or `your scores`). @defaultValue `EASE` */
  readonly baseName?: string;
  /** Notes on what the run did to the input. @defaultValue none */
  readonly notes?: readonly string[];
  /** Families that could not run, and why. @defaultValue none */
  readonly skipped?: readonly { readonly family: string; readonly reason: string }[];
};

const ratio = (v: number): string => (Number.isFinite(v) ? `${v.toFixed(2)}×` : '—');
const interval = (ci: readonly [number, number]): string => (Number.isFinite(ci[0]) && Number.isFinite(ci[1]) ? ` [${ci[0].toFixed(2)}, ${ci[1].toFixed(2)}]` : '');

/** The floors present in a result, largest first. */
export function floorsOf(result: Pick<ReportInput, 'selected'>): number[] {
  return [...new Set(result.selected.map((s) => s.floor))].sort((a, b) => b - a);
}

/** The plot of one split (test): every grid point, the floors, the selected points ringed. */
export function splitPlot(result: ReportInput, split: string): string {
  const rows = result.strategies.filter((r: StrategyRow) => (r.split ?? split) === split);
  const chosen = result.selected.filter((s: SelectedRow) => (s.split ?? split) === split && s.param !== null);
  return renderTradeoffPlot(
    rows.map((r) => ({ family: r.name, param: r.param, ndcg: r.ndcgRatio, ge: r.serendipityRatio, uh: r.unexpectedHitsRatio, ...(r.representation === undefined ? {} : { representation: r.representation }) })),
    {
      title: `Serendipity vs accuracy, ${split} split (test, k=${result.k}, ${basename(result.dataset)})`, // the page heading names the full path; a long one would run past the plot
      floors: floorsOf(result),
      selected: chosen.map((s) => ({ family: s.strategy, param: s.param as number | string, floor: s.floor, ...(s.representation === null || s.representation === undefined ? {} : { representation: s.representation }) })),
      k: result.k,
    },
  );
}

/** Header and rows of the results table of one split: the base, then every family × floor. */
export function resultRows(result: ReportInput, split: string): string[][] {
  const info = result.splits.find((s) => s.split === split);
  const base = info?.base;
  const header = ['strategy', 'floor', 'param', `nDCG@${result.k}`, 'Ge hits', 'Ge ratio [95% CI]', 'UH hits', 'UH ratio [95% CI]', 'ILD', 'novelty', 'coverage', 'p50 / p99 ms', 'met floor on test', 'note'];
  const extras = (m: StrategyMetrics): string[] => [m.ild.toFixed(3), m.novelty.toFixed(2), m.coverage.toFixed(3), `${m.latencyMedianMs.toFixed(2)} / ${m.latencyP99Ms.toFixed(2)}`];
  const rows: string[][] = [header];
  if (base !== undefined) {
    rows.push([
      `base (${result.baseName ?? 'EASE'})`,
      '—',
      info?.ease === undefined ? '—' : `λ=${info.ease.lambda}`,
      base.ndcg.toFixed(4),
      String(base.serendipityHitCount),
      '1.00×',
      String(base.unexpectedHitCount),
      '1.00×',
      ...extras(base),
      '—',
      '',
    ]);
  }
  const rulesRan = ['rule: r − c·1[PM]', 'rule: r − c·1[u ≤ median]'].every((rule) => result.selected.some((row) => row.strategy === rule));
  for (const s of result.selected.filter((row) => (row.split ?? split) === split)) {
    if (s.param === null) {
      rows.push([s.strategy, `${Math.round(s.floor * 100)}%`, 'none qualified', '—', '—', '—', '—', '—', '—', '—', '—', '—', '—', s.gridNote ?? '']);
      continue;
    }
    const point = result.strategies.find(
      (r) => (r.split ?? split) === split && r.name === s.strategy && r.param === s.param && (s.representation === null || s.representation === undefined || r.representation === s.representation),
    );
    rows.push([
      s.strategy,
      `${Math.round(s.floor * 100)}%`,
      `${String(s.param)}${s.representation !== null && s.representation !== undefined ? ` (${s.representation})` : ''}`,
      point === undefined ? ratio(s.ndcgRatio) : `${point.ndcg.toFixed(4)} (${ratio(s.ndcgRatio)})`,
      String(s.serendipityHitCount),
      `${ratio(s.serendipityRatio)}${interval(s.ci)}`,
      String(s.unexpectedHitCount),
      `${ratio(s.unexpectedHitsRatio)}${interval(s.ciUnexpected)}`,
      ...(point === undefined ? ['—', '—', '—', '—'] : extras(point)),
      s.metFloorOnTest === true ? 'yes' : s.metFloorOnTest === false ? 'NO' : '—',
      [s.gridNote, rulesRan && s.serendipityWin === true ? (s.serendipityWinConfident === true ? 'beats both rules (every CI above 0)' : 'beats both rules (point estimates; a CI includes 0)') : null]
        .filter((x) => x !== null && x !== undefined)
        .join('; '),
    ]);
  }
  return rows;
}

/** The results of every split as Markdown tables, with the definitions (report.md). */
export function renderMarkdownReport(result: ReportInput): string {
  const out: string[] = [`# Serendipity evaluation: ${result.dataset}`, ''];
  for (const { split, floorsMet } of result.splits) {
    out.push(`## ${split} split (test)`, '');
    const rows = resultRows(result, split);
    out.push(`| ${(rows[0] as string[]).join(' | ')} |`, `| ${(rows[0] as string[]).map(() => '---').join(' | ')} |`);
    for (const row of rows.slice(1)) out.push(`| ${row.map((c) => c.replace(/\|/g, '\\|')).join(' | ')} |`);
    if (floorsMet !== undefined) out.push('', `${floorsMet.met} of ${floorsMet.rows} selected rows met their floor on test.`);
    out.push('');
  }
  for (const note of reportNotes(result)) out.push(`> ${note}`, '');
  out.push('## Protocol and definitions', '', ...definitions(result).map((p) => `- ${p}`), '');
  return out.join('\n');
}

/** The protocol and metric definitions in words. */
export function definitions(result: Pick<ReportInput, 'k' | 'protocol' | 'mode'>): string[] {
  const k = result.k;
  const widening = typeof result.protocol.predictionWidening === 'number' ? result.protocol.predictionWidening : PREDICTION_WIDENING;
  return [
    `Each strategy re-ranks every user's candidates and keeps the top ${k}. nDCG@${k} uses binary relevance (a held-out positive is relevant).`,
    `Ge serendipity hits: held-out positives in the top ${k} that are not in the primitive recommender's list PM (the most popular training items; Ge, Delgado-Battenfeld & Jannach, RecSys 2010).`,
    `Unexpected hits (UH): held-out positives in the top ${k} whose unexpectedness u = 1 − max cos(item, history item) exceeds the user's median candidate's u, with fixed item vectors that no strategy setting changes.`,
    'Ratios compare a strategy with the base ranking (the candidates in score order) on the same users; the 95% confidence intervals are paired percentile bootstraps over users (Efron & Tibshirani 1993).',
    `Selection: every setting is chosen on a validation split, never on test. A setting qualifies for a floor when the lower end of the prediction interval of its test nDCG ratio, computed from validation (the bootstrap interval of its validation nDCG ratio, widened by ${widening === Math.SQRT2 ? '√2' : String(widening)} around the ratio, since test adds noise of its own), is at or above the floor; among qualifying settings the one with the most validation Ge hits is chosen and then reported on test. "met floor on test" says whether its test nDCG ratio kept the promise.`,
    'The two reference rules (r − c·1[PM] and r − c·1[u ≤ median]) game each hit definition by construction; a strategy counts as a serendipity win only where it beats both rules on both definitions. "Every CI above 0" adds that each paired-bootstrap 95% CI of its test hits minus a rule\'s (Ge and UH, both rules) lies above 0, an intersection–union test that errs at most 2.5% per row; the point-estimate wins carry no such guarantee, and with many strategies and floors some will occur by chance.',
    result.mode === 'candidates'
      ? 'Mode (b): your candidates and scores are the base; users are split at random (seeded) into a validation half and a test half.'
      : 'Mode (a): interactions are split per user by time (latest ratings held out; a seeded random order without timestamps); EASE is fitted on the training part and gives 200 candidates per user.',
    `Protocol settings: ${JSON.stringify(result.protocol)}.`,
  ];
}


/** The report's notes (few users, capped users or items) and skipped families, as sentences. */
export function reportNotes(result: Pick<ReportInput, 'notes' | 'skipped'>): string[] {
  return [...(result.notes ?? []).map((n) => `Note: ${n}.`), ...(result.skipped ?? []).map((s) => `Skipped ${s.family}: ${s.reason}`)];
}

function htmlTable(rows: string[][]): string {
  const [header, ...body] = rows;
  const cells = (row: string[], tag: string): string => `<tr>${row.map((c) => `<${tag}>${escapeXml(c)}</${tag}>`).join('')}</tr>`;
  return `<table>\n<thead>${cells(header as string[], 'th')}</thead>\n<tbody>\n${body.map((r) => cells(r, 'td')).join('\n')}\n</tbody>\n</table>`;
}

function gridTable(result: ReportInput, split: string): string {
  const header = ['strategy', 'param', 'representation', 'nDCG ratio', 'Ge ratio', 'UH ratio', 'validation nDCG ratio', 'ILD', 'novelty', 'coverage'];
  const rows = result.strategies
    .filter((r) => (r.split ?? split) === split)
    .map((r) => [r.name, String(r.param), r.representation ?? '', ratio(r.ndcgRatio), ratio(r.serendipityRatio), ratio(r.unexpectedHitsRatio), ratio(r.validationNdcgRatio), r.ild.toFixed(3), r.novelty.toFixed(2), r.coverage.toFixed(3)]);
  return htmlTable([header, ...rows]);
}

/**
 * A self-contained HTML report (report.html): no scripts, no network, inline CSS and inline SVG
 * plots (one per split), the results tables, every grid point, and the protocol in words.
 */
export function renderHtmlReport(result: ReportInput): string {
  const sections = result.splits.map(({ split, floorsMet }) => {
    const met = floorsMet === undefined ? '' : `<p>${floorsMet.met} of ${floorsMet.rows} selected rows met their floor on test.</p>`;
    return `<section class="split" data-split="${escapeXml(split)}">
<h2>${escapeXml(split)} split</h2>
<figure>${splitPlot(result, split)}</figure>
<h3>Selected settings (chosen on validation, reported on test)</h3>
${htmlTable(resultRows(result, split))}
${met}
<details><summary>Every grid point on test</summary>
${gridTable(result, split)}
</details>
</section>`;
  });
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<title>Serendipity evaluation: ${escapeXml(result.dataset)}</title>
<style>
body { font-family: system-ui, sans-serif; margin: 24px; color: #1a1a1a; max-width: 1200px; }
table { border-collapse: collapse; font-size: 13px; margin: 8px 0; }
th, td { border: 1px solid #d0d0d0; padding: 4px 8px; text-align: left; }
th { background: #f2f2f2; }
figure { margin: 0; overflow-x: auto; }
svg { max-width: 100%; height: auto; }
</style>
</head>
<body>
<h1>Serendipity evaluation: ${escapeXml(result.dataset)}</h1>
<p>Which strategy, at which setting, gives more serendipity for at most a given loss of accuracy? k = ${result.k}, seed ${result.seed}.</p>
${reportNotes(result)
  .map((n) => `<p class="note">${escapeXml(n)}</p>`)
  .join('\n')}
${sections.join('\n')}
<section>
<h2>Protocol and definitions</h2>
<ul>
${definitions(result)
  .map((d) => `<li>${escapeXml(d)}</li>`)
  .join('\n')}
</ul>
</section>
</body>
</html>
`;
}
