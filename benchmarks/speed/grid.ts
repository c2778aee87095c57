/** One grid cell of the speed benchmark: MMR and DPP through rerank(), numpy both ways, LangChain. */
import { dpp, mmr, rerank } from '../../src/index.js';
import { selectDppDense, selectDppLazy } from '../../src/strategies/post/dpp-greedy.js';
import { type RelevanceShape, makeInput } from './inputs.js';
import { langChainInput, runLangChain } from './langchain.js';
import { type NumpyResult, runNumpy } from './numpy.js';
import { prepareRequests } from './requests.js';
import { budgetFor, dppInput, fmt, LAMBDA, medianOf, ratio, SEED, sameIds, table, THETA } from './settings.js';
import { medianMillis } from './timing.js';

/**
 * LangChain's MMR is O(n·k²·dim) in plain JS; cells above this many multiply-adds (n·dim·k²/2) are
 * skipped unless `--all-langchain` is given (the largest takes about a minute).
 */
export const LANGCHAIN_MAX_WORK = 2e9;

/** What one (n, dim, k, shape) cell measured. Times are medians in milliseconds. */
export interface GridCell {
  readonly n: number;
  readonly dim: number;
  readonly k: number;
  readonly shape: RelevanceShape;
  /** numpy: raw vectors normalised inside the timed region, and pre-normalised. */
  readonly numpy: Pick<NumpyResult, 'mmrNormMs' | 'mmrPreMs' | 'dppNormMs' | 'dppPreMs'> | null;
  /** rerank() with raw `number[]` vectors, with a catalogue packed once, and select() alone. */
  readonly ours: { mmrRaw: number; mmrCatalog: number; mmrSelect: number; dppRaw: number; dppCatalog: number; dppSelect: number };
  readonly sameIdsAsNumpy: { mmr: boolean; dpp: boolean } | null;
  /** LangChain `maximalMarginalRelevance` (flat shape only: it takes a query vector). */
  readonly langchain: { ms: number; runs: number; sameIds: boolean } | { skipped: string };
  /** DPP work: (candidate, basis vector) updates of the lazy/blocked greedy over the dense one. */
  readonly dppUpdates: { lazy: number; dense: number; refreshes: number };
}

/** Measures one cell; numpy and ours run back to back so both see the same machine load. */
export function gridCell(n: number, dim: number, k: number, shape: RelevanceShape, numpyReason: string | undefined, allLangChain: boolean): GridCell {
  const input = makeInput(n, dim, shape, SEED + n + 7 * k + 13 * dim + (shape === 'flat' ? 1 : 0));
  const prepared = prepareRequests(input, false);
  const budget = budgetFor(n, k, dim);
  const mmrStrategy = mmr({ lambda: LAMBDA });
  const dppStrategy = dpp({ theta: THETA });
  const numpyBudget = Math.min(400, budget.maxMillis);
  const numpy = numpyReason === undefined ? runNumpy(input, k, LAMBDA, THETA, numpyBudget) : null;
  const time = (fn: () => unknown): number => medianMillis(fn, budget);
  const ours = {
    mmrRaw: time(() => rerank({ candidates: prepared.raw, k, strategy: mmrStrategy })),
    mmrCatalog: time(() => rerank({ candidates: prepared.byId, k, strategy: mmrStrategy, catalog: prepared.catalog })),
    mmrSelect: time(() => mmrStrategy.select(prepared.packed, k)),
    dppRaw: time(() => rerank({ candidates: prepared.raw, k, strategy: dppStrategy })),
    dppCatalog: time(() => rerank({ candidates: prepared.byId, k, strategy: dppStrategy, catalog: prepared.catalog })),
    dppSelect: time(() => dppStrategy.select(prepared.packed, k)),
  };
  const mmrIds = Array.from(mmrStrategy.select(prepared.packed, k).indices);
  const dppIds = Array.from(dppStrategy.select(prepared.packed, k).indices);
  const lazy = selectDppLazy(dppInput(prepared.packed), k);
  const dense = selectDppDense(dppInput(prepared.packed), k);
  return {
    n,
    dim,
    k,
    shape,
    numpy: numpy === null ? null : { mmrNormMs: numpy.mmrNormMs, mmrPreMs: numpy.mmrPreMs, dppNormMs: numpy.dppNormMs, dppPreMs: numpy.dppPreMs },
    ours,
    sameIdsAsNumpy: numpy === null ? null : { mmr: sameIds(numpy.mmr, mmrIds), dpp: sameIds(numpy.dpp, dppIds) },
    langchain: langChainCell(input, k, mmrIds, allLangChain),
    dppUpdates: { lazy: lazy.updates, dense: dense.updates, refreshes: lazy.refreshes },
  };
}

