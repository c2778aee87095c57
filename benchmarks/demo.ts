/**
 * `npm run demo`: the library's main job end to end on MovieLens, as a thin call of the shipped
 * evaluation engine (`serendipity-rerank/evaluate`, the same one `serendipity-rerank evaluate` runs):
 * split by time, EASE base, item vectors, every strategy over its grid through `rerank()`, settings
 * chosen on validation and reported on test, on the standard and the shifted split.
 *
 * Writes into `benchmarks/results/latest/` (ignored by git) unless `--out` says otherwise; only
 * `--snapshot` refreshes the committed copy in `benchmarks/results/` that the README quotes.
 * Files: demo.json, demo.md, demo.html (the full report) and one plot per split (demo.svg for the
 * standard split, demo-shifted.svg for the shifted one).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { progressSink } from '../src/cli/progress.js';
import { isRerankError } from '../src/index.js';
import { parseDemoArgs, USAGE, UsageError } from '../src/evaluate/cli.js';
import { renderHtmlReport, renderMarkdownReport, splitPlot } from '../src/evaluate/report-html.js';
import { formatPlainTable } from '../src/evaluate/report-text.js';
import { runEvaluation } from '../src/evaluate/run.js';

const here = dirname(fileURLToPath(import.meta.url));

async function main(argv: readonly string[]): Promise<number> {
  const args = parseDemoArgs(argv);
  if (args.help) {
    console.log(USAGE);
    return 0;
  }
  const dataDir = args.data ?? join(here, 'data', 'ml-latest-small');
  const outDir = args.out ?? (args.snapshot ? join(here, 'results') : join(here, 'results', 'latest'));
  const started = performance.now();
  const sink = progressSink(process.stderr, { tty: process.stderr.isTTY === true, quiet: false, intervalMs: 10_000 });
  const result = await runEvaluation({
    dataDir: relative(process.cwd(), dataDir) || '.',
    k: args.k,
    seed: args.seed,
    log: (line) => {
      sink.end();
      console.log(line);
    },
    progress: (done, total, label) => sink.update(done, total, label),
  });
  sink.end();
  const report = { ...result, mode: 'interactions', baseName: 'EASE' };
  mkdirSync(outDir, { recursive: true });
  const written = ['demo.json', 'demo.md', 'demo.html'];
  writeFileSync(join(outDir, 'demo.json'), `${JSON.stringify(result, null, 2)}\n`);
  writeFileSync(join(outDir, 'demo.md'), renderMarkdownReport(report));
  writeFileSync(join(outDir, 'demo.html'), renderHtmlReport(report));
  for (const { split } of result.splits) {
    const name = split === 'standard' ? 'demo.svg' : `demo-${split}.svg`;
    writeFileSync(join(outDir, name), splitPlot(report, split));
    written.push(name);
  }
  console.log('');
  console.log(formatPlainTable(report));
  console.log('');
  console.log(
    `Ge hits: test positives in the top ${result.k} not among the 100 most popular train items; UH: test positives in the top ${result.k} whose unexpectedness exceeds the user's median candidate's. Ratios vs base with paired bootstrap 95% CIs over ${result.users.test} users; settings chosen on validation.`,
  );
  console.log(`Wrote ${written.join(', ')} to ${outDir} in ${((performance.now() - started) / 1000).toFixed(1)} s.`);
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    if (error instanceof UsageError || isRerankError(error)) {
      console.error(`demo: ${error.message}`);
      process.exitCode = 2;
      return;
    }
    // Not a user mistake: keep the stack, it is a bug report.
    console.error(`demo: unexpected failure: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    process.exitCode = 1;
  },
);
