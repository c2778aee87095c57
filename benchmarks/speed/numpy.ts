import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const SCRIPT = fileURLToPath(new URL('./reference.py', import.meta.url));

/** What reference.py reports for one input. */
export interface NumpyResult {
  readonly mmrMs: number;
  readonly dppMs: number;
  readonly mmr: number[];
  readonly dpp: number[];
  readonly version: string;
}

/** Why the numpy column is missing, or undefined when python3 with numpy is available. */
export function numpyUnavailable(): string | undefined {
  const probe = spawnSync('python3', ['-c', 'import numpy'], { encoding: 'utf8' });
  if (probe.error !== undefined) return `python3 not found (${probe.error.message})`;
  if (probe.status !== 0) return `python3 cannot import numpy: ${probe.stderr.trim().split('\n').pop() ?? ''}`;
  return undefined;
}

/**
 * Runs the independent numpy implementation (single-threaded BLAS) on the same input, written to a
 * temporary JSON file. Raw vectors go in; reference.py normalises them before its timers start.
 */
export function runNumpy(
  input: { n: number; dim: number; relevance: Float64Array; embeddings: Float64Array },
  k: number,
  lambda: number,
  theta: number,
  repeats: number,
): NumpyResult {
  const dir = mkdtempSync(join(tmpdir(), 'speed-'));
  try {
    const file = join(dir, 'input.json');
    writeFileSync(
      file,
      JSON.stringify({
        n: input.n,
        dim: input.dim,
        k,
        lambda,
        theta,
        repeats,
        relevance: Array.from(input.relevance),
        embeddings: Array.from(input.embeddings),
      }),
    );
    const env = { ...process.env, OPENBLAS_NUM_THREADS: '1', OMP_NUM_THREADS: '1', MKL_NUM_THREADS: '1' };
    const run = spawnSync('python3', [SCRIPT, file], { encoding: 'utf8', env, maxBuffer: 64 * 1024 * 1024 });
    if (run.status !== 0) throw new Error(`reference.py failed: ${run.stderr}`);
    const out = JSON.parse(run.stdout) as { mmr_ms: number; dpp_ms: number; mmr: number[]; dpp: number[]; numpy: string };
    return { mmrMs: out.mmr_ms, dppMs: out.dpp_ms, mmr: out.mmr, dpp: out.dpp, version: out.numpy };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
