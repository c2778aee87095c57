/** Shared settings and helpers of the speed benchmark (benchmarks/speed.ts). */
import type { PackedRequest } from '../../src/types.js';
import type { TimingBudget } from './timing.js';

/** MMR trade-off λ and DPP θ of every measurement. */
export const LAMBDA = 0.5;
export const THETA = 0.7;
export const ALPHA = THETA / (2 * (1 - THETA));
export const SEED = 20_181_203;

export const medianOf = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[sorted.length >> 1] as number;
};

export const fmt = (ms: number): string => (ms >= 100 ? ms.toFixed(0) : ms >= 10 ? ms.toFixed(1) : ms >= 1 ? ms.toFixed(2) : ms.toFixed(3));
/** `theirs / ours` as `2.31×`: above 1 means ours is faster. */
export const ratio = (theirs: number, ours: number): string => `${(theirs / ours).toFixed(theirs / ours >= 100 ? 0 : 2)}×`;

export function table(header: string[], rows: string[][]): string {
  const line = (cells: string[]): string => `| ${cells.join(' | ')} |`;
  return [line(header), line(header.map(() => '---')), ...rows.map(line)].join('\n');
}

export function sameIds(a: ArrayLike<number>, b: ArrayLike<number>): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** A timing budget that keeps big cells to a few runs. */
export const budgetFor = (n: number, k: number, dim: number): TimingBudget => {
  const work = n * k * dim;
  if (work > 2e8) return { warmup: 1, minRuns: 3, maxMillis: 300, maxRuns: 10 };
  if (work > 2e7) return { warmup: 2, minRuns: 5, maxMillis: 300, maxRuns: 30 };
  return { warmup: 10, minRuns: 15, maxMillis: 300, maxRuns: 300 };
};

export function mmrInput(packed: PackedRequest) {
  const { candidates, dim } = packed;
  return { n: candidates.n, dim, relevance: candidates.relevance, embeddings: candidates.embeddings as Float64Array, lambda: LAMBDA };
}

export function dppInput(packed: PackedRequest) {
  const { candidates, dim } = packed;
  return { n: candidates.n, dim, relevance: candidates.relevance, embeddings: candidates.embeddings as Float64Array, alpha: ALPHA };
}