function langChainCell(input: ReturnType<typeof makeInput>, k: number, mmrIds: number[], all: boolean): GridCell['langchain'] {
  const work = (input.n * input.dim * k * k) / 2;
  const lcInput = langChainInput(input);
  if (lcInput === null) return { skipped: 'needs a query vector (flat shape only)' };
  if (work > LANGCHAIN_MAX_WORK && !all) return { skipped: `~${(work / 1e9).toFixed(0)} G multiply-adds (run with --all-langchain)` };
  const ids = runLangChain(lcInput, k, LAMBDA);
  if (work > 2e8) {
    // one or two runs: each takes seconds, which makes the JIT warm-up negligible
    const samples: number[] = [];
    for (let r = 0; r < (work > 1e9 ? 1 : 2); r++) {
      const t0 = performance.now();
      runLangChain(lcInput, k, LAMBDA);
      samples.push(performance.now() - t0);
    }
    return { ms: medianOf(samples), runs: samples.length, sameIds: sameIds(ids, mmrIds) };
  }
  const budget = { warmup: 1, minRuns: 3, maxMillis: 300, maxRuns: 20 };
  return { ms: medianMillis(() => runLangChain(lcInput, k, LAMBDA), budget), runs: budget.minRuns, sameIds: sameIds(ids, mmrIds) };
}

/** The grid as markdown: one row per cell, `ours ms (numpy / ours)`. */
export function printGrid(cells: GridCell[]): void {
  console.log('\n## Grid: rerank() against numpy and LangChain (median ms; ratio = their time / ours, > 1 means faster)\n');
  console.log('raw = rerank() with raw number[] vectors vs numpy normalising inside its timer; catalogue = rerank() with');
  console.log('createItemTable vs numpy on pre-normalised vectors. LangChain = maximalMarginalRelevance vs rerank() MMR raw.\n');
  const rows = cells.map((c) => {
    const np = c.numpy;
    const cell = (ours: number, theirs: number | undefined): string => (theirs === undefined ? fmt(ours) : `${fmt(ours)} (${ratio(theirs, ours)})`);
    const lc = 'skipped' in c.langchain ? '—' : `${fmt(c.langchain.ms)} (${ratio(c.langchain.ms, c.ours.mmrRaw)})${c.langchain.sameIds ? '' : ' ids differ'}`;
    const same = c.sameIdsAsNumpy === null ? 'n/a' : `${c.sameIdsAsNumpy.mmr ? 'yes' : 'NO'} / ${c.sameIdsAsNumpy.dpp ? 'yes' : 'NO'}`;
    return [
      c.shape,
      String(c.n),
      String(c.dim),
      String(c.k),
      cell(c.ours.mmrRaw, np?.mmrNormMs),
      cell(c.ours.mmrCatalog, np?.mmrPreMs),
      cell(c.ours.dppRaw, np?.dppNormMs),
      cell(c.ours.dppCatalog, np?.dppPreMs),
      `${fmt(c.ours.mmrSelect)} / ${fmt(c.ours.dppSelect)}`,
      lc,
      `${(c.dppUpdates.lazy / Math.max(1, c.dppUpdates.dense)).toFixed(2)}`,
      same,
    ];
  });
  console.log(
    table(
      ['relevance', 'n', 'd', 'k', 'MMR raw', 'MMR catalogue', 'DPP raw', 'DPP catalogue', 'select() MMR / DPP', 'LangChain MMR', 'DPP updates lazy/dense', 'same ids as numpy MMR / DPP'],
      rows,
    ),
  );
}

/** Growth of rerank() (raw vectors) per 10× n at dim 64, per shape, algorithm and k. */
export function growth(cells: GridCell[]): { shape: RelevanceShape; k: number; mmr: number[]; dpp: number[] }[] {
  const out: { shape: RelevanceShape; k: number; mmr: number[]; dpp: number[] }[] = [];
  for (const shape of ['flat', 'skewed'] as const) {
    for (const k of [10, 50]) {
      const row = [1000, 10000, 100000].map((n) => cells.find((c) => c.shape === shape && c.k === k && c.dim === 64 && c.n === n));
      const present = row.filter((c): c is GridCell => c !== undefined);
      if (present.length < 2) continue;
      const steps = (pick: (c: GridCell) => number): number[] => present.slice(1).map((c, i) => pick(c) / pick(present[i] as GridCell));
      out.push({ shape, k, mmr: steps((c) => c.ours.mmrRaw), dpp: steps((c) => c.ours.dppRaw) });
    }
  }
  console.log('\n## Growth of rerank() (raw vectors) per 10× n, d = 64 (linear = 10; n = 1e3 → 1e4 → 1e5)\n');
  console.log(table(['relevance', 'k', 'MMR', 'DPP'], out.map((g) => [g.shape, String(g.k), g.mmr.map((x) => x.toFixed(1)).join(' → '), g.dpp.map((x) => x.toFixed(1)).join(' → ')])));
  return out;
}
