/**
 * Prints the README's speed tables from benchmarks/results/speed.json (the last full `npm run bench`
 * run): `npx tsx benchmarks/speed/report.ts`. Every number comes from that one run.
 */
import { readFileSync } from 'node:fs';
import type { GridCell } from './grid.js';
import type { HeadlineRow } from './headline.js';
import { fmt, ratio, table } from './settings.js';

interface Results {
  readonly generated: string;
  readonly node: string;
  readonly seconds: number;
  readonly headline: HeadlineRow[];
  readonly grid: GridCell[];
  readonly growth: { shape: string; k: number; mmr: number[]; dpp: number[] }[];
}

const results = JSON.parse(readFileSync(new URL('../results/speed.json', import.meta.url), 'utf8')) as Results;
const x = (theirs: number | undefined, ours: number): string => (theirs === undefined ? '—' : ratio(theirs, ours));

console.log(`Run of ${results.generated} (node ${results.node}, ${results.seconds.toFixed(0)} s).\n`);
console.log(
  table(
    ['input (n = 1000, d = 64, k = 50)', 'numpy MMR / DPP, ms (normalising, pre-normalised)', 'raw vectors MMR / DPP', 'catalogue MMR / DPP', '10× catalogue, fresh ids', '`select()` MMR / DPP'],
    results.headline.map((r) => {
      const np = r.numpy;
      const o = r.ours;
      return [
        r.case.replace(/ n=.*/, ''),
        np === null ? 'n/a' : `${fmt(np.mmrNormMs)}, ${fmt(np.mmrPreMs)} / ${fmt(np.dppNormMs)}, ${fmt(np.dppPreMs)}`,
        `${x(np?.mmrNormMs, o.mmrRerank as number)} / ${x(np?.dppNormMs, o.dppRerank as number)}`,
        `${x(np?.mmrPreMs, o.mmrRerankCatalog as number)} / ${x(np?.dppPreMs, o.dppRerankCatalog as number)}`,
        `${x(np?.mmrPreMs, o.mmrRerankScattered as number)} / ${x(np?.dppPreMs, o.dppRerankScattered as number)}`,
        `${x(np?.mmrPreMs, o.mmrSelect as number)} / ${x(np?.dppPreMs, o.dppSelect as number)}`,
      ];
    }),
  ),
);
console.log('');
console.log(
  table(
    ['relevance', 'n', 'd', 'k', 'MMR raw', 'MMR catalogue', 'DPP raw', 'DPP catalogue', 'LangChain MMR / ours raw'],
    results.grid.map((c) => {
      const np = c.numpy;
      const lc = 'skipped' in c.langchain ? '—' : `${ratio(c.langchain.ms, c.ours.mmrRaw)}${c.langchain.sameIds ? '' : ' (ids differ)'}`;
      return [
        c.shape,
        c.n.toLocaleString('en'),
        String(c.dim),
        String(c.k),
        `${fmt(c.ours.mmrRaw)} ms, ${x(np?.mmrNormMs, c.ours.mmrRaw)}`,
        `${fmt(c.ours.mmrCatalog)} ms, ${x(np?.mmrPreMs, c.ours.mmrCatalog)}`,
        `${fmt(c.ours.dppRaw)} ms, ${x(np?.dppNormMs, c.ours.dppRaw)}`,
        `${fmt(c.ours.dppCatalog)} ms, ${x(np?.dppPreMs, c.ours.dppCatalog)}`,
        lc,
      ];
    }),
  ),
);
console.log('');
console.log(
  table(
    ['relevance', 'k', 'MMR, n 10³ → 10⁴ → 10⁵', 'DPP'],
    results.growth.map((g) => [g.shape, String(g.k), g.mmr.map((v) => `${v.toFixed(1)}×`).join(' → '), g.dpp.map((v) => `${v.toFixed(1)}×`).join(' → ')]),
  ),
);
const cells = results.grid.filter((c) => c.numpy !== null && c.n >= 1000);
const below = (pick: (c: GridCell) => [number, number]): number => cells.filter((c) => pick(c)[0] / pick(c)[1] < 1).length;
console.log(
  `\ncells (n ≥ 1000) below numpy: MMR raw ${below((c) => [c.numpy?.mmrNormMs ?? 0, c.ours.mmrRaw])}, MMR catalogue ${below((c) => [c.numpy?.mmrPreMs ?? 0, c.ours.mmrCatalog])}, DPP raw ${below((c) => [c.numpy?.dppNormMs ?? 0, c.ours.dppRaw])}, DPP catalogue ${below((c) => [c.numpy?.dppPreMs ?? 0, c.ours.dppCatalog])} of ${cells.length}`,
);
const ids = results.grid.filter((c) => c.sameIdsAsNumpy !== null && !(c.sameIdsAsNumpy.mmr && c.sameIdsAsNumpy.dpp)).length;
const lcIds = results.grid.filter((c) => !('skipped' in c.langchain) && !c.langchain.sameIds).length;
console.log(`cells where ids differ from numpy: ${ids}; from LangChain: ${lcIds}`);
