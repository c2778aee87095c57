/**
 * Speed benchmark of the greedy re-rankers: `npx tsx benchmarks/speed.ts` (or `npm run bench`).
 *
 * Prints markdown tables and writes benchmarks/results/speed.json:
 * 1. Headline, n = 1000, k = 50, d = 64: uniform and skewed synthetic input and one real MovieLens
 *    user's top-1000 EASE candidates with SVD-64 vectors, through `rerank()` (raw vectors; a
 *    catalogue packed once; the candidates scattered in a catalogue ten times larger, with fresh id
 *    strings) and `select()` alone, side by side with an independent numpy implementation
 *    (benchmarks/speed/reference.py, single-threaded BLAS) timed both ways: normalising inside its
 *    timer (against raw vectors) and on pre-normalised vectors (against a catalogue), in three
 *    interleaved rounds.
 * 2. Grid: n ∈ {1e3, 1e4} × d ∈ {64, 384, 1536} × k ∈ {10, 50}, plus n = 1e5 and n = 100 at d = 64;
 *    MMR (λ = 0.5) and DPP (θ = 0.7); flat relevance (cosine to a query vector) and skewed (u^8);
 *    rerank() raw and with a catalogue against numpy both ways; LangChain's
 *    `maximalMarginalRelevance` as a peer column on the flat rows (it takes a query vector) with a
 *    same-ids check.
 * 3. Growth of rerank() per 10× n at d = 64.
 * 4. Naive determinant DPP (log det from scratch per candidate) at n = 100, k = 10.
 * 5. The opt-in float32 path against the float64 default at d = 768 and 1536
 *    (benchmarks/speed/float32.ts).
 *
 * Medians over repeated calls; the machine is shared and noisy, so read ratios within one run.
 * Flags: `--quick` (n ≤ 1000, no MovieLens, one headline round, no results file), `--no-movielens`,
 * `--all-langchain` (also the LangChain cells that take up to a minute each).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { defaultKernelBackend } from '../src/_internals/wasm/kernel-instance.js';
import { selectDppLazy } from '../src/strategies/post/dpp-greedy.js';
import { float32Section } from './speed/float32.js';
import { growth, gridCell, printGrid } from './speed/grid.js';
import { headline, type HeadlineRow, printHeadline } from './speed/headline.js';
import { makeInput } from './speed/inputs.js';
import { loadMovieLensCase } from './speed/movielens.js';
import { naiveDpp } from './speed/naive-dpp.js';
import { numpyUnavailable } from './speed/numpy.js';
import { prepareRequests } from './speed/requests.js';
import { dppInput, fmt, LAMBDA, ratio, SEED, sameIds, table, THETA } from './speed/settings.js';
import { medianMillis, type TimingBudget } from './speed/timing.js';

function naiveSection(): { n: number; k: number; dim: number; naiveMs: number; lazyMs: number; sameIds: boolean } {
  const n = 100;
  const k = 10;
  const dim = 64;
  const input = makeInput(n, dim, 'skewed', SEED);
  const { packed } = prepareRequests(input, false);
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

/** The grid's (n, dim, k) cells. */
function gridCells(quick: boolean): [number, number, number][] {
  const cells: [number, number, number][] = [];
  for (const k of [10, 50]) cells.push([100, 64, k]);
  for (const n of quick ? [1000] : [1000, 10000]) for (const dim of [64, 384, 1536]) for (const k of [10, 50]) cells.push([n, dim, k]);
  if (!quick) for (const k of [10, 50]) cells.push([100000, 64, k]);
  return cells;
}

async function main(): Promise<void> {
  const quick = process.argv.includes('--quick');
  const skipMovieLens = quick || process.argv.includes('--no-movielens');
  const allLangChain = process.argv.includes('--all-langchain');
  const numpyReason = numpyUnavailable();
  if (numpyReason !== undefined) console.log(`numpy columns skipped: ${numpyReason}`);
  const started = Date.now();
  const rounds = quick ? 1 : 3;

  const headlineRows = [
    headline('uniform', makeInput(1000, 64, 'uniform', SEED), 50, numpyReason, rounds),
    headline('skewed u^8', makeInput(1000, 64, 'skewed', SEED + 1), 50, numpyReason, rounds),
  ];
  let movielens: HeadlineRow | { skipped: string } = { skipped: quick ? '--quick' : '--no-movielens' };
  if (!skipMovieLens) {
    const real = await loadMovieLensCase(1000, 64);
    if ('skipped' in real) {
      movielens = real;
      console.log(`MovieLens case skipped: ${real.skipped}`);
    } else {
      movielens = headline(`MovieLens user ${real.userId} (EASE top-1000, SVD-64)`, real.input, 50, numpyReason, rounds);
      headlineRows.push(movielens);
    }
  }
  printHeadline(headlineRows);

  const grid = [];
  for (const [n, dim, k] of gridCells(quick)) {
    for (const shape of ['flat', 'skewed'] as const) {
      const cell = gridCell(n, dim, k, shape, numpyReason, allLangChain);
      grid.push(cell);
      process.stderr.write(`  cell ${shape} n=${n} d=${dim} k=${k} done (${((Date.now() - started) / 1000).toFixed(0)} s)\n`);
    }
  }
  printGrid(grid);
  const growthRows = growth(grid);
  const naive = naiveSection();
  const float32 = float32Section(quick);

  const seconds = (Date.now() - started) / 1000;
  console.log(`\n(total ${seconds.toFixed(0)} s; node ${process.version}; ${quick ? 'quick' : 'full'} run)`);
  if (quick) return; // a quick run is a smoke test: the tracked results come from full runs only
  mkdirSync(new URL('./results/', import.meta.url), { recursive: true });
  writeFileSync(
    new URL('./results/speed.json', import.meta.url),
    `${JSON.stringify(
      {
        generated: new Date().toISOString(),
        node: process.version,
        settings: { lambda: LAMBDA, theta: THETA, seed: SEED, numpy: numpyReason ?? 'available', kernels: defaultKernelBackend(), quick, allLangChain },
        headline: headlineRows,
        movielens,
        grid,
        growth: growthRows,
        naive,
        float32,
        seconds,
      },
      null,
      2,
    )}\n`,
  );
  console.log('wrote benchmarks/results/speed.json');
}

await main();
