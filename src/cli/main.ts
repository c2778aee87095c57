#!/usr/bin/env node
// The `serendipity-rerank` command (package.json "bin").
import { evaluateCommand } from './evaluate-command.js';
import { MAIN_USAGE } from './usage.js';

async function main(argv: readonly string[]): Promise<number> {
  const [command, ...rest] = argv;
  const io = { stdout: process.stdout, stderr: process.stderr, stderrIsTty: process.stderr.isTTY === true };
  if (command === 'evaluate') return evaluateCommand(rest, io);
  if (command === undefined || command === '--help' || command === '-h' || command === 'help') {
    process.stdout.write(`${MAIN_USAGE}\n`);
    return 0;
  }
  process.stderr.write(`serendipity-rerank: unknown command "${command}" (see --help).\n`);
  return 2;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`serendipity-rerank: internal error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exitCode = 1;
  },
);
