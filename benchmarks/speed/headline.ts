/** The headline cell (n = 1000, d = 64, k = 50) side by side with numpy, in interleaved rounds. */
import { defaultKernelBackend } from '../../src/_internals/wasm/kernel-instance.js';
import { dpp, mmr, relevance, rerank } from '../../src/index.js';
import { selectDppDense, selectDppLazy } from '../../src/strategies/post/dpp-greedy.js';
import { selectMmrDense, selectMmrLazy } from '../../src/strategies/post/mmr-greedy.js';
import type { Reranker } from '../../src/types.js';
import type { SpeedInput } from './inputs.js';
import { type NumpyResult, runNumpy } from './numpy.js';
import { prepareRequests } from './requests.js';
import { dppInput, fmt, LAMBDA, medianOf, mmrInput, ratio, sameIds, table, THETA } from './settings.js';
import { medianMillis } from './timing.js';

/** One headline input's measurements (median ms over the rounds). */
export interface HeadlineRow {
  readonly case: string;
  readonly n: number;
  readonly k: number;
  readonly dim: number;
  readonly numpy: { readonly mmrNormMs: number; readonly mmrPreMs: number; readonly dppNormMs: number; readonly dppPreMs: number; readonly version: string } | null;
  readonly ours: Record<string, number>;
  readonly agreesWithNumpy: { readonly mmr: boolean; readonly dpp: boolean } | null;
  readonly refreshes: { readonly mmr: number; readonly dpp: number };
  readonly updates: { readonly mmrLazy: number; readonly mmrDense: number; readonly dppLazy: number; readonly dppDense: number };
}

/**
 * Times one input through every path, interleaving our measurements with numpy's over `rounds`
 * rounds and keeping the median of each, so both sides see the same machine load.
 */
export function headline(label: string, input: SpeedInput, k: number, numpyReason: string | undefined, rounds: number): HeadlineRow {
  const prepared = prepareRequests(input);
  const scattered = prepared.scattered as NonNullable<typeof prepared.scattered>;
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
    mmrRerankScattered: medianMillis(() => rerank({ candidates: scattered.candidates, k, strategy: mmrLazy, catalog: scattered.catalog })),
    dppRerankScattered: medianMillis(() => rerank({ candidates: scattered.candidates, k, strategy: dppLazy, catalog: scattered.catalog })),
    mmrSelect: medianMillis(() => mmrLazy.select(prepared.packed, k)),
    dppSelect: medianMillis(() => dppLazy.select(prepared.packed, k)),
    dppJsSelect: medianMillis(() => selectDppLazy(dppInput(prepared.packed), k, 'js')),
  });
  const oursRounds: Record<string, number>[] = [];
  const numpyRounds: NumpyResult[] = [];
  for (let round = 0; round < rounds; round++) {
    if (numpyReason === undefined) numpyRounds.push(runNumpy(input, k, LAMBDA, THETA, 400));
    oursRounds.push(measureOurs());
  }
  const ours: Record<string, number> = {};
  for (const key of Object.keys(oursRounds[0] as Record<string, number>)) ours[key] = medianOf(oursRounds.map((r) => r[key] as number));
  const mmrRun = selectMmrLazy(mmrInput(prepared.packed), k);
  const dppRun = selectDppLazy(dppInput(prepared.packed), k);
  const mmrDenseRun = selectMmrDense(mmrInput(prepared.packed), k);
  const dppDenseRun = selectDppDense(dppInput(prepared.packed), k);
  const first = numpyRounds[0];
  const median = (pick: (r: NumpyResult) => number): number => medianOf(numpyRounds.map(pick));
  return {
    case: label,
    n: input.n,
    k,
    dim: input.dim,
    numpy:
      first === undefined
        ? null
        : { mmrNormMs: median((r) => r.mmrNormMs), mmrPreMs: median((r) => r.mmrPreMs), dppNormMs: median((r) => r.dppNormMs), dppPreMs: median((r) => r.dppPreMs), version: first.version },
    ours,
    agreesWithNumpy: first === undefined ? null : { mmr: sameIds(first.mmr, mmrRun.indices), dpp: sameIds(first.dpp, dppRun.indices) },
    refreshes: { mmr: mmrRun.refreshes, dpp: dppRun.refreshes },
    updates: { mmrLazy: mmrRun.updates, mmrDense: mmrDenseRun.updates, dppLazy: dppRun.updates, dppDense: dppDenseRun.updates },
  };
}

export function printHeadline(rows: HeadlineRow[]): void {
  console.log('\n## Headline side by side with numpy (median ms; ratio = numpy time / ours, > 1 means faster than numpy)\n');
  console.log(`Greedy kernels: ${defaultKernelBackend()} by default; the JS column forces the JS fallback. Raw vectors are compared`);
  console.log('with numpy normalising inside its timer; catalogue paths and select() with numpy on pre-normalised vectors.\n');
  const body = rows.map((r) => {
    const np = r.numpy;
    const cell = (ours: number, theirs: number | undefined): string => (theirs === undefined ? fmt(ours) : `${fmt(ours)} (${ratio(theirs, ours)})`);
    return [
      `${r.case} n=${r.n} k=${r.k} d=${r.dim}`,
      np === null ? 'n/a' : `${fmt(np.mmrNormMs)}, ${fmt(np.mmrPreMs)} / ${fmt(np.dppNormMs)}, ${fmt(np.dppPreMs)}`,
      `${cell(r.ours.mmrRerank as number, np?.mmrNormMs)} / ${cell(r.ours.dppRerank as number, np?.dppNormMs)}`,
      `${cell(r.ours.mmrRerankCatalog as number, np?.mmrPreMs)} / ${cell(r.ours.dppRerankCatalog as number, np?.dppPreMs)}`,
      `${cell(r.ours.mmrRerankScattered as number, np?.mmrPreMs)} / ${cell(r.ours.dppRerankScattered as number, np?.dppPreMs)}`,
      `${cell(r.ours.mmrSelect as number, np?.mmrPreMs)} / ${cell(r.ours.dppSelect as number, np?.dppPreMs)}`,
      cell(r.ours.dppJsSelect as number, np?.dppPreMs),
      `${r.refreshes.mmr} / ${r.refreshes.dpp}`,
      `${r.updates.mmrLazy}/${r.updates.mmrDense} · ${r.updates.dppLazy}/${r.updates.dppDense}`,
      r.agreesWithNumpy === null ? 'n/a' : `${r.agreesWithNumpy.mmr ? 'yes' : 'NO'} / ${r.agreesWithNumpy.dpp ? 'yes' : 'NO'}`,
    ];
  });
  console.log(
    table(
      [
        'case',
        'numpy MMR norm, pre / DPP norm, pre',
        'rerank() raw vectors',
        'rerank() + catalogue',
        'rerank() + 10× catalogue, fresh ids',
        'select()',
        'DPP select(), JS kernels',
        'lazy refreshes MMR / DPP',
        'updates lazy/dense MMR · DPP',
        'same ids as numpy',
      ],
      body,
    ),
  );
}
