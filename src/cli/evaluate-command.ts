import { existsSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { isRerankError } from '../index.js';
import { evaluateInteractions, type EvaluationReport, writeReports } from '../evaluate/api.js';
import { type CandidatesReport, evaluateCandidates } from '../evaluate/candidates.js';
import { type EvaluationConfig, readConfig } from '../evaluate/config.js';
import { STRATEGY_FAMILIES } from '../evaluate/strategies.js';
import { formatPlainTable } from '../evaluate/report-text.js';
import { type EvaluateArgs, parseEvaluateArgs, UsageError } from './evaluate-args.js';
import { progressSink } from './progress.js';
import { EVALUATE_USAGE } from './usage.js';

/** Streams and flags the command talks to (replaceable in tests). */
export interface CommandIo {
  /** Tables, or report.json with `--json`. */
  readonly stdout: NodeJS.WritableStream;
  /** Progress and the one-line errors. */
  readonly stderr: NodeJS.WritableStream;
  /** Whether stderr is a terminal (then progress is a bar redrawn in place). */
  readonly stderrIsTty: boolean;
}

function requireFile(flag: string, path: string | undefined): void {
  if (path === undefined) return;
  if (!existsSync(path) || !statSync(path).isFile()) throw new UsageError(`${flag}: no such file "${path}".`);
}

function pick(columns: Readonly<Record<string, string>>, map: Readonly<Record<string, string>>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [flag, key] of Object.entries(map)) if (columns[flag] !== undefined) out[key] = columns[flag] as string;
  return out;
}

async function run(args: EvaluateArgs, io: CommandIo): Promise<number> {
  for (const [flag, path] of [
    ['--interactions', args.interactions],
    ['--candidates', args.candidates],
    ['--positives', args.positives],
    ['--history', args.history],
    ['--items', args.items],
    ['--config', args.config],
  ] as const) {
    requireFile(flag, path);
  }
  if (existsSync(args.out) && !statSync(args.out).isDirectory()) throw new UsageError(`--out: "${args.out}" exists and is not a folder.`);
  const fileConfig: EvaluationConfig = args.config === undefined ? {} : readConfig(args.config, STRATEGY_FAMILIES);
  const config: EvaluationConfig = args.maxItems === undefined ? fileConfig : { ...fileConfig, maxItems: args.maxItems };
  const sink = progressSink(io.stderr, { tty: io.stderrIsTty && !args.json, quiet: args.quiet });
  const progress = (done: number, total: number, label: string): void => sink.update(done, total, label);
  const log = (line: string): void => sink.line(line);
  const itemColumns = pick(args.columns, { 'items-item-col': 'item', 'title-col': 'title', 'categories-col': 'categories', 'embedding-col': 'embedding' });
  let report: EvaluationReport | CandidatesReport;
  if (args.interactions !== undefined) {
    report = await evaluateInteractions({
      interactions: args.interactions,
      ...(args.items === undefined ? {} : { items: args.items }),
      columns: pick(args.columns, { 'user-col': 'user', 'item-col': 'item', 'rating-col': 'rating', 'time-col': 'timestamp' }),
      itemColumns,
      config,
      progress,
      log,
    });
  } else {
    report = await evaluateCandidates({
      candidates: args.candidates as string,
      positives: args.positives as string,
      ...(args.history === undefined ? {} : { history: args.history }),
      ...(args.items === undefined ? {} : { items: args.items }),
      columns: pick(args.columns, { 'user-col': 'user', 'item-col': 'item', 'score-col': 'score' }),
      itemColumns,
      config,
      progress,
      log,
    });
  }
  sink.end();
  const files = writeReports(report, args.out);
  if (args.json) io.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
  else if (!args.quiet) {
    io.stdout.write(`${formatPlainTable(report)}\n\nWrote ${files.map((f) => resolve(f)).join(', ')}\n`);
  }
  return 0;
}

/**
 * `serendipity-rerank evaluate`: parses `argv`, validates every input before writing anything, runs
 * the evaluation and writes the reports. Returns the exit code: 0 success, 2 bad input or usage (one
 * line on stderr), 1 internal error (with the stack).
 */
export async function evaluateCommand(argv: readonly string[], io: CommandIo): Promise<number> {
  try {
    const args = parseEvaluateArgs(argv);
    if (args.help) {
      io.stdout.write(`${EVALUATE_USAGE}\n`);
      return 0;
    }
    return await run(args, io);
  } catch (error) {
    if (error instanceof UsageError || isRerankError(error)) {
      io.stderr.write(`serendipity-rerank evaluate: ${error.message.replace(/\s*\n\s*/g, ' ')}\n`);
      return 2;
    }
    io.stderr.write(`serendipity-rerank evaluate: internal error (please report it): ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    return 1;
  }
}
