/**
 * The float32 path (`precision: 'float32'`) against the float64 default at text-embedding
 * dimensions: d ∈ {768, 1536} × n ∈ {1e3, 1e4} × k ∈ {10, 50}, MMR (λ = 0.5) and DPP (θ = 0.7),
 * flat and skewed relevance, timed side by side in one run:
 * - `select()` alone on the packed request (the float32 path includes rounding the rows to float32);
 * - `rerank()` with the candidates' vectors as `Float32Array`s (how text embeddings arrive);
 * - `rerank()` with a `createItemTable` catalogue.
 * Ratio = float64 time / float32 time (above 1× the float32 path is faster); the ids column says
 * whether both selected the same ids. Part of `npm run bench`; alone: `npx tsx
 * benchmarks/speed/float32.ts [--quick]`.
 */
import { rerank } from '../../src/rerank.js';
import { dpp } from '../../src/strategies/post/dpp.js';
import { selectDppF32 } from '../../src/strategies/post/dpp-f32.js';
import { selectDppLazy } from '../../src/strategies/post/dpp-greedy.js';
import { mmr } from '../../src/strategies/post/mmr.js';
import { selectMmrF32 } from '../../src/strategies/post/mmr-f32.js';
import { selectMmrLazy } from '../../src/strategies/post/mmr-greedy.js';
import type { Candidate, Reranker } from '../../src/types.js';
import { makeInput, type RelevanceShape } from './inputs.js';
import { prepareRequests } from './requests.js';
import { budgetFor, dppInput, fmt, LAMBDA, mmrInput, ratio, SEED, sameIds, table, THETA } from './settings.js';
import { medianMillis } from './timing.js';

/** One (algorithm, n, d, k, shape) cell: float64 and float32 medians in ms. */
export interface Float32Cell {
  readonly algorithm: 'mmr' | 'dpp';
  readonly n: number;
  readonly dim: number;
  readonly k: number;
  readonly shape: RelevanceShape;
  readonly select: { readonly f64: number; readonly f32: number };
  readonly rawFloat32Array: { readonly f64: number; readonly f32: number };
  readonly catalogue: { readonly f64: number; readonly f32: number };
  readonly sameIds: boolean;
  /** Largest |score(float32) − score(float64)| over the slots (when the ids agree). */
  readonly maxScoreDifference: number;
}

function cellsFor(quick: boolean): [number, number, number][] {
  const cells: [number, number, number][] = [];
  for (const n of quick ? [1000] : [1000, 10000]) for (const dim of [768, 1536]) for (const k of [10, 50]) cells.push([n, dim, k]);
  return cells;
}

function measure(n: number, dim: number, k: number, shape: RelevanceShape): Float32Cell[] {
  const input = makeInput(n, dim, shape, SEED + dim + n);
  const { byId, catalog, packed } = prepareRequests(input, false);
  const raw32: Candidate[] = byId.map(({ id, relevance }, i) => ({ id, relevance, embedding: Float32Array.from(input.embeddings.subarray(i * dim, i * dim + dim)) }));
  const budget = budgetFor(n, k, dim);
  const cells: Float32Cell[] = [];
  const algorithms = [
    { algorithm: 'mmr' as const, f64: mmr({ lambda: LAMBDA }), f32: mmr({ lambda: LAMBDA, precision: 'float32' }), select64: () => selectMmrLazy(mmrInput(packed), k), select32: () => selectMmrF32(mmrInput(packed), k) },
    { algorithm: 'dpp' as const, f64: dpp({ theta: THETA }), f32: dpp({ theta: THETA, precision: 'float32' }), select64: () => selectDppLazy(dppInput(packed), k), select32: () => selectDppF32(dppInput(packed), k) },
  ];
  for (const { algorithm, f64, f32, select64, select32 } of algorithms) {
    const time = (fn: () => unknown): number => medianMillis(fn, budget);
    const request = (strategy: Reranker, candidates: Candidate[], withCatalog: boolean) => () =>
      rerank({ candidates, k, strategy, ...(withCatalog ? { catalog } : {}) });
    const a = select64();
    const b = select32();
    const same = sameIds(a.indices, b.indices);
    let maxScoreDifference = 0;
    if (same) a.scores.forEach((score, slot) => (maxScoreDifference = Math.max(maxScoreDifference, Math.abs(score - (b.scores[slot] as number)))));
    cells.push({
      algorithm,
      n,
      dim,
      k,
      shape,
      select: { f64: time(select64), f32: time(select32) },
      rawFloat32Array: { f64: time(request(f64, raw32, false)), f32: time(request(f32, raw32, false)) },
      catalogue: { f64: time(request(f64, byId, true)), f32: time(request(f32, byId, true)) },
      sameIds: same,
      maxScoreDifference,
    });
  }
  return cells;
}

/** Runs every cell and prints the table; returns the cells for speed.json. */
export function float32Section(quick: boolean): Float32Cell[] {
  const cells: Float32Cell[] = [];
  for (const [n, dim, k] of cellsFor(quick)) {
    for (const shape of ['flat', 'skewed'] as const) {
      cells.push(...measure(n, dim, k, shape));
      process.stderr.write(`  float32 cell ${shape} n=${n} d=${dim} k=${k} done\n`);
    }
  }
  console.log('\n## Float32 path (`precision: \'float32\'`) vs the float64 default: float64 time / float32 time\n');
  const pair = (p: { f64: number; f32: number }): string => `${fmt(p.f64)} / ${fmt(p.f32)} ms, ${ratio(p.f64, p.f32)}`;
  console.log(
    table(
      ['algorithm', 'relevance', 'n', 'd', 'k', 'select() f64 / f32', 'rerank() Float32Array vectors', 'rerank() catalogue', 'same ids', 'max |Δscore|'],
      cells.map((c) => [c.algorithm.toUpperCase(), c.shape, c.n.toLocaleString('en-US'), String(c.dim), String(c.k), pair(c.select), pair(c.rawFloat32Array), pair(c.catalogue), c.sameIds ? 'yes' : 'NO', c.sameIds ? c.maxScoreDifference.toExponential(1) : '—']),
    ),
  );
  return cells;
}

if (import.meta.url === `file://${process.argv[1]}`) float32Section(process.argv.includes('--quick'));
