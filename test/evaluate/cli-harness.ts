import { Writable } from 'node:stream';
import { evaluateCommand } from '../../src/cli/evaluate-command.js';

/** A writable stream that keeps everything written to it, for asserting on CLI output. */
export class Capture extends Writable {
  text = '';
  override _write(chunk: Buffer | string, _encoding: BufferEncoding, done: () => void): void {
    this.text += chunk.toString();
    done();
  }
}

/** Runs `serendipity-rerank evaluate` in-process with `argv`, capturing its exit code and output. */
export async function runEvaluate(argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const stdout = new Capture();
  const stderr = new Capture();
  const code = await evaluateCommand(argv, { stdout, stderr, stderrIsTty: false });
  return { code, stdout: stdout.text, stderr: stderr.text };
}
