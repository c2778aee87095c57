/**
 * Speed benchmark of the greedy re-rankers: `npx tsx benchmarks/speed.ts` (or `npm run bench`).
 *
 * Prints compact markdown tables and writes benchmarks/results/speed.json:
 * 1. Headline, n = 1000 (and 10000), k = 50, dim = 64, uniform and skewed relevance: lazy MMR (λ = 0.5) and DPP
 *    (θ = 0.7) through `rerank()` (raw vectors; a catalogue packed once; the candidates scattered in a catalogue
 *    ten times larger, with fresh id strings) and `select()` alone,
 *    side by side with an independent numpy implementation (benchmarks/speed/reference.py,
 *    single-threaded BLAS, vectors normalised outside its timers) on the same input, in the same run
 *    (three interleaved rounds, median of each side).
 * 2. Grid (select() alone, skewed relevance): every (n, k) in {100, 1000, 10000} × {10, 50, 100} at
 *    dim = 64, plus dim ∈ {32, 128} at k = 50 for every n (15 of the 27 cells: the rest only repeat
 *    the dim trend), for relevance(), dense and lazy MMR/DPP, with the lazy refresh counts.
 * 3. Naive determinant DPP (log det from scratch per candidate) at n = 100, k = 10.
 * 4. Growth in n (lazy, dim = 64): time ratio per 10× n, to check it stays at most linear.
 * 5. One real MovieLens user's top-1000 EASE candidates with SVD-64 vectors (src/evaluate).
 *
 * Medians over repeated calls; the machine is shared and noisy, so read ratios, not absolute times.
 * `--no-movielens` skips section 5 (it fits EASE on ml-latest-small first, ~10–30 s).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { defaultKernelBackend } from '../src/_internals/wasm/kernel-instance.js';
import { dpp, mmr, relevance, rerank } from '../src/index.js';
import { selectDppDense, selectDppLazy } from '../src/strategies/post/dpp-greedy.js';
import type { GreedyResult } from '../src/strategies/post/greedy-result.js';
import { selectMmrDense, selectMmrLazy } from '../src/strategies/post/mmr-greedy.js';
import type { PackedRequest, Reranker } from '../src/types.js';
import { makeInput, type RelevanceShape, type SpeedInput } from './speed/inputs.js';
import { loadMovieLensCase } from './speed/movielens.js';
import { naiveDpp } from './speed/naive-dpp.js';
import { numpyUnavailable, runNumpy, type NumpyResult } from './speed/numpy.js';
import { prepareRequests } from './speed/requests.js';
import { DEFAULT_BUDGET, medianMillis, type TimingBudget } from './speed/timing.js';

const LAMBDA = 0.5;
const THETA = 0.7;
const ALPHA = THETA / (2 * (1 - THETA));
const SEED = 20_181_203;
const NUMPY_REPEATS = 60;
const HEADLINE_ROUNDS = 3;

const medianOf = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[sorted.length >> 1] as number;
};

const fmt = (ms: number): string => (ms >= 10 ? ms.toFixed(1) : ms >= 1 ? ms.toFixed(2) : ms.toFixed(3));
const ratio = (a: number, b: number): string => `${(a / b).toFixed(2)}×`;

function table(header: string[], rows: string[][]): string {
  const line = (cells: string[]): string => `| ${cells.join(' | ')} |`;
  return [line(header), line(header.map(() => '---')), ...rows.map(line)].join('\n');
}

function mmrInput(packed: PackedRequest) {
  const { candidates, dim } = packed;
  return { n: candidates.n, dim, relevance: candidates.relevance, embeddings: candidates.embeddings as Float64Array, lambda: LAMBDA };
}

function dppInput(packed: PackedRequest) {
  const { candidates, dim } = packed;
  return { n: candidates.n, dim, relevance: candidates.relevance, embeddings: candidates.embeddings as Float64Array, alpha: ALPHA };
}

const budgetFor = (n: number, k: number, dim: number): TimingBudget => {
  const work = n * k * dim;
  return work > 2e7 ? { warmup: 2, minRuns: 5, maxMillis: 300, maxRuns: 30 } : DEFAULT_BUDGET;
};

function sameIds(a: ArrayLike<number>, b: ArrayLike<number>): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

// ------------------------------------------------------------------------------------------------
// 1. Headline side by side with numpy

interface HeadlineRow {
  readonly case: string;
  readonly n: number;
  readonly k: number;
  readonly dim: number;
  readonly numpy: { readonly mmrMs: number; readonly dppMs: number; readonly version: string } | null;
  readonly ours: Record<string, number>;
  readonly agreesWithNumpy: { readonly mmr: boolean; readonly dpp: boolean } | null;
  readonly refreshes: { readonly mmr: number; readonly dpp: number };
  readonly updates: { readonly mmrLazy: number; readonly mmrDense: number; readonly dppLazy: number; readonly dppDense: number };
}

function headline(label: string, input: SpeedInput, k: number, numpyReason: string | undefined): HeadlineRow {
  const prepared = prepareRequests(input);
  const mmrLazy = mmr({ lambda: LAMBDA });
  const dppLazy = dpp({ theta: THETA });
  const time = (strategy: Reranker, candidates = prepared.raw, withCatalog = false) =>
    medianMillis(() => rerank({ candidates, k, strategy, ...(withCatalog ? { catalog: prepared.catalog } : {}) }));
  const measureOurs = (): Record<string, number> => ({
    relevanceRerank: time(relevance()),
    mmrRerank: time(mmrLazy),
    dppRerank: time(dppLazy),
    mmrRerankCatalog: time(mmrLazy, prepared.byId, true),
    dppRerankCatalog: time(dppLazy, prepared.byId, true),
    mmrRerankScattered: medianMillis(() => rerank({ candidates: prepared.scattered.candidates, k, strategy: mmrLazy, catalog: prepared.scattered.catalog })),
    dppRerankScattered: medianMillis(() => rerank({ candidates: prepared.scattered.candidates, k, strategy: dppLazy, catalog: prepared.scattered.catalog })),
    mmrSelect: medianMillis(() => mmrLazy.select(prepared.packed, k)),
    dppSelect: medianMillis(() => dppLazy.select(prepared.packed, k)),
    mmrDenseSelect: medianMillis(() => selectMmrDense(mmrInput(prepared.packed), k)),
    dppDenseSelect: medianMillis(() => selectDppDense(dppInput(prepared.packed), k)),
    dppJsSelect: medianMillis(() => selectDppLazy(dppInput(prepared.packed), k, 'js')),
  });
  // The machine is shared: interleave our measurements with numpy's and keep the median of each
  // over HEADLINE_ROUNDS rounds, so both sides see the same load.
  const oursRounds: Record<string, number>[] = [];
  const numpyRounds: NumpyResult[] = [];
  for (let round = 0; round < HEADLINE_ROUNDS; round++) {
    if (numpyReason === undefined) numpyRounds.push(runNumpy(input, k, LAMBDA, THETA, NUMPY_REPEATS));
    oursRounds.push(measureOurs());
  }
  const ours: Record<string, number> = {};
  for (const key of Object.keys(oursRounds[0] as Record<string, number>)) ours[key] = medianOf(oursRounds.map((r) => r[key] as number));
  const mmrRun = selectMmrLazy(mmrInput(prepared.packed), k);
  const dppRun = selectDppLazy(dppInput(prepared.packed), k);
  const mmrDenseRun = selectMmrDense(mmrInput(prepared.packed), k);
  const dppDenseRun = selectDppDense(dppInput(prepared.packed), k);
  const numpy = numpyRounds[0];
  return {
    case: label,
    n: input.n,
    k,
    dim: input.dim,
    numpy:
      numpy === undefined
        ? null
        : { mmrMs: medianOf(numpyRounds.map((r) => r.mmrMs)), dppMs: medianOf(numpyRounds.map((r) => r.dppMs)), version: numpy.version },
    ours,
    agreesWithNumpy: numpy === undefined ? null : { mmr: sameIds(numpy.mmr, mmrRun.indices), dpp: sameIds(numpy.dpp, dppRun.indices) },
    refreshes: { mmr: mmrRun.refreshes, dpp: dppRun.refreshes },
    updates: { mmrLazy: mmrRun.updates, mmrDense: mmrDenseRun.updates, dppLazy: dppRun.updates, dppDense: dppDenseRun.updates },
  };
}

function printHeadline(rows: HeadlineRow[]): void {
  console.log('\n## Side by side with numpy (median ms; ratio = numpy time / ours, > 1 means faster than numpy)\n');
  console.log(`Greedy kernels: ${defaultKernelBackend()} by default; the JS column forces the JS fallback.\n`);
  const body = rows.map((r) => {
    const np = r.numpy;
    const cell = (ours: number, theirs: number | undefined): string => (theirs === undefined ? fmt(ours) : `${fmt(ours)} (${ratio(theirs, ours)})`);
    return [
      `${r.case} n=${r.n} k=${r.k} d=${r.dim}`,
      np === null ? 'n/a' : `${fmt(np.mmrMs)} / ${fmt(np.dppMs)}`,
      `${cell(r.ours.mmrSelect as number, np?.mmrMs)} / ${cell(r.ours.dppSelect as number, np?.dppMs)}`,
      `${cell(r.ours.mmrRerank as number, np?.mmrMs)} / ${cell(r.ours.dppRerank as number, np?.dppMs)}`,
      `${cell(r.ours.mmrRerankCatalog as number, np?.mmrMs)} / ${cell(r.ours.dppRerankCatalog as number, np?.dppMs)}`,
      `${cell(r.ours.mmrRerankScattered as number, np?.mmrMs)} / ${cell(r.ours.dppRerankScattered as number, np?.dppMs)}`,
      `${fmt(r.ours.mmrDenseSelect as number)} / ${fmt(r.ours.dppDenseSelect as number)}`,
      cell(r.ours.dppJsSelect as number, np?.dppMs),
      `${r.refreshes.mmr} / ${r.refreshes.dpp}`,
      `${r.updates.mmrLazy}/${r.updates.mmrDense} · ${r.updates.dppLazy}/${r.updates.dppDense}`,
      r.agreesWithNumpy === null ? 'n/a' : `${r.agreesWithNumpy.mmr ? 'yes' : 'NO'} / ${r.agreesWithNumpy.dpp ? 'yes' : 'NO'}`,
    ];
  });
  console.log(
    table(
      [
        'case',
        'numpy MMR / DPP',
        'lazy select()',
        'rerank() raw vectors',
        'rerank() + catalog',
        'rerank() + 10× catalog, fresh ids',
        'dense select()',
        'DPP lazy select(), JS kernels',
        'lazy refreshes MMR / DPP',
        'updates lazy/dense MMR · DPP',
        'same ids as numpy',
      ],
      body,
    ),
  );
}

// ------------------------------------------------------------------------------------------------
// 2. Grid

interface GridRow {
  readonly n: number;
  readonly k: number;
  readonly dim: number;
  readonly ms: { relevance: number; mmrDense: number; mmrLazy: number; dppDense: number; dppLazy: number };
  readonly refreshes: { mmr: number; dpp: number };
  readonly updates: { mmrLazy: number; mmrDense: number; dppLazy: number; dppDense: number };
  readonly lazyEqualsDense: boolean;
}

function gridCell(n: number, k: number, dim: number, shape: RelevanceShape): GridRow {
  const input = makeInput(n, dim, shape, SEED + n + 7 * k + 13 * dim);
  const { packed } = prepareRequests(input);
  const budget = budgetFor(n, k, dim);
  const base = relevance();
  const m = mmrInput(packed);
  const d = dppInput(packed);
  const ms = {
    relevance: medianMillis(() => base.select(packed, k), budget),
    mmrDense: medianMillis(() => selectMmrDense(m, k), budget),
    mmrLazy: medianMillis(() => selectMmrLazy(m, k), budget),
    dppDense: medianMillis(() => selectDppDense(d, k), budget),
    dppLazy: medianMillis(() => selectDppLazy(d, k), budget),
  };
  const runs: GreedyResult[] = [selectMmrLazy(m, k), selectMmrDense(m, k), selectDppLazy(d, k), selectDppDense(d, k)];
  const [ml, md, dl, dd] = runs as [GreedyResult, GreedyResult, GreedyResult, GreedyResult];
  return {
    n,
    k,
    dim,
    ms,
    refreshes: { mmr: ml.refreshes, dpp: dl.refreshes },
    updates: { mmrLazy: ml.updates, mmrDense: md.updates, dppLazy: dl.updates, dppDense: dd.updates },
    lazyEqualsDense: sameIds(ml.indices, md.indices) && sameIds(dl.indices, dd.indices),
  };
}

function printGrid(rows: GridRow[]): void {
  console.log('\n## Grid, select() alone, skewed relevance (median ms; speed-up = dense / lazy)\n');
  console.log(
    table(
      ['n', 'k', 'dim', 'relevance()', 'MMR dense', 'MMR lazy', 'speed-up', 'DPP dense', 'DPP lazy', 'speed-up', 'refreshes MMR / DPP', 'updates lazy/dense DPP', 'lazy ≡ dense'],
      rows.map((r) => [
        String(r.n),
        String(r.k),
        String(r.dim),
        fmt(r.ms.relevance),
        fmt(r.ms.mmrDense),
        fmt(r.ms.mmrLazy),
        ratio(r.ms.mmrDense, r.ms.mmrLazy),
        fmt(r.ms.dppDense),
        fmt(r.ms.dppLazy),
        ratio(r.ms.dppDense, r.ms.dppLazy),
        `${r.refreshes.mmr} / ${r.refreshes.dpp}`,
        `${(r.updates.dppLazy / Math.max(1, r.updates.dppDense)).toFixed(2)}`,
        r.lazyEqualsDense ? 'yes' : 'NO',
      ]),
    ),
  );
}

// ------------------------------------------------------------------------------------------------
// 3. Naive determinant DPP

function naiveSection(): { n: number; k: number; dim: number; naiveMs: number; lazyMs: number; sameIds: boolean } {
  const n = 100;
  const k = 10;
  const dim = 64;
  const input = makeInput(n, dim, 'skewed', SEED);
  const { packed } = prepareRequests(input);
  const unit = packed.candidates.embeddings as Float64Array;
  const budget: TimingBudget = { warmup: 2, minRuns: 5, maxMillis: 500, maxRuns: 50 };
  const naiveMs = medianMillis(() => naiveDpp(input.relevance, unit, n, dim, k, THETA), budget);
  const lazyMs = medianMillis(() => selectDppLazy(dppInput(packed), k));
  const same = sameIds(naiveDpp(input.relevance, unit, n, dim, k, THETA), selectDppLazy(dppInput(packed), k).indices);
  console.log('\n## Naive determinant DPP vs lazy fast greedy (select() alone, skewed)\n');
  console.log(
    table(['n', 'k', 'dim', 'naive log-det greedy', 'lazy fast greedy', 'speed-up', 'same ids'], [
      [String(n), String(k), String(dim), fmt(naiveMs), fmt(lazyMs), ratio(naiveMs, lazyMs), same ? 'yes' : 'NO'],
    ]),
  );
  return { n, k, dim, naiveMs, lazyMs, sameIds: same };
}

// ------------------------------------------------------------------------------------------------
// 4. Growth in n

function growthSection(grid: GridRow[]): { k: number; mmr: number[]; dpp: number[] }[] {
  const out: { k: number; mmr: number[]; dpp: number[] }[] = [];
  const rows: string[][] = [];
  for (const k of [10, 50, 100]) {
    const cells = [100, 1000, 10000].map((n) => grid.find((r) => r.n === n && r.k === k && r.dim === 64));
    if (cells.some((c) => c === undefined)) continue;
    const [a, b, c] = cells as [GridRow, GridRow, GridRow];
    const mmrGrowth = [b.ms.mmrLazy / a.ms.mmrLazy, c.ms.mmrLazy / b.ms.mmrLazy];
    const dppGrowth = [b.ms.dppLazy / a.ms.dppLazy, c.ms.dppLazy / b.ms.dppLazy];
    out.push({ k, mmr: mmrGrowth, dpp: dppGrowth });
    rows.push([String(k), mmrGrowth.map((g) => g.toFixed(1)).join(' → '), dppGrowth.map((g) => g.toFixed(1)).join(' → ')]);
  }
  console.log('\n## Growth of lazy select() time per 10× n (dim = 64; linear = 10.0, n=100→1000 then 1000→10000)\n');
  console.log(table(['k', 'MMR', 'DPP'], rows));
  return out;
}

// ------------------------------------------------------------------------------------------------

async function main(): Promise<void> {
  const skipMovieLens = process.argv.includes('--no-movielens');
  const numpyReason = numpyUnavailable();
  if (numpyReason !== undefined) console.log(`numpy column skipped: ${numpyReason}`);
  const started = Date.now();

  const headlineRows = [
    headline('uniform', makeInput(1000, 64, 'uniform', SEED), 50, numpyReason),
    headline('skewed u^8', makeInput(1000, 64, 'skewed', SEED + 1), 50, numpyReason),
    headline('skewed u^8', makeInput(10000, 64, 'skewed', SEED + 2), 50, numpyReason),
  ];
  let movielens: HeadlineRow | { skipped: string } = { skipped: '--no-movielens' };
  if (!skipMovieLens) {
    const real = await loadMovieLensCase(1000, 64);
    if ('skipped' in real) {
      movielens = real;
      console.log(`MovieLens case skipped: ${real.skipped}`);
    } else {
      movielens = headline(`MovieLens user ${real.userId} (EASE top-1000, SVD-64)`, real.input, 50, numpyReason);
      headlineRows.push(movielens);
    }
  }
  printHeadline(headlineRows);

  const cells: [number, number, number][] = [];
  for (const n of [100, 1000, 10000]) for (const k of [10, 50, 100]) cells.push([n, k, 64]);
  for (const n of [100, 1000, 10000]) for (const dim of [32, 128]) cells.push([n, 50, dim]);
  const grid = cells.map(([n, k, dim]) => gridCell(n, k, dim, 'skewed'));
  printGrid(grid);
  const naive = naiveSection();
  const growth = growthSection(grid);

  const seconds = (Date.now() - started) / 1000;
  console.log(`\n(total ${seconds.toFixed(0)} s; node ${process.version})`);
  mkdirSync(new URL('./results/', import.meta.url), { recursive: true });
  writeFileSync(
    new URL('./results/speed.json', import.meta.url),
    `${JSON.stringify(
      {
        generated: new Date().toISOString(),
        node: process.version,
        settings: { lambda: LAMBDA, theta: THETA, seed: SEED, numpy: numpyReason ?? 'available', kernels: defaultKernelBackend() },
        headline: headlineRows,
        movielens,
        grid,
        naive,
        growth,
        seconds,
      },
      null,
      2,
    )}\n`,
  );
  console.log('wrote benchmarks/results/speed.json');
}

await main();
