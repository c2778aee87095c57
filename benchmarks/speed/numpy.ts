import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const SCRIPT = fileURLToPath(new URL('./reference.py', import.meta.url));

/** What reference.py reports for one input: each algorithm timed with and without normalising. */
export interface NumpyResult {
  /** Raw vectors in, normalised inside the timed region. */
  readonly mmrNormMs: number;
  readonly dppNormMs: number;
  /** Unit vectors prepared before the timer starts. */
  readonly mmrPreMs: number;
  readonly dppPreMs: number;
  readonly mmr: number[];
  readonly dpp: number[];
  readonly version: string;
}

/**
 * The environment numpy runs in: single-threaded BLAS, and without the OpenBLAS core-type and cache
 * overrides a shared machine may set (they pin a slower generic kernel), for this command alone.
 */
function numpyEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, OPENBLAS_NUM_THREADS: '1', OMP_NUM_THREADS: '1', MKL_NUM_THREADS: '1' };
  delete env.OPENBLAS_CORETYPE;
  delete env.OPENBLAS_L2_SIZE;
  return env;
}

/** Why the numpy columns are missing, or undefined when python3 with numpy is available. */
export function numpyUnavailable(): string | undefined {
  const probe = spawnSync('python3', ['-c', 'import numpy'], { encoding: 'utf8', env: numpyEnv() });
  if (probe.error !== undefined) return `python3 not found (${probe.error.message})`;
  if (probe.status !== 0) return `python3 cannot import numpy: ${probe.stderr.trim().split('\n').pop() ?? ''}`;
  return undefined;
}

const littleEndian = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

function writeFloat64(path: string, values: Float64Array): void {
  if (!littleEndian) throw new Error('reference.py reads little-endian float64');
  writeFileSync(path, new Uint8Array(values.buffer, values.byteOffset, values.byteLength));
}

/**
 * Runs the independent numpy implementation (single-threaded BLAS) on the same input, handed over
 * as raw float64 files, spending about `budgetMs` per timing.
 */
export function runNumpy(
  input: { n: number; dim: number; relevance: Float64Array; embeddings: Float64Array },
  k: number,
  lambda: number,
  theta: number,
  budgetMs: number,
): NumpyResult {
  const dir = mkdtempSync(join(tmpdir(), 'speed-'));
  try {
    const spec = join(dir, 'spec.json');
    const relevance = join(dir, 'relevance.f64');
    const embeddings = join(dir, 'embeddings.f64');
    writeFloat64(relevance, input.relevance);
    writeFloat64(embeddings, input.embeddings);
    writeFileSync(spec, JSON.stringify({ n: input.n, dim: input.dim, k, lambda, theta, budget_ms: budgetMs, max_repeats: 60, relevance, embeddings }));
    const run = spawnSync('python3', [SCRIPT, spec], { encoding: 'utf8', env: numpyEnv(), maxBuffer: 16 * 1024 * 1024 });
    if (run.status !== 0) throw new Error(`reference.py failed: ${run.stderr}`);
    const out = JSON.parse(run.stdout) as {
      mmr_norm_ms: number;
      dpp_norm_ms: number;
      mmr_pre_ms: number;
      dpp_pre_ms: number;
      mmr: number[];
      dpp: number[];
      numpy: string;
    };
    return {
      mmrNormMs: out.mmr_norm_ms,
      dppNormMs: out.dpp_norm_ms,
      mmrPreMs: out.mmr_pre_ms,
      dppPreMs: out.dpp_pre_ms,
      mmr: out.mmr,
      dpp: out.dpp,
      version: out.numpy,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
